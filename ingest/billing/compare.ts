/**
 * The resolved invoices, payments and credit notes compared with what the warehouse holds: which are refused,
 * and of the rest which loading would create, update or leave unchanged (an invoice with its lines is one
 * document).
 *
 *   refused    an invoice already in the warehouse for another client (another account's number), or with
 *              more lines there than the export gives (a load never removes a line), is rejected with its
 *              payments; clients and projects are created only for the invoices that load and the clients
 *              of client lists.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { BillingReject } from './documents.ts';
import type { GroupedInvoices } from './group.ts';
import type { CreditNote, Payment } from './payments.ts';
import { centsText } from './read.ts';
import type { Invoice, Resolved } from './resolve.ts';

export interface Counts {
    created: number;
    updated: number;
    unchanged: number;
}

/** What loading would change, and the counts the report gives of it. */
export interface Comparison {
    invoiceCounts: Counts;
    paymentCounts: Counts;
    creditNoteCounts: Counts;
    changedInvoices: Invoice[];
    changedPayments: Payment[];
    changedCreditNotes: CreditNote[];
}

/**
 * Takes the refused invoices out of `resolved` (their rows to `rejects`, their lines in `byInvoice` emptied),
 * with the clients and projects made only for them; returns each refused invoice's reason by invoice_id.
 */
export async function refuseConflicts(warehouse: Warehouse, resolved: Resolved, byInvoice: GroupedInvoices, rejects: BillingReject[]): Promise<Map<string, string>> {
    const { invoices, created, newClients, newProjects, listed } = resolved;
    // An invoice number already in the warehouse for another client is another account's invoice, not this one.
    // An invoice there with more lines than the export gives is refused too: a load replaces rows and adds
    // them, it never removes one, so the extra lines would stay and the invoice would not be the export's.
    const owners = new Map(
        (await warehouse.all<{ invoice_id: string; client_id: string; name: string | null; line_count: number }>(
            `select i.invoice_id, i.client_id, c.name, (select count(*) from canonical.invoice_lines l where l.invoice_id = i.invoice_id)::integer as line_count
            from canonical.invoices i left join canonical.clients c using (client_id)
            where i.invoice_id in (select unnest(from_json($1, '["varchar"]')))`,
            [JSON.stringify(invoices.map((i) => i.invoice_id))],
        )).map((r) => [r.invoice_id, r]),
    );
    const refusals = new Map<string, string>();
    for (const inv of [...invoices]) {
        const owner = owners.get(inv.invoice_id);
        if (!owner) continue;
        const reason =
            owner.client_id !== inv.client_id
                ? `invoice ${inv.number} is already in the warehouse for client "${owner.name ?? owner.client_id}"`
                : owner.line_count > inv.lines.length
                  ? `invoice ${inv.number} has ${owner.line_count} lines in the warehouse and ${inv.lines.length} in this export: an import does not remove lines`
                  : null;
        if (!reason) continue;
        refusals.set(inv.invoice_id, reason);
        invoices.splice(invoices.indexOf(inv), 1);
        for (const l of byInvoice.get(inv.invoice_id)!.lines) rejects.push({ file: l.file, line: l.line, reason, value: `"${l.client}"` });
        byInvoice.get(inv.invoice_id)!.lines = [];
    }

    // Clients and projects are created only for the invoices that load, and clients for the client lists.
    const usedClients = new Set([...invoices.map((i) => i.client_id), ...listed]);
    const usedProjects = new Set(invoices.flatMap((i) => i.lines.map((l) => l.project_id)));
    for (const c of [...newClients]) if (!usedClients.has(c.client_id)) newClients.splice(newClients.indexOf(c), 1);
    for (const [key, p] of [...newProjects]) if (!usedProjects.has(p.project_id)) newProjects.delete(key);
    for (const e of [...created]) {
        if (!(e.kind === 'client' ? usedClients : usedProjects).has(e.id)) created.splice(created.indexOf(e), 1);
    }
    return refusals;
}

/** What loading would do: created, updated, unchanged (an invoice with its lines is one document). */
/** The invoice's own fields an import compares with the warehouse's (its lines are compared as text). */
const INVOICE_FIELDS = ['number', 'client_id', 'issue_date', 'due_date', 'currency', 'status'] as const;

export async function compareWithWarehouse(warehouse: Warehouse, invoices: readonly Invoice[], payments: readonly Payment[], creditNotes: readonly CreditNote[]): Promise<Comparison> {
    const ids = invoices.map((i) => i.invoice_id);
    const oldInvoices = new Map(
        (await warehouse.all<Record<string, string | null>>(
            `select invoice_id, number, client_id, issue_date::varchar as issue_date, due_date::varchar as due_date, currency, status
            from canonical.invoices where invoice_id in (select unnest(from_json($1, '["varchar"]')))`,
            [JSON.stringify(ids)],
        )).map((r) => [r.invoice_id!, r]),
    );
    const oldLines = await warehouse.all<{ invoice_id: string; text: string }>(
        `select invoice_id, string_agg(concat_ws('|', line_no, project_id, kind, coalesce(rtrim(rtrim(hours::varchar, '0'), '.'), ''), coalesce(rate::varchar, ''), amount::varchar), ';' order by line_no) as text
        from canonical.invoice_lines where invoice_id in (select unnest(from_json($1, '["varchar"]'))) group by invoice_id`,
        [JSON.stringify(ids)],
    );
    const oldLineText = new Map(oldLines.map((r) => [r.invoice_id, r.text]));
    const changedInvoices: Invoice[] = [];
    const invoiceCounts: Counts = { created: 0, updated: 0, unchanged: 0 };
    for (const inv of invoices) {
        const old = oldInvoices.get(inv.invoice_id);
        if (!old) {
            invoiceCounts.created++;
            changedInvoices.push(inv);
            continue;
        }
        const same =
            INVOICE_FIELDS.every((k) => old[k] === inv[k]) &&
            oldLineText.get(inv.invoice_id) ===
                inv.lines.map((l) => [l.line_no, l.project_id, l.kind, l.hours === null ? '' : String(l.hours), l.rate ?? '', centsText(l.amount_cents)].join('|')).join(';');
        if (same) invoiceCounts.unchanged++;
        else {
            invoiceCounts.updated++;
            changedInvoices.push(inv);
        }
    }
    const [paymentCounts, changedPayments] = await changedRows(
        warehouse,
        `select payment_id as id, concat_ws('|', invoice_id, paid_date::varchar, amount::varchar) as text from canonical.payments where payment_id`,
        payments.map((p) => ({ row: p, id: p.payment_id, text: [p.invoice_id, p.paid_date, centsText(p.amount_cents)].join('|') })),
    );
    const [creditNoteCounts, changedCreditNotes] = await changedRows(
        warehouse,
        `select credit_note_id as id, concat_ws('|', invoice_id, issue_date::varchar, amount::varchar, reason) as text from canonical.credit_notes where credit_note_id`,
        creditNotes.map((c) => ({ row: c, id: c.credit_note_id, text: [c.invoice_id, c.issue_date, centsText(c.amount_cents), c.reason].join('|') })),
    );
    return { invoiceCounts, paymentCounts, creditNoteCounts, changedInvoices, changedPayments, changedCreditNotes };
}

/** Rows compared by id with the warehouse's (`select` ends at the id column, which the ids fill): the counts and the rows that change. */
async function changedRows<T>(warehouse: Warehouse, select: string, rows: { row: T; id: string; text: string }[]): Promise<[Counts, T[]]> {
    const old = new Map(
        (await warehouse.all<{ id: string; text: string }>(`${select} in (select unnest(from_json($1, '["varchar"]')))`, [JSON.stringify(rows.map((r) => r.id))])).map((r) => [r.id, r.text]),
    );
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const changed = rows.filter((r) => {
        const before = old.get(r.id);
        if (before === undefined) counts.created++;
        else if (before === r.text) counts.unchanged++;
        else counts.updated++;
        return before !== r.text;
    });
    return [counts, changed.map((r) => r.row)];
}
