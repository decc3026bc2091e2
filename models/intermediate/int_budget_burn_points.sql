-- Budget burn of fixed_fee, milestone and retainer projects, defined once and evaluated at points in time:
-- every day of every month from the month the project starts (or of its first entry, if earlier) through the
-- horizon month (point = 'day': what a report as of any day up to the horizon reads; the month ends among
-- them are the burn-up), and the firm's as_of (point = 'as_of', for every budgeted project, started or not).
-- At point_date:
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
-- Entries and sign-offs are summed per project × day once and joined to the days on the day (equality joins,
-- no range join); running totals over each project's days give every figure to date, and what only changes
-- by month (hours before the month, a retainer's included hours) is taken once per month. The cost grows
-- with days and entries, never with their product.
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

milestone_counts as (

    select
        milestones.project_id,
        count(*)::integer as milestones,
        -- signed off before the project's first day point (a milestone may be signed off before it starts)
        count(*) filter (where milestones.signed_off_date < month_spans.first_month)::integer as signed_off_before_days,
        count(*) filter (where milestones.signed_off_date <= firm.as_of)::integer as signed_off_by_as_of,
    from milestones
    join month_spans using (project_id)
    cross join firm
    group by milestones.project_id

),

signed_off_days as (

    select
        project_id,
        signed_off_date,
        count(*)::integer as signed_off,
    from milestones
    where signed_off_date is not null
    group by project_id, signed_off_date

),

-- The project's months. No entry falls outside them (the first is the month of the first entry at the
-- latest, and the horizon is the last work date at the earliest), nor does a retainer month.
months as (

    select
        month_spans.project_id,
        m::date as month,
    from month_spans,
        generate_series(month_spans.first_month::timestamp, month_spans.last_month::timestamp, interval 1 month) as g(m)

),

month_entries as (

    select
        project_id,
        date_trunc('month', work_date)::date as month,
        sum(seconds) as seconds,
    from entry_days
    group by all

),

month_totals as (

    select
        months.project_id,
        months.month,
        coalesce(sum(month_entries.seconds) over before_month, 0) as seconds_before_month,
        -- Null before a retainer's first month: no budget yet; after its last, the total stays.
        last_value(retainer_to_date.included_hours_to_date ignore nulls) over to_month as included_hours_to_date,
    from months
    left join month_entries using (project_id, month)
    left join retainer_to_date using (project_id, month)
    window
        before_month as (partition by months.project_id order by months.month rows between unbounded preceding and 1 preceding),
        to_month as (partition by months.project_id order by months.month rows between unbounded preceding and current row)

),

-- Every day of those months, with what is fixed for the month.
days as (

    select
        month_totals.*,
        d::date as point_date,
    from month_totals,
        generate_series(month_totals.month::timestamp, last_day(month_totals.month)::timestamp, interval 1 day) as g(d)

),

-- What happens on each day, joined on the day ...
day_events as (

    select
        days.project_id,
        days.point_date,
        days.month,
        days.seconds_before_month,
        days.included_hours_to_date,
        coalesce(entry_days.seconds, 0) as seconds,
        coalesce(entry_days.billable_seconds, 0) as billable_seconds,
        entry_days.work_date,
        coalesce(signed_off_days.signed_off, 0) as signed_off,
    from days
    left join entry_days
        on entry_days.project_id = days.project_id
        and entry_days.work_date = days.point_date
    left join signed_off_days
        on signed_off_days.project_id = days.project_id
        and signed_off_days.signed_off_date = days.point_date

),

-- ... and the running totals through each day.
day_points as (

    select
        project_id,
        'day' as point,
        point_date,
        month,
        seconds_used,
        billable_seconds_used,
        seconds_used - seconds_before_month as month_seconds,
        last_work_date,
        included_hours_to_date,
        signed_off_in_days,
    from (
        select
            *,
            sum(seconds) over to_date as seconds_used,
            sum(billable_seconds) over to_date as billable_seconds_used,
            max(work_date) over to_date as last_work_date,
            sum(signed_off) over to_date as signed_off_in_days,
        from day_events
        window to_date as (partition by project_id order by point_date rows between unbounded preceding and current row)
    )

),

-- The firm's as_of: its day point, or, for a project whose first month is later, nothing used yet.
as_of_points as (

    select
        budgeted.project_id,
        'as_of' as point,
        firm.as_of as point_date,
        date_trunc('month', firm.as_of)::date as month,
        coalesce(day_points.seconds_used, 0) as seconds_used,
        coalesce(day_points.billable_seconds_used, 0) as billable_seconds_used,
        coalesce(day_points.month_seconds, 0) as month_seconds,
        day_points.last_work_date,
        day_points.included_hours_to_date,
    from budgeted
    cross join firm
    left join day_points
        on day_points.project_id = budgeted.project_id
        and day_points.point_date = firm.as_of

),

at_point as (

    select
        day_points.project_id,
        day_points.point,
        day_points.point_date,
        day_points.month,
        day_points.seconds_used,
        day_points.billable_seconds_used,
        day_points.month_seconds,
        day_points.last_work_date,
        day_points.included_hours_to_date,
        milestone_counts.milestones,
        (milestone_counts.signed_off_before_days + day_points.signed_off_in_days)::integer as milestones_signed_off,
    from day_points
    left join milestone_counts using (project_id)

    union all

    select
        as_of_points.project_id,
        as_of_points.point,
        as_of_points.point_date,
        as_of_points.month,
        as_of_points.seconds_used,
        as_of_points.billable_seconds_used,
        as_of_points.month_seconds,
        as_of_points.last_work_date,
        as_of_points.included_hours_to_date,
        milestone_counts.milestones,
        milestone_counts.signed_off_by_as_of as milestones_signed_off,
    from as_of_points
    left join milestone_counts using (project_id)

),

measured as (

    select
        at_point.project_id,
        budgeted.billing_model,
        at_point.point,
        at_point.point_date,
        at_point.month,
        round(at_point.month_seconds / 3600, 6)::decimal(18,6) as month_hours,
        round(at_point.seconds_used / 3600, 6)::decimal(18,6) as hours_used,
        round(at_point.billable_seconds_used / 3600, 6)::decimal(18,6) as billable_hours_used,
        at_point.last_work_date,
        case
            when budgeted.budget_hours is not null then 'budget_hours'
            when at_point.included_hours_to_date is not null then 'retainer_included_hours'
        end as budget_basis,
        coalesce(budgeted.budget_hours, at_point.included_hours_to_date) as budget_hours,
        case
            when budgeted.end_date >= budgeted.start_date
                then greatest(0, least(1, (at_point.point_date - budgeted.start_date + 1) / (budgeted.end_date - budgeted.start_date + 1)))::double
        end as share_elapsed,
        coalesce(at_point.milestones, 0) as milestones,
        coalesce(at_point.milestones_signed_off, 0) as milestones_signed_off,
        -- Null without milestones; 0 while none is signed off.
        (at_point.milestones_signed_off / at_point.milestones)::double as share_complete,
    from at_point
    join budgeted using (project_id)

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
        billing_model,
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
