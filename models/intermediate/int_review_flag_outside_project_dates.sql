-- Review-flag rule outside_project_dates: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

projects as (

    select * from staging.stg_projects

),

final as (

    select
        'outside_project_dates' as rule,
        'entry' as subject,
        'outside_project_dates:' || entries.entry_id as flag_key,
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        case
            when entries.work_date < projects.start_date
                then printf('work date %s is before the project''s start date %s', entries.work_date, projects.start_date)
            else printf('work date %s is after the project''s end date %s', entries.work_date, projects.end_date)
        end as evidence,
        json_object('work_date', entries.work_date, 'project_start_date', projects.start_date, 'project_end_date', projects.end_date) as details,
    from entries
    join projects using (project_id)
    where entries.work_date < projects.start_date
        or entries.work_date > projects.end_date

)

select * from final
