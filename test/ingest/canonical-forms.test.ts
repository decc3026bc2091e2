/** The canonical loader's rules whichever form a column arrives in (CSV or Parquet, text or typed), and values that parse only whole. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { ENTITIES } from '../../ingest/entities.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { csvToParquet } from '../../warehouse/convert.ts';
import { canonicalWarehouse, noLinks, te, TE_HEAD } from '../helpers/canonical.ts';
import { TINY, tinyWith } from '../helpers/fixtures.ts';

const db = canonicalWarehouse();
const { load, count, expectRejected } = db;

/** The tiny firm's time entries as Parquet: the given CSV text, every column read as the given type (text by default). */
async function entriesAsParquet(csv: string, types: Record<string, string> = {}): Promise<string> {
    const dir = tinyWith(noLinks);
    const csvFile = path.join(dir, 'entries.tmp');
    fs.writeFileSync(csvFile, csv);
    const header = csv.split('\n')[0]!.split(',');
    await csvToParquet(db.warehouse, csvFile, path.join(dir, 'time_entries.parquet'), Object.fromEntries(header.map((h) => [h, types[h] ?? 'varchar'])));
    fs.rmSync(csvFile);
    fs.rmSync(path.join(dir, 'time_entries.csv'));
    return dir;
}

describe('every rule holds whichever form a column arrives in', () => {
    const HOURS_HEAD = 'entry_id,person_id,project_id,activity,work_date,hours,billable,logged_at,status\n';
    const hoursRow = (id: string, hours: string) => `${id},P1,PRJ1,development,2024-01-02,${hours},true,2024-01-02T18:00:00Z,draft\n`;
    const hoursFile = HOURS_HEAD + hoursRow('H1', '25') + hoursRow('H2', '-1') + hoursRow('H3', '1.5h') + hoursRow('H4', '0.12345') + hoursRow('H5', '24');
    const hoursRejects = (first: number) => [
        { line: first, column: 'hours', value: '25.0000000000', reason: 'more than 24 h in one entry (max 24 h)' },
        { line: first + 1, column: 'hours', value: '-1.0000000000', reason: 'must be ≥ 0' },
        { line: first + 2, column: 'hours', value: '1.5h', reason: 'not a number' },
        { line: first + 3, column: 'hours', value: '0.1234500000', reason: 'more than 4 decimals' },
    ];

    it('hours outside 0…24 are named rows, in a CSV (not a failed insert)', async () => {
        await expectRejected('time_entries.csv', hoursFile, hoursRejects(2), noLinks);
    });

    it('hours outside 0…24 are named rows, in Parquet, as text or as numbers', async () => {
        const asText = await entriesAsParquet(hoursFile);
        let report = await load(asText);
        expect(report.rejects).toEqual(hoursRejects(1).map((r) => ({ file: path.join(asText, 'time_entries.parquet'), ...r })));
        const asNumbers = await entriesAsParquet(HOURS_HEAD + hoursRow('H1', '25') + hoursRow('H2', '-1') + hoursRow('H5', '24'), { hours: 'double' });
        report = await load(asNumbers);
        expect(report.rejects.map((r) => [r.line, r.column, r.reason])).toEqual([
            [1, 'hours', 'more than 24 h in one entry (max 24 h)'],
            [2, 'hours', 'must be ≥ 0'],
        ]);
        for (const e of ENTITIES) expect(await count(`canonical.${e.name}`), e.name).toBe(0);
    });

    it('a number the db.warehouse cannot hold is a named row in every numeric column of every entity', async () => {
        // Row 1 of each file with every numeric cell far too large: each is named, none fails an insert.
        const changes: Record<string, string> = {};
        const expected: string[] = [];
        for (const e of ENTITIES) {
            const [head, first, ...rest] = fs.readFileSync(path.join(TINY, `${e.name}.csv`), 'utf8').split('\n');
            const numeric = e.columns.filter((c) => ['money', 'decimal', 'integer', 'seconds'].includes(c.type)).map((c) => c.name);
            if (numeric.length === 0 || !first) continue;
            const header = head!.split(',');
            const cells = first.split(',');
            for (const name of numeric) cells[header.indexOf(name)] = ['integer', 'seconds'].includes(e.columns.find((c) => c.name === name)!.type) ? '3000000000' : '100000000000000000000';
            changes[`${e.name}.csv`] = [head, cells.join(','), ...rest].join('\n');
            for (const name of numeric) expected.push(`${e.name}.${name}`);
        }
        const dir = tinyWith(changes);
        const report = await load(dir);
        expect(report.ok).toBe(false);
        const named = new Set(report.rejects.filter((r) => r.line === 2).map((r) => `${path.basename(r.file, '.csv')}.${r.column}`));
        expect(expected.filter((c) => !named.has(c))).toEqual([]);
        expect(report.rejects).toContainEqual({
            file: path.join(dir, 'payments.csv'),
            line: 2,
            column: 'amount',
            value: '100000000000000000000.0000000000',
            reason: 'too large: more than 16 digits before the decimal point',
        });
        expect(report.rejects).toContainEqual({ file: path.join(dir, 'invoice_lines.csv'), line: 2, column: 'line_no', value: '3000000000', reason: 'too large: at most 2147483647' });
    });

    it('rules across columns hold when a file leaves one of their columns out', async () => {
        // An end without its start column loads (nothing to compare); a milestone line without the
        // milestone_id column has no milestone, which the rule refuses.
        const dir = tinyWith({
            'people.csv': 'person_id,name,role,end_date\nP1,Ada,developer,2024-12-31\nP2,Grace,project_manager,\n',
            'invoice_lines.csv': 'invoice_id,line_no,project_id,kind,amount\nI1,1,PRJ1,milestone,800.00\n',
            'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n',
        });
        const report = await load(dir);
        expect(report.rejects).toEqual([
            { file: path.join(dir, 'invoice_lines.csv'), line: 2, column: 'milestone_id', value: null, reason: 'required on milestone lines' },
        ]);
        const ok = await load(tinyWith({ 'people.csv': 'person_id,name,role,end_date\nP1,Ada,developer,2024-12-31\nP2,Grace,project_manager,\n' }));
        expect(ok.ok).toBe(true);
    });
});

describe('dates, timestamps and numbers parse whole or are named', () => {
    const bad = [
        te('A', { work_date: '2025-02-3x' }),
        te('B', { work_date: '2025-02-03x' }),
        te('C', { logged_at: '2024-01-02T18:00:00Zx' }),
        // An optional timestamp: DuckDB's CSV reader makes an unreadable one null rather than failing.
        te('D', { status: 'approved', approved_by: 'P2', approved_at: 'yesterday' }),
        te('E', { started_at: '2024-01-02T09:00:00+01:00 later', ended_at: '2024-01-02T10:00:00+01:00' }),
        te('F', { duration_seconds: '3600.5' }),
        te('G', { duration_seconds: '0x10' }),
        te('H', { duration_seconds: '1_000' }),
        te('I', { billable: 'truex' }),
    ].join('');
    const named = (first: number) => [
        { line: first, column: 'work_date', value: '2025-02-3x', reason: 'not a date (YYYY-MM-DD)' },
        { line: first + 1, column: 'work_date', value: '2025-02-03x', reason: 'not a date (YYYY-MM-DD)' },
        { line: first + 2, column: 'logged_at', value: '2024-01-02T18:00:00Zx', reason: 'not a timestamp (ISO 8601, e.g. 2025-03-04T17:12:09+01:00)' },
        { line: first + 3, column: 'approved_at', value: 'yesterday', reason: 'not a timestamp (ISO 8601, e.g. 2025-03-04T17:12:09+01:00)' },
        { line: first + 4, column: 'started_at', value: '2024-01-02T09:00:00+01:00 later', reason: 'not a timestamp (ISO 8601, e.g. 2025-03-04T17:12:09+01:00)' },
        { line: first + 5, column: 'duration_seconds', value: '3600.5', reason: 'not a whole number of seconds' },
        { line: first + 6, column: 'duration_seconds', value: '0x10', reason: 'not a whole number of seconds' },
        { line: first + 7, column: 'duration_seconds', value: '1_000', reason: 'not a whole number of seconds' },
        { line: first + 8, column: 'billable', value: 'truex', reason: 'not true or false' },
    ];

    it('in a CSV, each on its own (the fast path) and all together (the report)', async () => {
        await expectRejected('time_entries.csv', TE_HEAD + bad, named(2), noLinks);
        // One at a time: the fast path must refuse each, not load it as something else.
        for (const [i, row] of bad.trimEnd().split('\n').entries()) {
            const report = await ingestFiles(db.warehouse, resolveInputs([tinyWith({ 'time_entries.csv': TE_HEAD + row + '\n', ...noLinks })]).files);
            expect(report.rejects.map((r) => r.value), row).toEqual([named(2)[i]!.value]);
        }
    });

    it('in Parquet text columns', async () => {
        const dir = await entriesAsParquet(TE_HEAD + bad);
        const report = await load(dir);
        expect(report.rejects).toEqual(named(1).map((r) => ({ file: path.join(dir, 'time_entries.parquet'), ...r })));
    });

    it('in every other typed column: amounts, numbers, whole numbers', async () => {
        await expectRejected('retainer_terms.csv', 'project_id,effective_from,monthly_fee,included_hours,overage_rate,rollover_months\nPRJ3,2024-01-01,"2,000.00",20h,1_10.00,1.5\n', [
            { line: 2, column: 'included_hours', value: '20h', reason: 'not a number' },
            { line: 2, column: 'monthly_fee', value: '2,000.00', reason: 'not an amount (e.g. 1250.00)' },
            { line: 2, column: 'overage_rate', value: '1_10.00', reason: 'not an amount (e.g. 1250.00)' },
            { line: 2, column: 'rollover_months', value: '1.5', reason: 'not a whole number' },
        ]);
    });

    it('a whole number written with a zero fraction, and surrounding spaces, still load', async () => {
        const dir = tinyWith({ 'time_entries.csv': TE_HEAD + te('A', { duration_seconds: '3600.0' }) + te('B', { duration_seconds: ' 7200 ', work_date: '2024-01-03' }), ...noLinks });
        expect((await load(dir)).ok).toBe(true);
        expect(await db.warehouse.all(`select entry_id, duration_seconds from canonical.time_entries order by 1`)).toEqual([
            { entry_id: 'A', duration_seconds: 3600 },
            { entry_id: 'B', duration_seconds: 7200 },
        ]);
    });
});
