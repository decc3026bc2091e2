/**
 * The group commit's batches: the writes queued while a transaction commits run together in the next one, and
 * each writer's entries in it carry one batch of their own (as a file's rows carry theirs), recorded with its
 * writer and its count; the batch ids of a transaction are drawn at once.
 */
import { describe, expect, it } from 'vitest';
import { insertEntry, type EntryInput } from '../../../capture/time/entries.ts';
import { useCaptureFirm } from '../../helpers/capture.ts';

const served = useCaptureFirm('write-queue');

const entry = (day: string): EntryInput => ({ project_id: 'T1', phase: 'build', activity: 'development', work_date: day, duration_seconds: 1800, source: 'form' });
const ada = { actor: 'engineer:P1', role: 'engineer', person_id: 'P1' };
const linus = { actor: 'engineer:P3', role: 'engineer', person_id: 'P3' };

describe('the write queue', () => {
    it('gives each writer of a shared transaction one batch, with their entries counted and their name', async () => {
        const queue = served.firm.app.capture.queue;
        const before = queue.stats.transactions;
        const last = (await served.firm.warehouse.one<{ id: number | null }>(`select max(batch_id)::integer as id from ingest.batches`))!.id ?? 0;
        // The first write starts a transaction alone; the three queued behind it share the next.
        const rows = await Promise.all([
            queue.write((ctx) => insertEntry(ctx, linus, 'P3', entry('2026-11-16'), true)),
            queue.write((ctx) => insertEntry(ctx, ada, 'P1', entry('2026-11-16'), true)),
            queue.write((ctx) => insertEntry(ctx, ada, 'P1', entry('2026-11-17'), true)),
            queue.write((ctx) => insertEntry(ctx, linus, 'P3', entry('2026-11-17'), true)),
        ]);
        expect(queue.stats.transactions - before).toBe(2);
        const [alone, ada1, ada2, linus2] = rows.map((r) => Number(r.batch_id));
        expect(ada1).toBe(ada2);
        expect(new Set([alone, ada1, linus2]).size).toBe(3);
        const batches = await served.firm.warehouse.all<{ batch_id: number; created_by: string; rows_in_file: number; rows_inserted: number; status: string }>(
            `select batch_id::integer as batch_id, created_by, rows_in_file::integer as rows_in_file, rows_inserted::integer as rows_inserted, status
             from ingest.batches where batch_id > $1 order by batch_id`,
            [last],
        );
        expect(batches).toEqual(
            [
                { batch_id: alone, created_by: 'engineer:P3', rows_in_file: 1, rows_inserted: 1, status: 'loaded' },
                { batch_id: ada1, created_by: 'engineer:P1', rows_in_file: 2, rows_inserted: 2, status: 'loaded' },
                { batch_id: linus2, created_by: 'engineer:P3', rows_in_file: 1, rows_inserted: 1, status: 'loaded' },
            ].sort((a, b) => a.batch_id! - b.batch_id!),
        );
        const carried = await served.firm.warehouse.all<{ batch_id: number; n: number }>(
            `select batch_id::integer as batch_id, count(*)::integer as n from canonical.time_entries where batch_id > $1 group by batch_id order by batch_id`,
            [last],
        );
        expect(carried).toEqual(batches.map((b) => ({ batch_id: b.batch_id, n: b.rows_inserted })));
    });
});
