/**
 * A billing-history import: invoicing tools' CSV exports → canonical clients, projects, invoices, invoice_lines,
 * credit notes and payments, loaded through canonical ingest (ingest/canonical.ts) like an upload, so the load is one
 * batch per entity, all or nothing, audited, and marks the models it changes for the next build.
 *
 * Why a path beside ingest/import/ rather than through it: that pipeline stages time entries (people,
 * durations, date-order votes, the entries' freeze rules) and every step of it is shaped by them. Billing
 * documents share only the file reading and the client resolution, so they take this small parallel path:
 * a tool module (invoiceninja.ts, freshbooks.ts, zoho.ts with zoho-payments.ts, wave.ts) reads its export into
 * invoice lines, payments, write-offs or clients (clients.ts reads the client lists) as the file states them;
 * the stages below group, resolve and compare them, and hand canonical files to ingest.
 *
 * The stages, each in its module with the decisions it makes (every tool):
 *   tools.ts     which tool wrote a file, and reading it with that tool's module.
 *   group.ts     lines grouped into invoices. Decisions: identity (invoice_id `<tool>-<number>`, lines
 *                numbered 1…, payment_id `<tool>-<number>-<k>`: importing the same export again changes
 *                nothing); repeated rows and the same invoice in two files.
 *   resolve.ts   client lists' clients, then invoices' clients and projects, found by name or created (or,
 *                with --no-create, their rows rejected). Decisions: clients, lists, projects, amounts (net of
 *                discount, before tax), currency, due date.
 *   compare.ts   refused invoices (another client's number, or fewer lines than the warehouse holds), then
 *                what loading would create, update or leave unchanged. Decision: refused.
 *   payments.ts  payments, refunds and write-offs linked by invoice number to this import or the warehouse.
 *                Decisions: payments, refunds (credit notes), credits, paid.
 *   report.ts    the report: per file, counts, sums per currency, duplicates, notes, skipped, rejects.
 *   load.ts      canonical files of what changes, loaded as one ingest with the run and its audit.
 * Every row is imported, a duplicate, or rejected with its file, line, value and reason.
 */
import { cliActor, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { UsageError } from '../files.ts';
import { compareWithWarehouse, refuseConflicts } from './compare.ts';
import type { BillingReject } from './documents.ts';
import { groupInvoices } from './group.ts';
import { loadThroughIngest } from './load.ts';
import { linkPayments } from './payments.ts';
import { billingReport, type BillingReport } from './report.ts';
import { resolveInvoices } from './resolve.ts';
import { readExports, type BillingTool } from './tools.ts';

export type { Counts } from './compare.ts';
export type { BillingReport } from './report.ts';
export { billingHistoryName, slugId, type BillingCreated } from './resolve.ts';
export { BILLING_TOOLS, detectBillingTool, isBillingTool, type BillingTool } from './tools.ts';

export interface BillingImportOptions {
    tool: BillingTool | 'auto';
    dryRun?: boolean;
    /** Create unknown clients and projects (default); false rejects their rows. */
    create?: boolean;
    who?: AuditWho;
    /** The name each file goes by in the report, by path. */
    names?: Readonly<Record<string, string>>;
}

export async function importBilling(warehouse: Warehouse, paths: readonly string[], options: BillingImportOptions): Promise<BillingReport> {
    if (paths.length === 0) throw new UsageError('no files given: pass the invoicing tool export files to import');
    const started = Date.now();
    const reads = readExports(paths, options.tool, (p) => options.names?.[p] ?? p);
    const rejects: BillingReject[] = reads.flatMap((r) => r.read.rejects);
    /** Rows imported with a change, and why (a due date before the invoice date is left empty). */
    const notes: BillingReject[] = reads.flatMap((r) => r.read.notes ?? []);

    const { byInvoice, duplicates } = groupInvoices(reads);
    const clientLists = reads.flatMap((r) => r.read.clients ?? []);
    const resolved = await resolveInvoices(warehouse, byInvoice, clientLists, options.create !== false, rejects, notes);
    const refusals = await refuseConflicts(warehouse, resolved, byInvoice, rejects);
    const { invoices, created, newClients, newProjects, updatedClients } = resolved;
    const { payments, creditNotes } = await linkPayments(warehouse, reads, byInvoice, invoices, refusals, rejects, notes);
    const comparison = await compareWithWarehouse(warehouse, invoices, payments, creditNotes);

    const { changedInvoices, changedPayments, changedCreditNotes } = comparison;
    const changed = changedInvoices.length + changedPayments.length + changedCreditNotes.length + newClients.length + updatedClients.length + newProjects.size > 0;
    const clients = { created: newClients.length, updated: updatedClients.length, unchanged: resolved.unchangedClients };
    const report = billingReport({ dryRun: options.dryRun, changed, reads, invoices, payments, creditNotes, clients, comparison, created, duplicates, notes, rejects });
    if (!options.dryRun && changed) {
        await loadThroughIngest(warehouse, report, { reads, resolved, comparison, who: options.who ?? cliActor(), started });
    }
    report.duration_ms = Date.now() - started;
    return report;
}
