-- Review flags: one row per flagged entry (or person-day, or audit event) and rule, for the weekly PM
-- pass. Each rule is its own model, intermediate.int_review_flag_<rule>, unioned below; the .yml defines
-- every rule. A new rule is its model, its line below, and its paragraph and accepted value in the .yml.
with flags as (

    select * from intermediate.int_review_flag_missing_day
    union all by name
    select * from intermediate.int_review_flag_over_12h_day
    union all by name
    select * from intermediate.int_review_flag_future_entry
    union all by name
    select * from intermediate.int_review_flag_closed_project
    union all by name
    select * from intermediate.int_review_flag_outside_project_dates
    union all by name
    select * from intermediate.int_review_flag_billable_admin
    union all by name
    select * from intermediate.int_review_flag_billable_on_non_billable
    union all by name
    select * from intermediate.int_review_flag_unplanned_scope
    union all by name
    select * from intermediate.int_review_flag_phase_over_estimate
    union all by name
    select * from intermediate.int_review_flag_duplicate_entry
    union all by name
    select * from intermediate.int_review_flag_overlapping_timer
    union all by name
    select * from intermediate.int_review_flag_zero_duration
    union all by name
    select * from intermediate.int_review_flag_edit_after_approval

),

entries as (

    select * from intermediate.int_entries_priced

),

projects as (

    select * from staging.stg_projects

),

-- A rule names the entry it flags (entry_id), or the person-day with its hours; the entry's person, project,
-- date, hours and status are taken from the entry here, once for every rule.
final as (

    select
        flags.flag_key,
        flags.rule,
        flags.subject,
        flags.entry_id,
        coalesce(entries.person_id, flags.person_id) as person_id,
        entries.project_id,
        projects.client_id,
        projects.project_type,
        projects.manager_id,
        coalesce(entries.work_date, flags.work_date) as work_date,
        date_trunc('week', coalesce(entries.work_date, flags.work_date))::date as work_week,
        round(coalesce(entries.hours, flags.hours), 6)::decimal(18,6) as hours,
        entries.status as entry_status,
        flags.evidence,
        flags.details::json as details,
    from flags
    left join entries using (entry_id)
    left join projects on projects.project_id = entries.project_id

)

-- Stored by rule, newest work date first: the drill-down (GET /api/drill/review-flags, default order
-- work_date descending, often filtered on a rule) reads its first page from the first row groups.
select * from final
order by rule, work_date desc
