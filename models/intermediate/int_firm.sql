-- The firm's settings as one row: reporting currency (default EUR), the date accruals run through
-- (as_of: the setting when given, else today) and the horizon models compute up to.
with settings as (

    select * from staging.stg_settings

),

entries as (

    select max(work_date) as last_work_date from staging.stg_time_entries

),

final as (

    select
        coalesce((select value from settings where key = 'reporting_currency'), 'EUR') as reporting_currency,
        coalesce((select value from settings where key = 'firm_name'), 'Realize') as firm_name,
        coalesce((select value::date from settings where key = 'as_of'), current_date) as as_of,
        -- Models compute every month up to the later of as_of and the last work date, so a report may
        -- pick any as_of without a rebuild.
        greatest(
            coalesce((select value::date from settings where key = 'as_of'), current_date),
            coalesce((select last_work_date from entries), current_date)
        ) as horizon,

)

select * from final
