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
    -- every hour measure summed, each keeping its name and decimal(18,6)
    sum(columns([
        'capacity_hours', 'billable_hours', 'client_hours', 'internal_hours', 'all_hours', 'completeness_credit_hours',
        'completeness_credit_1', 'completeness_credit_2', 'completeness_credit_3', 'completeness_credit_4',
        'completeness_credit_5', 'completeness_credit_6', 'completeness_credit_7',
    ]))::decimal(18,6),
from utilization
group by all
order by work_date, role
