-- The currency each project's contract is stated in: its client's currency, or the firm's reporting currency
-- for an internal project (no client; PRODUCT.md: client_id may be empty for internal work).
with projects as (

    select * from staging.stg_projects

),

clients as (

    select * from staging.stg_clients

),

firm as (

    select * from intermediate.int_firm

),

final as (

    select
        projects.project_id,
        projects.client_id,
        clients.client_name,
        coalesce(clients.currency, firm.reporting_currency) as contract_currency,
    from projects
    left join clients using (client_id)
    cross join firm

)

select * from final
