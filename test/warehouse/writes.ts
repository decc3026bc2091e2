/**
 * Writes as the product's writers make them, for the incremental-refresh property test: each changes canonical
 * rows of a built demo firm inside the caller's transaction and records them with markWritten (the old version
 * of a changed or deleted row too). Targets are drawn with the given generator, so a seed replays a sequence.
 * Each returns what it did, in words, for the failure message.
 */
import { recordRefused } from '../../capture/time/entries.ts';
import type { Rng } from '../../lib/rng.ts';
import { markWritten } from '../../warehouse/models/dirty.ts';
import type { Row, Warehouse } from '../../warehouse/warehouse.ts';

export interface Write {
    name: string;
    apply(warehouse: Warehouse, rng: Rng): Promise<string>;
}

/** One of the rows `sql` selects, drawn with `rng` (the rows in a stable order). */
async function pick<T extends Row>(warehouse: Warehouse, rng: Rng, sql: string): Promise<T> {
    const rows = await warehouse.all<T>(`select * from (${sql}) order by all`);
    if (rows.length === 0) throw new Error(`nothing to pick from: ${sql}`);
    return rows[rng.int(rows.length)]!;
}

const ENTRY_COLUMNS = `entry_id, person_id, project_id, phase, task, activity, work_date::varchar as work_date, duration_seconds, billable, notes, source,
    logged_at, status, approved_by, approved_at, started_at, ended_at, batch_id`;

/** Entries no invoice bills (an invoiced entry is frozen). */
const UNBILLED = `select ${ENTRY_COLUMNS} from canonical.time_entries e where not exists (select 1 from canonical.invoice_line_entries le where le.entry_id = e.entry_id)`;

const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * An unbilled entry moved to another project or person (a row of `table` other than its own) and by `days()`
 * days (drawn after the two picks), old and new versions marked written.
 */
async function moveEntry(w: Warehouse, rng: Rng, column: 'project_id' | 'person_id', table: 'projects' | 'people', days: () => number): Promise<string> {
    const old = await pick<Row & { entry_id: string; work_date: string; project_id: string; person_id: string }>(w, rng, UNBILLED);
    const to = await pick<Record<string, string>>(w, rng, `select ${column} from canonical.${table} where ${column} <> '${old[column].replaceAll("'", "''")}'`);
    const date = shiftDate(old.work_date, days());
    await w.run(`update canonical.time_entries set ${column} = $1, work_date = $2::date where entry_id = $3`, [to[column]!, date, old.entry_id]);
    const now = await w.all(`select ${ENTRY_COLUMNS} from canonical.time_entries where entry_id = $1`, [old.entry_id]);
    await markWritten(w, 'time_entries', [old, ...now]);
    return `${old.entry_id} from ${old[column]} ${old.work_date} to ${to[column]} ${date}`;
}

/** An issued or paid invoice with lines: one a credit note or a payment may settle. */
const pickIssuedInvoice = (w: Warehouse, rng: Rng) =>
    pick<{ invoice_id: string; issue_date: string }>(
        w,
        rng,
        `select invoice_id, issue_date::varchar as issue_date from canonical.invoices i
         where status in ('issued', 'paid') and exists (select 1 from canonical.invoice_lines l where l.invoice_id = i.invoice_id)`,
    );

let serial = 0;
const newId = (prefix: string) => `${prefix}-PROP-${++serial}`;

export const WRITES: Write[] = [
    {
        name: 'new entries',
        async apply(w, rng) {
            const template = await pick<Row & { entry_id: string; work_date: string }>(w, rng, UNBILLED);
            const ids: string[] = [];
            for (let i = 0; i < 3; i++) {
                const id = newId('E');
                ids.push(id);
                const date = shiftDate(template.work_date, rng.intIn(-3, 3));
                await w.run(
                    `insert into canonical.time_entries select $1, person_id, project_id, phase, task, activity, $2::date, 3600 * $3, billable, null, 'timer',
                        $2::date + interval 18 hour, 'submitted', null, null, null, null, batch_id
                     from canonical.time_entries where entry_id = $4`,
                    [id, date, rng.intIn(1, 4), template.entry_id],
                );
            }
            const rows = await w.all(`select ${ENTRY_COLUMNS} from canonical.time_entries where entry_id in ($1, $2, $3)`, ids);
            await markWritten(w, 'time_entries', rows);
            return `${ids.join(', ')} like ${template.entry_id}`;
        },
    },
    {
        name: 'an edit that moves an entry to another month and project',
        apply: (w, rng) => moveEntry(w, rng, 'project_id', 'projects', () => (rng.chance(0.5) ? 35 : -35)),
    },
    {
        name: 'an edit that moves an entry to another person and week',
        apply: (w, rng) => moveEntry(w, rng, 'person_id', 'people', () => (rng.chance(0.5) ? rng.intIn(7, 12) : -rng.intIn(7, 12))),
    },
    {
        name: 'a deleted entry that removes a flag',
        async apply(w, rng) {
            // A duplicate's or an overlapping timer's partner loses its flag too; a person-day may become a missing day.
            const old = await pick<Row & { entry_id: string }>(
                w,
                rng,
                `select * from (${UNBILLED}) e where entry_id in (select entry_id from marts.fct_review_flags where rule in ('duplicate_entry', 'overlapping_timer', 'over_12h_day', 'zero_duration', 'phase_over_estimate'))`,
            );
            await w.run(`delete from canonical.time_entries where entry_id = $1`, [old.entry_id]);
            await markWritten(w, 'time_entries', [old]);
            return old.entry_id;
        },
    },
    {
        name: 'an approval that changes a flag, and an edit refused after it',
        async apply(w, rng) {
            // An entry awaiting approval on a closed project loses its closed_project flag; the refused edit is flagged edit_after_approval.
            const pending = `select * from (${UNBILLED}) e where status in ('draft', 'submitted')`;
            const flagged = `${pending} and entry_id in (select entry_id from marts.fct_review_flags where rule = 'closed_project')`;
            const some = (await w.one<{ n: number }>(`select count(*)::integer as n from (${flagged})`))!.n > 0;
            const old = await pick<Row & { entry_id: string; person_id: string }>(w, rng, some && rng.chance(0.7) ? flagged : pending);
            await w.run(`update canonical.time_entries set status = 'approved', approved_by = 'PROP', approved_at = now() where entry_id = $1`, [old.entry_id]);
            const now = await w.all(`select ${ENTRY_COLUMNS} from canonical.time_entries where entry_id = $1`, [old.entry_id]);
            await markWritten(w, 'time_entries', [old, ...now]);
            await recordRefused(w, { actor: 'cli:property' }, { entry_id: old.entry_id, person_id: old.person_id }, 'edit', 'approved');
            return `${old.entry_id} approved`;
        },
    },
    {
        name: 'a timer overlapping another of the same person',
        async apply(w, rng) {
            const timed = await pick<Row & { entry_id: string; started_at: string; person_id: string }>(
                w,
                rng,
                `select entry_id, person_id, started_at::varchar as started_at from canonical.time_entries where started_at is not null and ended_at is not null`,
            );
            const id = newId('T');
            await w.run(
                `insert into canonical.time_entries select $1, person_id, project_id, phase, task, activity, work_date, 7200, billable, null, 'timer',
                    logged_at, 'draft', null, null, started_at::timestamptz - interval 1 hour, started_at::timestamptz + interval 1 hour, batch_id
                 from canonical.time_entries where entry_id = $2`,
                [id, timed.entry_id],
            );
            const rows = await w.all(`select ${ENTRY_COLUMNS} from canonical.time_entries where entry_id = $1`, [id]);
            await markWritten(w, 'time_entries', rows);
            return `${id} over ${timed.entry_id} (${timed.person_id})`;
        },
    },
    {
        name: 'a deleted entry',
        async apply(w, rng) {
            const old = await pick<Row & { entry_id: string }>(w, rng, UNBILLED);
            await w.run(`delete from canonical.time_entries where entry_id = $1`, [old.entry_id]);
            await markWritten(w, 'time_entries', [old]);
            return old.entry_id;
        },
    },
    {
        name: 'a new rate card',
        async apply(w, rng) {
            const role = await pick<{ role: string }>(w, rng, `select distinct role from canonical.people`);
            const from = `2024-${String(rng.intIn(1, 12)).padStart(2, '0')}-${String(rng.intIn(1, 28)).padStart(2, '0')}`;
            const row = { scope: 'role', scope_id: '', role: role.role, effective_from: from, effective_to: null, hourly_rate: rng.intIn(80, 200), currency: 'EUR' };
            await w.run(`delete from canonical.rate_cards where scope = 'role' and role = $1 and effective_from = $2::date`, [role.role, from]);
            await w.run(`insert into canonical.rate_cards values ('role', '', $1, $2::date, null, $3, 'EUR', 0)`, [role.role, from, row.hourly_rate]);
            await markWritten(w, 'rate_cards', [row]);
            return `${role.role} at ${row.hourly_rate} from ${from}`;
        },
    },
    {
        name: 'a new invoice of unbilled time',
        async apply(w, rng) {
            const target = await pick<{ project_id: string; client_id: string; currency: string; work_month: string }>(
                w,
                rng,
                `select distinct e.project_id, p.client_id, c.currency, date_trunc('month', e.work_date::date)::date::varchar as work_month
                 from (${UNBILLED}) e join canonical.projects p using (project_id) join canonical.clients c using (client_id)
                 where p.billing_model = 'time_and_materials' and e.billable and e.status = 'approved'`,
            );
            const entries = await w.all<{ entry_id: string; duration_seconds: number }>(
                `select entry_id, duration_seconds from (${UNBILLED}) e
                 where project_id = $1 and billable and status = 'approved' and date_trunc('month', work_date::date) = $2::date`,
                [target.project_id, target.work_month],
            );
            const id = newId('I');
            const seconds = entries.reduce((s, e) => s + e.duration_seconds, 0);
            const hours = Math.round((seconds / 3600) * 10_000) / 10_000;
            const amount = Math.round(hours * 100 * 100) / 100;
            const issue = shiftDate(target.work_month, 40);
            await w.run(`insert into canonical.invoices values ($1, $1, $2, $3::date, null, $4, 'issued', 0)`, [id, target.client_id, issue, target.currency]);
            await w.run(`insert into canonical.invoice_lines values ($1, 1, $2, 'time', $3, 100, $4, $5::date, last_day($5::date), null, 0)`, [
                id,
                target.project_id,
                hours,
                amount,
                target.work_month,
            ]);
            for (const e of entries) await w.run(`insert into canonical.invoice_line_entries values ($1, 1, $2, 0)`, [id, e.entry_id]);
            await markWritten(w, 'invoices', [{ invoice_id: id, issue_date: issue }]);
            await markWritten(w, 'invoice_lines', [{ invoice_id: id, line_no: 1, project_id: target.project_id, period_start: target.work_month }]);
            await markWritten(w, 'invoice_line_entries', entries.map((e) => ({ invoice_id: id, line_no: 1, entry_id: e.entry_id })));
            return `${id}: ${entries.length} entries of ${target.project_id} in ${target.work_month}`;
        },
    },
    {
        name: 'a credit note',
        async apply(w, rng) {
            const invoice = await pickIssuedInvoice(w, rng);
            const row = { credit_note_id: newId('CN'), invoice_id: invoice.invoice_id, issue_date: shiftDate(invoice.issue_date, 20), amount: 1, reason: 'discount' };
            await w.run(`insert into canonical.credit_notes values ($1, $2, $3::date, 1.00, 'discount', 0)`, [row.credit_note_id, row.invoice_id, row.issue_date]);
            await markWritten(w, 'credit_notes', [row]);
            return `${row.credit_note_id} on ${row.invoice_id}`;
        },
    },
    {
        name: 'a payment',
        async apply(w, rng) {
            const invoice = await pickIssuedInvoice(w, rng);
            const row = { payment_id: newId('PAY'), invoice_id: invoice.invoice_id, paid_date: shiftDate(invoice.issue_date, 30), amount: 2 };
            await w.run(`insert into canonical.payments values ($1, $2, $3::date, 2.00, 0)`, [row.payment_id, row.invoice_id, row.paid_date]);
            await markWritten(w, 'payments', [row]);
            return `${row.payment_id} on ${row.invoice_id} (${row.paid_date})`;
        },
    },
    {
        name: 'a changed fx rate',
        async apply(w, rng) {
            const old = await pick<{ currency: string; date: string; rate_to_reporting: number }>(
                w,
                rng,
                `select currency, date::varchar as date, rate_to_reporting from canonical.fx_rates where currency <> 'EUR' and date between '2024-01-01' and '2025-05-31'`,
            );
            await w.run(`update canonical.fx_rates set rate_to_reporting = rate_to_reporting * 1.1 where currency = $1 and date = $2::date`, [old.currency, old.date]);
            await markWritten(w, 'fx_rates', [old, { ...old, rate_to_reporting: old.rate_to_reporting * 1.1 }]);
            return `${old.currency} on ${old.date}`;
        },
    },
    {
        name: 'a new fx rate',
        async apply(w, rng) {
            // A rate on a date before the currency's first: amounts dated from it on convert at it, not only at the old first.
            const currency = await pick<{ currency: string; first: string }>(
                w,
                rng,
                `select currency, min(date)::varchar as first from canonical.fx_rates where currency <> 'EUR' group by currency`,
            );
            const free = { date: shiftDate(currency.first, -rng.intIn(1, 60)) };
            const row = { currency: currency.currency, date: free.date, rate_to_reporting: 0.5 + rng.next() };
            await w.run(`insert into canonical.fx_rates values ($1, $2::date, $3, 0)`, [row.currency, row.date, row.rate_to_reporting]);
            await markWritten(w, 'fx_rates', [row]);
            return `${row.currency} on ${row.date} at ${row.rate_to_reporting.toFixed(4)}`;
        },
    },
    {
        name: 'a rate card of one project (or of a role on it) from a date',
        async apply(w, rng) {
            const project = await pick<{ project_id: string }>(w, rng, `select project_id from canonical.projects where billing_model = 'time_and_materials'`);
            const scope = rng.chance(0.5) ? 'project' : 'project_role';
            const role = scope === 'project' ? '' : (await pick<{ role: string }>(w, rng, `select distinct role from canonical.people`)).role;
            const from = `2024-${String(rng.intIn(2, 12)).padStart(2, '0')}-${String(rng.intIn(1, 28)).padStart(2, '0')}`;
            const row = { scope, scope_id: project.project_id, role, effective_from: from, effective_to: null, hourly_rate: rng.intIn(60, 250), currency: 'EUR' };
            await w.run(`delete from canonical.rate_cards where scope = $1 and scope_id = $2 and role = $3 and effective_from = $4::date`, [scope, project.project_id, role, from]);
            await w.run(`insert into canonical.rate_cards values ($1, $2, $3, $4::date, null, $5, 'EUR', 0)`, [scope, project.project_id, role, from, row.hourly_rate]);
            await markWritten(w, 'rate_cards', [row]);
            return `${scope} ${project.project_id}${role ? ` ${role}` : ''} at ${row.hourly_rate} from ${from}`;
        },
    },
    {
        name: 'a changed retainer term',
        async apply(w, rng) {
            const old = await pick<{ project_id: string; effective_from: string; monthly_fee: number; included_hours: number; rollover_months: number }>(
                w,
                rng,
                `select project_id, effective_from::varchar as effective_from, monthly_fee::double as monthly_fee, included_hours::double as included_hours, rollover_months
                 from canonical.retainer_terms`,
            );
            // Fewer hours included from a month on: overage and rollover change from there, and carry on.
            const from = shiftDate(old.effective_from, 31 * rng.intIn(1, 8));
            const row = { project_id: old.project_id, effective_from: from.slice(0, 8) + '01', included_hours: Math.max(1, Math.round(old.included_hours * 0.6)) };
            await w.run(`delete from canonical.retainer_terms where project_id = $1 and effective_from = $2::date`, [row.project_id, row.effective_from]);
            await w.run(`insert into canonical.retainer_terms values ($1, $2::date, $3, $4, 150, $5, 0)`, [
                row.project_id,
                row.effective_from,
                old.monthly_fee,
                row.included_hours,
                old.rollover_months,
            ]);
            await markWritten(w, 'retainer_terms', [row]);
            return `${row.project_id}: ${row.included_hours} h included from ${row.effective_from}`;
        },
    },
    {
        name: 'a new cost rate',
        async apply(w, rng) {
            const person = await pick<{ person_id: string }>(w, rng, `select distinct person_id from canonical.cost_rates`);
            const from = `2024-${String(rng.intIn(1, 12)).padStart(2, '0')}-${String(rng.intIn(1, 28)).padStart(2, '0')}`;
            const row = { person_id: person.person_id, effective_from: from, hourly_cost: rng.intIn(30, 120), currency: 'EUR' };
            await w.run(`delete from canonical.cost_rates where person_id = $1 and effective_from = $2::date`, [row.person_id, from]);
            await w.run(`insert into canonical.cost_rates values ($1, $2::date, $3, 'EUR', 0)`, [row.person_id, from, row.hourly_cost]);
            await markWritten(w, 'cost_rates', [row]);
            return `${row.person_id} at ${row.hourly_cost} from ${from}`;
        },
    },
    {
        name: 'a changed as_of',
        async apply(w, rng) {
            const old = (await w.one<{ value: string }>(`select value from canonical.settings where key = 'as_of'`))!;
            const value = shiftDate('2025-06-30', -rng.intIn(1, 60));
            await w.run(`update canonical.settings set value = $1 where key = 'as_of'`, [value]);
            await markWritten(w, 'settings', [{ key: 'as_of', value: old.value }, { key: 'as_of', value }]);
            return `${old.value} → ${value}`;
        },
    },
];
