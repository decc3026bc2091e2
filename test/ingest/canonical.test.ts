import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { ENTITIES, type EntityName } from '../../ingest/entities.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { readType } from '../../ingest/rules.ts';
import { csvToParquet } from '../../warehouse/convert.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { canonicalWarehouse, noLinks, te, TE_HEAD } from '../helpers/canonical.ts';
import { snapshot, tempDir, TINY, tinyWith } from '../helpers/fixtures.ts';

const db = canonicalWarehouse();
const { load, count, expectRejected } = db;

const TINY_ROWS: Record<EntityName, number> = {
    settings: 2,
    people: 2,
    person_capacity: 3,
    cost_rates: 2,
    clients: 2,
    projects: 4,
    plan_lines: 3,
    rate_cards: 3,
    retainer_terms: 1,
    milestones: 2,
    time_entries: 3,
    invoices: 1,
    invoice_lines: 1,
    invoice_line_entries: 1,
    credit_notes: 1,
    payments: 1,
    fx_rates: 1,
};

describe('loading every entity', () => {
    it('loads each entity from CSV, typed, with its batch id', async () => {
        const report = await load(TINY);
        expect(report.ok).toBe(true);
        expect(report.status).toBe('loaded');
        for (const e of ENTITIES) expect(await count(`canonical.${e.name}`), e.name).toBe(TINY_ROWS[e.name]);
        const entry = await db.warehouse.one(`select * exclude (batch_id) from canonical.time_entries where entry_id = 'E2'`);
        expect(entry).toEqual({
            entry_id: 'E2',
            person_id: 'P1',
            project_id: 'PRJ2',
            phase: 'build',
            task: null,
            activity: 'development',
            work_date: '2024-01-03',
            duration_seconds: 14400,
            billable: true,
            notes: 'multi\nline note',
            source: 'week_grid',
            logged_at: '2024-01-05T17:00:00.000Z',
            status: 'approved',
            approved_by: 'P2',
            approved_at: '2024-01-08T09:00:00.000Z',
            started_at: null,
            ended_at: null,
        });
        // Every row carries the batch that wrote it, and the batch names its file.
        const batches = await db.warehouse.all<{ entity: string; file_name: string; rows_inserted: number }>(
            `select b.entity, b.file_name, b.rows_inserted from ingest.batches b order by entity`,
        );
        expect(batches.find((b) => b.entity === 'time_entries')).toEqual({
            entity: 'time_entries',
            file_name: path.join(TINY, 'time_entries.csv'),
            rows_inserted: 3,
        });
        expect(await count(`canonical.time_entries t join ingest.batches b using (batch_id) where b.entity = 'time_entries'`)).toBe(3);
        const card = await db.warehouse.one(`select scope, scope_id, role, effective_to, hourly_rate from canonical.rate_cards where scope = 'client'`);
        expect(card).toEqual({ scope: 'client', scope_id: 'C2', role: '', effective_to: null, hourly_rate: 130 });
    });

    it('loads each entity from Parquet with the same result as from CSV', async () => {
        const dir = tempDir();
        for (const e of ENTITIES) {
            const csv = path.join(TINY, `${e.name}.csv`);
            const header = fs.readFileSync(csv, 'utf8').split('\n')[0]!.split(',');
            const columns = Object.fromEntries(header.map((h) => [h, readType(e.columns.find((c) => c.name === h)!.type)]));
            await csvToParquet(db.warehouse, csv, path.join(dir, `${e.name}.parquet`), columns);
        }
        const fromParquet = await load(dir);
        expect(fromParquet.ok).toBe(true);
        const viaParquet = await snapshot(db.warehouse);
        const other = await Warehouse.open(':memory:');
        try {
            await ingestFiles(other, resolveInputs([TINY]).files);
            const viaCsv = await snapshot(other);
            for (const e of ENTITIES) {
                const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as object), batch_id: 0 }));
                expect(strip(viaParquet[e.name]!), e.name).toEqual(strip(viaCsv[e.name]!));
            }
        } finally {
            other.close();
        }
    });

    it('accepts hours instead of duration_seconds and keeps whole seconds', async () => {
        const dir = tinyWith({
            'time_entries.csv':
                'entry_id,person_id,project_id,activity,work_date,hours,billable,logged_at,status\n' +
                'H1,P1,PRJ1,development,2024-01-02,1.5,true,2024-01-02T18:00:00Z,draft\n' +
                'H2,P1,PRJ1,development,2024-01-02,0.3333,true,2024-01-02T18:00:00Z,draft\n',
            'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n',
        });
        expect((await load(dir)).ok).toBe(true);
        expect(await db.warehouse.all(`select entry_id, duration_seconds from canonical.time_entries order by 1`)).toEqual([
            { entry_id: 'H1', duration_seconds: 5400 },
            { entry_id: 'H2', duration_seconds: 1200 },
        ]);
    });
});


describe('validation rules: each bad file is named row by row, and nothing loads', () => {
    it('types: unparseable date, timestamp, number, boolean', async () => {
        await expectRejected(
            'time_entries.csv',
            TE_HEAD +
                te('A', { work_date: '2024-02-30' }) +
                te('B', { logged_at: 'yesterday' }) +
                te('C', { duration_seconds: '1h' }) +
                te('D', { billable: 'maybe' }),
            [
                { line: 2, column: 'work_date', value: '2024-02-30', reason: 'not a date (YYYY-MM-DD)' },
                { line: 3, column: 'logged_at', value: 'yesterday', reason: 'not a timestamp (ISO 8601, e.g. 2025-03-04T17:12:09+01:00)' },
                { line: 4, column: 'duration_seconds', value: '1h', reason: 'not a whole number of seconds' },
                { line: 5, column: 'billable', value: 'maybe', reason: 'not true or false' },
            ],
            noLinks,
        );
    });

    it('required values and required columns', async () => {
        await expectRejected('time_entries.csv', TE_HEAD + te('A', { person_id: '' }) + te('', {}), [
            { line: 2, column: 'person_id', value: null, reason: 'missing value' },
            { line: 3, column: 'entry_id', value: null, reason: 'missing value' },
        ], noLinks);
        await expectRejected('clients.csv', 'client_id,currency\nC1,EUR\n', [
            { line: 1, column: 'name', value: null, reason: 'missing required column' },
        ]);
    });

    it('unknown columns are refused rather than dropped', async () => {
        await expectRejected('clients.csv', 'client_id,name,currency,vat_no\nC1,Acme,EUR,X\n', [
            { line: 1, column: 'vat_no', value: 'vat_no', reason: 'unknown column' },
        ]);
    });

    it('enums', async () => {
        await expectRejected('time_entries.csv', TE_HEAD + te('A', { status: 'Approved' }), [
            { line: 2, column: 'status', value: 'Approved', reason: 'must be one of: draft, submitted, approved, rejected' },
        ], noLinks);
    });

    it('ranges: hours above 24, negative durations and money, dates out of range', async () => {
        await expectRejected(
            'time_entries.csv',
            TE_HEAD + te('A', { duration_seconds: '86401' }) + te('B', { duration_seconds: '-60' }) + te('C', { work_date: '0016-03-01' }),
            [
                { line: 2, column: 'duration_seconds', value: '86401', reason: 'more than 24 h in one entry (max 86400 s)' },
                { line: 3, column: 'duration_seconds', value: '-60', reason: 'must be ≥ 0' },
                { line: 4, column: 'work_date', value: '0016-03-01', reason: 'date outside 1970-01-01…2099-12-31' },
            ],
            noLinks,
        );
        await expectRejected('payments.csv', 'payment_id,invoice_id,paid_date,amount\nPAY1,I1,2024-03-01,-5.00\nPAY2,I1,2024-03-01,1.005\n', [
            { line: 2, column: 'amount', value: '-5.0000000000', reason: 'must be ≥ 0' },
            { line: 3, column: 'amount', value: '1.0050000000', reason: 'more than 2 decimals' },
        ]);
    });

    it('references must exist in the batch or the db.warehouse', async () => {
        await expectRejected('time_entries.csv', TE_HEAD + te('A', { person_id: 'P9' }) + te('B', { project_id: 'NOPE' }), [
            { line: 2, column: 'person_id', value: 'P9', reason: 'unknown person_id: not in people' },
            { line: 3, column: 'project_id', value: 'NOPE', reason: 'unknown project_id: not in projects' },
        ], noLinks);
    });

    it('duplicate keys within a file name the line that had the key first', async () => {
        await expectRejected('clients.csv', 'client_id,name,currency\nC1,Acme,EUR\nC2,Globex,USD\nC1,Acme again,EUR\n', [
            { line: 4, column: 'client_id', value: 'C1', reason: 'duplicate key: line 2 has the same key' },
        ]);
    });

    it('rules across columns', async () => {
        await expectRejected(
            'rate_cards.csv',
            'scope,scope_id,role,effective_from,effective_to,hourly_rate,currency\n' +
                'role,,developer,2024-01-01,,100.00,EUR\n' +
                'role,,project_manager,2024-01-01,,120.00,EUR\n' +
                'client,,,2024-01-01,,130.00,USD\n' +
                'project,PRJ1,,2024-05-01,2024-04-01,140.00,eur\n',
            [
                { line: 4, column: 'scope_id', value: '', reason: 'required for client, project, person and project_role cards' },
                { line: 5, column: 'currency', value: 'eur', reason: 'not a 3-letter ISO currency code (e.g. EUR)' },
                { line: 5, column: 'effective_to', value: '2024-04-01', reason: 'date before effective_from' },
            ],
        );
    });

    it('reports lines of the file, not records, when a quoted field spans lines', async () => {
        await expectRejected(
            'time_entries.csv',
            TE_HEAD + te('A', { notes: '"first\nsecond\nthird"' }) + te('B', { status: 'done' }),
            [{ line: 5, column: 'status', value: 'done', reason: 'must be one of: draft, submitted, approved, rejected' }],
            noLinks,
        );
    });

    it('a record with the wrong number of fields is reported with its line', async () => {
        await expectRejected('payments.csv', 'payment_id,invoice_id,paid_date,amount\nPAY1,I1,2024-03-01,5.00\nPAY2,I1\nPAY3,I1,2024-03-01,5.00,extra\n', [
            { line: 3, column: null, value: 'PAY2,I1', reason: 'unreadable CSV record: 2 fields where the header has 4' },
            { line: 4, column: null, value: 'PAY3,I1,2024-03-01,5.00,extra', reason: 'unreadable CSV record: 5 fields where the header has 4' },
        ]);
    });

    it('lines stay right around unreadable records and multi-line fields', async () => {
        await expectRejected(
            'time_entries.csv',
            TE_HEAD + te('A', { notes: '"first\nsecond"' }) + 'B,P1\n' + te('C', { status: 'done' }) + te('A'),
            [
                { line: 4, column: null, value: 'B,P1', reason: 'unreadable CSV record: 2 fields where the header has 17' },
                { line: 5, column: 'status', value: 'done', reason: 'must be one of: draft, submitted, approved, rejected' },
                { line: 6, column: 'entry_id', value: 'A', reason: 'duplicate key: line 2 has the same key' },
            ],
            noLinks,
        );
    });

    it('a bad file in a folder keeps every other file out too (one transaction)', async () => {
        const dir = tinyWith({ 'payments.csv': 'payment_id,invoice_id,paid_date,amount\nPAY1,I9,2024-03-01,5.00\n' });
        const report = await load(dir);
        expect(report.ok).toBe(false);
        expect(report.rejects).toEqual([
            { file: path.join(dir, 'payments.csv'), line: 2, column: 'invoice_id', value: 'I9', reason: 'unknown invoice_id: not in invoices' },
        ]);
        for (const e of ENTITIES) expect(await count(`canonical.${e.name}`)).toBe(0);
        expect(report.files.filter((f) => f.status === 'not_loaded').length).toBe(16);
        // The rejected batch and its report are kept for the Data page, once per file content.
        expect(await db.warehouse.all(`select entity, status, rows_in_file, rows_rejected from ingest.batches`)).toEqual([
            { entity: 'payments', status: 'rejected', rows_in_file: 1, rows_rejected: 1 },
        ]);
        expect(await count('ingest.rejects')).toBe(1);
        await load(dir);
        expect(await count('ingest.batches')).toBe(1);
    });
});

describe('idempotency and replacement', () => {
    it('loading the same files twice changes no table', async () => {
        await load(TINY);
        const before = await snapshot(db.warehouse);
        const again = await load(TINY);
        expect(again.ok).toBe(true);
        expect(again.status).toBe('unchanged');
        expect(again.files.every((f) => f.status === 'unchanged' && f.batch_id === null)).toBe(true);
        expect(await snapshot(db.warehouse)).toEqual(before);
    });

    it('a newer version of a row replaces the old one and the history says so', async () => {
        await load(TINY);
        const first = await db.warehouse.one<{ batch_id: number }>(`select batch_id from canonical.people where person_id = 'P1'`);
        const dir = tempDir();
        fs.writeFileSync(
            path.join(dir, 'people.csv'),
            'person_id,name,email,role,department,start_date,end_date\n' +
                'P1,Ada King,ada@tiny.example,senior_developer,Engineering,2024-01-01,\n' +
                'P2,Grace Hopper,grace@tiny.example,project_manager,Delivery,2024-01-01,\n' +
                'P3,Alan Turing,,developer,Engineering,2024-06-01,\n',
        );
        const report = await load(dir);
        expect(report.files[0]).toMatchObject({ entity: 'people', status: 'loaded', rows: 3, inserted: 1, replaced: 1, unchanged: 1 });
        const batch = report.files[0]!.batch_id!;
        expect(await db.warehouse.all(`select person_id, name, role, batch_id from canonical.people order by 1`)).toEqual([
            { person_id: 'P1', name: 'Ada King', role: 'senior_developer', batch_id: batch },
            { person_id: 'P2', name: 'Grace Hopper', role: 'project_manager', batch_id: first!.batch_id },
            { person_id: 'P3', name: 'Alan Turing', role: 'developer', batch_id: batch },
        ]);
        expect(await db.warehouse.all(`select * from ingest.replacements`)).toEqual([
            { batch_id: batch, entity: 'people', row_key: 'P1', previous_batch_id: first!.batch_id },
        ]);
        expect(await db.warehouse.one(`select rows_inserted, rows_replaced, rows_unchanged from ingest.batches where batch_id = $1`, [batch])).toEqual({
            rows_inserted: 1,
            rows_replaced: 1,
            rows_unchanged: 1,
        });
    });

    it('a bulk load rebuilds the unique key index once, and it still guards the key afterwards', async () => {
        const report = await ingestFiles(db.warehouse, resolveInputs([TINY]).files, { bulkIndexThreshold: 1 });
        expect(report.ok).toBe(true);
        const indexes = await db.warehouse.all<{ index_name: string; is_unique: boolean }>(
            `select index_name, is_unique from duckdb_indexes() where table_name = 'time_entries'`,
        );
        expect(indexes).toEqual([{ index_name: `time_entries_key_${report.files.find((f) => f.entity === 'time_entries')!.batch_id}`, is_unique: true }]);
        await expect(db.warehouse.run(`insert into canonical.time_entries select * from canonical.time_entries limit 1`)).rejects.toThrow(/duplicate key/i);
        // And a later file replacing an entry goes through the index like any other.
        const dir = tempDir();
        fs.copyFileSync(path.join(TINY, 'time_entries.csv'), path.join(dir, 'time_entries.csv'));
        fs.appendFileSync(path.join(dir, 'time_entries.csv'), te('E4'));
        const again = await load(dir);
        expect(again.files[0]).toMatchObject({ inserted: 1, unchanged: 3, replaced: 0 });
    });
});

describe('empty cells', () => {
    it('reads a quoted empty string as no value, like an empty cell', async () => {
        const dir = tinyWith({
            'people.csv': 'person_id,name,email,role,department,start_date,end_date\nP1,Ada,"",developer,,2024-01-01,\nP2,Grace,,project_manager,"",2024-01-01,\n',
        });
        expect((await load(dir)).ok).toBe(true);
        expect(await db.warehouse.all(`select person_id, email, department from canonical.people order by 1`)).toEqual([
            { person_id: 'P1', email: null, department: null },
            { person_id: 'P2', email: null, department: null },
        ]);
    });
});

describe('who loaded what', () => {
    it('files go by the names given and every batch records who loaded it, loaded or rejected', async () => {
        const dir = tinyWith({ 'payments.csv': 'payment_id,invoice_id,paid_date,amount\nPAY1,I9,2024-03-01,5.00\n' });
        const files = resolveInputs([dir]).files;
        const names = Object.fromEntries(files.map((f) => [f.path, path.basename(f.path)]));
        const rejected = await ingestFiles(db.warehouse, files, { names, actor: 'person:P2 (finance)' });
        expect(rejected.rejects).toEqual([{ file: 'payments.csv', line: 2, column: 'invoice_id', value: 'I9', reason: 'unknown invoice_id: not in invoices' }]);
        expect(rejected.files.map((f) => f.file).sort()).toEqual(Object.values(names).sort());
        const loaded = await ingestFiles(db.warehouse, resolveInputs([TINY]).files, { names: { [path.join(TINY, 'people.csv')]: 'staff.csv' }, actor: 'cli:ada' });
        expect(loaded.ok).toBe(true);
        expect(await db.warehouse.all(`select file_name, status, created_by from ingest.batches where entity in ('payments', 'people') order by batch_id`)).toEqual([
            { file_name: 'payments.csv', status: 'rejected', created_by: 'person:P2 (finance)' },
            { file_name: 'staff.csv', status: 'loaded', created_by: 'cli:ada' },
            { file_name: path.join(TINY, 'payments.csv'), status: 'loaded', created_by: 'cli:ada' },
        ]);
        expect(await db.warehouse.all(`select file_name, reason, rejects from ingest.reject_counts`)).toEqual([
            { file_name: 'payments.csv', reason: 'unknown invoice_id: not in invoices', rejects: 1 },
        ]);
    });
});
