-- Review-flag rule billable_admin: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

final as (

    select
        'billable_admin' as rule,
        'entry' as subject,
        'billable_admin:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        'billable entry with activity admin' as evidence,
        json_object('activity', activity, 'billable', billable) as details,
    from entries
    where billable
        and activity = 'admin'

)

select * from final
