/** Loads: ingest batches, their rejected rows, uploads (POST /api/ingest) and model builds. */
import { z } from 'zod';
import { fxMissing } from './health.ts';

export const batch = z.object({
    batch_id: z.number(),
    entity: z.string(),
    file_name: z.string(),
    content_hash: z.string(),
    status: z.enum(['loaded', 'rejected']),
    rows_in_file: z.number(),
    rows_inserted: z.number(),
    rows_replaced: z.number(),
    rows_unchanged: z.number(),
    rows_rejected: z.number(),
    started_at: z.string(),
    finished_at: z.string(),
    created_by: z.string().nullable().describe('Who loaded it: cli:<user>, local, demo, or <role>:<person_id> (null for batches recorded before this was kept).'),
});

export const reject = z.object({ file: z.string(), line: z.number().nullable(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() });

const rejectCounts = z.array(z.object({ file: z.string(), reason: z.string(), count: z.number() }));

export const buildAnswer = z.object({ ok: z.boolean(), ms: z.number(), models: z.number(), error: z.string().nullable() });

export const batchesAnswer = z.object({ batches: z.array(batch) });

export const rejectsAnswer = z.object({
    batch_id: z.number(),
    total_rows: z.number().describe('Rows listed for this batch (the pages); at most the first ones of each file and reason.'),
    rejects_total: z.number().describe('Every problem the load found, listed or not.'),
    reject_counts: rejectCounts,
    rows: z.array(reject),
});

export const ingestAnswer = z.object({
    ok: z.boolean(),
    status: z.enum(['loaded', 'unchanged', 'rejected']),
    files: z.array(
        z.object({
            file: z.string(),
            entity: z.string(),
            status: z.string(),
            rows: z.number(),
            inserted: z.number(),
            replaced: z.number(),
            unchanged: z.number(),
            rejected: z.number(),
            batch_id: z.number().nullable(),
        }),
    ),
    rejects: z.array(reject),
    rejects_total: z.number().describe('Every problem found; rejects lists the first rejects_kept_per_reason of each file × reason.'),
    reject_counts: rejectCounts,
    rejects_kept_per_reason: z.number(),
    build: buildAnswer.nullable(),
    fx_missing: fxMissing,
});

export type Batch = z.infer<typeof batch>;
export type Reject = z.infer<typeof reject>;
export type BuildAnswer = z.infer<typeof buildAnswer>;
export type RejectsAnswer = z.infer<typeof rejectsAnswer>;
export type IngestReport = z.infer<typeof ingestAnswer>;
