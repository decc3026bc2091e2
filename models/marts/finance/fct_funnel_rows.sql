-- The rows behind each leak of marts.fct_margin_funnel, for the drill-down: filter on metric and on the
-- funnel's keys (client_id, project_id, month) and the amounts sum to the funnel's figure exactly.
--   untracked          person-week pieces of intermediate.int_untracked_allocated
--   unbilled_meetings,  non-billable client entries (activity = meeting / any other)
--   unbilled_other
--   overrun            + billable client entries, − revenue rows; time-and-materials entries of a
--                      recognized month cancel against their own revenue and are left out
--   budget_overrun,    the overrun's three parts, as intermediate.int_revenue_gap_split splits it: entry
--   price_difference,  shares (an entry on the day that crosses a budget has a row in two parts) and
--   awaiting_signoff   revenue rows
--   not_invoiced       time-and-materials entries: std value (when recognized) − what billed them, netted
--                      per entry; other models: + revenue rows; − invoice-line pieces not netted into an entry;
--                      invoice pieces at the fx rate their revenue was recognized at (amount_at_recognition)
--   fx_difference      invoice-line pieces: at the rate their revenue was recognized at − at the document's
--   credited           credit-note pieces
--   uncollected        invoice-line pieces net of their credit-note and payment pieces
-- Netted rows that come to zero are left out. An amount without an fx rate counts 0 (marts.fct_fx_missing
-- names it): an entry's row shows 0, a document's piece adds nothing to its netted row, a credit note has none.
-- accrued_on, as in marts.fct_margin_funnel: the day from which a row counts for a report as of that day
-- (an entry's work date; the increment's day for untracked time; recognized_on for revenue; a document's
-- issue or paid date). Rows net only what counts from the same day: a time-and-materials entry and the
-- invoice that billed it are two rows when the invoice came later, so a report as of a day between them
-- sees the entry not yet invoiced.
with entries as (

    select * from intermediate.int_entries_priced

),

untracked as (

    select * from intermediate.int_untracked_allocated

),

revenue as (

    select * from intermediate.int_revenue_recognized

),

billing as (

    select * from intermediate.int_billing_attributed

),

revenue_gap as (

    select * from intermediate.int_revenue_gap_split

),

projects as (

    select * from staging.stg_projects

),

-- a client entry as a row; what the leaks choose entries by rides along
client_entry_rows as (

    select
        client_id,
        project_id,
        work_month as month,
        work_date as accrued_on,
        'entry' as row_type,
        entry_id,
        person_id,
        work_date,
        work_week,
        hours,
        coalesce(std_value, 0)::decimal(18,8) as amount,
        activity,
        billable,
        -- time-and-materials revenue is the std value of the work month: recognized whenever the month counts
        billing_model = 'time_and_materials' as is_recognized_time,
    from entries
    where is_client_work

),

-- revenue of the other billing models as a row
contract_revenue_rows as (

    select
        client_id,
        project_id,
        revenue_month as month,
        recognized_on as accrued_on,
        'revenue' as row_type,
        milestone_id,
        coalesce(revenue, 0)::decimal(18,8) as amount,
    from revenue
    where billing_model <> 'time_and_materials'

),

untracked_rows as (

    select
        'untracked' as metric,
        client_id,
        project_id,
        work_month as month,
        accrued_on,
        'person_week' as row_type,
        person_id,
        work_week,
        untracked_hours as hours,
        untracked_value::decimal(18,8) as amount,
    from untracked

),

unbilled_rows as (

    select
        case when activity = 'meeting' then 'unbilled_meetings' else 'unbilled_other' end as metric,
        * exclude (activity, billable, is_recognized_time),
    from client_entry_rows
    where not billable

),

overrun_rows as (

    select
        'overrun' as metric,
        * exclude (activity, billable, is_recognized_time),
    from client_entry_rows
    where billable and not is_recognized_time

    union all by name

    select
        'overrun' as metric,
        * replace (-amount as amount),
    from contract_revenue_rows

),

revenue_gap_rows as (

    select
        part as metric,
        * exclude (part, billing_model),
    from revenue_gap

),

not_invoiced_parts as (

    select * exclude (activity, billable, is_recognized_time)
    from client_entry_rows
    where billable and is_recognized_time

    union all by name

    select * from contract_revenue_rows

    union all by name

    -- an invoice line's piece: billing a time-and-materials entry nets against that entry's row (its person,
    -- day and hours), any other piece is a row of its own (its invoice line)
    select
        b.client_id,
        b.project_id,
        b.work_month as month,
        b.document_date as accrued_on,
        case when e.entry_id is null then 'invoice_line' else 'entry' end as row_type,
        b.entry_id,
        e.person_id,
        e.work_date,
        e.work_week,
        e.hours,
        case when e.entry_id is null then b.invoice_id end as invoice_id,
        case when e.entry_id is null then b.line_no end as line_no,
        case when e.entry_id is null then b.document_id end as document_id,
        -b.amount_at_recognition::decimal(18,8) as amount,
    from billing b
    -- a piece billing an entry is attributed to the entry's project: joined on it too, so that a refresh's
    -- filter on the project reaches the entries' scan
    left join client_entry_rows e on e.entry_id = b.entry_id and e.project_id = b.project_id and e.is_recognized_time
    where b.document_type = 'invoice_line'

),

not_invoiced_rows as (

    select
        'not_invoiced' as metric,
        client_id,
        project_id,
        month,
        accrued_on,
        row_type,
        entry_id,
        person_id,
        work_date,
        work_week,
        invoice_id,
        line_no,
        document_id,
        milestone_id,
        -- an entry's hours once, however many lines billed it
        max(hours) as hours,
        sum(amount)::decimal(18,8) as amount,
    from not_invoiced_parts
    group by all
    having sum(amount) <> 0

),

-- an amount without an fx rate counts 0 on either side, as it does in the funnel
fx_difference_rows as (

    select
        'fx_difference' as metric,
        client_id,
        project_id,
        work_month as month,
        document_date as accrued_on,
        'invoice_line' as row_type,
        entry_id,
        work_date,
        invoice_id,
        line_no,
        invoice_id as document_id,
        (coalesce(amount_at_recognition, 0) - coalesce(amount, 0))::decimal(18,8) as amount,
    from billing
    where document_type = 'invoice_line'
        and coalesce(amount_at_recognition, 0) <> coalesce(amount, 0)

),

credited_rows as (

    select
        'credited' as metric,
        client_id,
        project_id,
        work_month as month,
        document_date as accrued_on,
        'credit_note' as row_type,
        entry_id,
        work_date,
        invoice_id,
        line_no,
        document_id,
        amount,
    from billing
    -- a credit note without an fx rate counts 0 in the funnel (marts.fct_fx_missing names it): no row
    where document_type = 'credit_note' and amount is not null

),

uncollected_rows as (

    select
        'uncollected' as metric,
        client_id,
        project_id,
        work_month as month,
        -- each document counts from its own date: an invoice's piece less its credit notes' and payments'
        -- pieces, netted only where they share a date
        document_date as accrued_on,
        document_type as row_type,
        entry_id,
        work_date,
        invoice_id,
        line_no,
        document_id,
        sum(case when document_type = 'invoice_line' then amount else -amount end)::decimal(18,8) as amount,
    from billing
    group by all
    having sum(case when document_type = 'invoice_line' then amount else -amount end) <> 0

),

unioned as (

    select * from untracked_rows
    union all by name
    select * from unbilled_rows
    union all by name
    select * from overrun_rows
    union all by name
    select * from revenue_gap_rows
    union all by name
    select * from not_invoiced_rows
    union all by name
    select * from fx_difference_rows
    union all by name
    select * from credited_rows
    union all by name
    select * from uncollected_rows

),

final as (

    select
        unioned.metric,
        unioned.client_id,
        unioned.project_id,
        projects.project_type,
        unioned.month,
        unioned.accrued_on,
        unioned.row_type,
        unioned.entry_id,
        unioned.person_id,
        unioned.work_date,
        unioned.work_week,
        unioned.invoice_id,
        unioned.line_no,
        unioned.document_id,
        unioned.milestone_id,
        round(unioned.hours, 6)::decimal(18,6) as hours,
        unioned.amount::decimal(18,8) as amount,
    from unioned
    left join projects using (project_id)

)

-- Stored in the drill-down's default order (largest amount first within a leak): the first page of
-- GET /api/drill/funnel reads the first row groups and DuckDB's top-N filter skips the rest. Row amounts
-- are decimal(18,8) (64-bit, fast to scan); sums widen to decimal(38,8).
select * from final
order by metric, amount desc
