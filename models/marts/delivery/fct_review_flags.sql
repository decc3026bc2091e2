-- Review flags: one row per flagged entry (or person-day, or audit event) and rule, for the weekly PM
-- pass. Each rule is a CTE below producing the same columns; the .yml documents every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

projects as (

    select * from staging.stg_projects

),

plan_lines as (

    select * from staging.stg_plan_lines

),

person_days as (

    select * from intermediate.int_person_days

),

events as (

    select * from staging.stg_time_entry_events

),

firm as (

    select * from intermediate.int_firm

),

facts as (

    select
        entries.entry_id,
        entries.person_id,
        entries.role,
        entries.project_id,
        entries.billing_model,
        entries.phase,
        coalesce(entries.phase, '(no phase)') as phase_key,
        entries.task,
        entries.activity,
        entries.work_date,
        entries.duration_seconds,
        round(entries.duration_seconds / 3600, 6)::decimal(18,6) as hours,
        entries.billable,
        entries.notes,
        entries.status,
        entries.logged_at,
        entries.approved_at,
        entries.started_at,
        entries.ended_at,
        projects.status as project_status,
        projects.start_date as project_start_date,
        projects.end_date as project_end_date,
    from entries
    join projects using (project_id)

),

daily as (

    select
        person_id,
        work_date,
        sum(duration_seconds) as seconds,
    from facts
    group by person_id, work_date

),

zero_duration_days as (

    select
        person_id,
        work_date,
        list(entry_id order by entry_id) as entry_ids,
    from facts
    where duration_seconds = 0
    group by person_id, work_date

),

long_days as (

    select
        daily.person_id,
        daily.work_date,
        daily.seconds,
        list(facts.entry_id order by facts.entry_id) as entry_ids,
    from daily
    join facts using (person_id, work_date)
    where daily.seconds > 12 * 3600
    group by daily.person_id, daily.work_date, daily.seconds

),

missing_day as (

    select
        'missing_day' as rule,
        'person_day' as subject,
        'missing_day:' || person_days.person_id || ':' || person_days.work_date as flag_key,
        null::varchar as entry_id,
        person_days.person_id,
        null::varchar as project_id,
        person_days.work_date,
        0::decimal(18,6) as hours,
        null::varchar as entry_status,
        printf('no time logged on a working day with %g h capacity', person_days.capacity_hours) as evidence,
        json_object(
            'capacity_hours', person_days.capacity_hours,
            'zero_duration_entry_ids', coalesce(zero_duration_days.entry_ids, []::varchar[])
        ) as details,
    from person_days
    cross join firm
    left join daily using (person_id, work_date)
    left join zero_duration_days using (person_id, work_date)
    where person_days.capacity_hours > 0
        and person_days.work_date <= firm.as_of
        and coalesce(daily.seconds, 0) = 0

),

over_12h_day as (

    select
        'over_12h_day' as rule,
        'person_day' as subject,
        'over_12h_day:' || person_id || ':' || work_date as flag_key,
        null::varchar as entry_id,
        person_id,
        null::varchar as project_id,
        work_date,
        round(seconds / 3600, 6)::decimal(18,6) as hours,
        null::varchar as entry_status,
        printf('%g h logged in one day (entries %s)', round(seconds / 3600, 2), array_to_string(entry_ids, ', ')) as evidence,
        json_object('hours', round(seconds / 3600, 6), 'limit_hours', 12, 'entry_ids', entry_ids) as details,
    from long_days

),

future_entry as (

    select
        'future_entry' as rule,
        'entry' as subject,
        'future_entry:' || facts.entry_id as flag_key,
        facts.entry_id,
        facts.person_id,
        facts.project_id,
        facts.work_date,
        facts.hours,
        facts.status as entry_status,
        printf('work date %s is after the as-of date %s', facts.work_date, firm.as_of) as evidence,
        json_object('work_date', facts.work_date, 'as_of', firm.as_of) as details,
    from facts
    cross join firm
    where facts.work_date > firm.as_of

),

closed_project as (

    select
        'closed_project' as rule,
        'entry' as subject,
        'closed_project:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        printf('%s entry on closed project %s', status, project_id) as evidence,
        json_object('entry_status', status, 'project_status', project_status, 'project_end_date', project_end_date) as details,
    from facts
    where project_status = 'closed'
        and status in ('draft', 'submitted')

),

outside_project_dates as (

    select
        'outside_project_dates' as rule,
        'entry' as subject,
        'outside_project_dates:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        case
            when work_date < project_start_date
                then printf('work date %s is before the project''s start date %s', work_date, project_start_date)
            else printf('work date %s is after the project''s end date %s', work_date, project_end_date)
        end as evidence,
        json_object('work_date', work_date, 'project_start_date', project_start_date, 'project_end_date', project_end_date) as details,
    from facts
    where work_date < project_start_date
        or work_date > project_end_date

),

billable_admin as (

    select
        'billable_admin' as rule,
        'entry' as subject,
        'billable_admin:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        'billable entry with activity admin' as evidence,
        json_object('activity', activity, 'billable', billable) as details,
    from facts
    where billable
        and activity = 'admin'

),

billable_on_non_billable as (

    select
        'billable_on_non_billable' as rule,
        'entry' as subject,
        'billable_on_non_billable:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        printf('billable entry on non_billable project %s', project_id) as evidence,
        json_object('billable', billable, 'billing_model', billing_model) as details,
    from facts
    where billable
        and billing_model = 'non_billable'

),

baseline as (

    select * from plan_lines where baseline

),

planned_projects as (

    select distinct project_id from baseline

),

planned_phases as (

    select distinct project_id, phase from baseline

),

planned_lines as (

    select distinct project_id, phase, role from baseline

),

unplanned_scope as (

    select
        'unplanned_scope' as rule,
        'entry' as subject,
        'unplanned_scope:' || facts.entry_id as flag_key,
        facts.entry_id,
        facts.person_id,
        facts.project_id,
        facts.work_date,
        facts.hours,
        facts.status as entry_status,
        case
            when planned_phases.phase is null
                then printf('phase %s is not in the project''s baseline plan', facts.phase_key)
            else printf('role %s is not planned for phase %s', facts.role, facts.phase_key)
        end as evidence,
        json_object(
            'phase', facts.phase_key,
            'role', facts.role,
            'phase_planned', planned_phases.phase is not null
        ) as details,
    from facts
    join planned_projects using (project_id)
    left join planned_phases
        on planned_phases.project_id = facts.project_id and planned_phases.phase = facts.phase_key
    left join planned_lines
        on planned_lines.project_id = facts.project_id and planned_lines.phase = facts.phase_key and planned_lines.role = facts.role
    where planned_lines.project_id is null
        and facts.status <> 'rejected'

),

phase_estimates as (

    select
        project_id,
        phase as phase_key,
        sum(estimated_hours) as estimated_hours,
    from baseline
    group by project_id, phase

),

phase_running as (

    select
        facts.*,
        phase_estimates.estimated_hours,
        sum(facts.duration_seconds) over (
            partition by facts.project_id, facts.phase_key
            order by facts.work_date, facts.logged_at, facts.entry_id
            rows between unbounded preceding and current row
        ) as cumulative_seconds,
        sum(facts.duration_seconds) over (partition by facts.project_id, facts.phase_key) as phase_seconds,
    from facts
    join phase_estimates using (project_id, phase_key)
    where facts.status <> 'rejected'

),

phase_over_estimate as (

    select
        'phase_over_estimate' as rule,
        'entry' as subject,
        'phase_over_estimate:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        printf(
            'phase %s at %g h of its %g h estimate with this entry',
            phase_key,
            round(cumulative_seconds / 3600, 2),
            estimated_hours::double
        ) as evidence,
        json_object(
            'phase', phase_key,
            'estimated_hours', estimated_hours::double,
            'cumulative_hours', round(cumulative_seconds / 3600, 6),
            'phase_hours', round(phase_seconds / 3600, 6)
        ) as details,
    from phase_running
    where duration_seconds > 0
        and cumulative_seconds > estimated_hours * 3600

),

-- A group of duplicates is counted and named by windows over the group, each entry carrying the group's
-- size and its first 21 ids (itself and 20 others at most), never the whole group: a day of 200,000
-- identical entries would otherwise give each of them a list of 200,000 ids.
duplicate_candidates as (

    select
        *,
        count(*) over duplicate_group as group_size,
        min(entry_id, 21) over duplicate_group as first_ids,
    from facts
    window duplicate_group as (partition by person_id, project_id, work_date, duration_seconds, notes, phase, task, activity)
    qualify count(*) over duplicate_group > 1

),

duplicate_groups as (

    select
        *,
        list_sort(list_filter(first_ids, lambda x: x <> entry_id))[1:20] as named_ids,
        group_size - 1 as others,
    from duplicate_candidates

),

duplicate_entry as (

    select
        'duplicate_entry' as rule,
        'entry' as subject,
        'duplicate_entry:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
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

),

timed as (

    select * from facts where started_at is not null and ended_at is not null

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

overlapping_timer as (

    select
        'overlapping_timer' as rule,
        'entry' as subject,
        'overlapping_timer:' || timed.entry_id as flag_key,
        timed.entry_id,
        timed.person_id,
        timed.project_id,
        timed.work_date,
        timed.hours,
        timed.status as entry_status,
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

),

zero_duration as (

    select
        'zero_duration' as rule,
        'entry' as subject,
        'zero_duration:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        hours,
        status as entry_status,
        'entry of zero duration' as evidence,
        json_object('duration_seconds', duration_seconds) as details,
    from facts
    where duration_seconds = 0

),

edit_after_approval as (

    select
        'edit_after_approval' as rule,
        'entry' as subject,
        'edit_after_approval:' || events.event_id as flag_key,
        facts.entry_id,
        facts.person_id,
        facts.project_id,
        facts.work_date,
        facts.hours,
        facts.status as entry_status,
        printf(
            '%s %s at %s by %s; the entry was approved at %s',
            events.action,
            events.outcome,
            strftime(events.attempted_at, '%Y-%m-%dT%H:%M:%SZ'),
            events.actor_id,
            strftime(facts.approved_at, '%Y-%m-%dT%H:%M:%SZ')
        ) as evidence,
        json_object(
            'event_id', events.event_id,
            'action', events.action,
            'outcome', events.outcome,
            'actor_id', events.actor_id,
            'attempted_at', strftime(events.attempted_at, '%Y-%m-%dT%H:%M:%SZ'),
            'approved_at', strftime(facts.approved_at, '%Y-%m-%dT%H:%M:%SZ'),
            'detail', events.detail
        ) as details,
    from events
    join facts using (entry_id)
    where events.is_change
        and facts.status = 'approved'
        and events.attempted_at >= facts.approved_at

),

flags as (

    select * from missing_day
    union all by name
    select * from over_12h_day
    union all by name
    select * from future_entry
    union all by name
    select * from closed_project
    union all by name
    select * from outside_project_dates
    union all by name
    select * from billable_admin
    union all by name
    select * from billable_on_non_billable
    union all by name
    select * from unplanned_scope
    union all by name
    select * from phase_over_estimate
    union all by name
    select * from duplicate_entry
    union all by name
    select * from overlapping_timer
    union all by name
    select * from zero_duration
    union all by name
    select * from edit_after_approval

),

final as (

    select
        flags.flag_key,
        flags.rule,
        flags.subject,
        flags.entry_id,
        flags.person_id,
        flags.project_id,
        projects.client_id,
        projects.project_type,
        projects.manager_id,
        flags.work_date,
        date_trunc('week', flags.work_date)::date as work_week,
        flags.hours,
        flags.entry_status,
        flags.evidence,
        flags.details::json as details,
    from flags
    left join projects using (project_id)

)

-- Stored by rule, newest work date first: the drill-down (GET /api/drill/review-flags, default order
-- work_date descending, often filtered on a rule) reads its first page from the first row groups.
select * from final
order by rule, work_date desc
