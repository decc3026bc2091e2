/**
 * Every CSV the dashboard offers goes through one function (web/lib/csv.ts) by way of toCsv: the drill
 * panel's rows and every card's table (the pages' tables whose text comes from outside: rejected values and
 * file names of uploads, quote phases, entry notes). A cell a spreadsheet would run as a formula comes out as
 * text; numbers, negative ones included, come out as numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dimensions, Drill } from '../../web/lib/api/types.ts';
import { csvField } from '../../web/lib/csv.ts';
import { drillCsv, drillTable } from '../../web/lib/drill.ts';
import { batchTable, rejectTable } from '../../web/lib/features/data/data.ts';
import { closeoutLinesTable, closeoutTable } from '../../web/lib/features/quotes/closeout.ts';
import { phaseTable } from '../../web/lib/features/quotes/summary.ts';
import { toCsv } from '../../web/lib/table.ts';
import { csvRecords } from '../helpers/csv.ts';

const ctx = { currency: 'EUR' };
const ATTACK = '=HYPERLINK("http://x")';
const ESCAPED = `"'=HYPERLINK(""http://x"")"`;


describe('a CSV field', () => {
    it('writes a cell that would start a formula as quoted text with a single quote before it', () => {
        expect(csvField(ATTACK)).toBe(ESCAPED);
        for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`), JSON.stringify(start)).toBe(`"'${start}1+1"`);
        expect(csvField('-5')).toBe(`"'-5"`);
    });

    it('writes a number of a numeric column as it is, negative or not, and anything else in it as text', () => {
        expect(csvField('-50.00', true)).toBe('-50.00');
        expect(csvField('-1e-7', true)).toBe('-1e-7');
        expect(csvField('12', true)).toBe('12');
        expect(csvField('-2+3', true)).toBe(`"'-2+3"`);
        expect(csvField(ATTACK, true)).toBe(ESCAPED);
    });

    it('quotes per RFC 4180, and on a semicolon (the separator of many locales)', () => {
        const texts = ['plain text', '', 'a,b', 'a;=b', 'say "hi"', 'two\nlines'];
        expect(Object.fromEntries(texts.map((text) => [text, csvField(text)]))).toEqual({ 'plain text': 'plain text', '': '', 'a,b': '"a,b"', 'a;=b': '"a;=b"', 'say "hi"': '"say ""hi"""', 'two\nlines': '"two\nlines"' });
    });
});

describe('the CSVs the dashboard offers', () => {
    const dims: Pick<Dimensions, 'projects' | 'clients' | 'people'> = {
        projects: [{ project_id: 'P1', project_name: '@Portal', client_id: 'C1', client_name: 'Acme' } as Dimensions['projects'][number]],
        clients: [{ client_id: 'C1', client_name: '+Acme', currency: 'EUR', projects: 1, active_projects: 1 }],
        people: [{ person_id: 'E1', name: '-Eve', role: 'developer', department: 'Engineering', is_active: true, weekly_hours: 40 }],
    };

    it('drill panel rows (this page and all rows): notes and names as text, amounts as numbers', () => {
        const drill: Drill = {
            metric: 'funnel',
            part: 'unbilled_other',
            description: '',
            amount_column: 'amount',
            money_columns: ['amount'],
            currency: 'EUR',
            total_rows: 2,
            total_amount: -7.5,
            page: 1,
            page_size: 100,
            groupings: ['project', 'person', 'client', 'month'],
            group_by: null,
            columns: ['entry_id', 'person_id', 'project_id', 'client_id', 'work_date', 'hours', 'amount', 'notes'],
            rows: [
                { entry_id: 'A1', person_id: 'E1', project_id: 'P1', client_id: 'C1', work_date: '2024-03-04', hours: 1.5, amount: -12.5, notes: ATTACK },
                { entry_id: 'A2', person_id: 'E1', project_id: 'P1', client_id: 'C1', work_date: '2024-03-05', hours: 2, amount: 5, notes: 'fine' },
            ],
        };
        const csv = toCsv(drillTable(drill, dims, 'money'), ctx);
        const [header, first] = csv.split('\r\n');
        expect(header).toBe('Amount (EUR),Hours (h),Entry ID,Person ID,Person,Project ID,Project,Client ID,Client,Work date,Notes');
        expect(first).toBe(`-12.50,1.50,A1,E1,"'-Eve",P1,"'@Portal",C1,"'+Acme",2024-03-04,${ESCAPED}`);
        // Read back by an RFC 4180 reader: one cell each, the text kept whole after its quote.
        expect(csvRecords(csv)[1]).toEqual(['-12.50', '1.50', 'A1', 'E1', "'-Eve", 'P1', "'@Portal", 'C1', "'+Acme", '2024-03-04', `'${ATTACK}`]);

        // The file says what it is, in its name and first lines (scope by name, period, as-of); names escaped as cells are.
        const [name, text] = drillCsv('Unbilled other', { from: '2024-03-01', to: '2024-03-31', client_id: 'C1', project_type: 'web_app', as_of: '2024-04-30' }, { ...dims, as_of: '2024-05-31' }, csv);
        expect(name).toBe('unbilled-other-rows-2024-03-01-to-2024-03-31-as-of-2024-04-30-acme.csv');
        expect(csvRecords(text).slice(0, 5)).toEqual([['Rows behind: Unbilled other'], ["Scope: client +Acme, project type Web app"], ['Period: 2024-03-01 to 2024-03-31'], ['As of: 2024-04-30'], ['']]);
        expect(text.endsWith(csv)).toBe(true);
        expect(drillCsv('Untracked', {}, { ...dims, as_of: '2024-05-31' }, csv)[1].split('\r\n').slice(0, 4)).toEqual(['Rows behind: Untracked', 'Scope: the whole firm', 'Period: all periods', 'As of: 2024-05-31']);
    });

    it('the data page: rejected values and file names of an upload', () => {
        const rejects = toCsv(rejectTable([{ file: '/tmp/up/time_entries.csv', line: 7, column: 'notes', value: ATTACK, reason: 'not a number' }]), ctx);
        expect(rejects.split('\r\n')[1]).toBe(`time_entries.csv,7,notes,${ESCAPED},not a number`);
        const batches = toCsv(
            batchTable([
                {
                    batch_id: 3,
                    entity: 'people',
                    file_name: '/tmp/x/@SUM(1+1)*cmd|calc.csv',
                    content_hash: 'h',
                    status: 'rejected',
                    rows_in_file: 5,
                    rows_inserted: 0,
                    rows_replaced: 0,
                    rows_unchanged: 0,
                    rows_rejected: 2,
                    started_at: '2026-11-26 04:19:23',
                    finished_at: '2026-11-26 04:19:23',
                    created_by: 'local',
                },
            ]),
            ctx,
        );
        expect(batches.split('\r\n')[1]).toBe(`3,2026-11-26 04:19:23,people,"'@SUM(1+1)*cmd|calc.csv",Rejected,5,0,0,0,2`);
    });

    it('the quote pages: a quote’s phases, and a closeout’s phases and lines', () => {
        const q = { phase: ATTACK, estimated_hours: 10, p10: 8, p50: 11, p80: 13, p90: 15, mean: 11 };
        expect(toCsv(phaseTable({ hours_by_phase: [q] }), ctx).split('\r\n')[1]).toBe(`${ESCAPED},10,8,11,13,15`);
        const phases = [{ phase: ATTACK, estimated_hours: 10, actual_hours: 12, ratio: 1.2, quote_estimated_hours: null, quote_p50: null, quote_p80: null, quote_p90: null }];
        expect(toCsv(closeoutTable(phases), ctx).split('\r\n')[1]).toBe(`${ESCAPED},10,12,1.20`);
        const lines = [{ phase: ATTACK, role: '-developer', estimated_hours: 10, actual_hours: 12, ratio: 1.2, is_unplanned: false, quote_estimated_hours: null }];
        const body = toCsv(closeoutLinesTable({ lines, phases, quote: null, estimated_hours: 10, actual_hours: 12 }), ctx).split('\r\n');
        expect(body[1]).toBe(`${ESCAPED},"'-developer",10,12,1.20`);
    });

    it('every download in the dashboard is a table written by toCsv', () => {
        // The one way a page saves a file is downloadText(name, toCsv(table, ctx)); a writer of its own would fail here.
        const root = path.resolve(import.meta.dirname, '../../web');
        const files = (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.(ts|svelte)$/.test(f)).map((f) => path.join(root, f));
        const downloads: string[] = [];
        for (const file of files) {
            const text = fs.readFileSync(file, 'utf8');
            for (const m of text.matchAll(/downloadText\(([^;\n]*)/g)) if (!file.endsWith('download.ts')) downloads.push(`${path.relative(root, file)}: ${m[1]}`);
            if (!file.endsWith('download.ts')) expect(text, file).not.toMatch(/text\/csv|new Blob\(/);
        }
        expect(downloads.length).toBeGreaterThanOrEqual(3);
        // Or a CSV written with csvField field by field: the audit log's export, written by the server
        // (test/server/audit-log.test.ts checks its escaping), and an import's rejected rows, a time or a billing
        // import's (lib/features/import/import.ts rejectsCsv).
        const serverWritten = ['lib/features/audit/audit.ts'];
        for (const d of downloads) if (!serverWritten.some((f) => d.startsWith(`${f}:`))) expect(d).toMatch(/toCsv\(|rejectsCsv\(/);
    });
});
