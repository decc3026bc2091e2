import { describe, expect, it } from 'vitest';
import { formatChange, formatDate, formatHours, formatMoney, formatMoneyCompact, formatMoneyCompactParts, formatMonth, formatNumber, formatPercent, formatRate, formatRatio, humanize } from '../../web/lib/format.ts';

const NBSP = '\u00a0';

describe('formatting for the locale', () => {
    it('shows money to the cent with the currency, grouped the locale’s way', () => {
        expect(formatMoney(1234567.891, 'EUR', 'en-US')).toBe('€1,234,567.89');
        expect(formatMoney(1234.5, 'EUR', 'de-DE')).toBe(`1.234,50${NBSP}€`);
        expect(formatMoney(-15677.944, 'USD', 'en-US')).toBe('-$15,677.94');
        expect(formatMoney(0, 'GBP', 'en-GB')).toBe('£0.00');
        expect(formatMoney(null, 'EUR', 'en-US')).toBe('–');
        expect(formatMoney(Number.NaN, 'EUR', 'en-US')).toBe('–');
    });

    it('shows money compactly on tiles and axes', () => {
        // Three significant digits from a thousand up.
        expect(formatMoneyCompact(16157440.67, 'EUR', 'en-US')).toBe('€16.2M');
        expect(formatMoneyCompact(2280736.53, 'EUR', 'en-US')).toBe('€2.28M');
        expect(formatMoneyCompact(826395.24, 'EUR', 'en-US')).toBe('€826K');
        expect(formatMoneyCompact(-3788.25, 'EUR', 'en-US')).toBe('-€3.79K');
        expect(formatMoneyCompact(980, 'EUR', 'en-US')).toBe('€980');
        expect(formatMoneyCompact(1500000, 'EUR', 'de-DE')).toBe(`1,5${NBSP}Mio.${NBSP}€`);
    });

    it('shows a total and its parts compactly, the parts adding up to the total as shown', () => {
        // Each on its own: €1.64M + €643K = €2.283M, shown as €2.28M. To the total's last digit (€10K), by the
        // largest remainder: 163.6 + 64.3 → 164 + 64 = 228 (× €10K).
        expect(formatMoneyCompact(1_636_000, 'EUR', 'en-US')).toBe('€1.64M');
        expect(formatMoneyCompact(643_000, 'EUR', 'en-US')).toBe('€643K');
        expect(formatMoneyCompactParts(2_279_000, [1_636_000, 643_000], 'EUR', 'en-US')).toEqual({ total: '€2.28M', parts: ['€1.64M', '€640K'] });
        // A gain among the parts: 257.9 − 30 → 258 − 30 = 228 (× €10K).
        expect(formatMoneyCompactParts(2_279_000, [2_579_000, -300_000], 'EUR', 'en-US')).toEqual({ total: '€2.28M', parts: ['€2.58M', '-€300K'] });
        // A total below a thousand, to the euro: 600.3 + 399.3 → 601 + 399 = €1K (the tie goes to the larger part).
        expect(formatMoneyCompactParts(999.6, [600.3, 399.3], 'EUR', 'en-US')).toEqual({ total: '€1K', parts: ['€601', '€399'] });
        // Parts already at the total's last digit are shown as they are.
        expect(formatMoneyCompactParts(2_280_000, [1_900_000, 680_000, -300_000], 'EUR', 'en-US')).toEqual({ total: '€2.28M', parts: ['€1.9M', '€680K', '-€300K'] });
        expect(formatMoneyCompactParts(Number.NaN, [1], 'EUR', 'en-US')).toEqual({ total: '–', parts: ['€1'] });
    });

    it('shows hours with two decimals and a unit', () => {
        expect(formatHours(1234.5, 'en-US')).toBe('1,234.50 h');
        expect(formatHours(0.125, 'en-US')).toBe('0.13 h');
        expect(formatHours(3488, 'en-US', 0)).toBe('3,488 h');
        expect(formatHours(1234.5, 'fr-FR')).toBe(`1${'\u202f'}234,50 h`);
        expect(formatHours(undefined, 'en-US')).toBe('–');
    });

    it('shows ratios as percentages, rates per hour, multiples and plain numbers', () => {
        expect(formatPercent(0.87349, 'en-US')).toBe('87.3%');
        expect(formatPercent(1.625837872706422, 'en-US')).toBe('162.6%');
        expect(formatPercent(0.5, 'en-US', 0)).toBe('50%');
        expect(formatPercent(0.873, 'de-DE')).toBe(`87,3${NBSP}%`);
        expect(formatRate(103.854, 'EUR', 'en-US')).toBe('€103.85/h');
        expect(formatRatio(1.2345, 'en-US')).toBe('1.23×');
        expect(formatNumber(59939, 'en-US')).toBe('59,939');
    });

    it('labels months and days in UTC, so no time zone moves them', () => {
        expect(formatMonth('2026-03-01', 'en-US')).toBe('Mar 2026');
        expect(formatMonth('2026-03', 'en-GB')).toBe('Mar 2026');
        expect(formatDate('2026-03-09', 'en-US')).toBe('Mar 9, 2026');
        expect(formatDate('2026-03-09', 'de-DE')).toBe('9. März 2026');
        expect(formatMonth(null, 'en-US')).toBe('–');
    });

    it('states a KPI’s change in points for ratios and in per cent for amounts', () => {
        expect(formatChange(0.818, 0.883, 'points', 'en-US')).toEqual({ text: '−6.5 pp', direction: 'down' });
        expect(formatChange(0.659, 0.608, 'points', 'en-US')).toEqual({ text: '+5.1 pp', direction: 'up' });
        expect(formatChange(0.42551, 0.42549, 'points', 'en-US')).toEqual({ text: '±0.0 pp', direction: 'flat' });
        expect(formatChange(103.85, 100.11, 'relative', 'en-US')).toEqual({ text: '+3.7%', direction: 'up' });
        expect(formatChange(90, 100, 'relative', 'de-DE')).toEqual({ text: '−10,0%', direction: 'down' });
        expect(formatChange(5, 0, 'relative', 'en-US')).toEqual({ text: '–', direction: 'none' });
        expect(formatChange(null, 0.5, 'points', 'en-US')).toEqual({ text: '–', direction: 'none' });
    });

    it('turns identifiers into words, keeping acronyms', () => {
        const ids = ['data_engineer', 'qa_engineer', 'devops_engineer', 'pm', 'time_and_materials'];
        expect(Object.fromEntries(ids.map((id) => [id, humanize(id)]))).toEqual({ data_engineer: 'Data engineer', qa_engineer: 'QA engineer', devops_engineer: 'DevOps engineer', pm: 'PM', time_and_materials: 'Time and materials' });
        expect(humanize(null)).toBe('–');
    });
});
