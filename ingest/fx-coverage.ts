/**
 * Which currencies lacked an fx rate where the figures needed one. The models convert every amount with
 * the rate of the latest date on or before the date it needs; an amount whose currency has no such rate is
 * left out of the figures and listed in marts.fct_fx_missing (which defines what needs a rate, and when).
 * This reads that list, one entry per currency, for the ingest report (CLI and POST /api/ingest), GET
 * /api/health and the dashboard's notice, and words it for the command line: a missing rate is named,
 * never a failed load (PRODUCT.md).
 */
import type { Warehouse } from '../warehouse/warehouse.ts';

export interface FxMissing {
    currency: string;
    /** The first and last date that needed a rate of the currency and found none. */
    first_date: string;
    last_date: string;
    /** Amounts left out of the figures: entries' bill or cost values, documents, revenue rows. */
    rows: number;
    /** The currency's earliest rate (every missing date lies before it); null when it has none. */
    first_rate_date: string | null;
    /** What needed the rate (marts.fct_fx_missing's need): entry_bill_rate, invoice_line, payment, …, by name. */
    needed_by: string[];
}

/** The currencies without a rate where one was needed, by currency; null when the models are not built. */
export async function fxMissing(warehouse: Warehouse): Promise<FxMissing[] | null> {
    const built = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'marts' and table_name = 'fct_fx_missing'`);
    if (!built) return null;
    const rows = await warehouse.all<Omit<FxMissing, 'needed_by'> & { needed_by: string }>(
        `select
            currency,
            min(first_date)::varchar as first_date,
            max(last_date)::varchar as last_date,
            sum(row_count)::integer as "rows",
            min(first_rate_date)::varchar as first_rate_date,
            string_agg(need, ',' order by need) as needed_by,
        from marts.fct_fx_missing
        group by currency
        order by currency`,
    );
    return rows.map((r) => ({ ...r, needed_by: r.needed_by.split(',') }));
}

const NEEDS: Record<string, (currency: string) => string> = {
    entry_bill_rate: (c) => `time entries at a ${c} bill rate`,
    entry_cost_rate: (c) => `time entries at a ${c} cost rate`,
    fixed_fee_revenue: () => 'fixed-fee revenue',
    retainer_revenue: () => 'retainer revenue',
    milestone_revenue: () => 'milestone revenue',
    invoice_line: () => 'invoices',
    credit_note: () => 'credit notes',
    payment: () => 'payments',
};
const ORDER = Object.keys(NEEDS);

/**
 * One line per currency, e.g. "USD has no fx rate on or before 2024-01-01 … 2024-01-31, the dates that
 * need one (…): 5 amount(s) left out of the figures (…); add a USD rate dated 2024-01-01 or earlier to fx_rates".
 */
export function describeFxMissing(missing: readonly FxMissing[]): string[] {
    return missing.map((m) => {
        const dates = m.first_date === m.last_date ? `${m.first_date}, the date that needs one` : `${m.first_date} … ${m.last_date}, the dates that need one`;
        const first = m.first_rate_date ? `its first rate is dated ${m.first_rate_date}` : `fx_rates has no ${m.currency} row`;
        const what = [...m.needed_by]
            .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))
            .map((n) => NEEDS[n]?.(m.currency) ?? n)
            .join(', ');
        return (
            `${m.currency} has no fx rate on or before ${dates} (${first}): ${m.rows} amount(s) left out of the figures (${what}); ` +
            `add a ${m.currency} rate dated ${m.first_date} or earlier to fx_rates`
        );
    });
}
