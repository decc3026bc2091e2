-- Retainer usage per project × month through the firm's as-of month: hours included, used, rolled over
-- and over the allowance, and what the month earns (intermediate.int_retainer_usage).
with usage as (

    select * from intermediate.int_retainer_usage

),

projects as (

    select * from staging.stg_projects

),

firm as (

    select * from intermediate.int_firm

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
    cross join firm
    where usage.month <= date_trunc('month', firm.as_of)

)

select * from final
