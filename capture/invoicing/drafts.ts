/**
 * What finance does to a draft before it goes out — an adjustment line with its reason, removing a line or
 * the whole draft (its entries and months become billable again) — and issuing it. An issued invoice is
 * frozen: every change here refuses it with a 409; correcting one is a credit note (documents.ts).
 *
 * Issuing gives the invoice its number, `<prefix>-<year>-<NNNN>`: the year's next, read and raised in the
 * issuing transaction (invoicing.invoice_numbers), so numbers are gapless across restarts and concurrent
 * issues — two issues of the same year cannot both commit the same number. A year's count starts after the
 * highest number with the same prefix and year the firm already has (invoices loaded from files).
 */
import type { InvoiceHead } from '../../ingest/billing/resolve.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { addDays, taken } from './run.ts';
import { type Actor, cents, finishWrite, InvoicingError, isDate, writeBatch } from './write.ts';

export async function invoiceRow(warehouse: Warehouse, invoiceId: string): Promise<InvoiceHead> {
    const row = await warehouse.one<InvoiceHead>(
        `select invoice_id, number, client_id, issue_date, due_date, currency, status from canonical.invoices where invoice_id = $1`,
        [invoiceId],
    );
    if (!row) throw new InvoicingError(404, `no invoice "${invoiceId}"`);
    return row;
}

async function draft(warehouse: Warehouse, invoiceId: string): Promise<InvoiceHead> {
    const row = await invoiceRow(warehouse, invoiceId);
    if (row.status !== 'draft') throw new InvoicingError(409, `invoice ${row.number} is ${row.status}: an issued invoice never changes; correct it with a credit note`);
    return row;
}

export interface AdjustmentInput {
    amount: number;
    reason: string;
    /** The project it belongs to; default the invoice's first line's. */
    project_id?: string | null;
}

export async function addAdjustment(warehouse: Warehouse, invoiceId: string, input: AdjustmentInput, actor: Actor): Promise<{ line_no: number }> {
    const reason = input.reason?.trim() ?? '';
    if (!reason) throw new InvoicingError(400, 'an adjustment needs its reason', 'reason');
    if (!Number.isFinite(input.amount) || input.amount === 0 || cents(input.amount) !== input.amount) {
        throw new InvoicingError(400, 'amount must be a non-zero amount in cents, e.g. -150.00', 'amount');
    }
    return warehouse.transaction(async () => {
        const invoice = await draft(warehouse, invoiceId);
        const projects = await warehouse.all<{ project_id: string }>(
            `select project_id from canonical.projects where client_id = $1 and ($2::varchar is null or project_id = $2) order by project_id`,
            [invoice.client_id, input.project_id ?? null],
        );
        if (input.project_id && projects.length === 0) throw new InvoicingError(400, `project "${input.project_id}" is not a project of this invoice's client`, 'project_id');
        const first = await warehouse.one<{ project_id: string }>(`select project_id from canonical.invoice_lines where invoice_id = $1 order by line_no limit 1`, [invoiceId]);
        const projectId = input.project_id ?? first?.project_id ?? projects[0]?.project_id;
        if (!projectId) throw new InvoicingError(400, 'the client has no project to put the adjustment on', 'project_id');
        const next = await warehouse.one<{ n: number }>(`select (coalesce(max(line_no), 0) + 1)::integer as n from canonical.invoice_lines where invoice_id = $1`, [invoiceId]);
        const batch = await writeBatch(warehouse, 'invoice_lines', `adjustment on ${invoiceId}`, 1, actor);
        const line = {
            invoice_id: invoiceId,
            line_no: next!.n,
            project_id: projectId,
            kind: 'adjustment',
            hours: null,
            rate: null,
            amount: input.amount,
            period_start: null,
            period_end: null,
            milestone_id: null,
        };
        await warehouse.run(
            `insert into canonical.invoice_lines (invoice_id, line_no, project_id, kind, hours, rate, amount, period_start, period_end, milestone_id, batch_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [...Object.values(line), batch] as never,
        );
        await warehouse.run(`insert into invoicing.line_details (invoice_id, line_no, description, reason) values ($1, $2, $3, $4)`, [invoiceId, line.line_no, `Adjustment: ${reason}`, reason]);
        await finishWrite(warehouse, actor, { invoice_lines: [line] }, { action: 'invoice_adjustment', entity: 'invoice_lines', entity_id: `${invoiceId}#${line.line_no}`, after: line, reason });
        return { line_no: line.line_no };
    });
}

/** Removes a draft's line; its entries, month or milestone are billable again. */
export async function removeLine(warehouse: Warehouse, invoiceId: string, lineNo: number, actor: Actor): Promise<void> {
    await warehouse.transaction(async () => {
        await draft(warehouse, invoiceId);
        const lines = await warehouse.all(`select * exclude (batch_id) from canonical.invoice_lines where invoice_id = $1 and line_no = $2`, [invoiceId, lineNo]);
        if (lines.length === 0) throw new InvoicingError(404, `invoice ${invoiceId} has no line ${lineNo}`);
        await release(warehouse, actor, invoiceId, lineNo, lines, { action: 'invoice_line_remove', entity: 'invoice_lines', entity_id: `${invoiceId}#${lineNo}`, before: lines[0] });
    });
}

/** Deletes a draft; everything it billed is billable again. */
export async function deleteDraft(warehouse: Warehouse, invoiceId: string, actor: Actor): Promise<void> {
    await warehouse.transaction(async () => {
        const invoice = await draft(warehouse, invoiceId);
        const lines = await warehouse.all(`select * exclude (batch_id) from canonical.invoice_lines where invoice_id = $1`, [invoiceId]);
        await release(warehouse, actor, invoiceId, null, lines, { action: 'invoice_delete', entity: 'invoices', entity_id: invoiceId, before: invoice }, [invoice]);
        await warehouse.run(`delete from canonical.invoices where invoice_id = $1`, [invoiceId]);
        await warehouse.run(`delete from invoicing.invoice_details where invoice_id = $1`, [invoiceId]);
    });
}

async function release(
    warehouse: Warehouse,
    actor: Actor,
    invoiceId: string,
    lineNo: number | null,
    lines: Record<string, unknown>[],
    event: Parameters<typeof finishWrite>[3],
    invoices: object[] = [],
): Promise<void> {
    const which = `invoice_id = $1 and ($2::integer is null or line_no = $2)`;
    const entries = await warehouse.all(`select invoice_id, line_no, entry_id from canonical.invoice_line_entries where ${which}`, [invoiceId, lineNo]);
    for (const table of ['canonical.invoice_line_entries', 'canonical.invoice_lines', 'invoicing.line_details', 'invoicing.billed_entries', 'invoicing.billed_items']) {
        await warehouse.run(`delete from ${table} where ${which}`, [invoiceId, lineNo]);
    }
    await finishWrite(warehouse, actor, { invoices, invoice_lines: lines, invoice_line_entries: entries }, event);
}

export interface IssueInput {
    /** Default today (UTC). */
    issue_date?: string | null;
}

export async function issueInvoice(warehouse: Warehouse, invoiceId: string, input: IssueInput, actor: Actor): Promise<{ number: string; issue_date: string; due_date: string }> {
    const issueDate = input.issue_date ?? new Date().toISOString().slice(0, 10);
    if (!isDate(issueDate)) throw new InvoicingError(400, 'issue_date must be a date YYYY-MM-DD', 'issue_date');
    return warehouse.transaction(async () => {
        const before = await draft(warehouse, invoiceId);
        const lines = await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.invoice_lines where invoice_id = $1`, [invoiceId]);
        if (!lines?.n) throw new InvoicingError(409, 'an invoice without lines cannot be issued; delete the draft instead');
        const terms = await warehouse.one<{ days: number }>(
            `select coalesce((select payment_terms_days from invoicing.client_settings where client_id = $1), 30) as days`,
            [before.client_id],
        );
        const year = Number(issueDate.slice(0, 4));
        const prefix = (await warehouse.one<{ value: string }>(`select value from invoicing.firm_settings where key = 'invoice_prefix'`))?.value ?? 'INV';
        const number = `${prefix}-${year}-${String(await nextNumber(warehouse, prefix, year)).padStart(4, '0')}`;
        const after = { ...before, number, issue_date: issueDate, due_date: addDays(issueDate, terms!.days), status: 'issued' };
        const batch = await writeBatch(warehouse, 'invoices', `issue ${number}`, 1, actor);
        await warehouse.run(`update canonical.invoices set number = $2, issue_date = $3, due_date = $4, status = 'issued', batch_id = $5 where invoice_id = $1`, [
            invoiceId,
            number,
            issueDate,
            after.due_date,
            batch,
        ]);
        await warehouse.run(`update invoicing.invoice_details set issued_at = now(), issued_by = $2 where invoice_id = $1`, [invoiceId, actor.actor]);
        await finishWrite(warehouse, actor, { invoices: [before, after] }, { action: 'invoice_issue', entity: 'invoices', entity_id: invoiceId, before, after });
        return { number, issue_date: issueDate, due_date: after.due_date };
    });
}

/** The year's next number, raised in this transaction: a concurrent issue of the same year conflicts here. */
async function nextNumber(warehouse: Warehouse, prefix: string, year: number): Promise<number> {
    const row = await warehouse.one<{ last_number: number }>(`select last_number from invoicing.invoice_numbers where year = $1`, [year]);
    let next: number;
    if (row) {
        next = row.last_number + 1;
    } else {
        // The year's first issue here continues what the firm already numbered that way.
        const loaded = await warehouse.one<{ n: number | null }>(
            `select max(try_cast(regexp_extract(number, '^' || $1 || '-' || $2 || '-(\\d+)$', 1) as integer)) as n from canonical.invoices`,
            [escapeRegex(prefix), String(year)],
        );
        next = (loaded?.n ?? 0) + 1;
    }
    try {
        await warehouse.run(
            `insert into invoicing.invoice_numbers values ($1, $2) on conflict (year) do update set last_number = excluded.last_number`,
            [year, next],
        );
    } catch (err) {
        throw taken(err, 'another invoice was issued at the same moment; issue this one again');
    }
    return next;
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
