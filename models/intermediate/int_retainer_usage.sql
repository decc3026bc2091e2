-- Retainer hours and fees per project × month (PRODUCT.md "Revenue recognized", retainer).
--   months:   every month from the later of start_date and the first term's effective_from through the
--             earlier of end_date and the horizon (int_firm); the marts stop at the as-of month.
--   term:     the latest term whose effective_from falls in or before the month, so a term that starts
--             mid-month governs that whole month and a month never pays two fees.
--   hours:    billable client entries of every status in the month, counted in seconds so that the
--             allocation below is exact.
--   rollover: a month's billable hours use its own included_hours first, then the unused included hours
--             of the previous rollover_months months (of the month's own term), oldest first; the rest is
--             overage. What a month leaves unused can be consumed by later months, so the allocation is
--             sequential: a recursive CTE walks each project's months in order carrying the list of unused
--             seconds of every earlier month (index = month number), and each step takes from the window
--             of the last rollover_months entries oldest first.
with recursive projects as (

    select * from staging.stg_projects

),

currencies as (

    select * from intermediate.int_project_currency

),

terms as (

    select * from staging.stg_retainer_terms

),

entries as (

    select * from intermediate.int_entries_priced

),

fx as (

    select * from staging.stg_fx_rates

),

firm as (

    select * from intermediate.int_firm

),

first_terms as (

    select
        project_id,
        min(effective_from) as first_effective_from,
    from terms
    group by all

),

retainers as (

    select
        projects.project_id,
        projects.client_id,
        currencies.contract_currency,
        date_trunc('month', greatest(projects.start_date, first_terms.first_effective_from))::date as first_month,
        date_trunc('month', least(coalesce(projects.end_date, firm.horizon), firm.horizon))::date as last_month,
    from projects
    join currencies using (project_id)
    join first_terms using (project_id)
    cross join firm
    where projects.billing_model = 'retainer'

),

months as (

    select
        retainers.project_id,
        retainers.client_id,
        retainers.contract_currency,
        m::date as month,
        row_number() over (partition by retainers.project_id order by m) as month_number,
    from retainers,
        generate_series(retainers.first_month::timestamp, retainers.last_month::timestamp, interval 1 month) as g(m)

),

term_months as (

    select
        *,
        date_trunc('month', effective_from)::date as term_month,
    from terms
    -- two terms starting in the same month: the later one governs it
    qualify row_number() over (partition by project_id, term_month order by effective_from desc) = 1

),

billable as (

    select
        project_id,
        work_month as month,
        sum(duration_seconds)::bigint as billable_seconds,
    from entries
    -- only retainers' months read them: a refresh of one project then reads that project's entries, if any
    where is_billable_client and billing_model = 'retainer'
    group by all

),

month_terms as (

    select
        months.*,
        t.effective_from as term_effective_from,
        t.monthly_fee,
        t.included_hours,
        t.overage_rate,
        t.rollover_months,
        (t.included_hours * 3600)::decimal(38,4) as included_seconds,
        coalesce(billable.billable_seconds, 0)::decimal(38,4) as billable_seconds,
    from months
    asof join term_months t
        on t.project_id = months.project_id and months.month >= t.term_month
    left join billable
        on billable.project_id = months.project_id and billable.month = months.month

),

-- unused: seconds of included time each earlier month still has unused (index = month_number).
allocated as (

    select
        project_id,
        month_number,
        least(billable_seconds, included_seconds) as own_used_seconds,
        0::decimal(38,4) as rollover_available_seconds,
        0::decimal(38,4) as rollover_used_seconds,
        billable_seconds - least(billable_seconds, included_seconds) as overage_seconds,
        [included_seconds - least(billable_seconds, included_seconds)] as unused,
    from month_terms
    where month_number = 1

    union all

    select
        project_id,
        month_number,
        own_used_seconds,
        coalesce(list_sum(rollover_window), 0) as rollover_available_seconds,
        coalesce(list_sum(taken), 0) as rollover_used_seconds,
        need_seconds - coalesce(list_sum(taken), 0) as overage_seconds,
        unused[1:window_start - 1]
            || list_transform(rollover_window, lambda x, i: x - taken[i])
            || [included_seconds - own_used_seconds] as unused,
    from (
        select
            *,
            -- oldest first: each earlier month gives what is still needed after the older ones gave theirs
            list_transform(
                rollover_window,
                lambda x, i: least(x, greatest(0, need_seconds - coalesce(list_sum(rollover_window[1:i - 1]), 0)))
            ) as taken,
        from (
            select
                m.project_id,
                m.month_number,
                m.included_seconds,
                least(m.billable_seconds, m.included_seconds) as own_used_seconds,
                m.billable_seconds - least(m.billable_seconds, m.included_seconds) as need_seconds,
                greatest(1, len(a.unused) - m.rollover_months + 1) as window_start,
                a.unused[greatest(1, len(a.unused) - m.rollover_months + 1):len(a.unused)] as rollover_window,
                a.unused,
            from allocated a
            join month_terms m
                on m.project_id = a.project_id and m.month_number = a.month_number + 1
        )
    )

),

converted as (

    select
        m.project_id,
        m.client_id,
        m.month,
        m.month_number,
        m.term_effective_from,
        m.monthly_fee,
        m.included_hours,
        m.overage_rate,
        m.rollover_months,
        round(m.billable_seconds / 3600, 6)::decimal(38,6) as billable_hours,
        round(a.own_used_seconds / 3600, 6)::decimal(38,6) as included_used_hours,
        round((m.included_seconds - a.own_used_seconds) / 3600, 6)::decimal(38,6) as included_unused_hours,
        round(a.rollover_available_seconds / 3600, 6)::decimal(38,6) as rollover_available_hours,
        round(a.rollover_used_seconds / 3600, 6)::decimal(38,6) as rollover_used_hours,
        round(a.overage_seconds / 3600, 6)::decimal(38,6) as overage_hours,
        m.contract_currency,
        case when m.contract_currency = firm.reporting_currency then 1 else fx.rate_to_reporting end as fx_rate,
        m.monthly_fee::decimal(38,2) as fee_native,
        round(m.overage_rate * a.overage_seconds / 3600, 6)::decimal(38,6) as overage_amount_native,
    from month_terms m
    join allocated a using (project_id, month_number)
    cross join firm
    asof left join fx
        on fx.currency = m.contract_currency and m.month >= fx.rate_date

),

final as (

    select
        project_id,
        client_id,
        month,
        term_effective_from,
        monthly_fee,
        included_hours,
        overage_rate,
        rollover_months,
        billable_hours,
        included_used_hours,
        included_unused_hours,
        rollover_available_hours,
        rollover_used_hours,
        overage_hours,
        contract_currency,
        fx_rate,
        fee_native,
        overage_amount_native,
        (fee_native * fx_rate)::decimal(38,8) as fee,
        round(overage_amount_native * fx_rate, 8)::decimal(38,8) as overage_amount,
        (fee_native * fx_rate)::decimal(38,8) + round(overage_amount_native * fx_rate, 8)::decimal(38,8) as revenue,
    from converted

)

select * from final
