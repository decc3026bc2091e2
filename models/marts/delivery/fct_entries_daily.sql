-- Time entries summed per person × project × phase × work date (and the flags the entry drill-downs filter
-- on): the totals line of every entry drill-down (GET /api/drill/<metric> over intermediate.int_entries_priced)
-- for any filter, read from a table bounded by person-days rather than by entries.
with entries as (

    select * from intermediate.int_entries_priced

)

select
    person_id,
    role,
    project_id,
    client_id,
    project_type,
    billing_model,
    phase,
    work_date,
    work_month,
    status,
    billable,
    is_client_work,
    is_billable_client,
    count(*) as row_count,
    sum(hours) as hours,
    -- A person-day's value stays far below 10^12: 64-bit decimals, which scan several times faster than
    -- 128-bit ones (the drill-down totals sum them again, widening to decimal(38,6)).
    sum(std_value)::decimal(18,6) as std_value,
    sum(cost_value)::decimal(18,6) as cost_value,
from entries
group by all
order by work_date desc, project_id
