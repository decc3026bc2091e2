-- Review-flag rule zero_duration: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

final as (

    select
        'zero_duration' as rule,
        'entry' as subject,
        'zero_duration:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        'entry of zero duration' as evidence,
        json_object('duration_seconds', duration_seconds) as details,
    from entries
    where duration_seconds = 0

)

select * from final
