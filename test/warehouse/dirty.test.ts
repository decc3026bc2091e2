/**
 * What a write records (warehouse/models/dirty.ts): its table's data generation goes up, and the projects and
 * months its rows touch are kept in meta.dirty — in the write's transaction, so a rolled-back write leaves no
 * trace. The tiny firm: E1 is PRJ1's entry of 2024-01-02, billed by invoice I1 (issued 2024-02-01, its line on
 * PRJ1 for January).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { markWritten } from '../../warehouse/models/dirty.ts';
import { tablesBehind } from '../../warehouse/models/state.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { TINY } from '../helpers/fixtures.ts';

let warehouse: Warehouse;
beforeAll(async () => {
    warehouse = await Warehouse.open(':memory:');
    await ingestFiles(warehouse, resolveInputs([TINY]).files);
    // What the load itself recorded is not what these tests look at.
    await warehouse.run('delete from meta.dirty');
});
afterAll(() => warehouse.close());

const generation = async (table: string) =>
    (await warehouse.one<{ g: number }>(`select generation::integer as g from meta.data_generations where table_name = $1`, [table]))?.g ?? 0;

/** What `rows` of `table` touch, as "project from..to" strings (all: every project or month), with " by person" when it names one. */
async function touched(table: string, rows: Record<string, unknown>[]): Promise<string[]> {
    await warehouse.run('delete from meta.dirty');
    await warehouse.transaction(() => markWritten(warehouse, table, rows));
    const found = await warehouse.all<{ t: string }>(
        `select coalesce(project_id, 'all') || ' ' || coalesce(from_month::varchar, 'all') || '..' || coalesce(to_month::varchar, '')
                || coalesce(' by ' || person_id, '') as t
         from meta.dirty order by t`,
    );
    return found.map((r) => r.t);
}

describe('markWritten', () => {
    it('bumps the table’s generation once per write, inside the transaction, and a rollback undoes it', async () => {
        const before = await generation('time_entries');
        await warehouse.transaction(() => markWritten(warehouse, 'time_entries', [{ project_id: 'PRJ1', work_date: '2024-03-05' }]));
        expect(await generation('time_entries')).toBe(before + 1);
        await expect(
            warehouse.transaction(async () => {
                await markWritten(warehouse, 'canonical.time_entries', [{ project_id: 'PRJ1', work_date: '2024-03-05' }]);
                throw new Error('the write fails');
            }),
        ).rejects.toThrow('the write fails');
        expect(await generation('time_entries')).toBe(before + 1);
    });

    it('refuses to record outside a transaction, and an unknown table', async () => {
        await expect(markWritten(warehouse, 'time_entries', [])).rejects.toThrow(/inside the write's transaction/);
        await expect(warehouse.transaction(() => markWritten(warehouse, 'entries', []))).rejects.toThrow(/entries is not a table the models read/);
    });

    it('a time entry touches its project and person in its work month; an edit that moves it, both months, projects and people', async () => {
        expect(await touched('time_entries', [{ project_id: 'PRJ1', work_date: '2024-01-31', person_id: 'P1' }])).toEqual(['PRJ1 2024-01-01..2024-01-01 by P1']);
        const old = { project_id: 'PRJ1', work_date: '2024-01-02', person_id: 'P1' };
        const edited = { project_id: 'PRJ2', work_date: new Date('2024-03-04T00:00:00Z'), person_id: 'P2' };
        expect(await touched('time_entries', [old, edited])).toEqual(['PRJ1 2024-01-01..2024-01-01 by P1', 'PRJ2 2024-03-01..2024-03-01 by P2']);
        // A row given without its person: every person.
        expect(await touched('time_entries', [{ project_id: 'PRJ1', work_date: '2024-01-31' }])).toEqual(['PRJ1 2024-01-01..2024-01-01']);
    });

    it("an audit event of time capture touches its entry's project, person and month", async () => {
        expect(await touched('audit.time_entry_events', [{ entry_id: 'E1' }])).toEqual(['PRJ1 2024-01-01..2024-01-01 by P1']);
    });

    it('a rate card, an fx rate and a retainer term touch every month from their effective date, of every person', async () => {
        expect(await touched('rate_cards', [{ scope: 'role', scope_id: '', role: 'developer', effective_from: '2024-02-10' }])).toEqual(['all 2024-02-01..']);
        expect(await touched('rate_cards', [{ scope: 'project', scope_id: 'PRJ2', effective_from: '2024-02-10' }])).toEqual(['PRJ2 2024-02-01..']);
        expect(await touched('fx_rates', [{ currency: 'USD', date: '2023-12-31' }])).toEqual(['all 2023-12-01..']);
        expect(await touched('retainer_terms', [{ project_id: 'PRJ2', effective_from: '2024-05-01' }])).toEqual(['PRJ2 2024-05-01..']);
    });

    it('a payment or credit note touches the projects its invoice bills from the earliest month it covers', async () => {
        // I1 bills PRJ1's January (its line's period and E1's work date), issued in February: from January on.
        expect(await touched('payments', [{ payment_id: 'PAY2', invoice_id: 'I1', paid_date: '2024-04-01', amount: 1 }])).toEqual(['PRJ1 2024-01-01..']);
        expect(await touched('credit_notes', [{ credit_note_id: 'CN2', invoice_id: 'I1', issue_date: '2024-04-01' }])).toEqual(['PRJ1 2024-01-01..']);
        // A line given as a row (e.g. one deleted): its own project and period besides what its invoice still bills.
        expect(await touched('invoice_lines', [{ invoice_id: 'I1', line_no: 2, project_id: 'PRJ2', period_start: '2023-11-15' }])).toEqual([
            'PRJ1 2024-01-01..',
            'PRJ2 2023-11-01..',
        ]);
        // An invoice that no longer exists (its old row, deleted): every project from its issue month.
        expect(await touched('invoices', [{ invoice_id: 'I9', issue_date: '2024-06-03' }])).toEqual(['all 2024-06-01..']);
    });

    it('a setting (as_of, the reporting currency) touches everything', async () => {
        expect(await touched('settings', [{ key: 'as_of', value: '2024-06-30' }])).toEqual(['all all..']);
    });

    it('marks the table behind the marts until a build records the generation', async () => {
        await warehouse.transaction(() => markWritten(warehouse, 'fx_rates', [{ date: '2024-01-01' }]));
        expect(await tablesBehind(warehouse)).toContain('fx_rates');
    });
});
