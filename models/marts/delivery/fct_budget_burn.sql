-- Budget burn of fixed_fee, milestone and retainer projects at the firm's as_of date.
--   budget:          budget_hours; for a retainer without one, the included hours of its terms to date
--                    (every month from the later of start_date and the first term through the earlier of
--                    end_date and the as-of month, each month the included_hours of the latest term that
--                    starts in or before it — the months int_retainer_usage bills).
--   hours used:      every entry on the project with work_date ≤ as_of, billable or not, every status.
--   share elapsed:   (as_of − start_date + 1) / (end_date − start_date + 1) in days, clamped to [0, 1];
--                    null without an end date.
--   share complete:  milestones signed off on or before as_of / all the project's milestones; null
--                    without milestones.
--   EAC:             hours used / max(share complete, ε) when a share complete is known and > 0, else the
--                    linear forecast hours used / share elapsed.
--   alert:           the highest of 75, 90, 100 that burn (hours used / budget) has reached.
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
        projects.project_id,
        projects.client_id,
        projects.manager_id,
        projects.billing_model,
        projects.status,
        projects.start_date,
        projects.end_date,
        projects.budget_hours,
        firm.as_of,
    from projects
    cross join firm
    where projects.billing_model in ('fixed_fee', 'milestone', 'retainer')

),

used as (

    select
        entries.project_id,
        sum(entries.duration_seconds) as used_seconds,
        coalesce(sum(entries.duration_seconds) filter (where entries.billable), 0) as billable_used_seconds,
        max(entries.work_date) as last_work_date,
    from entries
    cross join firm
    where entries.work_date <= firm.as_of
    group by entries.project_id

),

retainer_spans as (

    select
        budgeted.project_id,
        date_trunc('month', greatest(budgeted.start_date, min(terms.effective_from)))::date as first_month,
        date_trunc('month', least(coalesce(budgeted.end_date, budgeted.as_of), budgeted.as_of))::date as last_month,
    from budgeted
    join terms using (project_id)
    where budgeted.billing_model = 'retainer'
    group by budgeted.project_id, budgeted.start_date, budgeted.end_date, budgeted.as_of

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

retainer_included as (

    select
        project_id,
        sum(included_hours) as included_hours_to_date,
    from retainer_month_terms
    group by project_id

),

milestone_progress as (

    select
        milestones.project_id,
        count(*)::integer as milestones,
        count(*) filter (where milestones.signed_off_date <= firm.as_of)::integer as milestones_signed_off,
    from milestones
    cross join firm
    group by milestones.project_id

),

measured as (

    select
        budgeted.*,
        round(coalesce(used.used_seconds, 0) / 3600, 6)::decimal(18,6) as hours_used,
        round(coalesce(used.billable_used_seconds, 0) / 3600, 6)::decimal(18,6) as billable_hours_used,
        used.last_work_date,
        retainer_included.included_hours_to_date,
        case
            when budgeted.budget_hours is not null then 'budget_hours'
            when retainer_included.included_hours_to_date is not null then 'retainer_included_hours'
        end as budget_basis,
        coalesce(budgeted.budget_hours, retainer_included.included_hours_to_date) as budget_hours_to_date,
        case
            when budgeted.end_date >= budgeted.start_date
                then greatest(0, least(1, (budgeted.as_of - budgeted.start_date + 1) / (budgeted.end_date - budgeted.start_date + 1)))::double
        end as share_elapsed,
        coalesce(milestone_progress.milestones, 0) as milestones,
        coalesce(milestone_progress.milestones_signed_off, 0) as milestones_signed_off,
        (milestone_progress.milestones_signed_off / milestone_progress.milestones)::double as share_complete,
    from budgeted
    left join used using (project_id)
    left join retainer_included using (project_id)
    left join milestone_progress using (project_id)

),

forecast as (

    select
        *,
        case
            when share_complete > 0 then 'share_complete'
            when share_elapsed > 0 then 'linear'
        end as eac_method,
        case
            when share_complete > 0 then hours_used / greatest(share_complete, 0.01)
            when share_elapsed > 0 then hours_used / share_elapsed
        end::double as eac_hours,
        (hours_used / nullif(budget_hours_to_date, 0))::double as burn,
    from measured

),

final as (

    select
        project_id,
        client_id,
        manager_id,
        billing_model,
        status,
        start_date,
        end_date,
        as_of,
        budget_basis,
        budget_hours_to_date as budget_hours,
        hours_used,
        billable_hours_used,
        budget_hours_to_date - hours_used as remaining_hours,
        burn,
        share_elapsed,
        milestones,
        milestones_signed_off,
        share_complete,
        eac_method,
        eac_hours,
        eac_hours / nullif(budget_hours_to_date, 0)::double as eac_burn,
        case
            when burn >= 1 then 100
            when burn >= 0.9 then 90
            when burn >= 0.75 then 75
        end as alert_level,
        last_work_date,
    from forecast

)

select * from final
