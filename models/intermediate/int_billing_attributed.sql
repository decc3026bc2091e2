-- Billing attributed to projects and work months (PRODUCT.md "Billed value"): every line of an issued or
-- paid invoice, every credit note and every payment on such an invoice, split into pieces:
--   a time line over the entries it bills, pro rata by seconds (hence to their projects and work dates);
--   any other line — or a time line that lists no entries — over the days of period_start…period_end
--   (the issue date when there is no period), one piece per month;
--   a credit note or payment first over its invoice's lines pro rata by line amount, then each line's share
--   over that line's pieces as above.
-- Splitting is exact to the cent in the document's currency by cumulative rounding: a piece gets
-- round(A × cumulative weight through it / total weight) − the same through the piece before, so the pieces
-- of a document sum to its amount exactly and each is within a cent of its exact share. The rounding uses
-- integers only (cents × weights, half away from zero), so it is exact for any size.
-- Reporting-currency amounts are the native cents × the fx rate of the document's date (issue date of the
-- invoice or credit note, paid date), kept unrounded, so they too sum exactly to the document × its rate.
-- An invoice line's piece is also converted at the rate of the date its revenue was recognized at (the
-- funnel's fx difference, PRODUCT.md stage 4): the entry's work date for a piece of time billed by entry,
-- the milestone's sign-off date for a milestone line issued on or after it, the first day of the piece's
-- month otherwise (a milestone billed before its sign-off included).
with invoices as (

    select * from staging.stg_invoices

),

lines as (

    select * from staging.stg_invoice_lines

),

milestones as (

    select * from staging.stg_milestones

),

line_entries as (

    select * from staging.stg_invoice_line_entries

),

credit_notes as (

    select * from staging.stg_credit_notes

),

payments as (

    select * from staging.stg_payments

),

entries as (

    select * from intermediate.int_entries_priced

),

projects as (

    select * from staging.stg_projects

),

fx as (

    select * from staging.stg_fx_rates

),

firm as (

    select * from intermediate.int_firm

),

billed_lines as (

    select
        lines.*,
        invoices.issue_date,
        invoices.currency,
        (lines.amount * 100)::hugeint as line_cents,
    from lines
    join invoices using (invoice_id)
    where invoices.counts_as_billed

),

-- How each line splits: pieces with an integer weight.
entry_pieces as (

    select
        l.invoice_id,
        l.line_no,
        le.entry_id,
        e.project_id,
        e.work_date,
        e.work_month,
        e.duration_seconds::hugeint as weight,
    from billed_lines l
    join line_entries le using (invoice_id, line_no)
    join entries e using (entry_id)
    where l.kind = 'time'

),

period_lines as (

    select
        l.invoice_id,
        l.line_no,
        l.project_id,
        least(coalesce(l.period_start, l.period_end, l.issue_date), coalesce(l.period_end, l.period_start, l.issue_date)) as period_from,
        greatest(coalesce(l.period_start, l.period_end, l.issue_date), coalesce(l.period_end, l.period_start, l.issue_date)) as period_to,
    from billed_lines l
    anti join (select distinct invoice_id, line_no from entry_pieces) p using (invoice_id, line_no)

),

period_pieces as (

    select
        invoice_id,
        line_no,
        null::varchar as entry_id,
        project_id,
        null::date as work_date,
        m::date as work_month,
        -- days of the period that fall in this month
        (least(period_to, (m + interval 1 month)::date - 1) - greatest(period_from, m::date) + 1)::hugeint as weight,
    from period_lines,
        generate_series(date_trunc('month', period_from)::timestamp, date_trunc('month', period_to)::timestamp, interval 1 month) as g(m)

),

pieces_unioned as (

    select * from entry_pieces
    union all
    select * from period_pieces

),

pieces as (

    select
        *,
        -- a line whose pieces all weigh nothing (zero-second entries) splits equally
        case when sum(weight) over (partition by invoice_id, line_no) = 0 then 1 else weight end as piece_weight,
    from pieces_unioned

),

pieces_cumulative as (

    select
        invoice_id,
        line_no,
        entry_id,
        project_id,
        work_date,
        work_month,
        row_number() over piece_order as piece_no,
        sum(piece_weight) over (piece_order rows between unbounded preceding and current row) as weight_through,
        sum(piece_weight) over (partition by invoice_id, line_no) as weight_total,
    from pieces
    window piece_order as (partition by invoice_id, line_no order by work_month, work_date, entry_id)

),

-- Credit notes and payments split over their invoice's lines by line amount (equally when the lines sum
-- to zero; by absolute share when they sum to less than zero).
invoice_line_weights as (

    select
        invoice_id,
        line_no,
        row_number() over line_order as line_index,
        sum(line_cents) over (partition by invoice_id) as invoice_cents,
        sum(line_cents) over (line_order rows between unbounded preceding and current row) as cents_through,
        count(*) over (partition by invoice_id) as line_count,
    from billed_lines
    window line_order as (partition by invoice_id order by line_no)

),

settlements as (

    select
        'credit_note' as document_type,
        credit_notes.credit_note_id as document_id,
        credit_notes.invoice_id,
        credit_notes.issue_date as document_date,
        (credit_notes.amount * 100)::hugeint as document_cents,
    from credit_notes
    join invoices using (invoice_id)
    where invoices.counts_as_billed

    union all

    select
        'payment' as document_type,
        payments.payment_id as document_id,
        payments.invoice_id,
        payments.paid_date as document_date,
        (payments.amount * 100)::hugeint as document_cents,
    from payments
    join invoices using (invoice_id)
    where invoices.counts_as_billed

),

settlement_line_weights as (

    select
        s.*,
        w.line_no,
        w.line_index,
        case
            when w.invoice_cents = 0 then w.line_index::hugeint
            else w.cents_through * sign(w.invoice_cents)
        end as weight_through,
        case
            when w.invoice_cents = 0 then w.line_count::hugeint
            else abs(w.invoice_cents)
        end as weight_total,
    from settlements s
    join invoice_line_weights w using (invoice_id)

),

settlement_lines as (

    select
        document_type,
        document_id,
        invoice_id,
        line_no,
        document_date,
        allocated_through - coalesce(lag(allocated_through) over (partition by document_type, document_id order by line_index), 0)
            as share_cents,
    from (
        select
            *,
            sign(document_cents * weight_through)
                * ((2 * abs(document_cents * weight_through) + weight_total) // (2 * weight_total)) as allocated_through,
        from settlement_line_weights
    )

),

line_documents as (

    select
        'invoice_line' as document_type,
        invoice_id as document_id,
        invoice_id,
        line_no,
        issue_date as document_date,
        line_cents as share_cents,
    from billed_lines

    union all

    select * from settlement_lines

),

attributed as (

    select
        d.document_type,
        d.document_id,
        d.document_date,
        d.invoice_id,
        d.line_no,
        p.piece_no,
        p.entry_id,
        p.project_id,
        p.work_date,
        p.work_month,
        d.share_cents,
        sign(d.share_cents * p.weight_through)
            * ((2 * abs(d.share_cents * p.weight_through) + p.weight_total) // (2 * p.weight_total)) as allocated_through,
    from line_documents d
    join pieces_cumulative p using (invoice_id, line_no)

),

pieces_allocated as (

    select
        *,
        allocated_through
            - coalesce(lag(allocated_through) over (partition by document_type, document_id, line_no order by piece_no), 0)
            as piece_cents,
    from attributed

),

milestone_lines as (

    select
        l.invoice_id,
        l.line_no,
        m.signed_off_date,
    from billed_lines l
    join milestones m using (milestone_id)

),

dated as (

    select
        a.*,
        l.kind as line_kind,
        l.currency,
        -- an invoice line's document date is its issue date
        case
            when a.document_type <> 'invoice_line' then null
            when a.entry_id is not null then a.work_date
            when ml.signed_off_date <= a.document_date then ml.signed_off_date
            else a.work_month
        end as recognition_date,
    from pieces_allocated a
    join billed_lines l using (invoice_id, line_no)
    left join milestone_lines ml using (invoice_id, line_no)

),

-- The rate of each currency on each date a piece needs, found once per date (an as-of join over a few
-- thousand dates, not over every piece) and joined back by equality.
rate_dates as (

    select distinct currency, document_date as rate_on from dated
    union
    select distinct currency, recognition_date from dated where recognition_date is not null

),

rates as (

    select
        d.currency,
        d.rate_on,
        case when d.currency = firm.reporting_currency then 1 else fx.rate_to_reporting end as rate_to_reporting,
    from rate_dates d
    cross join firm
    asof left join fx
        on fx.currency = d.currency and d.rate_on >= fx.rate_date

),

final as (

    select
        a.document_type,
        a.document_id,
        a.document_date,
        a.invoice_id,
        a.line_no,
        a.line_kind,
        a.piece_no,
        a.entry_id,
        a.project_id,
        projects.client_id,
        projects.billing_model,
        projects.project_type,
        a.work_date,
        a.work_month,
        a.currency,
        (a.piece_cents * 0.01)::decimal(18,2) as amount_native,
        document_rate.rate_to_reporting as fx_rate,
        ((a.piece_cents * 0.01)::decimal(18,2) * fx_rate)::decimal(18,8) as amount,
        a.recognition_date,
        recognition_rate.rate_to_reporting as recognition_fx_rate,
        ((a.piece_cents * 0.01)::decimal(18,2) * recognition_fx_rate)::decimal(18,8) as amount_at_recognition,
    from dated a
    join projects on projects.project_id = a.project_id
    left join rates document_rate
        on document_rate.currency = a.currency and document_rate.rate_on = a.document_date
    left join rates recognition_rate
        on recognition_rate.currency = a.currency and recognition_rate.rate_on = a.recognition_date

)

-- Stored by document type, largest amount first: the drill-downs of billed, credited and collected value
-- (GET /api/drill/realization) page in that order, so their first page reads the first row groups.
select * from final
order by document_type, amount desc
