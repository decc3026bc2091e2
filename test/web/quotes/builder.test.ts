/**
 * The quote builder's pure parts, hand-worked: its form errors (the API's schema, shown only once a field was
 * left or a quote asked for), the reference note that says why a quote fell back to a wider class, and the
 * saved quote's CSV table.
 */
import { describe, expect, it } from 'vitest';
import { lineError, quoteFormErrors, shownErrors, withoutLine } from '../../../web/lib/features/quotes/form.ts';
import { quoteExportTable, referenceNote } from '../../../web/lib/features/quotes/summary.ts';
import type { QuoteAnswer } from '../../../web/lib/features/quotes/types.ts';
import { toCsv } from '../../../web/lib/table.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

describe('the builder’s form errors', () => {
    // The form as it opens: one line with the phase "build", no role, no hours.
    const untouched = { name: null, project_type: 'web_app', billing_model: 'fixed_fee', target_margin: 0.3, confidence: 0.8, price: null, save: false, lines: [{ phase: 'build', role: '', estimated_hours: null }] };

    it('finds the untouched form’s problems with the API’s schema, but shows none of them', () => {
        const errors = quoteFormErrors(untouched);
        expect([...errors]).toEqual([
            ['lines.0.role', 'a role is needed'],
            ['lines.0.estimated_hours', 'hours are needed'],
        ]);
        expect(shownErrors(errors, new Set(), false).size).toBe(0);
    });

    it('shows a field’s error once it was left, and every error once a quote was asked for', () => {
        const errors = quoteFormErrors(untouched);
        const left = shownErrors(errors, new Set(['lines.0.role']), false);
        expect(lineError(left, 0)).toBe('a role is needed');
        expect([...left.keys()]).toEqual(['lines.0.role']);
        const all = shownErrors(errors, new Set(), true);
        expect([...all.keys()]).toEqual(['lines.0.role', 'lines.0.estimated_hours']);
    });

    it('forgets a removed line’s fields and moves those of the lines below it up one', () => {
        const touched = new Set(['target_margin', 'lines.0.role', 'lines.1.role', 'lines.2.phase', 'lines.10.estimated_hours']);
        expect([...withoutLine(touched, 1)]).toEqual(['target_margin', 'lines.0.role', 'lines.1.phase', 'lines.9.estimated_hours']);
    });

    it('names a blank margin, a negative price, a blank phase and hours at zero in the schema’s words', () => {
        const errors = quoteFormErrors({ ...untouched, target_margin: null, price: -5, lines: [{ phase: '  ', role: 'developer', estimated_hours: 0 }] });
        expect(errors.get('target_margin')).toBe('a target margin is needed');
        expect(errors.get('price')).toBe('a proposed price must be above 0');
        expect(lineError(errors, 0)).toBe('a phase is needed');
        expect(errors.get('lines.0.estimated_hours')).toBe('hours must be above 0');
        expect(quoteFormErrors({ ...untouched, lines: [{ phase: 'build', role: 'developer', estimated_hours: 8 }] }).size).toBe(0);
    });
});

describe('the reference note', () => {
    const ref = (level: QuoteAnswer['reference']['level'], projects: number, of_type: number, of_type_and_billing: number): QuoteAnswer['reference'] => ({
        level,
        project_type: null,
        billing_model: null,
        projects,
        effective_projects: projects,
        excluded_without_estimate: 0,
        of_type,
        of_type_and_billing,
        min_class_projects: 20,
    });

    it('says a fallback to every type is for too few usable projects of the type, with the engine’s count and threshold', () => {
        // 19 web-app projects listed and all 19 usable, 20 needed: the note says 19, never "too few" without the number.
        expect(referenceNote(ref('all', 86, 19, 12), 'web_app', 'fixed_fee', 'en-US', 19)).toBe(
            'from 86 closed projects of every type: only 19 closed web app projects with a baseline plan and time logged, fewer than the 20 needed to quote from one type alone',
        );
        // 19 listed but 12 usable: the 7 others are named as not usable.
        expect(referenceNote(ref('all', 86, 12, 5), 'web_app', 'fixed_fee', 'en-US', 19)).toBe(
            'from 86 closed projects of every type: 19 closed web app projects, of which only 12 have a baseline plan and time logged before the quote’s date, fewer than the 20 needed to quote from one type alone',
        );
    });

    it('says a fallback from type × billing model to the type for too few of the billing model', () => {
        expect(referenceNote(ref('project_type', 25, 25, 7), 'integration', 'time_and_materials', 'en-US', 25)).toBe(
            'from 25 closed integration projects of every billing model: only 7 of them billed time and materials, fewer than the 20 a class needs',
        );
        expect(referenceNote(ref('project_type_billing_model', 22, 30, 22), 'integration', 'fixed_fee', 'en-US')).toBe('from 22 closed integration projects billed fixed fee');
    });

    it('reads quotes saved before the engine gave its counts without inventing a reason', () => {
        const old = { level: 'all' as const, project_type: null, billing_model: null, projects: 86, effective_projects: 80, excluded_without_estimate: 0 };
        expect(referenceNote(old, 'web_app', 'fixed_fee', 'en-US', 19)).toBe('from 86 closed projects of every type');
    });
});

describe('a saved quote’s CSV', () => {
    it('writes the figures and lines as one table, a formula-like phase as text', () => {
        const q = {
            estimated_hours: 100,
            hours: { p10: 90, p50: 100, p80: 120, p90: 130, mean: 105 },
            hours_by_phase: [{ phase: '=HYPERLINK("x")', estimated_hours: 100, p10: 90, p50: 100, p80: 120, p90: 130, mean: 105 }],
            cost: { p10: 9000, p50: 10000, p80: 12000, p90: 13000, mean: 10500 },
            price: { target_margin: 0.25, confidence: 0.8, price: 16000, at: { p50: 13333.33, p80: 16000, p90: 17333.33 } },
            proposal: null,
            lines: [{ phase: '=HYPERLINK("x")', role: 'developer', estimated_hours: 100, ratio_level: 'phase' as const, reference_projects_with_cell: 3 }],
            cost_rates: [{ role: 'developer', hourly_cost: 100, people: 4 }],
        };
        const csv = toCsv(quoteExportTable(q, 'EUR'), ctx).split('\r\n');
        expect(csv[0]).toBe('Figure,Item,Unit,Estimate,P10,P50,P80,P90,Amount (EUR),Share (%),Note');
        expect(csv[1]).toBe('Hours,Total,h,100.00,90.00,100.00,120.00,130.00,,,');
        expect(csv[2]).toBe(`Hours by phase,"'=HYPERLINK(""x"")",h,100.00,90.00,100.00,120.00,130.00,,,`);
        expect(csv[4]).toBe('Price for 25 % margin,Total,EUR,,,13333.33,16000.00,17333.33,,,');
        expect(csv[5]).toBe('Quoted price,at 80 % confidence,EUR,,,,,,16000.00,,');
        expect(csv[6]).toBe(`Deal line,"'=HYPERLINK(""x"") × developer",h,100.00,,,,,100.00,,"ratio from phase; amount: cost rate per hour"`);
        expect(csv).toHaveLength(8); // 6 rows after the header, and the empty string after the last CRLF
    });
});
