-- Revenue recognized per project × month by billing model (PRODUCT.md "Revenue recognized"), in the
-- reporting currency, through the horizon. A row counts for a report when recognized_on <= its as_of, so
-- time and fixed-fee rows are per work date: a report as of a day inside a month counts that month's work
-- through the day, not the whole month.
--   time_and_materials: std value of the day's billable entries (already converted per work date).
--   fixed_fee:          contract_value × min(1, cumulative billable hours / budget_hours) at the end of
--                       each day with billable entries, minus the same at the previous such day (so a
--                       month's rows add up to the month-end figure less the previous month-end's);
--                       fx of the first day of the month.
--   retainer:           fee + overage of intermediate.int_retainer_usage (fx of the first day of the month).
--   milestone:          each signed-off milestone in its sign-off month, fx of the sign-off date.
-- Entries of every status count: work done is work done.
with projects as (

    select * from staging.stg_projects

),

currencies as (

    select * from intermediate.int_project_currency

),

entries as (

    select * from intermediate.int_entries_priced

),

retainer_months as (

    select * from intermediate.int_retainer_usage

),

milestones as (

    select * from staging.stg_milestones

),

fx as (

    select * from staging.stg_fx_rates

),

firm as (

    select * from intermediate.int_firm

),

contracts as (

    select
        projects.*,
        currencies.contract_currency,
    from projects
    join currencies using (project_id)

),

billable_days as (

    select
        project_id,
        work_month as month,
        work_date,
        sum(duration_seconds)::bigint as billable_seconds,
        sum(coalesce(std_value, 0)) as std_value,
    from entries
    where is_billable_client
    group by all

),

time_and_materials as (

    select
        c.project_id,
        b.month as revenue_month,
        null::varchar as milestone_id,
        b.work_date as recognized_on,
        round(b.billable_seconds / 3600, 6)::decimal(38,6) as billable_hours,
        null::varchar as contract_currency,
        null::decimal(18,6) as fx_rate,
        null::decimal(38,8) as revenue_native,
        b.std_value::decimal(38,8) as revenue,
    from contracts c
    join billable_days b using (project_id)
    where c.billing_model = 'time_and_materials'

),

fixed_fee_cumulative as (

    select
        c.project_id,
        c.contract_currency,
        b.month,
        b.work_date,
        b.billable_seconds,
        sum(b.billable_seconds) over (partition by c.project_id order by b.work_date) as cumulative_seconds,
        c.budget_hours * 3600 as budget_seconds,
        c.contract_value,
    from contracts c
    join billable_days b using (project_id)
    where c.billing_model = 'fixed_fee'

),

fixed_fee_earned as (

    select
        *,
        -- earned to date in the contract currency; no budget → nothing can be recognized (a warn test flags it)
        case
            when contract_value is null or budget_seconds is null then 0
            when cumulative_seconds >= budget_seconds then contract_value
            else round(contract_value * cumulative_seconds / budget_seconds, 6)
        end::decimal(38,6) as earned_to_date,
    from fixed_fee_cumulative

),

fixed_fee as (

    select
        e.project_id,
        e.month as revenue_month,
        null::varchar as milestone_id,
        e.work_date as recognized_on,
        round(e.billable_seconds / 3600, 6)::decimal(38,6) as billable_hours,
        round(e.cumulative_seconds / 3600, 6)::decimal(38,6) as cumulative_billable_hours,
        e.earned_to_date as earned_to_date_native,
        e.contract_currency,
        case when e.contract_currency = firm.reporting_currency then 1 else fx.rate_to_reporting end as fx_rate,
        (e.earned_to_date - coalesce(lag(e.earned_to_date) over (partition by e.project_id order by e.work_date), 0))::decimal(38,8)
            as revenue_native,
        round(revenue_native * fx_rate, 8)::decimal(38,8) as revenue,
    from fixed_fee_earned e
    cross join firm
    asof left join fx
        on fx.currency = e.contract_currency and e.month >= fx.rate_date

),

retainer as (

    select
        project_id,
        month as revenue_month,
        null::varchar as milestone_id,
        month as recognized_on,
        billable_hours,
        contract_currency,
        fx_rate,
        (fee_native + overage_amount_native)::decimal(38,8) as revenue_native,
        revenue::decimal(38,8) as revenue,
    from retainer_months

),

signed_off as (

    select
        m.project_id,
        m.milestone_id,
        m.signed_off_date,
        m.amount,
        c.contract_currency,
    from milestones m
    join contracts c using (project_id)
    where c.billing_model = 'milestone'
        and m.signed_off_date is not null

),

milestone as (

    select
        s.project_id,
        date_trunc('month', s.signed_off_date)::date as revenue_month,
        s.milestone_id,
        s.signed_off_date as recognized_on,
        null::decimal(38,6) as billable_hours,
        s.contract_currency,
        case when s.contract_currency = firm.reporting_currency then 1 else fx.rate_to_reporting end as fx_rate,
        s.amount::decimal(38,8) as revenue_native,
        (s.amount * fx_rate)::decimal(38,8) as revenue,
    from signed_off s
    cross join firm
    asof left join fx
        on fx.currency = s.contract_currency and s.signed_off_date >= fx.rate_date

),

unioned as (

    select * from time_and_materials
    union all by name
    select * from fixed_fee
    union all by name
    select * from retainer
    union all by name
    select * from milestone

),

final as (

    select
        u.project_id,
        p.client_id,
        p.billing_model,
        p.project_type,
        u.revenue_month,
        u.milestone_id,
        u.recognized_on,
        u.billable_hours,
        u.cumulative_billable_hours,
        u.earned_to_date_native,
        u.contract_currency,
        u.fx_rate,
        u.revenue_native,
        u.revenue,
    from unioned u
    join projects p using (project_id)

)

select * from final
