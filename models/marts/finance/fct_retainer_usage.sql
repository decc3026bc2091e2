-- Retainer usage per project × month through the horizon: hours included, used, rolled over and over the
-- allowance, and what the month earns (intermediate.int_retainer_usage). A report as of d reads the months
-- up to d's month (fees accrue through the as-of month).
with usage as (

    select * from intermediate.int_retainer_usage

),

projects as (

    select * from staging.stg_projects

),

final as (

    select
        usage.client_id,
        usage.project_id,
        projects.project_type,
        usage.month,
        usage.term_effective_from,
        usage.included_hours,
        usage.billable_hours,
        usage.included_used_hours,
        usage.included_unused_hours,
        usage.rollover_months,
        usage.rollover_available_hours,
        usage.rollover_used_hours,
        usage.overage_hours,
        usage.overage_rate,
        usage.contract_currency,
        usage.fee_native,
        usage.overage_amount_native,
        usage.fx_rate,
        usage.fee,
        usage.overage_amount,
        usage.revenue,
    from usage
    join projects using (project_id)

)

select * from final
