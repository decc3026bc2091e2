-- Estimate vs actual of closed projects by project_type × phase × role: the ratio of sums and the
-- distribution (median, P10, P90) of the per-project ratios, the role rows of
-- marts.fct_estimate_vs_actual_closed_by_type.
with closed_by_type as (

    select * from marts.fct_estimate_vs_actual_closed_by_type

),

final as (

    select * from closed_by_type
    where role is not null

)

select * from final
