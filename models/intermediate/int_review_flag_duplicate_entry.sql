-- Review-flag rule duplicate_entry: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

-- The entries that have a duplicate, found by a count alone: most have none, and naming (below) is the
-- costlier window.
in_groups as (

    select *
    from entries
    qualify count(*) over (partition by person_id, project_id, work_date, duration_seconds, notes, phase, task, activity) > 1

),

-- A group of duplicates is counted and named by windows over the group, each entry carrying the group's
-- size and its first 21 ids (itself and 20 others at most), never the whole group: a day of 200,000
-- identical entries would otherwise give each of them a list of 200,000 ids.
duplicate_candidates as (

    select
        entry_id,
        person_id,
        project_id,
        work_date,
        count(*) over duplicate_group as group_size,
        min(entry_id, 21) over duplicate_group as first_ids,
    from in_groups
    window duplicate_group as (partition by person_id, project_id, work_date, duration_seconds, notes, phase, task, activity)

),

duplicate_groups as (

    select
        *,
        list_sort(list_filter(first_ids, lambda x: x <> entry_id))[1:20] as named_ids,
        group_size - 1 as others,
    from duplicate_candidates

),

final as (

    select
        'duplicate_entry' as rule,
        'entry' as subject,
        'duplicate_entry:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        printf(
            'same person, project, date, duration, notes, phase, task and activity as %s%s',
            array_to_string(named_ids, ', '),
            case when others > len(named_ids) then printf(' and %d more', others - len(named_ids)) else '' end
        ) as evidence,
        case
            when others > len(named_ids) then json_object('duplicate_of', named_ids, 'duplicates', others)
            else json_object('duplicate_of', named_ids)
        end as details,
    from duplicate_groups

)

select * from final
