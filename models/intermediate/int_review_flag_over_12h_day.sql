-- Review-flag rule over_12h_day: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

long_days as (

    select
        person_id,
        work_date,
        sum(duration_seconds) as seconds,
        list(entry_id order by entry_id) as entry_ids,
    from entries
    group by person_id, work_date
    having sum(duration_seconds) > 12 * 3600

),

final as (

    select
        'over_12h_day' as rule,
        'person_day' as subject,
        'over_12h_day:' || person_id || ':' || work_date as flag_key,
        person_id,
        work_date,
        seconds / 3600 as hours,
        printf('%g h logged in one day (entries %s)', round(seconds / 3600, 2), array_to_string(entry_ids, ', ')) as evidence,
        json_object('hours', round(seconds / 3600, 6), 'limit_hours', 12, 'entry_ids', entry_ids) as details,
    from long_days

)

select * from final
