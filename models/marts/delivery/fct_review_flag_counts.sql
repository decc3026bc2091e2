-- Review flags counted by rule, week, person and project: what the dashboard's summary reads, so that a
-- count by rule does not scan every flag. The flags themselves stay in marts.fct_review_flags (drill-down).
with flags as (

    select * from marts.fct_review_flags

),

final as (

    select
        rule,
        work_week,
        person_id,
        project_id,
        count(*)::integer as flags,
        sum(hours) as hours,
    from flags
    group by all

)

select * from final
order by rule, work_week
