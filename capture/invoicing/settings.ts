/**
 * How each client is billed (line grouping, rounding of billed time, tax rate, payment terms) and the firm's
 * details on its invoices (address, tax id, the date format of documents and exports, the invoice number's
 * prefix, the accounting tools' account and tax codes). Both are finance's to change, audited; neither
 * changes an invoice already made (its lines, tax and dates are its own).
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { finishWrite, InvoicingError, type Actor } from './write.ts';

export const GROUPINGS = ['project', 'phase', 'role'] as const;
export const ROUNDINGS = [0, 6, 15] as const;
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'] as const;
export const FIRM_KEYS = ['firm_address', 'firm_tax_id', 'date_format', 'invoice_prefix', 'xero_account_code', 'xero_tax_type', 'qbo_tax_code'] as const;
export type FirmKey = (typeof FIRM_KEYS)[number];

export interface ClientSettings {
    client_id: string;
    line_grouping: (typeof GROUPINGS)[number];
    rounding_minutes: (typeof ROUNDINGS)[number];
    tax_rate: number;
    payment_terms_days: number;
}

/** Every client with its settings (the defaults where it has none). */
export async function clientSettings(warehouse: Warehouse): Promise<(ClientSettings & { name: string; currency: string })[]> {
    return warehouse.all(
        `select
            c.client_id,
            c.name,
            c.currency,
            coalesce(s.line_grouping, 'project') as line_grouping,
            coalesce(s.rounding_minutes, 0) as rounding_minutes,
            coalesce(s.tax_rate, 0)::double as tax_rate,
            coalesce(s.payment_terms_days, 30) as payment_terms_days,
        from canonical.clients c
        left join invoicing.client_settings s using (client_id)
        order by c.name, c.client_id`,
    );
}

export async function setClientSettings(warehouse: Warehouse, input: ClientSettings, actor: Actor): Promise<void> {
    if (!GROUPINGS.includes(input.line_grouping)) throw new InvoicingError(400, `line_grouping must be one of ${GROUPINGS.join(', ')}`, 'line_grouping');
    if (!ROUNDINGS.includes(input.rounding_minutes)) throw new InvoicingError(400, 'rounding_minutes must be 0 (none), 6 or 15', 'rounding_minutes');
    if (!(input.tax_rate >= 0 && input.tax_rate < 1)) throw new InvoicingError(400, 'tax_rate must be a fraction from 0 up to 1 (0.2 = 20 %)', 'tax_rate');
    if (!Number.isInteger(input.payment_terms_days) || input.payment_terms_days < 0 || input.payment_terms_days > 365) {
        throw new InvoicingError(400, 'payment_terms_days must be a whole number of days from 0 to 365', 'payment_terms_days');
    }
    await warehouse.transaction(async () => {
        const client = await warehouse.one(`select client_id from canonical.clients where client_id = $1`, [input.client_id]);
        if (!client) throw new InvoicingError(404, `no client "${input.client_id}"`);
        const before = await warehouse.one(`select * exclude (changed_at, changed_by) from invoicing.client_settings where client_id = $1`, [input.client_id]);
        await warehouse.run(
            `insert or replace into invoicing.client_settings (client_id, line_grouping, rounding_minutes, tax_rate, payment_terms_days, changed_at, changed_by)
            values ($1, $2, $3, $4, $5, now(), $6)`,
            [input.client_id, input.line_grouping, input.rounding_minutes, input.tax_rate, input.payment_terms_days, actor.actor],
        );
        await finishWrite(warehouse, actor, {}, { action: 'client_billing_settings', entity: 'client_settings', entity_id: input.client_id, before: before ?? null, after: input });
    });
}

export async function firmSettings(warehouse: Warehouse): Promise<Record<FirmKey, string | null> & { firm_name: string | null; reporting_currency: string | null }> {
    const rows = await warehouse.all<{ key: string; value: string }>(
        `select key, value from invoicing.firm_settings
        union all
        select key, value from canonical.settings where key in ('firm_name', 'reporting_currency')`,
    );
    const out = Object.fromEntries([...FIRM_KEYS, 'firm_name', 'reporting_currency'].map((k) => [k, null])) as Record<string, string | null>;
    for (const r of rows) out[r.key] = r.value;
    return out as never;
}

export async function setFirmSettings(warehouse: Warehouse, values: Partial<Record<FirmKey, string>>, actor: Actor): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
        if (!FIRM_KEYS.includes(key as FirmKey)) throw new InvoicingError(400, `unknown setting ${key}`, key);
        if (key === 'date_format' && !DATE_FORMATS.includes(value as never)) throw new InvoicingError(400, `date_format must be one of ${DATE_FORMATS.join(', ')}`, key);
        if (key === 'invoice_prefix' && !/^[A-Za-z0-9]{1,10}$/.test(value)) throw new InvoicingError(400, 'invoice_prefix must be 1 to 10 letters or digits', key);
        if (value.length > 500) throw new InvoicingError(400, `${key} is longer than 500 characters`, key);
    }
    await warehouse.transaction(async () => {
        const before = await firmSettings(warehouse);
        for (const [key, value] of Object.entries(values)) await warehouse.run(`insert or replace into invoicing.firm_settings values ($1, $2)`, [key, value]);
        await finishWrite(warehouse, actor, {}, { action: 'firm_invoice_settings', entity: 'firm_settings', entity_id: null, before, after: values });
    });
}

/** A date YYYY-MM-DD in one of DATE_FORMATS. */
export function formatDate(date: string | null, format: string | null): string {
    if (!date) return '';
    const [y, m, d] = [date.slice(0, 4), date.slice(5, 7), date.slice(8, 10)];
    switch (format) {
        case 'DD/MM/YYYY':
            return `${d}/${m}/${y}`;
        case 'MM/DD/YYYY':
            return `${m}/${d}/${y}`;
        case 'DD.MM.YYYY':
            return `${d}.${m}.${y}`;
        default:
            return date;
    }
}
