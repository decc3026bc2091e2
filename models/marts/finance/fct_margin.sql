-- Margin per client project × month: revenue recognized against the cost of all client hours logged on
-- the project. accrued_on, as in marts.fct_margin_funnel, is the day from which a row counts for a report
-- (an entry's work date; revenue's recognized_on): a report as of d reads accrued_on <= d. Rows run through
-- the horizon.
with entries as (

    select * from intermediate.int_entries_priced

),

revenue as (

    select * from intermediate.int_revenue_recognized

),

projects as (

    select * from staging.stg_projects

),

entry_months as (

    select
        project_id,
        work_month as month,
        work_date as accrued_on,
        0::decimal(18,8) as revenue,
        coalesce(cost_value, 0)::decimal(18,8) as cost,
        hours,
        case when billable then hours else 0 end as billable_hours,
    from entries
    where is_client_work

),

revenue_months as (

    select
        revenue.project_id,
        revenue.revenue_month as month,
        revenue.recognized_on as accrued_on,
        coalesce(revenue.revenue, 0)::decimal(18,8) as revenue,
        0::decimal(18,8) as cost,
        0 as hours,
        0 as billable_hours,
    from revenue

),

unioned as (

    select * from entry_months
    union all
    select * from revenue_months

),

summed as (

    select
        project_id,
        month,
        accrued_on,
        sum(revenue) as revenue,
        sum(cost) as cost,
        round(sum(hours), 6)::decimal(38,6) as client_hours,
        round(sum(billable_hours), 6)::decimal(38,6) as billable_hours,
    from unioned
    group by all

),

final as (

    select
        projects.client_id,
        summed.project_id,
        projects.billing_model,
        projects.project_type,
        summed.month,
        summed.accrued_on,
        summed.revenue,
        summed.cost,
        summed.revenue - summed.cost as margin,
        case when summed.revenue <> 0 then (summed.revenue - summed.cost) / summed.revenue end as margin_pct,
        summed.client_hours,
        summed.billable_hours,
        case when summed.client_hours <> 0 then summed.revenue / summed.client_hours end as effective_billable_rate,
    from summed
    join projects using (project_id)
    where projects.is_client_work

)

select * from final
