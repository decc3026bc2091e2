import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFiles, REJECTS_KEPT_PER_REASON } from '../../ingest/canonical.ts';
import { ENTITIES } from '../../ingest/entities.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { TINY, tinyWith } from '../helpers/fixtures.ts';
import { writeBadEntries } from './many-bad-rows.ts';

let warehouse: Warehouse;
/** Folders written by a test (some hold tens of MB): removed after it. */
const written: string[] = [];
const scratch = (changes: Record<string, string | null>) => {
    const dir = tinyWith(changes);
    written.push(dir);
    return dir;
};
beforeEach(async () => {
    warehouse = await Warehouse.open(':memory:');
});
afterEach(() => {
    warehouse.close();
    for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const load = async (dir: string, keep?: number) => ingestFiles(warehouse, resolveInputs([dir]).files, { rejectsKeptPerReason: keep });
const count = async (table: string) => (await warehouse.one<{ n: number }>(`select count(*)::integer as n from ${table}`))!.n;
const noLinks = { 'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n' };
const HEAD = 'entry_id,person_id,project_id,activity,work_date,duration_seconds,billable,logged_at,status\n';
const row = (id: string, date = '2024-01-02', status = 'draft') => `${id},P1,PRJ1,development,${date},3600,true,2024-01-02T18:00:00Z,${status}\n`;

describe('a report counts every problem and lists the first of each file and reason', () => {
    it('lists at most N per reason, counts all, and stores both', async () => {
        // 5 bad dates (lines 2–6), 3 bad statuses (lines 7–9), the key E1 three times more (lines 10–12).
        const text = HEAD + [1, 2, 3, 4, 5].map((i) => row(`D${i}`, `2024-01-0${i}x`)).join('') + [1, 2, 3].map((i) => row(`S${i}`, undefined, 'done')).join('') + row('E1').repeat(4);
        const dir = scratch({ 'time_entries.csv': text, ...noLinks });
        const report = await load(dir, 2);
        const file = path.join(dir, 'time_entries.csv');
        expect(report.rejects_kept_per_reason).toBe(2);
        expect(report.rejects).toEqual([
            { file, line: 2, column: 'work_date', value: '2024-01-01x', reason: 'not a date (YYYY-MM-DD)' },
            { file, line: 3, column: 'work_date', value: '2024-01-02x', reason: 'not a date (YYYY-MM-DD)' },
            { file, line: 7, column: 'status', value: 'done', reason: 'must be one of: draft, submitted, approved, rejected' },
            { file, line: 8, column: 'status', value: 'done', reason: 'must be one of: draft, submitted, approved, rejected' },
            { file, line: 11, column: 'entry_id', value: 'E1', reason: 'duplicate key: line 10 has the same key' },
            { file, line: 12, column: 'entry_id', value: 'E1', reason: 'duplicate key: line 10 has the same key' },
        ]);
        expect(report.reject_counts).toEqual([
            { file, reason: 'not a date (YYYY-MM-DD)', count: 5 },
            { file, reason: 'must be one of: draft, submitted, approved, rejected', count: 3 },
            { file, reason: 'duplicate key', count: 3 },
        ]);
        expect(report.rejects_total).toBe(11);
        expect(report.files.find((f) => f.entity === 'time_entries')).toMatchObject({ rows: 12, rejected: 11 });
        // The rejected batch keeps what the report listed, and the counts of everything.
        expect(await count('ingest.rejects')).toBe(6);
        expect(await warehouse.all(`select reason, rejects from ingest.reject_counts order by rejects desc, reason`)).toEqual([
            { reason: 'duplicate key', rejects: 3 },
            { reason: 'not a date (YYYY-MM-DD)', rejects: 5 },
            { reason: 'must be one of: draft, submitted, approved, rejected', rejects: 3 },
        ].sort((a, b) => b.rejects - a.rejects || a.reason.localeCompare(b.reason)));
    });

    it(`200,000 bad rows: no crash, exact counts, ${REJECTS_KEPT_PER_REASON} listed per reason`, async () => {
        const dir = scratch(noLinks);
        writeBadEntries(path.join(dir, 'time_entries.csv'), 200_000, 'dates');
        const report = await load(dir);
        expect(report.status).toBe('rejected');
        // Every row's date is bad; two rows in three have a bad status too (all but rows 0, 3, 6, …).
        expect(report.reject_counts.map((c) => [c.reason, c.count])).toEqual([
            ['not a date (YYYY-MM-DD)', 200_000],
            ['must be one of: draft, submitted, approved, rejected', 133_333],
        ]);
        expect(report.rejects_total).toBe(333_333);
        expect(report.files.find((f) => f.entity === 'time_entries')).toMatchObject({ rows: 200_000, rejected: 200_000 });
        expect(report.rejects.length).toBe(2 * REJECTS_KEPT_PER_REASON);
        // The first of each reason, by line: dates on lines 2…1001, statuses on lines 3, 4, 6, 7, 9, …
        const lines = (column: string) => report.rejects.filter((r) => r.column === column).map((r) => r.line);
        expect(lines('work_date')).toEqual(Array.from({ length: REJECTS_KEPT_PER_REASON }, (_, i) => i + 2));
        expect(lines('status')).toEqual(Array.from({ length: REJECTS_KEPT_PER_REASON }, (_, i) => 3 + i + Math.floor(i / 2)));
        expect(await count('ingest.rejects')).toBe(2 * REJECTS_KEPT_PER_REASON);
        expect((await warehouse.one<{ n: number }>(`select sum(rejects)::integer as n from ingest.reject_counts`))!.n).toBe(333_333);
    });
});

describe('files that are not CSV text are refused quickly, with why', () => {
    /** Loads the tiny firm with time_entries.csv replaced by these bytes; the warehouse must still answer after. */
    async function refused(bytes: Buffer | string) {
        const dir = scratch(noLinks);
        fs.writeFileSync(path.join(dir, 'time_entries.csv'), bytes);
        const started = Date.now();
        const report = await load(dir);
        expect(report.status).toBe('rejected');
        expect(await warehouse.one(`select 42 as alive`)).toEqual({ alive: 42 });
        for (const e of ENTITIES) expect(await count(`canonical.${e.name}`), e.name).toBe(0);
        return { report, ms: Date.now() - started, file: path.join(dir, 'time_entries.csv') };
    }

    it('binary content and UTF-16 are one problem of the file', async () => {
        const binary = await refused(Buffer.concat([Buffer.from(HEAD + row('A')), Buffer.from([0x00, 0x9f, 0x92, 0x0a])]));
        expect(binary.report.rejects).toEqual([{ file: binary.file, line: null, column: null, value: null, reason: 'binary content (a NUL byte on line 3), not CSV text' }]);
        // No row of it was read: the file is the problem, and rejects_total says there is one.
        expect(binary.report.files.find((f) => f.entity === 'time_entries')).toMatchObject({ status: 'rejected', rows: 0, rejected: 0 });
        expect(binary.report.rejects_total).toBe(1);
        const utf16 = await refused(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, 'utf16le')]));
        expect(utf16.report.rejects).toEqual([{ file: utf16.file, line: null, column: null, value: null, reason: 'UTF-16 text: save the file as UTF-8' }]);
        const empty = await refused('');
        expect(empty.report.rejects.map((r) => r.reason)).toEqual(['empty file: a CSV file starts with its header line']);
    });

    it('a record that is not UTF-8 is named with its line (DuckDB is never handed it)', async () => {
        const latin1 = Buffer.concat([Buffer.from(HEAD + row('A')), Buffer.from('B,P1,PRJ1,development,2024-01-02,3600,true,2024-01-02T18:00:00Z,draft caf'), Buffer.from([0xe9, 0x0a]), Buffer.from(row('C', '2024-01-02x'))]);
        const { report, file } = await refused(latin1);
        expect(report.rejects).toEqual([
            { file, line: 3, column: null, value: expect.stringContaining('draft caf'), reason: 'unreadable CSV record: not UTF-8 text (save the file as UTF-8)' },
            { file, line: 4, column: 'work_date', value: '2024-01-02x', reason: 'not a date (YYYY-MM-DD)' },
        ]);
    });

    it('a record longer than DuckDB reads is named and quoted from its start', async () => {
        const { report, file } = await refused(HEAD + row('A') + 'x'.repeat(3_000_000) + '\n' + row('C'));
        expect(report.rejects).toEqual([{ file, line: 3, column: null, value: `${'x'.repeat(500)}…`, reason: 'unreadable CSV record: longer than 2000000 bytes' }]);
    });

    it('50 MB of text lines under a good header: every line counted, in seconds', async () => {
        const words = ['lorem ipsum', 'dolor sit amet', 'consectetur', 'adipiscing elit'];
        let body = '';
        for (let i = 0; body.length < 2_000_000; i++) body += `${words[i % 4]} ${i}\n`;
        const lines = body.split('\n').length - 1;
        const { report, ms, file } = await refused(HEAD + body.repeat(25));
        expect(report.reject_counts).toEqual([{ file, reason: 'unreadable CSV record: wrong number of fields', count: lines * 25 }]);
        expect(report.rejects.length).toBe(REJECTS_KEPT_PER_REASON);
        expect(report.rejects[0]).toEqual({ file, line: 2, column: null, value: 'lorem ipsum 0', reason: 'unreadable CSV record: 1 field where the header has 9' });
        // Generous on a shared machine; DuckDB's own handling of these lines took minutes and gigabytes.
        expect(ms).toBeLessThan(30_000);
    });

    it('a file that is not Parquet is one problem, named by the name it was given', async () => {
        const dir = scratch(noLinks);
        const file = path.join(dir, 'time_entries.parquet');
        fs.rmSync(path.join(dir, 'time_entries.csv'));
        fs.writeFileSync(file, 'entry_id,person_id\nE1,P1\n');
        const report = await ingestFiles(warehouse, resolveInputs([dir]).files, { names: { [file]: 'upload.parquet' } });
        expect(report.rejects).toEqual([
            { file: 'upload.parquet', line: null, column: null, value: null, reason: "not a readable Parquet file: No magic bytes found at end of file 'upload.parquet'" },
        ]);
        // And the warehouse still loads good files afterwards.
        expect((await load(TINY)).ok).toBe(true);
    });
});
