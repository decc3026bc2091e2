/**
 * Named reads of invoices, their lines and the time behind them, credit notes, payments and receivables, over
 * the canonical rows (invoices loaded from files and made here alike) and invoicing's own details. Amounts
 * are the invoice's currency; net is the lines' sum, tax is net × the invoice's tax rate to the cent (0 for an
 * invoice loaded from a file), and what a client owes is gross less credit notes (with their tax) and what was
 * received (capture/invoicing/documents.ts balanceOf computes the same for one invoice).
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { InvoiceDetail, InvoiceSummary, ReceivablesAnswer } from '../schemas/invoices.ts';

const SUMMARY = `
    with lines as (

        select invoice_id, sum(amount) as net from canonical.invoice_lines group by invoice_id

    ),

    credits as (

        select c.invoice_id, sum(c.amount) as credited_net, sum(c.amount + round(c.amount * coalesce(d.tax_rate, 0), 2)) as credited_gross
        from canonical.credit_notes c left join invoicing.invoice_details d using (invoice_id)
        group by c.invoice_id

    ),

    received as (

        select p.invoice_id, sum(coalesce(d.received, p.amount)) as received
        from canonical.payments p left join invoicing.payment_details d using (payment_id)
        group by p.invoice_id

    ),

    summary as (

        select
            i.invoice_id,
            i.number,
            i.client_id,
            c.name as client_name,
            i.issue_date,
            i.due_date,
            i.currency,
            i.status,
            d.period_start,
            d.period_end,
            d.invoice_id is not null as made_here,
            coalesce(d.tax_rate, 0)::double as tax_rate,
            d.fx_rate::double as fx_rate,
            coalesce(l.net, 0)::double as net,
            round(coalesce(l.net, 0) * coalesce(d.tax_rate, 0), 2)::double as tax,
            (coalesce(l.net, 0) + round(coalesce(l.net, 0) * coalesce(d.tax_rate, 0), 2))::double as gross,
            coalesce(cr.credited_net, 0)::double as credited_net,
            coalesce(cr.credited_gross, 0)::double as credited_gross,
            coalesce(r.received, 0)::double as received,
        from canonical.invoices i
        left join canonical.clients c using (client_id)
        left join invoicing.invoice_details d using (invoice_id)
        left join lines l using (invoice_id)
        left join credits cr using (invoice_id)
        left join received r using (invoice_id)

    ),

    final as (

        select *, round(gross - credited_gross - received, 2)::double as outstanding from summary

    )

    select * from final`;

export interface InvoiceFilter {
    status?: string;
    client_id?: string;
    from?: string;
    to?: string;
    invoice_id?: string;
}

/** Invoices, newest first; `from`/`to` bound the issue date. */
export async function listInvoices(warehouse: Warehouse, f: InvoiceFilter): Promise<InvoiceSummary[]> {
    return warehouse.all<InvoiceSummary>(
        `select * from (${SUMMARY})
        where ($1::varchar is null or status = $1)
            and ($2::varchar is null or client_id = $2)
            and ($3::date is null or issue_date >= $3)
            and ($4::date is null or issue_date <= $4)
            and ($5::varchar is null or invoice_id = $5)
        order by issue_date desc, number desc
        limit 5000`,
        [f.status ?? null, f.client_id ?? null, f.from ?? null, f.to ?? null, f.invoice_id ?? null],
    );
}

export async function invoiceDetail(warehouse: Warehouse, invoiceId: string): Promise<InvoiceDetail | null> {
    const [invoice] = await listInvoices(warehouse, { invoice_id: invoiceId });
    if (!invoice) return null;
    const lines = (await linesOf(warehouse, [invoiceId])).map(({ invoice_id: _, ...line }) => line);
    const entries = await warehouse.all<InvoiceDetail['entries'][number]>(
        `select
            le.line_no,
            e.entry_id,
            e.work_date,
            e.person_id,
            pe.name as person_name,
            e.phase,
            e.activity,
            e.notes,
            round(e.duration_seconds / 3600.0, 4)::double as hours,
            round(coalesce(b.billed_seconds, e.duration_seconds) / 3600.0, 4)::double as billed_hours,
        from canonical.invoice_line_entries le
        join canonical.time_entries e using (entry_id)
        left join canonical.people pe on pe.person_id = e.person_id
        left join invoicing.billed_entries b on b.entry_id = le.entry_id and b.invoice_id = le.invoice_id
        where le.invoice_id = $1
        order by le.line_no, e.work_date, e.entry_id`,
        [invoiceId],
    );
    const credit_notes = await warehouse.all<InvoiceDetail['credit_notes'][number]>(
        `select c.credit_note_id, c.issue_date, c.amount::double as amount, c.reason, d.note
        from canonical.credit_notes c left join invoicing.credit_note_details d using (credit_note_id)
        where c.invoice_id = $1 order by c.issue_date, c.credit_note_id`,
        [invoiceId],
    );
    const payments = await warehouse.all<InvoiceDetail['payments'][number]>(
        `select p.payment_id, p.paid_date, coalesce(d.received, p.amount)::double as received, p.amount::double as net
        from canonical.payments p left join invoicing.payment_details d using (payment_id)
        where p.invoice_id = $1 order by p.paid_date, p.payment_id`,
        [invoiceId],
    );
    return { invoice, lines, entries, credit_notes, payments };
}

/** Entries of many invoices' time lines, for the CSV of all lines with their entry ids. */
export async function lineEntryIds(warehouse: Warehouse, invoiceIds: string[]): Promise<Map<string, string[]>> {
    if (invoiceIds.length === 0) return new Map();
    const rows = await warehouse.all<{ key: string; ids: string }>(
        `select invoice_id || '#' || line_no as key, string_agg(entry_id, ' ' order by entry_id) as ids
        from canonical.invoice_line_entries
        where invoice_id in (select unnest(string_split($1, chr(31))))
        group by all`,
        [invoiceIds.join('\u001f')],
    );
    return new Map(rows.map((r) => [r.key, r.ids.split(' ')]));
}

/** Lines of many invoices, for the exports. */
export async function linesOf(warehouse: Warehouse, invoiceIds: string[]): Promise<(InvoiceDetail['lines'][number] & { invoice_id: string })[]> {
    if (invoiceIds.length === 0) return [];
    return warehouse.all(
        `select
            l.invoice_id,
            l.line_no,
            l.project_id,
            p.name as project_name,
            l.kind,
            l.hours::double as hours,
            l.rate::double as rate,
            l.amount::double as amount,
            l.period_start,
            l.period_end,
            l.milestone_id,
            coalesce(d.description, coalesce(p.name, l.project_id) || ' — ' || replace(l.kind, '_', ' ')) as description,
            d.reason,
        from canonical.invoice_lines l
        left join canonical.projects p using (project_id)
        left join invoicing.line_details d using (invoice_id, line_no)
        where l.invoice_id in (select unnest(string_split($1, chr(31))))
        order by l.invoice_id, l.line_no`,
        [invoiceIds.join('\u001f')],
    );
}

/**
 * What clients owe on issued invoices as of a date, by age since the issue date: 0–30, 31–60, 61–90 and over
 * 90 days; per client and in total, in each currency.
 */
export async function receivables(warehouse: Warehouse, asOf: string): Promise<ReceivablesAnswer['rows']> {
    return warehouse.all(
        `with open as (

            select *, datediff('day', issue_date, $1::date) as age
            from (${SUMMARY})
            where status in ('issued', 'paid') and issue_date <= $1::date and outstanding > 0

        ),

        final as (

            select
                client_id,
                any_value(client_name) as client_name,
                currency,
                count(*)::integer as invoices,
                sum(outstanding) filter (where age <= 30)::double as days_0_30,
                sum(outstanding) filter (where age between 31 and 60)::double as days_31_60,
                sum(outstanding) filter (where age between 61 and 90)::double as days_61_90,
                sum(outstanding) filter (where age > 90)::double as days_over_90,
                sum(outstanding)::double as total,
            from open
            group by client_id, currency

        )

        select
            client_id, client_name, currency, invoices,
            coalesce(days_0_30, 0) as days_0_30, coalesce(days_31_60, 0) as days_31_60,
            coalesce(days_61_90, 0) as days_61_90, coalesce(days_over_90, 0) as days_over_90, total,
        from final
        order by total desc, client_id`,
        [asOf],
    );
}
