/**
 * An invoice run: for a client (or every client) and a period, one draft invoice per client with anything to
 * bill — time lines first (time-lines.ts), then the contract's lines (contract-lines.ts). In one transaction:
 * the canonical invoice, its lines and the entries of each time line, what the canonical layout has no
 * column for (invoicing.invoice_details, line_details), the claims that keep each entry, month and milestone
 * from being billed twice, the marts' marks and the audit event. A claim already taken — a concurrent run that
 * committed first — fails the whole run and nothing is written.
 */
import { addDays } from '../../lib/dates.ts';
import { markWrittenFrom } from '../../warehouse/models/dirty.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { contractLines, type ContractLine } from './contract-lines.ts';
import { firmRates, priceEntries, timeLines, type RunScope, type TimeLine, type Unpriced } from './time-lines.ts';
import { type Actor, finishWrite, InvoicingError, isDate, writeBatch } from './write.ts';

export interface RunInput extends RunScope {
    /** The drafts' date (default today, UTC); issuing sets the final one. */
    issue_date?: string | null;
}

export interface RunResult {
    invoices: { invoice_id: string; client_id: string; lines: number; amount: number; entries: number }[];
    unpriced: Unpriced[];
}

interface ClientTerms {
    client_id: string;
    name: string;
    currency: string;
    tax_rate: number;
    payment_terms_days: number;
    fx_rate: number | null;
}

function checkScope(input: RunInput): void {
    for (const field of ['from', 'to'] as const) {
        if (!isDate(input[field])) throw new InvoicingError(400, `${field} must be a date YYYY-MM-DD`, field);
    }
    if (input.from > input.to) throw new InvoicingError(400, 'from must be on or before to', 'from');
    if (input.issue_date && !isDate(input.issue_date)) {
        throw new InvoicingError(400, 'issue_date must be a date YYYY-MM-DD', 'issue_date');
    }
}

export { addDays };

async function clientTerms(warehouse: Warehouse, scope: RunScope): Promise<Map<string, ClientTerms>> {
    const rows = await warehouse.all<ClientTerms>(
        `with ${firmRates('$2')},

        final as (

            select
                c.client_id,
                c.name,
                c.currency,
                coalesce(s.tax_rate, 0)::double as tax_rate,
                coalesce(s.payment_terms_days, 30) as payment_terms_days,
                case when c.currency = firm.reporting_currency then 1 else fx.rate_to_reporting end::double as fx_rate,
            from canonical.clients c
            cross join firm
            left join invoicing.client_settings s using (client_id)
            left join fx on fx.currency = c.currency
            where $1::varchar is null or c.client_id = $1

        )

        select * from final`,
        [scope.client_id, scope.to],
    );
    return new Map(rows.map((r) => [r.client_id, r]));
}

export async function runInvoices(warehouse: Warehouse, input: RunInput, actor: Actor): Promise<RunResult> {
    checkScope(input);
    const issueDate = input.issue_date ?? new Date().toISOString().slice(0, 10);
    return warehouse.transaction(async () => {
        const clients = await clientTerms(warehouse, input);
        if (input.client_id && !clients.has(input.client_id)) throw new InvoicingError(400, `no client "${input.client_id}"`, 'client_id');
        const seq = await warehouse.one<{ n: number }>(`select nextval('invoicing.document_seq')::integer as n`);
        const tmp = `invoice_run_${seq!.n}`;
        try {
            const unpriced = await priceEntries(warehouse, tmp, input);
            const time = await timeLines(warehouse, tmp);
            const contract = await contractLines(warehouse, input);
            const byClient = new Map<string, { time: TimeLine[]; contract: ContractLine[] }>();
            const of = (id: string) => byClient.get(id) ?? byClient.set(id, { time: [], contract: [] }).get(id)!;
            for (const l of time) of(l.client_id).time.push(l);
            for (const l of contract) of(l.client_id).contract.push(l);
            if (byClient.size === 0) return { invoices: [], unpriced };

            const batch = await writeBatch(warehouse, 'invoices', `invoice run ${input.from}…${input.to}`, byClient.size, actor);
            const names = await projectNames(warehouse);
            const result: RunResult = { invoices: [], unpriced };
            const touched = { invoices: [] as object[], invoice_lines: [] as object[] };
            await warehouse.run(`create temp table ${tmp}_inv (client_id varchar, invoice_id varchar)`);
            for (const [clientId, lines] of [...byClient].sort(([a], [b]) => (a < b ? -1 : 1))) {
                const client = clients.get(clientId)!;
                const n = (await warehouse.one<{ n: number }>(`select nextval('invoicing.document_seq')::integer as n`))!.n;
                const invoiceId = `RZ-${n}`;
                const invoice = {
                    invoice_id: invoiceId,
                    number: `DRAFT-${n}`,
                    client_id: clientId,
                    issue_date: issueDate,
                    due_date: addDays(issueDate, client.payment_terms_days),
                    currency: client.currency,
                    status: 'draft',
                };
                await warehouse.run(
                    `insert into canonical.invoices (invoice_id, number, client_id, issue_date, due_date, currency, status, batch_id) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
                    [...Object.values(invoice), batch],
                );
                await warehouse.run(
                    `insert into invoicing.invoice_details (invoice_id, period_start, period_end, tax_rate, fx_rate, fx_date, created_at, created_by) values ($1, $2, $3, $4, $5, $6, now(), $7)`,
                    [invoiceId, input.from, input.to, client.tax_rate, client.fx_rate, input.to, actor.actor],
                );
                await warehouse.run(`insert into ${tmp}_inv values ($1, $2)`, [clientId, invoiceId]);
                touched.invoices.push(invoice);
                const rows = [
                    ...lines.time.map((l) => ({ ...l, kind: 'time', milestone_id: null, item: null, description: timeDescription(names, l) })),
                    ...lines.contract,
                ];
                let amount = 0;
                for (const [i, l] of rows.entries()) {
                    const line = {
                        invoice_id: invoiceId,
                        line_no: i + 1,
                        project_id: l.project_id,
                        kind: l.kind,
                        hours: l.hours,
                        rate: l.rate,
                        amount: l.amount,
                        period_start: l.period_start,
                        period_end: l.period_end,
                        milestone_id: l.milestone_id,
                    };
                    await warehouse.run(
                        `insert into canonical.invoice_lines (invoice_id, line_no, project_id, kind, hours, rate, amount, period_start, period_end, milestone_id, batch_id)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
                        [...Object.values(line), batch] as never,
                    );
                    await warehouse.run(`insert into invoicing.line_details (invoice_id, line_no, description) values ($1, $2, $3)`, [invoiceId, i + 1, l.description]);
                    if (l.item) await claimItem(warehouse, l.item, invoiceId, i + 1);
                    touched.invoice_lines.push(line);
                    amount += l.amount;
                }
                result.invoices.push({ invoice_id: invoiceId, client_id: clientId, lines: rows.length, amount: Math.round(amount * 100) / 100, entries: 0 });
            }
            // Each time line's entries, and their claims: a claim taken meanwhile fails here, and the run with it.
            const entriesOf = `select i.invoice_id, l.seq as line_no, e.entry_id, e.billed_seconds
                from ${tmp} e
                join ${tmp}_lines l on l.client_id = e.client_id and l.project_id = e.project_id and l.group_key = e.group_key and l.rate = e.rate
                join ${tmp}_inv i on i.client_id = e.client_id
                where e.unpriced is null`;
            await warehouse.run(`insert into canonical.invoice_line_entries select invoice_id, line_no, entry_id, $1 from (${entriesOf})`, [batch]);
            try {
                await warehouse.run(`insert into invoicing.billed_entries select entry_id, invoice_id, line_no, billed_seconds from (${entriesOf})`);
            } catch (err) {
                throw taken(err, 'an entry of this run was invoiced by another run meanwhile; run it again');
            }
            // A month of a large firm is hundreds of thousands of entries: they are marked from the relation.
            await markWrittenFrom(warehouse, 'invoice_line_entries', entriesOf);
            const counts = await warehouse.all<{ invoice_id: string; n: number }>(`select invoice_id, count(*)::integer as n from (${entriesOf}) group by invoice_id`);
            for (const inv of result.invoices) inv.entries = counts.find((c) => c.invoice_id === inv.invoice_id)?.n ?? 0;
            await finishWrite(warehouse, actor, touched, {
                action: 'invoice_run',
                entity: 'invoices',
                entity_id: result.invoices.map((i) => i.invoice_id).join(','),
                after: { ...input, issue_date: issueDate, invoices: result.invoices },
            });
            return result;
        } finally {
            // After a failure the transaction is aborted and rolls the tables back with it.
            for (const t of [tmp, `${tmp}_lines`, `${tmp}_inv`]) await warehouse.run(`drop table if exists ${t}`).catch(() => undefined);
        }
    });
}

async function claimItem(warehouse: Warehouse, item: string, invoiceId: string, lineNo: number): Promise<void> {
    try {
        await warehouse.run(`insert into invoicing.billed_items values ($1, $2, $3)`, [item, invoiceId, lineNo]);
    } catch (err) {
        throw taken(err, `${item.split(':')[0]} ${item.split(':').slice(1).join(' ')} was invoiced by another run meanwhile; run it again`);
    }
}

/** A key taken by another writer is a 409; anything else stays what it was. */
export function taken(err: unknown, message: string): unknown {
    const text = err instanceof Error ? err.message : String(err);
    return /constraint|conflict/i.test(text) ? new InvoicingError(409, message) : err;
}

async function projectNames(warehouse: Warehouse): Promise<Map<string, string>> {
    const rows = await warehouse.all<{ project_id: string; name: string }>(`select project_id, name from canonical.projects`);
    return new Map(rows.map((r) => [r.project_id, r.name]));
}

function timeDescription(names: Map<string, string>, l: TimeLine): string {
    const project = names.get(l.project_id) ?? l.project_id;
    return l.group_key ? `${project} — ${l.group_key}` : project;
}
