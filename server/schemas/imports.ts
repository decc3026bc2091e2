/** Imports from other tools (server/routes/imports/): an upload's preview, an import's report, past imports. */
import { z } from 'zod';
import { BILLING_TOOLS } from '../../ingest/billing/tools.ts';
import { FILE_KINDS } from '../../ingest/import/report.ts';
import { TOOL_NAMES } from '../../ingest/import/tools.ts';
import { buildAnswer, ingestAnswer } from './data.ts';

const yesNo = (fallback: boolean) =>
    z
        .enum(['true', 'false'])
        .default(fallback ? 'true' : 'false')
        .transform((v) => v === 'true');

/** How to import: the query of POST /api/imports and of running a stored upload. */
export const importQuery = z.strictObject({
    tool: z.enum([...TOOL_NAMES, 'auto']).default('auto').describe('The tool that wrote the files; auto detects it from each file’s columns.'),
    dry_run: yesNo(false).describe('true: report what the import would create, update, leave unchanged and reject, and write nothing.'),
    create: yesNo(true).describe('false: refuse unknown people, clients and projects (their entries are rejected) instead of creating them.'),
    date_order: z.enum(['dmy', 'mdy']).optional().describe('Day-first or month-first, for files whose dates cannot tell.'),
    time_zone: z
        .string()
        .max(64)
        .refine((z) => z === 'UTC' || Intl.supportedValuesOf('timeZone').includes(z), 'an IANA time zone such as Europe/Vienna')
        .optional()
        .describe('The zone the files’ local times are in (default UTC).'),
    columns: z.string().max(4000).optional().describe('The generic tool’s column mapping, JSON: {"user": "Employee", "startDate": "Day", "hours": "Time"}.'),
    map: z
        .union([z.string().max(500), z.array(z.string().max(500)).max(500)])
        .optional()
        .describe('Mappings to existing rows: person:<e-mail or name:Name>=<person_id>, client:<name>=<client_id>, project:<client>/<project>=<project_id>.'),
});
export type ImportQuery = z.infer<typeof importQuery>;

const created = z.object({ kind: z.enum(['person', 'client', 'project']), id: z.string(), name: z.string(), client: z.string().nullable() });
/** A row of a file named with its line, why, and the value at fault: a reject, or a billing import's note. */
const importReject = z.object({ file: z.string(), line: z.number().nullable(), reason: z.string(), value: z.string().nullable() });
const rejectCount = z.object({ file: z.string(), reason: z.string(), count: z.number() });
/** What an import did: loaded something, found everything already there, only said what it would do, or refused. */
const importStatus = z.enum(['imported', 'unchanged', 'dry_run', 'rejected']);
/** How every import's answer starts, a time import's and a billing import's: whether it went, and what it did. */
const importOutcome = { ok: z.boolean(), status: importStatus, dry_run: z.boolean() };

export const importReport = z.object({
    ...importOutcome,
    files: z.array(
        z.object({
            file: z.string(),
            tool: z.enum(TOOL_NAMES),
            kind: z.enum(FILE_KINDS).describe('A time report, or a clients or projects list.'),
            format: z.enum(['csv', 'xlsx', 'parquet']),
            encoding: z.string().nullable(),
            delimiter: z.string().nullable(),
            rows: z.number(),
            rejected: z.number(),
        }),
    ),
    date_order: z.enum(['dmy', 'mdy']).nullable(),
    decimal_mark: z.enum(['.', ',']),
    rows_read: z.number(),
    imported: z.number().describe('Entries (or a list’s clients and projects) created or updated.'),
    created: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    frozen: z.number().describe('Entries the import would change that are approved or invoiced here: frozen, left as they are (an admin reopens approved ones).'),
    duplicates: z.number().describe('Rows that repeat an entry of another file of the same import (overlapping exports), or a client or project of a later row.'),
    rejected: z.number(),
    seconds_imported: z.number().describe('Seconds of the import’s entries (created, updated or unchanged).'),
    seconds_duplicate: z.number(),
    seconds_rejected: z.number(),
    created_entities: z.array(created),
    rejects: z.array(importReject).describe('The first rejects_kept_per_reason rejected rows of each file and reason, with their line.'),
    reject_counts: z.array(rejectCount),
    rejects_kept_per_reason: z.number(),
    ingest: z
        .object({
            ok: z.boolean(),
            status: z.enum(['loaded', 'unchanged', 'rejected']),
            rejects: z.array(z.object({ file: z.string(), line: z.number().nullable(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() })),
            rejects_total: z.number(),
        })
        .nullable()
        .describe('What the load said, when one ran (it is all or nothing: a load that breaks a rule loads nothing).'),
    duration_ms: z.number(),
});
export type ImportReportAnswer = z.infer<typeof importReport>;

export const importAnswer = importReport.extend({
    build: buildAnswer.nullable(),
});

/** How to import billing history: the query of POST /api/imports/billing. */
export const billingImportQuery = z.strictObject({
    tool: z.enum([...BILLING_TOOLS, 'auto']).default('auto').describe('The invoicing tool that wrote the files; auto detects it from each file’s columns.'),
    dry_run: yesNo(false).describe('true: report what the import would create, update, leave unchanged and reject, and write nothing.'),
    create: yesNo(true).describe('false: refuse unknown clients (their rows are rejected) instead of creating them and their billing-history projects.'),
});
export type BillingImportQuery = z.infer<typeof billingImportQuery>;

const billingRow = importReject;
const billingCounts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });

/** ingest/billing/report.ts's BillingReport, and the refresh that followed it. */
export const billingAnswer = z.object({
    ...importOutcome,
    files: z.array(
        z.object({
            file: z.string(),
            tool: z.enum(BILLING_TOOLS),
            kind: z.enum(['invoices', 'payments', 'transactions', 'clients']),
            rows: z.number(),
            rejected: z.number(),
            duplicates: z.number(),
            skipped: z.number(),
        }),
    ),
    rows_read: z.number(),
    clients: billingCounts.describe('Clients made (for client lists or invoices), known ones whose currency a client list changes, list rows that found theirs as it is.'),
    invoices: billingCounts,
    payments: billingCounts,
    credit_notes: billingCounts.describe('Refunds and write-offs, as credit notes of their invoices.'),
    lines: z.number(),
    invoiced: z.record(z.string(), z.string()).describe('Σ line amounts (net of discount, before tax) of the import’s invoices, per currency, as decimal text.'),
    paid: z.record(z.string(), z.string()).describe('Σ of the import’s payments, per currency, as decimal text.'),
    credited: z.record(z.string(), z.string()).describe('Σ of the import’s credit notes (refunds, write-offs), per currency, as decimal text.'),
    duplicates: z.array(billingRow),
    notes: z.array(billingRow).describe('Rows imported with a change, and why.'),
    skipped: z.array(billingRow).describe('Rows that restate a document rather than being one (a ledger’s other side).'),
    rejected: z.number(),
    rejects: z.array(billingRow),
    created_entities: z.array(z.object({ kind: z.enum(['client', 'project']), id: z.string(), name: z.string(), client: z.string().nullable() })),
    ingest: ingestAnswer
        .omit({ build: true, fx_missing: true })
        .extend({ ignored: z.array(z.string()), duration_ms: z.number() })
        .nullable()
        .describe('What the load said, when one ran (all or nothing).'),
    duration_ms: z.number(),
    build: buildAnswer.nullable(),
});
export type BillingAnswer = z.infer<typeof billingAnswer>;

export const filePreview = z.object({
    file: z.string(),
    size: z.number(),
    tool: z.enum(TOOL_NAMES).nullable(),
    kind: z.enum(FILE_KINDS).nullable().describe('What the file holds: a time report, or a clients or projects list (null: not recognised).'),
    format: z.enum(['csv', 'xlsx', 'parquet', 'json']),
    encoding: z.string().nullable(),
    delimiter: z.string().nullable(),
    header: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    mapping: z.array(z.object({ field: z.string(), column: z.string() })),
});

export const uploadAnswer = z.object({
    upload_id: z.string(),
    files: z.array(filePreview),
    expires_at: z.string(),
});
export type UploadAnswer = z.infer<typeof uploadAnswer>;

export const uploadParams = z.strictObject({ upload_id: z.string().regex(/^[0-9a-f]{32}$/, 'an upload id (32 hex digits)') });

export const importRun = z.object({
    run_id: z.number(),
    tool: z.string(),
    files: z.string(),
    finished_at: z.string(),
    created_by: z.string().nullable(),
    rows_read: z.number(),
    rows_imported: z.number(),
    rows_unchanged: z.number(),
    rows_rejected: z.number(),
    seconds_imported: z.number(),
});
export type ImportRun = z.infer<typeof importRun>;
export const importRunsAnswer = z.object({ runs: z.array(importRun) });
