/**
 * Invoice runs on the hand-made firm of test/fixtures/invoice-firm, February 2024, one client per billing
 * model. The expected invoices, worked out by hand:
 *
 * C1 Acme (EUR), time and materials, lines by phase, billed time rounded up to 15 minutes per entry, tax 20 %:
 *   E1 build 2 h (P1 developer; project_role card T1 130.00 from 2024-01-15 beats the role card 100.00)
 *   E2 build 1,000 s → 2 × 900 s = 1,800 s billed (0.5 h), logged time stays 1,000 s
 *   E3 pm 1 h (P2 project_manager, role card 120.00)
 *   E4 is submitted, E5 not billable, E6 is January: none billed.
 *   line 1 build: 2.5 h × 130.00 = 325.00 (E1, E2); line 2 pm: 1 h × 120.00 = 120.00 (E3) → net 445.00,
 *   tax 89.00, gross 534.00.
 * C2 Globex (USD), retainer R1: 2,000.00 a month, 10 h included, overage 180.00/h, rollover 1 month.
 *   January 6 h (4 h unused), February 16 h: 10 own + 4 rolled over from January → 2 h overage.
 *   line 1 retainer fee February 2,000.00; line 2 overage 2 h × 180.00 = 360.00 → 2,360.00 (fx 0.9 to EUR).
 * C3 Initech (EUR): fixed fee F1 (10,000.00, 100 h budget, no milestones) has 10 h (January) + 20 h
 *   (February) approved = 30 % complete → instalment 3,000.00; milestone project M1: MS1 (5,000.00, signed
 *   off 2024-02-20) → 5,000.00; MS2 is not signed off → 8,000.00.
 */
import { describe, expect, it } from 'vitest';
import type { ExportLine } from '../../../capture/invoicing/exports.ts';
import { runInvoices } from '../../../capture/invoicing/run.ts';
import { setClientSettings } from '../../../capture/invoicing/settings.ts';
import { buildOnce, loadFixture } from '../../helpers/models.ts';

const FIXTURE = 'test/fixtures/invoice-firm';
const FINANCE = { actor: 'finance:P9', role: 'finance', person_id: 'P9', address: '127.0.0.1' };
const FEBRUARY = { client_id: null, from: '2024-02-01', to: '2024-02-29', issue_date: '2024-03-01' };

/** An invoice line as the query below reads it: its invoice's client and the entries it bills, comma-separated. */
type Line = Pick<ExportLine, 'invoice_id' | 'line_no' | 'project_id' | 'kind' | 'hours' | 'rate' | 'amount' | 'milestone_id'> & { client_id: string; entries: string | null };

async function firm() {
    const warehouse = await loadFixture(FIXTURE);
    await setClientSettings(warehouse, { client_id: 'C1', line_grouping: 'phase', rounding_minutes: 15, tax_rate: 0.2, payment_terms_days: 14 }, FINANCE);
    return { warehouse };
}

const linesOf = (fx: { warehouse: Awaited<ReturnType<typeof loadFixture>> }) =>
    fx.warehouse.all<Line>(
        `select i.invoice_id, i.client_id, l.line_no, l.project_id, l.kind, l.hours::double as hours, l.rate::double as rate, l.amount::double as amount, l.milestone_id,
            (select string_agg(entry_id, ',' order by entry_id) from canonical.invoice_line_entries e where e.invoice_id = l.invoice_id and e.line_no = l.line_no) as entries
        from canonical.invoices i join canonical.invoice_lines l using (invoice_id)
        order by i.client_id, l.line_no`,
    );

describe('an invoice run for February, every client', () => {
    const fx = buildOnce(firm);

    it('makes one draft per client with the lines worked out by hand', async () => {
        const result = await runInvoices(fx.warehouse, FEBRUARY, FINANCE);
        expect(result.unpriced).toEqual([]);
        expect(result.invoices.map((i) => [i.client_id, i.lines, i.amount, i.entries])).toEqual([
            ['C1', 2, 445, 3],
            ['C2', 2, 2360, 0],
            ['C3', 2, 8000, 0],
        ]);
        const lines = (await linesOf(fx)).map(({ invoice_id, ...l }) => l);
        expect(lines).toEqual([
            { client_id: 'C1', line_no: 1, project_id: 'T1', kind: 'time', hours: 2.5, rate: 130, amount: 325, milestone_id: null, entries: 'E1,E2' },
            { client_id: 'C1', line_no: 2, project_id: 'T1', kind: 'time', hours: 1, rate: 120, amount: 120, milestone_id: null, entries: 'E3' },
            { client_id: 'C2', line_no: 1, project_id: 'R1', kind: 'retainer_fee', hours: null, rate: null, amount: 2000, milestone_id: null, entries: null },
            { client_id: 'C2', line_no: 2, project_id: 'R1', kind: 'overage', hours: 2, rate: 180, amount: 360, milestone_id: null, entries: null },
            { client_id: 'C3', line_no: 1, project_id: 'F1', kind: 'fixed_fee', hours: null, rate: null, amount: 3000, milestone_id: null, entries: null },
            { client_id: 'C3', line_no: 2, project_id: 'M1', kind: 'milestone', hours: null, rate: null, amount: 5000, milestone_id: 'MS1', entries: null },
        ]);
    });

    it('drafts carry the client currency, tax rate, fx rate and terms', async () => {
        const rows = await fx.warehouse.all(
            `select i.client_id, i.status, i.currency, i.issue_date, i.due_date, d.tax_rate::double as tax_rate, d.fx_rate::double as fx_rate
            from canonical.invoices i join invoicing.invoice_details d using (invoice_id) order by client_id`,
        );
        expect(rows).toEqual([
            { client_id: 'C1', status: 'draft', currency: 'EUR', issue_date: '2024-03-01', due_date: '2024-03-15', tax_rate: 0.2, fx_rate: 1 },
            { client_id: 'C2', status: 'draft', currency: 'USD', issue_date: '2024-03-01', due_date: '2024-03-31', tax_rate: 0, fx_rate: 0.9 },
            { client_id: 'C3', status: 'draft', currency: 'EUR', issue_date: '2024-03-01', due_date: '2024-03-31', tax_rate: 0, fx_rate: 1 },
        ]);
    });

    it('rounds the billed time, never the logged time', async () => {
        const billed = await fx.warehouse.one<{ billed_seconds: number }>(`select billed_seconds from invoicing.billed_entries where entry_id = 'E2'`);
        const logged = await fx.warehouse.one<{ duration_seconds: number }>(`select duration_seconds from canonical.time_entries where entry_id = 'E2'`);
        expect([billed?.billed_seconds, logged?.duration_seconds]).toEqual([1800, 1000]);
    });

    it('bills nothing twice: a second run of the same period makes no invoice', async () => {
        const again = await runInvoices(fx.warehouse, FEBRUARY, FINANCE);
        expect(again.invoices).toEqual([]);
        expect((await linesOf(fx)).length).toBe(6);
    });

    it('a later run bills January what is left of it and the retainer month, not February again', async () => {
        const january = await runInvoices(fx.warehouse, { ...FEBRUARY, from: '2024-01-01', to: '2024-01-31' }, FINANCE);
        // C1: E6 test 1 h at the role card 100.00 (before the project_role card's 2024-01-15) → 100.00.
        // C2: the January retainer fee 2,000.00, no overage (6 h of 10). C3: the fixed fee is billed to 30 %
        // already (its January share is below what February billed), nothing else.
        expect(january.invoices.map((i) => [i.client_id, i.amount])).toEqual([
            ['C1', 100],
            ['C2', 2000],
        ]);
    });
});

describe('concurrent runs', () => {
    const fx = buildOnce(firm);

    it('never put an entry on two invoices, and the database refuses a second claim', async () => {
        const runs = await Promise.allSettled([runInvoices(fx.warehouse, FEBRUARY, FINANCE), runInvoices(fx.warehouse, FEBRUARY, FINANCE), runInvoices(fx.warehouse, { ...FEBRUARY, client_id: 'C1' }, FINANCE)]);
        const made = runs.flatMap((r) => (r.status === 'fulfilled' ? r.value.invoices : []));
        expect(made.map((i) => i.client_id).sort()).toEqual(['C1', 'C2', 'C3']);
        const twice = await fx.warehouse.all(`select entry_id from canonical.invoice_line_entries group by entry_id having count(*) > 1`);
        expect(twice).toEqual([]);
        const claimed = await fx.warehouse.one<{ invoice_id: string }>(`select invoice_id from invoicing.billed_entries where entry_id = 'E1'`);
        await expect(fx.warehouse.run(`insert into invoicing.billed_entries values ('E1', 'another', 1, 3600)`)).rejects.toThrow(/constraint/i);
        expect(claimed?.invoice_id).toBe(made.find((i) => i.client_id === 'C1')?.invoice_id);
    });
});
