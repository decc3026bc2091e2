-- How many attributed billing pieces (intermediate.int_billing_attributed) each document type has, and
-- what they add up to, per client × project × month × document date: the totals line of the billed, credited and
-- collected drill-downs (GET /api/drill/realization) for any filter, without rescanning millions of pieces.
with billing as (

    select * from intermediate.int_billing_attributed

)

select
    document_type,
    client_id,
    project_id,
    project_type,
    work_month as month,
    document_date,
    count(*) as row_count,
    sum(amount)::decimal(38,8) as amount,
from billing
group by all
order by document_type, client_id, project_id, month, document_date
