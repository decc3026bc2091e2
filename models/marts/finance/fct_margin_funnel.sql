-- The margin funnel (PRODUCT.md) per client × project × month: eight stages and the leaks between them
-- (the overrun below stage 3 also in its three parts, not yet invoiced and the fx difference below stage 4). Every source is reduced to the same key and the partial rows are summed (a full outer union), so a
-- month with billing but no entries, or revenue but no billing, still has its row. Each source is dated
-- by the work it is about: entries by work month, untracked value by the months of the week's entries,
-- revenue by revenue month, billing, credits and payments by the work months
-- intermediate.int_billing_attributed gives them.
-- Each row also carries accrued_on, the day from which it counts: a report as of d reads the rows with
-- accrued_on <= d (and its period on month), one cut-off for everything (PRODUCT.md): an entry's work date,
-- the day of each increment for untracked time, recognized_on for revenue (the work date for time and fixed
-- fee, the first day of the month for a retainer, a milestone's sign-off date), and a document's own date
-- for billing, credits and payments (issue date, paid date) — what a document is attributed to (work months,
-- projects) is unchanged by the cut, only whether it counts. Rows run through the horizon, so any as_of up
-- to it needs no rebuild.
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

entry_values as (

    select
        client_id,
        project_id,
        work_month as month,
        work_date as accrued_on,
        coalesce(std_value, 0)::decimal(18,8) as tracked_value,
        case when billable then coalesce(std_value, 0) else 0 end::decimal(18,8) as billable_value,
        case when not billable and activity = 'meeting' then coalesce(std_value, 0) else 0 end::decimal(18,8) as unbilled_meetings_value,
        case when not billable and activity <> 'meeting' then coalesce(std_value, 0) else 0 end::decimal(18,8) as unbilled_other_value,
        coalesce(cost_value, 0)::decimal(18,8) as cost,
        hours as client_hours,
    from entries
    where is_client_work

),

untracked_values as (

    select
        client_id,
        project_id,
        work_month as month,
        accrued_on,
        untracked_value::decimal(18,8) as untracked_value,
    from untracked

),

revenue_values as (

    select
        revenue.client_id,
        revenue.project_id,
        revenue.revenue_month as month,
        revenue.recognized_on as accrued_on,
        coalesce(revenue.revenue, 0)::decimal(18,8) as recognized_revenue,
    from revenue

),

billing_values as (

    select
        client_id,
        project_id,
        work_month as month,
        -- a document counts from its own date (issue date, paid date): as of a day before it, it had not happened
        document_date as accrued_on,
        case when document_type = 'invoice_line' then amount else 0 end::decimal(18,8) as billed_value,
        case when document_type = 'invoice_line' then amount_at_recognition else 0 end::decimal(18,8) as billed_at_recognition,
        case when document_type = 'credit_note' then amount else 0 end::decimal(18,8) as credited_value,
        case when document_type = 'payment' then amount else 0 end::decimal(18,8) as collected_value,
    from billing

),

-- the parts of billable value − revenue recognized, summed per key before the union (one row per entry
-- and revenue row in the split)
revenue_gap_values as (

    select
        client_id,
        project_id,
        month,
        accrued_on,
        sum(case when part = 'budget_overrun' then amount else 0 end)::decimal(38,8) as budget_overrun_value,
        sum(case when part = 'price_difference' then amount else 0 end)::decimal(38,8) as price_difference_value,
        sum(case when part = 'awaiting_signoff' then amount else 0 end)::decimal(38,8) as awaiting_signoff_value,
    from revenue_gap
    group by all

),

unioned as (

    select * from entry_values
    union all by name
    select * from untracked_values
    union all by name
    select * from revenue_values
    union all by name
    select * from billing_values
    union all by name
    select * from revenue_gap_values

),

summed as (

    select
        client_id,
        project_id,
        month,
        accrued_on,
        sum(coalesce(untracked_value, 0))::decimal(38,8) as untracked_value,
        sum(coalesce(tracked_value, 0))::decimal(38,8) as tracked_value,
        sum(coalesce(unbilled_meetings_value, 0))::decimal(38,8) as unbilled_meetings_value,
        sum(coalesce(unbilled_other_value, 0))::decimal(38,8) as unbilled_other_value,
        sum(coalesce(billable_value, 0))::decimal(38,8) as billable_value,
        sum(coalesce(recognized_revenue, 0))::decimal(38,8) as recognized_revenue,
        sum(coalesce(budget_overrun_value, 0))::decimal(38,8) as budget_overrun_value,
        sum(coalesce(price_difference_value, 0))::decimal(38,8) as price_difference_value,
        sum(coalesce(awaiting_signoff_value, 0))::decimal(38,8) as awaiting_signoff_value,
        sum(coalesce(billed_value, 0))::decimal(38,8) as billed_value,
        sum(coalesce(billed_at_recognition, 0))::decimal(38,8) as billed_at_recognition,
        sum(coalesce(credited_value, 0))::decimal(38,8) as credited_value,
        sum(coalesce(collected_value, 0))::decimal(38,8) as collected_value,
        sum(coalesce(cost, 0))::decimal(38,8) as cost,
        round(sum(coalesce(client_hours, 0)), 6)::decimal(38,6) as client_hours,
    from unioned
    group by all

),

final as (

    select
        s.client_id,
        s.project_id,
        projects.billing_model,
        projects.project_type,
        s.month,
        s.accrued_on,
        -- 1 potential value, and the untracked leak below it
        s.tracked_value + s.untracked_value as potential_value,
        s.untracked_value,
        -- 2 tracked value, and the unbilled client work below it
        s.tracked_value,
        s.unbilled_meetings_value + s.unbilled_other_value as unbilled_value,
        s.unbilled_meetings_value,
        s.unbilled_other_value,
        -- 3 billable value, and what the contracts recognize less below it (negative: a gain), in three parts
        s.billable_value,
        s.billable_value - s.recognized_revenue as overrun_value,
        s.budget_overrun_value,
        s.price_difference_value,
        s.awaiting_signoff_value,
        -- 4 recognized revenue; below it what is not yet invoiced, at the rates the revenue was recognized at,
        -- and the fx difference between those rates and the documents' (negative: a gain)
        s.recognized_revenue,
        s.recognized_revenue - s.billed_at_recognition as not_invoiced_value,
        s.billed_at_recognition - s.billed_value as fx_difference_value,
        s.billed_at_recognition,
        -- 5 billed, and disputes / write-offs
        s.billed_value,
        s.credited_value,
        -- 6 net billed, and what is not collected
        s.billed_value - s.credited_value as net_billed_value,
        s.billed_value - s.credited_value - s.collected_value as uncollected_value,
        -- 7 collected
        s.collected_value,
        -- 8 realized margin
        s.cost,
        s.collected_value - s.cost as realized_margin,
        s.client_hours,
    from summed s
    join projects using (project_id)

)

select * from final
