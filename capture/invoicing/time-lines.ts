/**
 * Time-and-materials lines of an invoice run, made in the warehouse (a month of a large firm is hundreds of
 * thousands of entries): the approved, billable, not yet invoiced entries of the period on T&M projects,
 * priced at the rate card that applies to each (PRODUCT.md: the most specific scope, then the latest
 * effective_from on or before the work date), their billed time rounded per entry as the client's settings
 * say, grouped into lines by project and the client's grouping (phase or role) and rate.
 *
 * A rate card in another currency than the client's is converted through the reporting currency at the
 * rates of the period's last day (the run's fx date), and the line's rate is that converted rate.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { SCOPE_PRECEDENCE } from '../rates/rates.ts';

export interface RunScope {
    client_id: string | null;
    from: string;
    to: string;
}

/** Entries of the scope that cannot be billed, and why (no rate card, no fx rate). */
export interface Unpriced {
    client_id: string;
    reason: string;
    entries: number;
}

export interface TimeLine {
    client_id: string;
    project_id: string;
    group_key: string;
    rate: number;
    hours: number;
    amount: number;
    period_start: string;
    period_end: string;
    /** Its position among the client's time lines (project, group, rate order), from 1. */
    seq: number;
}

/**
 * The CTEs `firm` (its reporting_currency) and `fx` (each currency's latest rate_to_reporting on or before the
 * query's parameter `asOf`, the period's last day): the rates an invoice run converts at.
 */
export function firmRates(asOf: string): string {
    return `firm as (

            select coalesce(max(value) filter (where key = 'reporting_currency'), '') as reporting_currency
            from canonical.settings

        ),

        fx as (

            select currency, rate_to_reporting
            from canonical.fx_rates
            where date <= ${asOf}::date
            qualify row_number() over (partition by currency order by date desc) = 1

        )`;
}

/**
 * Prices the scope's billable entries into a temporary table `name` (entry_id, client_id, project_id,
 * group_key, rate, billed_seconds, work_date): entries no card or fx rate prices stay out and are counted.
 */
export async function priceEntries(warehouse: Warehouse, name: string, scope: RunScope): Promise<Unpriced[]> {
    await warehouse.run(
        `create temp table ${name} as
        with ${firmRates('$3')},

        clients as (

            select
                c.client_id,
                c.currency,
                coalesce(s.line_grouping, 'project') as line_grouping,
                coalesce(s.rounding_minutes, 0) as rounding_minutes,
            from canonical.clients c
            left join invoicing.client_settings s using (client_id)
            where $1::varchar is null or c.client_id = $1

        ),

        invoiced as (

            select l.entry_id
            from canonical.invoice_line_entries l
            join canonical.invoices i using (invoice_id)
            where i.status <> 'void'
            union all
            select entry_id from invoicing.billed_entries

        ),

        entries as (

            select
                e.entry_id,
                e.person_id,
                e.project_id,
                p.client_id,
                pe.role,
                e.phase,
                e.work_date,
                e.duration_seconds,
                c.currency as client_currency,
                c.line_grouping,
                c.rounding_minutes,
            from canonical.time_entries e
            join canonical.projects p using (project_id)
            join clients c on c.client_id = p.client_id
            join canonical.people pe on pe.person_id = e.person_id
            anti join invoiced i on i.entry_id = e.entry_id
            where e.status = 'approved'
                and e.billable
                and p.billing_model = 'time_and_materials'
                and e.work_date between $2::date and $3::date

        ),

        rate_keys as (

            select distinct person_id, project_id, client_id, role, work_date from entries

        ),

        cards as (

            select
                *,
                ${SCOPE_PRECEDENCE} as precedence,
            from canonical.rate_cards

        ),

        -- the cards that apply to a key, by their scope
        card_candidates as (

            select k.*, c.precedence, c.effective_from, c.effective_to, c.hourly_rate, c.currency
            from rate_keys k
            join cards c on case c.scope
                when 'project_role' then c.scope_id = k.project_id and c.role = k.role
                when 'project' then c.scope_id = k.project_id
                when 'client' then c.scope_id = k.client_id
                when 'person' then c.scope_id = k.person_id
                when 'role' then c.role = k.role
                when 'firm' then true
            end

        ),

        bill_rates as (

            select person_id, project_id, work_date, hourly_rate, currency as card_currency
            from card_candidates
            where effective_from <= work_date
                and (effective_to is null or effective_to >= work_date)
            qualify row_number() over (partition by person_id, project_id, work_date order by precedence, effective_from desc) = 1

        ),

        priced as (

            select
                e.*,
                r.hourly_rate,
                r.card_currency,
                case
                    when r.card_currency = e.client_currency then r.hourly_rate
                    else round(
                        r.hourly_rate
                        * case when r.card_currency = firm.reporting_currency then 1 else card_fx.rate_to_reporting end
                        / case when e.client_currency = firm.reporting_currency then 1 else client_fx.rate_to_reporting end,
                        2)
                end::decimal(18,2) as rate,
            from entries e
            cross join firm
            left join bill_rates r using (person_id, project_id, work_date)
            left join fx card_fx on card_fx.currency = r.card_currency
            left join fx client_fx on client_fx.currency = e.client_currency

        ),

        final as (

            select
                entry_id,
                client_id,
                project_id,
                case line_grouping when 'phase' then coalesce(phase, '') when 'role' then role else '' end as group_key,
                rate,
                case when rounding_minutes > 0
                    then (ceil(duration_seconds / (rounding_minutes * 60.0)) * rounding_minutes * 60)::integer
                    else duration_seconds
                end as billed_seconds,
                work_date,
                case
                    when hourly_rate is null then 'no rate card applies'
                    when rate is null then 'no fx rate for ' || card_currency || ' or ' || client_currency || ' on or before ' || $3::date
                end as unpriced,
            from priced

        )

        select * from final`,
        [scope.client_id, scope.from, scope.to],
    );
    return warehouse.all<Unpriced>(
        `select client_id, unpriced as reason, count(*)::integer as entries
        from ${name}
        where unpriced is not null
        group by all
        order by client_id, reason`,
    );
}

/**
 * The priced entries grouped into lines, numbered per client in project, group, rate order; also kept as the
 * temporary table `<name>_lines`, which the run joins back to the entries to list each line's.
 */
export async function timeLines(warehouse: Warehouse, name: string): Promise<TimeLine[]> {
    await warehouse.run(
        `create temp table ${name}_lines as
        with lines as (

            select
                client_id,
                project_id,
                group_key,
                rate,
                sum(billed_seconds) as seconds,
                min(work_date) as period_start,
                max(work_date) as period_end,
            from ${name}
            where unpriced is null
            group by client_id, project_id, group_key, rate

        ),

        final as (

            select
                client_id,
                project_id,
                group_key,
                rate::double as rate,
                round(seconds / 3600.0, 4)::double as hours,
                round(seconds * rate / 3600.0, 2)::decimal(18,2)::double as amount,
                period_start,
                period_end,
                row_number() over (partition by client_id order by project_id, group_key, rate)::integer as seq,
            from lines

        )

        select * from final`,
    );
    return warehouse.all<TimeLine>(`select * from ${name}_lines order by client_id, seq`);
}
