-- Every time entry, classified and priced.
--   bill rate: the most specific rate card (project_role, project, client, person, role, firm) whose
--              effective_from ≤ work_date and effective_to (if any) ≥ work_date; within a scope the latest.
--   cost rate: the person's hourly_cost with the latest effective_from ≤ work_date.
--   fx:        rate_to_reporting of the latest date ≤ work_date (1 for the reporting currency).
-- Rates are matched per distinct (person, project, work_date), not per entry, so the card join stays small.
-- The entry steps are inlined (not materialized) and every join carries the key: a refresh's filter on a
-- project, person and month then reaches the entries' scan in each use instead of pricing every entry.
with entries as not materialized (

    select * from staging.stg_time_entries

),

projects as (

    select * from staging.stg_projects

),

people as (

    select * from staging.stg_people

),

cards as (

    select * from staging.stg_rate_cards

),

firm as (

    select * from intermediate.int_firm

),

fx as (

    select * from staging.stg_fx_rates

),

enriched as not materialized (

    select
        entries.*,
        projects.client_id,
        projects.billing_model,
        projects.project_type,
        projects.is_client_work,
        people.role,
        people.department,
    from entries
    join projects using (project_id)
    join people using (person_id)

),

rate_keys as not materialized (

    select distinct person_id, project_id, client_id, role, work_date from enriched

),

-- the cards that apply to a key on its date, by their scope: every key once, with nulls when none applies
card_candidates as (

    select
        k.person_id,
        k.project_id,
        k.work_date,
        c.precedence,
        c.effective_from,
        c.hourly_rate,
        c.currency,
    from rate_keys k
    left join cards c
        on case c.scope
            when 'project_role' then c.scope_id = k.project_id and c.role = k.role
            when 'project' then c.scope_id = k.project_id
            when 'client' then c.scope_id = k.client_id
            when 'person' then c.scope_id = k.person_id
            when 'role' then c.role = k.role
            when 'firm' then true
        end
        and c.effective_from <= k.work_date
        and (c.effective_to is null or c.effective_to >= k.work_date)

),

-- one row per key: the winning card (null rate when none applies)
bill_rates as (

    select
        person_id,
        project_id,
        work_date,
        hourly_rate as bill_rate,
        currency as bill_currency,
    from card_candidates
    qualify row_number() over (partition by person_id, project_id, work_date order by precedence, effective_from desc) = 1

),

key_rates as (

    -- Rates and fx depend on the person, project and day only: looked up once per key, not once per entry.
    select
        r.person_id,
        r.project_id,
        r.work_date,
        r.bill_rate,
        r.bill_currency,
        r.bill_rate * case when r.bill_currency = firm.reporting_currency then 1 else bill_fx.rate_to_reporting end
            as bill_rate_reporting,
        cost.hourly_cost as cost_rate,
        cost.currency as cost_currency,
        cost.hourly_cost * case when cost.currency = firm.reporting_currency then 1 else cost_fx.rate_to_reporting end
            as cost_rate_reporting,
    from bill_rates r
    cross join firm
    asof left join staging.stg_cost_rates cost
        on cost.person_id = r.person_id and r.work_date >= cost.effective_from
    asof left join fx bill_fx
        on bill_fx.currency = r.bill_currency and r.work_date >= bill_fx.rate_date
    asof left join fx cost_fx
        on cost_fx.currency = cost.currency and r.work_date >= cost_fx.rate_date

),

priced as (

    select
        e.entry_id,
        e.person_id,
        e.project_id,
        e.client_id,
        e.role,
        e.department,
        e.billing_model,
        e.project_type,
        e.is_client_work,
        e.phase,
        e.task,
        e.activity,
        e.work_date,
        date_trunc('month', e.work_date)::date as work_month,
        date_trunc('week', e.work_date)::date as work_week,
        e.duration_seconds,
        e.hours,
        e.billable,
        e.billable and e.is_client_work as is_billable_client,
        e.status,
        e.logged_at,
        e.approved_by,
        e.approved_at,
        e.started_at,
        e.ended_at,
        e.source,
        e.notes,
        e.batch_id,
        r.bill_rate,
        r.bill_currency,
        r.bill_rate_reporting,
        r.cost_rate,
        r.cost_currency,
        r.cost_rate_reporting,
    from enriched e
    join key_rates r using (person_id, project_id, work_date)

),

final as (

    select
        *,
        round(duration_seconds * bill_rate_reporting / 3600.0, 6)::decimal(18,6) as std_value,
        round(duration_seconds * cost_rate_reporting / 3600.0, 6)::decimal(18,6) as cost_value,
    from priced

)

-- Stored newest first: readers that filter on dates skip whole row groups (DuckDB's min-max zone maps), and
-- the entry drill-downs, which page newest first, read their first page from the first row groups (the
-- top-N filter skips the rest, even when they filter on a project or a person).
select * from final
order by work_date desc, project_id
