-- Review-flag rule closed_project: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with closed_projects as (

    select * from staging.stg_projects where status = 'closed'

),

entries as (

    select * from intermediate.int_entries_priced

),

final as (

    select
        'closed_project' as rule,
        'entry' as subject,
        'closed_project:' || entries.entry_id as flag_key,
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        printf('%s entry on closed project %s', entries.status, entries.project_id) as evidence,
        json_object('entry_status', entries.status, 'project_status', closed_projects.status, 'project_end_date', closed_projects.end_date) as details,
    from entries
    join closed_projects using (project_id)
    where entries.status in ('draft', 'submitted')

)

select * from final
