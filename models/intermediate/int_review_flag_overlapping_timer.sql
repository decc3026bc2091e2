-- Review-flag rule overlapping_timer: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

timed as (

    select
        entry_id,
        person_id,
        project_id,
        work_date,
        started_at,
        ended_at,
    from entries
    where started_at is not null
        and ended_at is not null

),

-- A sweep per person in order of started_at keeps the counting and naming below to entries that overlap
-- something: one that starts before an earlier-starting entry has ended, or ends after a later-starting
-- one has begun.
timer_candidates as (

    select *
    from timed
    qualify started_at < max(ended_at) over (
            partition by person_id order by started_at, entry_id
            rows between unbounded preceding and 1 preceding
        )
        or ended_at > min(started_at) over (
            partition by person_id order by started_at, entry_id
            rows between 1 following and unbounded following
        )

),

-- How many candidates overlap each one, counted without pairing them (a pairwise join grows with the
-- square of a person's timers): those that start before it ends, less those that ended by its start,
-- less itself; a zero-length timer at its own instant is in the second count but not the first, so those
-- are added back. A candidate's overlaps are all candidates, so counting among candidates is exact.
timer_starts as (

    select
        person_id,
        started_at as at,
        sum(count(*)) over (partition by person_id order by started_at) as started,
    from timer_candidates
    group by person_id, started_at

),

timer_ends as (

    select
        person_id,
        ended_at as at,
        sum(count(*)) over (partition by person_id order by ended_at) as ended,
    from timer_candidates
    group by person_id, ended_at

),

timer_counts as (

    select
        c.entry_id,
        coalesce(s.started, 0)
            - coalesce(e.ended, 0)
            + case when c.started_at = c.ended_at then count(*) over (partition by c.person_id, c.started_at, c.ended_at) else 0 end
            - case when c.started_at < c.ended_at then 1 else 0 end as overlap_count,
    from timer_candidates c
    asof left join timer_starts s
        on s.person_id = c.person_id and c.ended_at > s.at
    asof left join timer_ends e
        on e.person_id = c.person_id and c.started_at >= e.at

),

-- The overlapping entries named, up to 20, in order of started_at. In order of started_at, then ended_at,
-- the later ones that overlap an entry are those that start before it ends: they follow it directly, so
-- they are among the next 20. The earlier ones that overlap it are those that end after it starts: they
-- are among the 20 earlier ones that end last. So with 20 or fewer overlaps every one is named, with more
-- 20 are, and no pair of timers is ever compared.
timer_ranked as (

    select
        *,
        -- Ends in order, ties by entry: which earlier ones "end last" is then the same on every build.
        row_number() over (partition by person_id order by ended_at, entry_id) as end_rank,
    from timer_candidates

),

timer_neighbours as (

    select
        person_id,
        entry_id,
        started_at,
        ended_at,
        list({'started_at': started_at, 'entry_id': entry_id, 'ended_at': ended_at}) over later_ones as later,
        max_by({'started_at': started_at, 'entry_id': entry_id, 'ended_at': ended_at}, end_rank, 20) over earlier_ones as earlier,
    from timer_ranked
    window
        later_ones as (partition by person_id order by started_at, ended_at, entry_id rows between 1 following and 20 following),
        earlier_ones as (partition by person_id order by started_at, ended_at, entry_id rows between unbounded preceding and 1 preceding)

),

timer_overlaps as (

    select
        n.entry_id,
        list_transform(
            list_sort(list_filter(
                coalesce(n.earlier, []) || coalesce(n.later, []),
                lambda x: x.started_at < n.ended_at and n.started_at < x.ended_at
            ))[1:20],
            lambda x: x.entry_id
        ) as overlapping_ids,
        c.overlap_count,
    from timer_neighbours n
    join timer_counts c using (entry_id)
    where c.overlap_count > 0

),

final as (

    select
        'overlapping_timer' as rule,
        'entry' as subject,
        'overlapping_timer:' || timed.entry_id as flag_key,
        timed.entry_id,
        timed.person_id,
        timed.project_id,
        timed.work_date,
        printf(
            'timer %s–%s overlaps %s%s',
            strftime(timed.started_at, '%Y-%m-%dT%H:%M:%SZ'),
            strftime(timed.ended_at, '%Y-%m-%dT%H:%M:%SZ'),
            array_to_string(timer_overlaps.overlapping_ids, ', '),
            case
                when timer_overlaps.overlap_count > len(timer_overlaps.overlapping_ids)
                    then printf(' and %d more', timer_overlaps.overlap_count - len(timer_overlaps.overlapping_ids))
                else ''
            end
        ) as evidence,
        case
            when timer_overlaps.overlap_count > len(timer_overlaps.overlapping_ids) then json_object(
                'started_at', strftime(timed.started_at, '%Y-%m-%dT%H:%M:%SZ'),
                'ended_at', strftime(timed.ended_at, '%Y-%m-%dT%H:%M:%SZ'),
                'overlaps', timer_overlaps.overlapping_ids,
                'overlap_count', timer_overlaps.overlap_count
            )
            else json_object(
                'started_at', strftime(timed.started_at, '%Y-%m-%dT%H:%M:%SZ'),
                'ended_at', strftime(timed.ended_at, '%Y-%m-%dT%H:%M:%SZ'),
                'overlaps', timer_overlaps.overlapping_ids
            )
        end as details,
    from timed
    join timer_overlaps using (entry_id)

)

select * from final
