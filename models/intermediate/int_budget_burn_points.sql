-- Budget burn of fixed_fee, milestone and retainer projects, defined once and evaluated at points in time:
-- the end of every month from the month the project starts (or of its first entry, if earlier) through the
-- horizon month (point = 'month_end'), and the firm's as_of (point = 'as_of', any day). At point_date:
--   budget:          budget_hours; for a retainer without one, the included hours of its terms through
--                    point_date's month (every month from the later of start_date and the first term through
--                    the earlier of end_date and the horizon, each month the included_hours of the latest
--                    term that starts in or before it — the months int_retainer_usage bills).
--   hours used:      every entry on the project with work_date ≤ point_date, billable or not, every status.
--   share elapsed:   (point_date − start_date + 1) / (end_date − start_date + 1) in days, clamped to [0, 1];
--                    null without an end date.
--   share complete:  milestones signed off on or before point_date / all the project's milestones; null
--                    without milestones.
--   EAC:             hours used / max(share complete, ε) when a share complete is known and > 0, else the
--                    linear forecast hours used / share elapsed.
--   alert:           the highest of 75, 90, 100 that burn (hours used / budget) has reached.
-- Entries are summed per project × day once, then each point takes the running totals of its latest day
-- (an asof join), so the cost grows with days logged, not with days × points.
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

entry_days as (

    select
        project_id,
        work_date,
        sum(duration_seconds) as seconds,
        coalesce(sum(duration_seconds) filter (where billable), 0) as billable_seconds,
    from entries
    where billing_model in ('fixed_fee', 'milestone', 'retainer')
    group by project_id, work_date

),

entries_to_date as (

    select
        project_id,
        work_date,
        sum(seconds) over to_date as seconds_to_date,
        sum(billable_seconds) over to_date as billable_seconds_to_date,
    from entry_days
    window to_date as (partition by project_id order by work_date rows between unbounded preceding and current row)

),

month_spans as (

    select
        budgeted.project_id,
        date_trunc('month', least(budgeted.start_date, min(entry_days.work_date)))::date as first_month,
        date_trunc('month', firm.horizon)::date as last_month,
    from budgeted
    cross join firm
    left join entry_days using (project_id)
    group by budgeted.project_id, budgeted.start_date, firm.horizon

),

points as (

    select
        month_spans.project_id,
        'month_end' as point,
        last_day(m::date) as point_date,
        m::date as month,
    from month_spans,
        generate_series(month_spans.first_month::timestamp, month_spans.last_month::timestamp, interval 1 month) as g(m)

    union all

    select
        budgeted.project_id,
        'as_of' as point,
        firm.as_of as point_date,
        date_trunc('month', firm.as_of)::date as month,
    from budgeted
    cross join firm

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

retainer_to_date as (

    select
        project_id,
        month,
        sum(included_hours) over (partition by project_id order by month rows between unbounded preceding and current row) as included_hours_to_date,
    from retainer_month_terms

),

milestone_progress as (

    select
        points.project_id,
        points.point,
        points.point_date,
        count(*)::integer as milestones,
        count(*) filter (where milestones.signed_off_date <= points.point_date)::integer as milestones_signed_off,
    from points
    join milestones using (project_id)
    group by points.project_id, points.point, points.point_date

),

at_point as (

    select
        points.project_id,
        points.point,
        points.point_date,
        points.month,
        coalesce(used.seconds_to_date, 0) as seconds_used,
        coalesce(used.billable_seconds_to_date, 0) as billable_seconds_used,
        coalesce(used.seconds_to_date, 0) - coalesce(used_before_month.seconds_to_date, 0) as month_seconds,
        used.work_date as last_work_date,
        -- Null before a retainer's first month: no budget yet, at any point.
        retainer_to_date.included_hours_to_date,
        budgeted.start_date,
        budgeted.end_date,
        budgeted.budget_hours,
    from points
    join budgeted using (project_id)
    asof left join entries_to_date as used
        on used.project_id = points.project_id
        and used.work_date <= points.point_date
    asof left join entries_to_date as used_before_month
        on used_before_month.project_id = points.project_id
        and used_before_month.work_date < points.month
    asof left join retainer_to_date
        on retainer_to_date.project_id = points.project_id
        and retainer_to_date.month <= points.month

),

measured as (

    select
        at_point.project_id,
        at_point.point,
        at_point.point_date,
        at_point.month,
        round(at_point.month_seconds / 3600, 6)::decimal(18,6) as month_hours,
        round(at_point.seconds_used / 3600, 6)::decimal(18,6) as hours_used,
        round(at_point.billable_seconds_used / 3600, 6)::decimal(18,6) as billable_hours_used,
        at_point.last_work_date,
        case
            when at_point.budget_hours is not null then 'budget_hours'
            when at_point.included_hours_to_date is not null then 'retainer_included_hours'
        end as budget_basis,
        coalesce(at_point.budget_hours, at_point.included_hours_to_date) as budget_hours,
        case
            when at_point.end_date >= at_point.start_date
                then greatest(0, least(1, (at_point.point_date - at_point.start_date + 1) / (at_point.end_date - at_point.start_date + 1)))::double
        end as share_elapsed,
        coalesce(milestone_progress.milestones, 0) as milestones,
        coalesce(milestone_progress.milestones_signed_off, 0) as milestones_signed_off,
        (milestone_progress.milestones_signed_off / milestone_progress.milestones)::double as share_complete,
    from at_point
    left join milestone_progress using (project_id, point, point_date)

),

forecast as (

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
    from measured

),

final as (

    select
        project_id,
        point,
        point_date,
        month,
        budget_basis,
        budget_hours,
        month_hours,
        hours_used,
        billable_hours_used,
        budget_hours - hours_used as remaining_hours,
        burn,
        share_elapsed,
        milestones,
        milestones_signed_off,
        share_complete,
        eac_method,
        eac_hours,
        eac_hours / nullif(budget_hours, 0)::double as eac_burn,
        case
            when burn >= 1 then 100
            when burn >= 0.9 then 90
            when burn >= 0.75 then 75
        end as alert_level,
        last_work_date,
    from forecast

)

select * from final
