-- marts.fct_utilization summed over the people of each role: role × day, with the day's week and month. A
-- roll-up of the same measures, so a question that groups and filters by role, week and month only (the
-- leadership view: utilization by role over time) reads a fraction of the rows and none of the people; a
-- report as of a day counts the days through it, as the person-level mart does.
with utilization as (

    select * from marts.fct_utilization

)

select
    role,
    work_date,
    work_week,
    work_month,
    sum(capacity_hours)::decimal(18,6) as capacity_hours,
    sum(billable_hours)::decimal(18,6) as billable_hours,
    sum(client_hours)::decimal(18,6) as client_hours,
    sum(internal_hours)::decimal(18,6) as internal_hours,
    sum(all_hours)::decimal(18,6) as all_hours,
    sum(completeness_credit_hours)::decimal(18,6) as completeness_credit_hours,
    sum(completeness_credit_1)::decimal(18,6) as completeness_credit_1,
    sum(completeness_credit_2)::decimal(18,6) as completeness_credit_2,
    sum(completeness_credit_3)::decimal(18,6) as completeness_credit_3,
    sum(completeness_credit_4)::decimal(18,6) as completeness_credit_4,
    sum(completeness_credit_5)::decimal(18,6) as completeness_credit_5,
    sum(completeness_credit_6)::decimal(18,6) as completeness_credit_6,
    sum(completeness_credit_7)::decimal(18,6) as completeness_credit_7,
from utilization
group by all
order by work_date, role
