-- Review-flag rule billable_on_non_billable: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

final as (

    select
        'billable_on_non_billable' as rule,
        'entry' as subject,
        'billable_on_non_billable:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        printf('billable entry on non_billable project %s', project_id) as evidence,
        json_object('billable', billable, 'billing_model', billing_model) as details,
    from entries
    where billable
        and billing_model = 'non_billable'

)

select * from final
