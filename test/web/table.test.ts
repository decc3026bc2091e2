import { describe, expect, it } from 'vitest';
import { cellText, csvHeader, csvValue, fixed, isLoss, sortRows, toCsv, type TableData } from '../../web/lib/table.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

const table: TableData = {
    columns: [
        { key: 'client', label: 'Client', kind: 'text' },
        { key: 'month', label: 'Month', kind: 'month' },
        { key: 'revenue', label: 'Revenue', kind: 'money' },
        { key: 'hours', label: 'Hours', kind: 'hours' },
        { key: 'margin_pct', label: 'Margin %', kind: 'percent' },
        { key: 'ratio', label: 'Actual ÷ plan', kind: 'ratio' },
        { key: 'model', label: 'Billing', kind: 'label' },
    ],
    rows: [
        { client: 'Delta Foods, Inc.', month: '2026-03-01', revenue: 1234.565, hours: 10.125, margin_pct: 0.4275, ratio: 1.2349, model: 'fixed_fee' },
        { client: 'He said "hi"', month: '2026-04-01', revenue: -50, hours: null, margin_pct: null, ratio: null, model: 'retainer' },
    ],
};

describe('tables, as shown and as CSV', () => {
    it('formats each cell by its column kind', () => {
        const row = table.rows[0]!;
        expect(table.columns.map((c) => cellText(c, row, ctx))).toEqual(['Delta Foods, Inc.', 'Mar 2026', '€1,234.57', '10.13 h', '42.8%', '1.23×', 'Fixed fee']);
        expect(table.columns.map((c) => cellText(c, table.rows[1]!, ctx))).toEqual(['He said "hi"', 'Apr 2026', '-€50.00', '–', '–', '–', 'Retainer']);
    });

    it('shows a negative figure as a loss unless its column says below zero is not bad news', () => {
        const variance = { key: 'v', label: 'Actual − plan', kind: 'hours' as const };
        expect(isLoss(variance, { v: -3 })).toBe(true);
        expect(isLoss({ ...variance, plainSign: true }, { v: -3 })).toBe(false);
        expect(isLoss(variance, { v: 3 })).toBe(false);
        expect(isLoss({ key: 'v', label: 'Note', kind: 'text' }, { v: -3 })).toBe(false);
    });

    it('writes the same rows and columns as CSV: units in the header, the shown precision, quoting per RFC 4180', () => {
        expect(toCsv(table, ctx)).toBe(
            'Client,Month,Revenue (EUR),Hours (h),Margin % (%),Actual ÷ plan (×),Billing\r\n' +
                '"Delta Foods, Inc.",2026-03,1234.57,10.13,42.8,1.23,Fixed fee\r\n' +
                '"He said ""hi""",2026-04,-50.00,,,,Retainer\r\n',
        );
        expect(csvHeader({ key: 'r', label: 'Rate', kind: 'rate' }, ctx)).toBe('Rate (EUR/h)');
        expect(csvValue({ key: 'x', label: 'X', kind: 'percent', digits: 0 }, { x: 0.655 })).toBe('66');
    });

    it('writes text a spreadsheet would run as a formula as text, and numbers as numbers, negative ones included', () => {
        const columns: TableData['columns'] = [
            { key: 'note', label: 'Note', kind: 'text' },
            { key: 'model', label: 'Billing', kind: 'label' },
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'amount', label: 'Amount', kind: 'money' },
            { key: 'share', label: 'Share', kind: 'percent' },
            { key: 'line', label: 'Line', kind: 'text' },
        ];
        const csv = (row: Record<string, string | number | null>) => toCsv({ columns, rows: [row] }, ctx).split('\r\n')[1];
        expect(csv({ note: '=HYPERLINK("http://x")', model: '@SUM(A1)', month: '+1', amount: -50, share: -0.125, line: -3 })).toBe(
            `"'=HYPERLINK(""http://x"")","'@SUM(A1)","'+1",-50.00,-12.5,-3`,
        );
        // Every character that starts a formula; a text cell starting with - is text too (-2+3 is a formula).
        for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csv({ note: `${start}2+3` }), JSON.stringify(start)).toMatch(new RegExp(`^"'\\${start === '\t' ? 't' : start === '\r' ? 'r' : start}2\\+3",`));
        expect(csv({ note: '-5' })).toMatch(/^"'-5",/);
        // A separator of other locales is quoted, so "a;=1+1" stays one cell wherever it is opened.
        expect(csv({ note: 'a;=1+1' })).toMatch(/^"a;=1\+1",/);
        // Harmless text is left as it was.
        expect(csv({ note: 'Delta Foods', amount: 0 })).toBe('Delta Foods,,,0.00,,');
        // A header is text like any other.
        expect(toCsv({ columns: [{ key: 'x', label: '=cmd', kind: 'text' }], rows: [] }, ctx)).toBe(`"'=cmd"\r\n`);
    });

    it('rounds half away from zero, as the locale formatting does', () => {
        expect(fixed(1.005, 2)).toBe('1.01');
        expect(fixed(-2.5, 0)).toBe('-3');
        expect(fixed(-0.001, 2)).toBe('0.00');
        expect(fixed(42.75, 1)).toBe('42.8');
    });

    it('sorts numbers numerically and text by locale, empty values last in both orders', () => {
        const rows = [{ v: 10, t: 'b' }, { v: null, t: null }, { v: 9, t: 'A' }, { v: 100, t: 'c' }];
        expect(sortRows(rows, 'v', 'asc').map((r) => r.v)).toEqual([9, 10, 100, null]);
        expect(sortRows(rows, 'v', 'desc').map((r) => r.v)).toEqual([100, 10, 9, null]);
        expect(sortRows(rows, 't', 'asc').map((r) => r.t)).toEqual(['A', 'b', 'c', null]);
        expect(sortRows(rows, 't', 'desc').map((r) => r.t)).toEqual(['c', 'b', 'A', null]);
    });
});
