-- Review-flag rule missing_day: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with person_days as (

    select * from intermediate.int_person_days

),

firm as (

    select * from intermediate.int_firm

),

entries as (

    select * from intermediate.int_entries_priced

),

logged as (

    select
        person_id,
        work_date,
        sum(duration_seconds) as seconds,
        list(entry_id order by entry_id) filter (where duration_seconds = 0) as zero_duration_entry_ids,
    from entries
    group by person_id, work_date

),

final as (

    select
        'missing_day' as rule,
        'person_day' as subject,
        'missing_day:' || person_days.person_id || ':' || person_days.work_date as flag_key,
        person_days.person_id,
        person_days.work_date,
        0 as hours,
        printf('no time logged on a working day with %g h capacity', person_days.capacity_hours) as evidence,
        json_object(
            'capacity_hours', person_days.capacity_hours,
            'zero_duration_entry_ids', coalesce(logged.zero_duration_entry_ids, []::varchar[])
        ) as details,
    from person_days
    cross join firm
    left join logged using (person_id, work_date)
    where person_days.capacity_hours > 0
        and person_days.work_date <= firm.as_of
        and coalesce(logged.seconds, 0) = 0

)

select * from final
