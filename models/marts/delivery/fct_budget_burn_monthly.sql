-- Budget burn of fixed_fee, milestone and retainer projects at the end of every month, from the month the
-- project starts (or its first entry, if earlier) through the horizon month: a burn-up the API can read at
-- any month-end as-of. Same definitions as marts.fct_budget_burn, evaluated at month_end instead of as_of:
-- cumulative hours through month_end, a retainer's included hours through that month, share elapsed at
-- month_end, milestones signed off by month_end.
with projects as (

    select * from staging.stg_projects

),

entries as (

    select * from intermediate.int_entries_priced

),

terms as (

    select * from staging.stg_retainer_terms

),

milestones as (

    select * from staging.stg_milestones

),

firm as (

    select * from intermediate.int_firm

),

budgeted as (

    select
        project_id,
        billing_model,
        start_date,
        end_date,
        budget_hours,
    from projects
    where billing_model in ('fixed_fee', 'milestone', 'retainer')

),

entry_months as (

    select
        project_id,
        work_month as month,
        sum(duration_seconds) as seconds,
        coalesce(sum(duration_seconds) filter (where billable), 0) as billable_seconds,
    from entries
    group by project_id, work_month

),

spans as (

    select
        budgeted.project_id,
        date_trunc('month', least(budgeted.start_date, min(entry_months.month)))::date as first_month,
        date_trunc('month', firm.horizon)::date as last_month,
    from budgeted
    cross join firm
    left join entry_months using (project_id)
    group by budgeted.project_id, budgeted.start_date, firm.horizon

),

spine as (

    select
        spans.project_id,
        m::date as month,
    from spans,
        generate_series(spans.first_month::timestamp, spans.last_month::timestamp, interval 1 month) as g(m)

),

retainer_spans as (

    select
        budgeted.project_id,
        date_trunc('month', greatest(budgeted.start_date, min(terms.effective_from)))::date as first_month,
        date_trunc('month', least(coalesce(budgeted.end_date, firm.horizon), firm.horizon))::date as last_month,
    from budgeted
    cross join firm
    join terms using (project_id)
    where budgeted.billing_model = 'retainer'
    group by budgeted.project_id, budgeted.start_date, budgeted.end_date, firm.horizon

),

retainer_months as (

    select
        retainer_spans.project_id,
        m::date as month,
    from retainer_spans,
        generate_series(retainer_spans.first_month::timestamp, retainer_spans.last_month::timestamp, interval 1 month) as g(m)

),

retainer_month_terms as (

    select
        retainer_months.project_id,
        retainer_months.month,
        terms.included_hours,
    from retainer_months
    join terms
        on terms.project_id = retainer_months.project_id
        and date_trunc('month', terms.effective_from) <= retainer_months.month
    -- the term in force in a month: the latest that starts in or before it
    qualify row_number() over (partition by retainer_months.project_id, retainer_months.month order by terms.effective_from desc) = 1

),

has_terms as (

    select distinct project_id from retainer_month_terms

),

cumulative as (

    select
        spine.project_id,
        spine.month,
        last_day(spine.month) as month_end,
        coalesce(entry_months.seconds, 0) as seconds,
        sum(coalesce(entry_months.seconds, 0)) over to_date as cumulative_seconds,
        sum(coalesce(entry_months.billable_seconds, 0)) over to_date as cumulative_billable_seconds,
        case
            when has_terms.project_id is not null
                then sum(coalesce(retainer_month_terms.included_hours, 0)) over to_date
        end as included_hours_to_date,
    from spine
    left join entry_months using (project_id, month)
    left join retainer_month_terms using (project_id, month)
    left join has_terms using (project_id)
    window to_date as (partition by spine.project_id order by spine.month rows between unbounded preceding and current row)

),

milestone_progress as (

    select
        cumulative.project_id,
        cumulative.month,
        count(milestones.milestone_id)::integer as milestones,
        count(milestones.milestone_id) filter (where milestones.signed_off_date <= cumulative.month_end)::integer as milestones_signed_off,
    from cumulative
    join milestones using (project_id)
    group by cumulative.project_id, cumulative.month

),

measured as (

    select
        cumulative.project_id,
        budgeted.billing_model,
        cumulative.month,
        cumulative.month_end,
        round(cumulative.seconds / 3600, 6)::decimal(18,6) as hours,
        round(cumulative.cumulative_seconds / 3600, 6)::decimal(18,6) as hours_used,
        round(cumulative.cumulative_billable_seconds / 3600, 6)::decimal(18,6) as billable_hours_used,
        case
            when budgeted.budget_hours is not null then 'budget_hours'
            when cumulative.included_hours_to_date is not null then 'retainer_included_hours'
        end as budget_basis,
        coalesce(budgeted.budget_hours, cumulative.included_hours_to_date) as budget_hours,
        case
            when budgeted.end_date >= budgeted.start_date
                then greatest(0, least(1, (cumulative.month_end - budgeted.start_date + 1) / (budgeted.end_date - budgeted.start_date + 1)))::double
        end as share_elapsed,
        coalesce(milestone_progress.milestones, 0) as milestones,
        coalesce(milestone_progress.milestones_signed_off, 0) as milestones_signed_off,
        (milestone_progress.milestones_signed_off / milestone_progress.milestones)::double as share_complete,
    from cumulative
    join budgeted using (project_id)
    left join milestone_progress using (project_id, month)

),

final as (

    select
        *,
        (hours_used / nullif(budget_hours, 0))::double as burn,
        case
            when share_complete > 0 then 'share_complete'
            when share_elapsed > 0 then 'linear'
        end as eac_method,
        case
            when share_complete > 0 then hours_used / greatest(share_complete, 0.01)
            when share_elapsed > 0 then hours_used / share_elapsed
        end::double as eac_hours,
        case
            when hours_used / nullif(budget_hours, 0) >= 1 then 100
            when hours_used / nullif(budget_hours, 0) >= 0.9 then 90
            when hours_used / nullif(budget_hours, 0) >= 0.75 then 75
        end as alert_level,
    from measured

)

select * from final
