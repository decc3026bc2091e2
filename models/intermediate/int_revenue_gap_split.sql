-- Billable value − revenue recognized (the leak below the funnel's stage 3) split into the three parts of
-- PRODUCT.md "The margin funnel", source row by source row, so that the funnel (marts.fct_margin_funnel) and
-- its drill-down (marts.fct_funnel_rows) add up the same pieces:
--   budget_overrun    fixed fee: std value of billable hours beyond budget_hours, counted in work-date order;
--                     retainer: std value of the month's overage hours (its last billable hours in work-date
--                     order) less the overage revenue, in the months where that is positive (max(0, …) per
--                     month: an overrun is never netted against a gain);
--   price_difference  the rest of a fixed-fee or retainer project's gap: its other billable entries less its
--                     revenue (the contract's rate below or above the rate card; a retainer fee with no hours);
--   awaiting_signoff  milestone: + std value of billable entries, − milestone revenue at its sign-off.
-- Time-and-materials revenue is the std value of its entries: no gap, no rows.
-- The day that crosses the budget (or the start of the overage) shares its excess among its entries pro rata
-- by seconds, so such an entry has a row in budget_overrun and one in price_difference; each share is
-- rounded to 1e-8 with integers only and the rest is the entry's std value less it, so an entry's rows add
-- up to its std value exactly and every part reconciles to the funnel.
-- Each row counts for a report from its accrued_on: an entry's work date, a revenue row's recognized_on.
with entries as (

    select * from intermediate.int_entries_priced

),

projects as (

    select * from staging.stg_projects

),

revenue as (

    select * from intermediate.int_revenue_recognized

),

retainer_months as (

    select * from intermediate.int_retainer_usage

),

billable as (

    select
        entry_id,
        person_id,
        project_id,
        client_id,
        billing_model,
        work_date,
        work_month,
        work_week,
        duration_seconds,
        hours,
        -- an entry without a rate counts 0, as in every value stage
        coalesce(std_value, 0) as std_value,
    from entries
    where is_billable_client
        and billing_model in ('fixed_fee', 'retainer', 'milestone')

),

billable_days as (

    select
        project_id,
        billing_model,
        work_month,
        work_date,
        sum(duration_seconds)::bigint as day_seconds,
    from billable
    where billing_model in ('fixed_fee', 'retainer')
    group by all

),

-- Seconds of each day beyond what the contract covers.
--   fixed fee: cumulative billable seconds in work-date order beyond budget_hours; a project without
--              budget_hours has no budget to overrun (its revenue is nothing, a price difference).
--   retainer:  the day's seconds among the month's overage hours, which are its last billable hours: what
--              the days after it leave of the overage. overage_hours is rounded to 6 decimals of an hour;
--              the overage in seconds has at most 2 decimals (whole seconds less included hours of at most
--              4 decimals × 3600), and the rounding is under 0.002 s, so rounding back to 2 decimals
--              restores it exactly.
over_days as (

    select
        d.project_id,
        d.work_date,
        d.day_seconds,
        greatest(0, least(
            d.day_seconds,
            case d.billing_model
                when 'fixed_fee'
                    then sum(d.day_seconds) over (partition by d.project_id order by d.work_date) - p.budget_hours * 3600
                when 'retainer'
                    then round(r.overage_hours * 3600, 2)
                        - coalesce(sum(d.day_seconds) over (
                            partition by d.project_id, d.work_month order by d.work_date desc
                            rows between unbounded preceding and 1 preceding
                        ), 0)
            end
        ))::decimal(38,4) as over_seconds,
    from billable_days d
    left join projects p on p.project_id = d.project_id and d.billing_model = 'fixed_fee'
    left join retainer_months r on r.project_id = d.project_id and r.month = d.work_month and d.billing_model = 'retainer'
    where p.budget_hours is not null or r.project_id is not null

),

-- Each entry's share of its day's excess, pro rata by seconds: std × over ÷ day seconds, rounded half up
-- to 1e-8 in integers (std_value has 6 decimals, over_seconds 2).
entry_shares as (

    select
        b.*,
        coalesce(o.over_seconds, 0) as day_over_seconds,
        o.day_seconds,
        case
            when coalesce(o.over_seconds, 0) = 0 then 0
            when o.over_seconds = o.day_seconds then b.std_value
            else (
                ((b.std_value * 1000000)::hugeint * (o.over_seconds * 100)::hugeint * 200 + o.day_seconds * 100)
                    // (o.day_seconds * 200)
            ) * 0.00000001
        end::decimal(18,8) as over_value,
        case
            when coalesce(o.over_seconds, 0) = 0 then 0
            else b.duration_seconds * o.over_seconds / o.day_seconds / 3600
        end as over_hours,
    from billable b
    left join over_days o using (project_id, work_date)

),

-- A retainer month's overrun: the std value of its overage hours less the overage revenue, when positive.
retainer_overrun as (

    select
        r.project_id,
        r.month,
        coalesce(r.fee, 0) as fee,
        coalesce(r.overage_amount, 0) as overage_revenue,
        coalesce(s.overage_value, 0) > coalesce(r.overage_amount, 0) as is_overrun,
    from retainer_months r
    left join (
        select project_id, work_month as month, sum(over_value) as overage_value,
        from entry_shares
        where billing_model = 'retainer'
        group by all
    ) s using (project_id, month)

),

entry_parts as (

    select
        e.*,
        -- fixed fee: every hour beyond the budget; retainer: the overage hours, in a month they overrun
        e.billing_model = 'fixed_fee' or coalesce(r.is_overrun, false) as counts_over,
    from entry_shares e
    left join retainer_overrun r on r.project_id = e.project_id and r.month = e.work_month

),

-- An entry's two parts: its share beyond the budget (fixed fee; retainer: in a month its overage overruns),
-- and the rest of its std value.
entry_rows as (

    select
        split.part,
        e.client_id,
        e.project_id,
        e.billing_model,
        e.work_month as month,
        e.work_date as accrued_on,
        'entry' as row_type,
        e.entry_id,
        e.person_id,
        e.work_date,
        e.work_week,
        null::varchar as milestone_id,
        round(split.hours, 6)::decimal(18,6) as hours,
        split.amount::decimal(18,8) as amount,
    from entry_parts e
    cross join lateral (values
        (e.counts_over and e.day_over_seconds > 0, 'budget_overrun', e.over_hours, e.over_value),
        (
            -- an entry wholly beyond the budget has nothing left here
            not (e.counts_over and e.day_over_seconds > 0 and e.day_over_seconds = e.day_seconds),
            case when e.billing_model = 'milestone' then 'awaiting_signoff' else 'price_difference' end,
            case when e.counts_over then e.hours - e.over_hours else e.hours end,
            case when e.counts_over then e.std_value - e.over_value else e.std_value end,
        ),
    ) as split(is_present, part, hours, amount)
    where split.is_present

),

-- A revenue row against its project's entries: fixed fee, the month's revenue; milestone, each milestone at
-- its sign-off; retainer, the overage revenue against the overage hours in a month they overrun and the fee
-- against the rest, otherwise fee and overage revenue together against all its hours.
revenue_rows as (

    select
        split.part,
        v.client_id,
        v.project_id,
        v.billing_model,
        v.revenue_month as month,
        v.recognized_on as accrued_on,
        'revenue' as row_type,
        split.milestone_id,
        split.amount::decimal(18,8) as amount,
    from revenue v
    left join retainer_overrun o on o.project_id = v.project_id and o.month = v.revenue_month
    cross join lateral (values
        (
            v.billing_model in ('fixed_fee', 'milestone'),
            case when v.billing_model = 'milestone' then 'awaiting_signoff' else 'price_difference' end,
            v.milestone_id,
            -coalesce(v.revenue, 0),
        ),
        (v.billing_model = 'retainer' and o.is_overrun, 'budget_overrun', null, -o.overage_revenue),
        (
            v.billing_model = 'retainer' and o.month is not null,
            'price_difference',
            null,
            -(o.fee + case when o.is_overrun then 0 else o.overage_revenue end),
        ),
    ) as split(is_present, part, milestone_id, amount)
    where split.is_present

),

final as (

    select * from entry_rows
    union all by name
    select * from revenue_rows

)

select * from final
