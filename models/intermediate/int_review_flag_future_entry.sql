-- Review-flag rule future_entry: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

firm as (

    select * from intermediate.int_firm

),

final as (

    select
        'future_entry' as rule,
        'entry' as subject,
        'future_entry:' || entries.entry_id as flag_key,
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        printf('work date %s is after the as-of date %s', entries.work_date, firm.as_of) as evidence,
        json_object('work_date', entries.work_date, 'as_of', firm.as_of) as details,
    from entries
    cross join firm
    where entries.work_date > firm.as_of

)

select * from final
