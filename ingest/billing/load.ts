/**
 * What an import changes, written as canonical files and loaded through canonical ingest (ingest/canonical.ts)
 * like an upload: one batch per entity, all or nothing, audited, with the import's run recorded in the same
 * transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordAudit, recordUpload, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ingestFiles } from '../canonical.ts';
import type { InputFile } from '../files.ts';
import type { Comparison } from './compare.ts';
import { centsText } from './read.ts';
import type { BillingReport } from './report.ts';
import type { Resolved } from './resolve.ts';
import type { ToolFile } from './tools.ts';

/** What a load writes: the clients made or updated, the projects made, and the invoices, payments and credit notes that change. */
export interface LoadInput {
    reads: readonly ToolFile[];
    resolved: Pick<Resolved, 'newClients' | 'newProjects' | 'updatedClients'>;
    comparison: Comparison;
    who: AuditWho;
    /** When the import started (ms since the epoch), for its run record. */
    started: number;
}

/** Canonical files of what changes, loaded as one all-or-nothing ingest; sets the report's ingest (and ok, status when it fails). */
export async function loadThroughIngest(warehouse: Warehouse, report: BillingReport, input: LoadInput): Promise<void> {
    const { reads, who, started } = input;
    const { newClients, newProjects, updatedClients } = input.resolved;
    const { invoiceCounts, paymentCounts, creditNoteCounts, changedInvoices, changedPayments, changedCreditNotes } = input.comparison;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-billing-'));
    try {
        const files: InputFile[] = [];
        const write = (entity: InputFile['entity'], header: string[], rows: (string | number | null)[][]) => {
            if (rows.length === 0) return;
            const file = path.join(scratch, `${entity}.csv`);
            fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
            files.push({ path: file, entity, format: 'csv' });
        };
        write('clients', ['client_id', 'name', 'currency'], [...newClients, ...updatedClients].map((c) => [c.client_id, c.name, c.currency]));
        write(
            'projects',
            ['project_id', 'client_id', 'code', 'name', 'billing_model', 'project_type', 'manager_id', 'start_date', 'end_date', 'status', 'budget_hours', 'contract_value'],
            [...newProjects.values()].map((p) => [p.project_id, p.client_id, null, p.name, 'time_and_materials', 'imported', null, p.first, p.last, 'closed', null, null]),
        );
        write(
            'invoices',
            ['invoice_id', 'number', 'client_id', 'issue_date', 'due_date', 'currency', 'status'],
            changedInvoices.map((i) => [i.invoice_id, i.number, i.client_id, i.issue_date, i.due_date, i.currency, i.status]),
        );
        write(
            'invoice_lines',
            ['invoice_id', 'line_no', 'project_id', 'kind', 'hours', 'rate', 'amount', 'period_start', 'period_end', 'milestone_id'],
            changedInvoices.flatMap((i) => i.lines.map((l) => [i.invoice_id, l.line_no, l.project_id, l.kind, l.hours, l.rate, centsText(l.amount_cents), null, null, null])),
        );
        write('payments', ['payment_id', 'invoice_id', 'paid_date', 'amount'], changedPayments.map((p) => [p.payment_id, p.invoice_id, p.paid_date, centsText(p.amount_cents)]));
        write(
            'credit_notes',
            ['credit_note_id', 'invoice_id', 'issue_date', 'amount', 'reason'],
            changedCreditNotes.map((c) => [c.credit_note_id, c.invoice_id, c.issue_date, centsText(c.amount_cents), c.reason]),
        );
        const tool = reads.every((r) => r.tool === reads[0]!.tool) ? reads[0]!.tool : 'billing';
        report.ingest = await ingestFiles(warehouse, files, {
            actor: who.actor,
            names: Object.fromEntries(files.map((f) => [f.path, `${tool} import: ${f.entity}`])),
            beforeCommit: async (loaded) => {
                const run = await warehouse.one<{ id: number }>(`select nextval('import.run_seq')::integer as id`);
                const imported =
                    invoiceCounts.created + invoiceCounts.updated + paymentCounts.created + paymentCounts.updated + creditNoteCounts.created + creditNoteCounts.updated + newClients.length + updatedClients.length;
                await warehouse.run(`insert into import.runs values ($1, $2, $3, $4::timestamptz, now(), $5, $6, $7, $8, $9, 0, $10)`, [
                    run!.id,
                    tool,
                    report.files.map((f) => f.file).join(', '),
                    new Date(started).toISOString(),
                    who.actor,
                    report.rows_read,
                    imported,
                    invoiceCounts.unchanged + paymentCounts.unchanged + creditNoteCounts.unchanged + report.clients.unchanged,
                    report.rejected,
                    JSON.stringify({ ...report, rejects: report.rejects.slice(0, 100), ingest: null }),
                ]);
                await recordAudit(warehouse, {
                    ...who,
                    action: 'import',
                    entity: 'import',
                    entity_id: String(run!.id),
                    after: {
                        tool,
                        files: report.files.map((f) => f.file),
                        clients: report.clients,
                        updated_clients: updatedClients.map((c) => ({ client_id: c.client_id, before: { currency: c.before }, after: { currency: c.currency } })),
                        invoices: invoiceCounts,
                        payments: paymentCounts,
                        credit_notes: creditNoteCounts,
                        rejected: report.rejected,
                    },
                    detail:
                        `${tool}: ${report.clients.created} clients created, ${report.clients.updated} updated; ` +
                        `${invoiceCounts.created + invoiceCounts.updated} invoices imported (${invoiceCounts.created} new, ${invoiceCounts.updated} updated), ` +
                        `${paymentCounts.created + paymentCounts.updated} payments, ${creditNoteCounts.created + creditNoteCounts.updated} credit notes, ${report.rejected} rows rejected`,
                });
                await recordUpload(warehouse, who, loaded);
            },
        });
        if (!report.ingest.ok) {
            report.ok = false;
            report.status = 'rejected';
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

function csvCell(v: string | number | null): string {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
