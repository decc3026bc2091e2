-- Margin per client project × month: revenue recognized (as of the firm's as_of) against the cost of all
-- client hours logged on the project.
with entries as (

    select * from intermediate.int_entries_priced

),

revenue as (

    select * from intermediate.int_revenue_recognized

),

projects as (

    select * from staging.stg_projects

),

firm as (

    select * from intermediate.int_firm

),

entry_months as (

    select
        project_id,
        work_month as month,
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
        coalesce(revenue.revenue, 0)::decimal(18,8) as revenue,
        0::decimal(18,8) as cost,
        0 as hours,
        0 as billable_hours,
    from revenue
    cross join firm
    where revenue.recognized_on <= firm.as_of

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
