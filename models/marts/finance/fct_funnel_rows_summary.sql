-- How many rows of marts.fct_funnel_rows each leak has, and what they add up to, per client × project ×
-- month: the totals line of GET /api/drill/funnel for any filter, without rescanning millions of rows.
with funnel_rows as (

    select * from marts.fct_funnel_rows

)

select
    metric,
    client_id,
    project_id,
    project_type,
    month,
    accrued_on,
    count(*) as row_count,
    sum(amount)::decimal(38,8) as amount,
from funnel_rows
group by all
order by metric, client_id, project_id, month
