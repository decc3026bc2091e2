-- Billable time-and-materials work not yet on an issued or paid invoice, aged by work date against the
-- firm's as_of: the entries behind the "not yet invoiced" leak, approved or not.
with entries as (

    select * from intermediate.int_entries_priced

),

billing as (

    select * from intermediate.int_billing_attributed

),

firm as (

    select * from intermediate.int_firm

),

billed_entries as (

    -- a piece billing an entry is attributed to the entry's project: kept, so that a refresh's filter on the
    -- project reaches the billing scan too
    select distinct project_id, entry_id
    from billing
    where document_type = 'invoice_line' and entry_id is not null

),

unbilled as (

    select
        entries.*,
        firm.as_of - entries.work_date as age_days,
    from entries
    cross join firm
    left join billed_entries b on b.project_id = entries.project_id and b.entry_id = entries.entry_id
    where b.entry_id is null
        and entries.is_billable_client
        and entries.billing_model = 'time_and_materials'
        and entries.work_date <= firm.as_of

),

final as (

    select
        entry_id,
        client_id,
        project_id,
        person_id,
        work_date,
        work_month,
        work_week,
        status,
        case when status = 'approved' then 'approved' else 'unapproved' end as approval,
        hours,
        coalesce(std_value, 0)::decimal(18,6) as std_value,
        age_days,
        case
            when age_days <= 30 then '0-30'
            when age_days <= 60 then '31-60'
            when age_days <= 90 then '61-90'
            else '>90'
        end as age_bucket,
    from unbilled

)

select * from final
