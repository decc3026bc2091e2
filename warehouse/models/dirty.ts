/**
 * What a write touched. Every writer (an ingest, a form, an invoicing run) calls markWritten inside its own
 * transaction with the rows it inserted, changed or deleted (the old version of a changed or deleted row
 * too): the table's data generation goes up by one and the projects, people and months those rows touch
 * are recorded in meta.dirty, committed or rolled back with the write. The refresh (incremental.ts)
 * recomputes what they touched and consumes the records.
 *
 * How a table's rows map to what they touch is stated once, below, in SQL over the rows (TOUCHES): a time
 * entry (and an audit event of one) its project and person in its work month — the only writes that name a
 * person, the rest touch every person; a rate card, an fx rate, a retainer term or a cost rate every month from
 * the date it takes effect (it changes the past); an invoice, its lines, credit notes and payments the
 * projects the invoice bills from the earliest month it covers; a setting (as_of, the reporting currency)
 * everything. The same rules serve rows given as objects (markWritten) and rows in a relation (markWrittenFrom,
 * for bulk loads).
 */
import { ident, type Params, type Warehouse } from '../warehouse.ts';

type ColumnType = 'varchar' | 'date';

interface TouchRule {
    /** The columns of the written rows the rule reads, with their types. */
    columns: Record<string, ColumnType>;
    /** A query over `rows` (the written rows) giving project_id, from_month and to_month (see 006_data_generations.sql), and person_id when `people`. */
    sql: string;
    /** The query gives the person whose rows the write touched (015_dirty_people.sql); without it, every person. */
    people?: boolean;
}

const month = (column: string) => `date_trunc('month', ${column})::date`;

/** Every month, every project: what changes everything the models compute. */
const EVERYTHING = `select null::varchar as project_id, null::date as from_month, null::date as to_month from rows limit 1`;

/**
 * The projects an invoice bills and the earliest month it covers (its issue date, its lines' periods, the
 * work dates of the entries it bills), from the warehouse as the write left it; `ids` is a query of
 * invoice_id. An invoice without lines touches every project from its issue month.
 */
const invoiceTouches = (ids: string) => `
    with invoice_ids as (
        select distinct invoice_id from (${ids}) where invoice_id is not null
    ),
    lines as (
        select l.invoice_id, l.project_id, least(l.period_start, i.issue_date) as first_date
        from canonical.invoice_lines l
        join canonical.invoices i on i.invoice_id = l.invoice_id
        where l.invoice_id in (select invoice_id from invoice_ids)
    ),
    billed as (
        select le.invoice_id, e.project_id, e.work_date as first_date
        from canonical.invoice_line_entries le
        join canonical.time_entries e on e.entry_id = le.entry_id
        where le.invoice_id in (select invoice_id from invoice_ids)
    ),
    bare as (
        select i.invoice_id, null::varchar as project_id, i.issue_date as first_date
        from canonical.invoices i
        where i.invoice_id in (select invoice_id from invoice_ids)
            and not exists (select 1 from canonical.invoice_lines l where l.invoice_id = i.invoice_id)
    ),
    final as (
        select project_id, ${month('min(first_date)')} as from_month, null::date as to_month
        from (select * from lines union all select * from billed union all select * from bare)
        group by project_id
    )
    select * from final`;

/** A row dated `column` touches its invoice's projects from the earlier of that month and the invoice's own. */
const billingTouches = (column: string) => `
    select project_id, from_month, to_month from (${invoiceTouches('select invoice_id from rows')})
    union all
    select null::varchar, ${month(column)}, null::date from rows where invoice_id not in (select invoice_id from canonical.invoices)`;

const TOUCHES: Record<string, TouchRule> = {
    time_entries: {
        columns: { project_id: 'varchar', person_id: 'varchar', work_date: 'date' },
        sql: `select project_id, person_id, ${month('work_date')} as from_month, ${month('work_date')} as to_month from rows`,
        people: true,
    },
    // The audit trail of time capture (the edit-after-approval flag reads it): the entry's project and month.
    'audit.time_entry_events': {
        columns: { entry_id: 'varchar' },
        sql: `select e.project_id, e.person_id, ${month('e.work_date')} as from_month, ${month('e.work_date')} as to_month
              from rows r join canonical.time_entries e on e.entry_id = r.entry_id
              union all
              select null, null, null, null from rows r where r.entry_id not in (select entry_id from canonical.time_entries)`,
        people: true,
    },
    rate_cards: {
        columns: { scope: 'varchar', scope_id: 'varchar', effective_from: 'date' },
        // A project's card (project, or project_role: scope_id is the project) prices that project's entries only.
        sql: `select case when scope in ('project', 'project_role') then scope_id end as project_id, ${month('effective_from')} as from_month, null::date as to_month from rows`,
    },
    fx_rates: { columns: { date: 'date' }, sql: `select null::varchar as project_id, ${month('date')} as from_month, null::date as to_month from rows` },
    retainer_terms: {
        columns: { project_id: 'varchar', effective_from: 'date' },
        sql: `select project_id, ${month('effective_from')} as from_month, null::date as to_month from rows`,
    },
    cost_rates: { columns: { effective_from: 'date' }, sql: `select null::varchar as project_id, ${month('effective_from')} as from_month, null::date as to_month from rows` },
    person_capacity: { columns: { effective_from: 'date' }, sql: `select null::varchar as project_id, ${month('effective_from')} as from_month, null::date as to_month from rows` },
    // A milestone's work is awaiting sign-off until its sign-off date: every month of its project.
    milestones: { columns: { project_id: 'varchar' }, sql: `select project_id, null::date as from_month, null::date as to_month from rows` },
    plan_lines: { columns: { project_id: 'varchar' }, sql: `select project_id, null::date as from_month, null::date as to_month from rows` },
    projects: { columns: { project_id: 'varchar' }, sql: `select project_id, null::date as from_month, null::date as to_month from rows` },
    invoices: { columns: { invoice_id: 'varchar', issue_date: 'date' }, sql: billingTouches('issue_date') },
    invoice_lines: {
        columns: { invoice_id: 'varchar', project_id: 'varchar', period_start: 'date' },
        sql: `${invoiceTouches('select invoice_id from rows')}
              union all
              select project_id, null::date, null::date from rows where period_start is null
              union all
              select project_id, ${month('period_start')}, null::date from rows where period_start is not null`,
    },
    invoice_line_entries: {
        columns: { invoice_id: 'varchar', entry_id: 'varchar' },
        sql: `${invoiceTouches('select invoice_id from rows')}
              union all
              select e.project_id, ${month('e.work_date')}, null::date from rows r join canonical.time_entries e on e.entry_id = r.entry_id`,
    },
    credit_notes: { columns: { invoice_id: 'varchar', issue_date: 'date' }, sql: billingTouches('issue_date') },
    payments: { columns: { invoice_id: 'varchar', paid_date: 'date' }, sql: billingTouches('paid_date') },
    settings: { columns: {}, sql: EVERYTHING },
    people: { columns: {}, sql: EVERYTHING },
    clients: { columns: {}, sql: EVERYTHING },
};

/** The tables whose writes the models follow: the canonical tables and the time-capture audit trail. */
export const WRITTEN_TABLES: readonly string[] = Object.keys(TOUCHES);

/** A canonical table's name (`time_entries` or `canonical.time_entries`) as meta records it. */
async function sourceName(warehouse: Warehouse, table: string): Promise<string> {
    const name = table.startsWith('canonical.') ? table.slice('canonical.'.length) : table;
    if (name in TOUCHES) return name;
    // A canonical table without a rule of its own (a newer one): a write to it touches everything.
    const found = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'canonical' and table_name = $1`, [name]);
    if (!found) throw new Error(`markWritten: ${table} is not a table the models read (a canonical table, or one of ${WRITTEN_TABLES.join(', ')})`);
    return name;
}

const ruleOf = (name: string): TouchRule => TOUCHES[name] ?? { columns: {}, sql: EVERYTHING };

/** Bumps `table`'s data generation; returns the new one. Inside the writer's transaction. */
async function bump(warehouse: Warehouse, table: string): Promise<number> {
    await warehouse.run(
        `insert into meta.data_generations select $1, 0, now() where not exists (select 1 from meta.data_generations where table_name = $1)`,
        [table],
    );
    await warehouse.run(`update meta.data_generations set generation = generation + 1, written_at = now() where table_name = $1`, [table]);
    return (await warehouse.one<{ g: number }>(`select generation::bigint as g from meta.data_generations where table_name = $1`, [table]))!.g;
}

async function record(warehouse: Warehouse, table: string, rule: TouchRule, rows: string, params: Params): Promise<void> {
    warehouse.noteModelInputsWritten(table);
    const generation = await bump(warehouse, table);
    const sql = rule.sql.replaceAll(/\brows\b/g, 'written_rows');
    const values = Array.isArray(params) ? params : [];
    const at = values.length + 1;
    await warehouse.run(
        `insert into meta.dirty (table_name, generation, project_id, from_month, to_month, person_id)
         with written_rows as (${rows}),
         touched as (${sql})
         select distinct $${at}, $${at + 1}::bigint, project_id, from_month, to_month, ${rule.people ? 'person_id' : 'null::varchar'} from touched`,
        [...values, table, generation],
    );
}

function checkInTransaction(warehouse: Warehouse, what: string): void {
    if (!warehouse.inTransaction()) throw new Error(`${what} must be called inside the write's transaction (warehouse.transaction)`);
}

/**
 * Records a write to `table` (a canonical table, or audit.time_entry_events): `rows` are the rows inserted,
 * changed (old and new version) or deleted, as plain objects of their column values. Call it inside the
 * write's transaction; after the commit, the server's refreshModels() brings the marts up to date.
 */
export async function markWritten(warehouse: Warehouse, table: string, rows: Record<string, unknown>[]): Promise<void> {
    checkInTransaction(warehouse, 'markWritten');
    const name = await sourceName(warehouse, table);
    if (rows.length === 0) return;
    const rule = ruleOf(name);
    const columns = Object.entries(rule.columns);
    const plain = rows.map((row) => Object.fromEntries(columns.map(([c, type]) => [c, plainValue(row[c], type, name, c)])));
    // The rows travel as one JSON parameter, typed by DuckDB: one statement whatever their number.
    const structure = JSON.stringify(Object.fromEntries(columns.length > 0 ? columns.map(([c, t]) => [c, t.toUpperCase()]) : [['_', 'VARCHAR']]));
    const rowsSql = `select unnest(from_json($1::json, '[${structure.replaceAll("'", "''")}]'), recursive := true)`;
    await record(warehouse, name, rule, rowsSql, [JSON.stringify(plain)]);
}

/**
 * Records a bulk write: `relation` is a query of the written rows with (at least) the table's columns, e.g.
 * the rows a load inserted and the old versions of those it replaced. Inside the write's transaction.
 */
export async function markWrittenFrom(warehouse: Warehouse, table: string, relation: string, params?: Params): Promise<void> {
    checkInTransaction(warehouse, 'markWrittenFrom');
    const name = await sourceName(warehouse, table);
    const rule = ruleOf(name);
    const cols = Object.keys(rule.columns);
    const rows = `select ${cols.length > 0 ? cols.map(ident).join(', ') : '1 as _'} from (${relation})`;
    await record(warehouse, name, rule, rows, params ?? []);
}

function plainValue(value: unknown, type: ColumnType, table: string, column: string): string | null {
    if (value === null || value === undefined) return null;
    if (type === 'date') {
        if (value instanceof Date) return value.toISOString().slice(0, 10);
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
        throw new Error(`markWritten(${table}): ${column} is not a date: ${JSON.stringify(value)}`);
    }
    return String(value);
}
