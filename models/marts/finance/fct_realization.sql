-- Realization per project × month: standard value of the month's billable client work against what was
-- billed, credited and collected for that work (billing attributed to work months, not document dates).
-- accrued_on is the day from which a row counts for a report as of a day (PRODUCT.md's one cut-off): an
-- entry's work date, a document's issue or paid date.
with entries as (

    select * from intermediate.int_entries_priced

),

billing as (

    select * from intermediate.int_billing_attributed

),

projects as (

    select * from staging.stg_projects

),

standard as (

    select
        project_id,
        work_month as month,
        work_date as accrued_on,
        coalesce(std_value, 0)::decimal(18,8) as standard_value,
        0::decimal(18,8) as billed_value,
        0::decimal(18,8) as credited_value,
        0::decimal(18,8) as collected_value,
    from entries
    where is_billable_client

),

documents as (

    select
        project_id,
        work_month as month,
        document_date as accrued_on,
        0::decimal(18,8) as standard_value,
        case when document_type = 'invoice_line' then amount else 0 end::decimal(18,8) as billed_value,
        case when document_type = 'credit_note' then amount else 0 end::decimal(18,8) as credited_value,
        case when document_type = 'payment' then amount else 0 end::decimal(18,8) as collected_value,
    from billing

),

summed as (

    select
        project_id,
        month,
        accrued_on,
        sum(standard_value) as standard_value,
        sum(billed_value) as billed_value,
        sum(credited_value) as credited_value,
        sum(collected_value) as collected_value,
    from (
        select * from standard
        union all
        select * from documents
    )
    group by all

),

final as (

    select
        projects.client_id,
        summed.project_id,
        projects.billing_model,
        projects.project_type,
        summed.month,
        summed.accrued_on,
        summed.standard_value,
        summed.billed_value,
        summed.credited_value,
        summed.billed_value - summed.credited_value as net_billed_value,
        summed.collected_value,
        case when summed.standard_value <> 0 then summed.billed_value / summed.standard_value end as billing_realization,
        case when summed.billed_value - summed.credited_value <> 0
            then summed.collected_value / (summed.billed_value - summed.credited_value) end as collection_realization,
        case when summed.standard_value <> 0 then summed.collected_value / summed.standard_value end as overall_realization,
    from summed
    join projects using (project_id)

)

select * from final
