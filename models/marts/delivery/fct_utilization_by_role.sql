-- marts.fct_utilization summed over the people of each role: role × week × month (the same week × month
-- split). A roll-up of the same measures, so a question that groups and filters by role, week and month only
-- (the leadership view: utilization by role over time) reads ~1/15 of the rows and none of the people.
with utilization as (

    select * from marts.fct_utilization

)

select
    role,
    work_week,
    work_month,
    sum(capacity_hours)::decimal(18,6) as capacity_hours,
    sum(billable_hours)::decimal(18,6) as billable_hours,
    sum(client_hours)::decimal(18,6) as client_hours,
    sum(internal_hours)::decimal(18,6) as internal_hours,
    sum(all_hours)::decimal(18,6) as all_hours,
    sum(completeness_credit_hours)::decimal(18,6) as completeness_credit_hours,
from utilization
group by all
order by work_week, role
