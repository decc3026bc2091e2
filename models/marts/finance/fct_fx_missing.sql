-- The conversions to the reporting currency that found no fx rate (PRODUCT.md: a missing fx rate for a
-- currency in use is named, never a crash). Every model converts with the rate of the latest date on or
-- before the date a figure needs; where there is none, the amount is left out of the figures (it counts 0,
-- as an entry without a bill rate does) and this mart names it: the currency, what needed the rate, and
-- the first and last date that found none. A rate applies from its date on, so a currency's dates without
-- one all lie before its first rate (first_rate_date; null when it has none): adding a rate on or before
-- first_date covers them all.
with entries as (

    select * from intermediate.int_entries_priced

),

billing as (

    select * from intermediate.int_billing_attributed

),

revenue as (

    select * from intermediate.int_revenue_recognized

),

fx as (

    select * from staging.stg_fx_rates

),

needs as (

    -- a bill rate or cost rate found, its conversion not
    select bill_currency as currency, 'entry_bill_rate' as need, entry_id as row_id, work_date as needed_on,
    from entries
    where bill_rate is not null and bill_rate_reporting is null

    union all

    select cost_currency, 'entry_cost_rate', entry_id, work_date,
    from entries
    where cost_rate is not null and cost_rate_reporting is null

    union all

    -- one row per document (its pieces share its date and currency)
    select distinct currency, document_type, document_id, document_date,
    from billing
    where fx_rate is null

    union all

    -- fixed-fee and retainer months (their first day, the fx date of their days' rows), signed-off milestones
    -- (the sign-off date)
    select distinct contract_currency, billing_model || '_revenue', coalesce(milestone_id, project_id || ' ' || revenue_month),
        case when milestone_id is null then revenue_month else recognized_on end,
    from revenue
    where contract_currency is not null and fx_rate is null

),

first_rates as (

    select currency, min(rate_date) as first_rate_date from fx group by currency

),

final as (

    select
        needs.currency,
        needs.need,
        min(needs.needed_on) as first_date,
        max(needs.needed_on) as last_date,
        count(*) as row_count,
        first_rates.first_rate_date,
    from needs
    left join first_rates using (currency)
    group by all

)

select * from final
order by currency, need
