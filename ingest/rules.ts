/**
 * The validation rules of canonical ingest, as SQL over a staged relation whose columns are already typed
 * (a failed parse is null, with the raw text kept in `<column>__raw`; a column the file does not give is
 * null, or '' for emptyAsBlank). One definition serves both the fast path (does any row break any rule?)
 * and the report (which rows, which column, which value, why).
 */
import { ident, literal } from '../warehouse/warehouse.ts';
import { DATE_RANGE, type Column, type ColumnType, type Entity, type EntityName } from './entities.ts';

/** The DuckDB type a file's cell is read as (wide enough to see what is wrong before the warehouse narrows it). */
export function readType(type: ColumnType): string {
    switch (type) {
        case 'text':
            return 'varchar';
        case 'date':
            return 'date';
        case 'timestamp':
            return 'timestamptz';
        case 'money':
        case 'decimal':
            return 'decimal(38,10)';
        case 'integer':
        case 'seconds':
            return 'bigint';
        case 'boolean':
            return 'boolean';
    }
}

/** A number as a file may write it: sign, digits, an optional fraction and exponent, nothing else. */
const NUMBER = String.raw`\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*`;
/** A whole number: a fraction, if written, is zeros (3600.0 is whole; 3600.5 is not rounded to 3601). */
const WHOLE_NUMBER = String.raw`\s*[+-]?[0-9]+(\.0*)?\s*`;

/**
 * SQL reading a cell's text (null when empty) as the column's type: null unless the WHOLE text is such a
 * value. DuckDB's own casts stop early on some input — a date cast reads '2025-02-03x' as 2025-02-03, a
 * bigint cast rounds 3600.5 and reads 0x10, a decimal cast reads 1_000, and its CSV reader makes an
 * unreadable timestamp null — so every file is read as text and parsed here, the same way on every path.
 */
export function parseCell(type: ColumnType, text: string): string {
    switch (type) {
        case 'text':
            return text;
        case 'date':
            return `try_strptime(${text}, '%Y-%m-%d')::date`;
        case 'timestamp':
        case 'boolean':
            return `try_cast(${text} as ${readType(type)})`;
        case 'money':
        case 'decimal':
            return `case when regexp_full_match(${text}, '${NUMBER}') then try_cast(${text} as ${readType(type)}) end`;
        case 'integer':
        case 'seconds':
            return `case when regexp_full_match(${text}, '${WHOLE_NUMBER}') then try_cast(${text} as ${readType(type)}) end`;
    }
}

const TYPE_NAMES: Record<ColumnType, string> = {
    text: 'text',
    date: 'a date (YYYY-MM-DD)',
    timestamp: 'a timestamp (ISO 8601, e.g. 2025-03-04T17:12:09+01:00)',
    money: 'an amount (e.g. 1250.00)',
    decimal: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    seconds: 'a whole number of seconds',
};

/** A rule that a single row breaks on its own. `bad` is a SQL predicate over the staged relation. */
export interface RowRule {
    column: string;
    reason: string;
    bad: string;
    /** The offending value as text, for the report. */
    value: string;
}

/** A rule that needs other rows: a reference to another entity, or a duplicate key. */
export interface ReferenceRule {
    column: string;
    /** Referenced table (canonical.<entity>) and column; `when` restricts which rows carry the reference. */
    table: EntityName;
    target: string;
    when?: string;
    reason: string;
}

const q = ident;

function castRule(c: Column): RowRule | null {
    if (c.type === 'text') return null;
    return {
        column: c.name,
        reason: `not ${TYPE_NAMES[c.type]}`,
        bad: `${q(c.name)} is null and ${q(c.name + '__raw')} is not null`,
        value: q(c.name + '__raw'),
    };
}

/**
 * A number the warehouse column cannot hold (DECIMAL(18,2) holds 16 digits before the point, INTEGER up to
 * 2147483647) is a rejected row, not a failed insert. `stored` is the column's type in the warehouse.
 */
function storageRule(c: Column, stored: string | undefined): RowRule | null {
    const col = q(c.name);
    const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(stored ?? '');
    if (decimal) {
        const digits = Number(decimal[1]) - Number(decimal[2]);
        return {
            column: c.name,
            reason: `too large: more than ${digits} digits before the decimal point`,
            bad: `abs(${col}) >= ${10n ** BigInt(digits)}`,
            value: `${col}::varchar`,
        };
    }
    if (/^INTEGER$/i.test(stored ?? '')) {
        return { column: c.name, reason: 'too large: at most 2147483647', bad: `abs(${col}) > 2147483647`, value: `${col}::varchar` };
    }
    return null;
}

function rangeRules(c: Column): RowRule[] {
    const col = q(c.name);
    const rules: RowRule[] = [];
    const value = `${col}::varchar`;
    if (c.type === 'date') {
        rules.push({
            column: c.name,
            reason: `date outside ${DATE_RANGE.from}…${DATE_RANGE.to}`,
            bad: `${col} not between date ${literal(DATE_RANGE.from)} and date ${literal(DATE_RANGE.to)}`,
            value,
        });
    }
    if (c.type === 'timestamp') {
        // Compared as instants: a cast to date would need the time-zone calendar for every row.
        rules.push({
            column: c.name,
            reason: `timestamp outside ${DATE_RANGE.from}…${DATE_RANGE.to}`,
            bad: `${col} not between timestamptz ${literal(`${DATE_RANGE.from} 00:00:00+00`)} and timestamptz ${literal(`${DATE_RANGE.to} 23:59:59.999999+00`)}`,
            value,
        });
    }
    if (c.type === 'money') {
        rules.push({ column: c.name, reason: 'more than 2 decimals', bad: `${col} <> round(${col}, 2)`, value });
    }
    if (c.type === 'decimal') {
        rules.push({ column: c.name, reason: 'more than 4 decimals', bad: `${col} <> round(${col}, 4)`, value });
    }
    if (c.min !== undefined) {
        const op = c.minExclusive ? '<=' : '<';
        rules.push({ column: c.name, reason: `must be ${c.minExclusive ? '>' : '≥'} ${c.min}`, bad: `${col} ${op} ${c.min}`, value });
    }
    if (c.max !== undefined) {
        rules.push({ column: c.name, reason: c.maxReason ?? `must be ≤ ${c.max}`, bad: `${col} > ${c.max}`, value });
    }
    if (c.values) {
        rules.push({
            column: c.name,
            reason: `must be one of: ${c.values.join(', ')}`,
            bad: `${col} not in (${c.values.map(literal).join(', ')})`,
            value,
        });
    }
    return rules;
}

/** Rules across columns of one row, per entity. */
function crossRules(name: EntityName): RowRule[] {
    const order = (column: string, before: string, what = 'date'): RowRule => ({
        column,
        reason: `${what} before ${before}`,
        bad: `${q(column)} < ${q(before)}`,
        value: `${q(column)}::varchar`,
    });
    const currency = (column: string): RowRule => ({
        column,
        reason: 'not a 3-letter ISO currency code (e.g. EUR)',
        bad: `not regexp_full_match(${q(column)}, '[A-Z]{3}')`,
        value: q(column),
    });
    switch (name) {
        case 'people':
            return [order('end_date', 'start_date')];
        case 'projects':
            return [
                order('end_date', 'start_date'),
                {
                    // PRODUCT.md: client_id may be empty for internal work, and internal work is non_billable.
                    column: 'billing_model',
                    reason: 'a project without client_id is internal work: billing_model must be non_billable',
                    bad: `client_id is null and billing_model <> 'non_billable'`,
                    value: 'billing_model',
                },
            ];
        case 'cost_rates':
        case 'clients':
        case 'invoices':
            return [currency('currency'), ...(name === 'invoices' ? [order('due_date', 'issue_date')] : [])];
        case 'rate_cards':
            return [
                currency('currency'),
                order('effective_to', 'effective_from'),
                {
                    column: 'scope_id',
                    reason: 'required for client, project, person and project_role cards',
                    bad: `scope in ('client', 'project', 'person', 'project_role') and scope_id = ''`,
                    value: 'scope_id',
                },
                {
                    column: 'scope_id',
                    reason: 'must be empty for firm and role cards',
                    bad: `scope in ('firm', 'role') and scope_id <> ''`,
                    value: 'scope_id',
                },
                {
                    column: 'role',
                    reason: 'required for role and project_role cards',
                    bad: `scope in ('role', 'project_role') and role = ''`,
                    value: 'role',
                },
                {
                    column: 'role',
                    reason: 'must be empty unless scope is role or project_role',
                    bad: `scope not in ('role', 'project_role') and role <> ''`,
                    value: 'role',
                },
            ];
        case 'time_entries':
            return [
                order('ended_at', 'started_at', 'timestamp'),
                {
                    column: 'approved_at',
                    reason: 'set on an entry that is not approved',
                    bad: `approved_at is not null and status <> 'approved'`,
                    value: 'approved_at::varchar',
                },
            ];
        case 'invoice_lines':
            return [
                order('period_end', 'period_start'),
                {
                    column: 'milestone_id',
                    reason: 'required on milestone lines',
                    bad: `kind = 'milestone' and milestone_id is null`,
                    value: 'milestone_id',
                },
                {
                    column: 'amount',
                    reason: 'only adjustment lines may be negative',
                    bad: `amount < 0 and kind <> 'adjustment'`,
                    value: 'amount::varchar',
                },
            ];
        case 'fx_rates':
            return [currency('currency')];
        default:
            return [];
    }
}

/**
 * The rules a row breaks on its own, for the columns a file gives — in the form it gives them (time entries'
 * hours are checked as hours). `stored` maps a column to its type in the warehouse (storageRule).
 */
export function rowRules(e: Entity, columns: readonly Column[], stored: ReadonlyMap<string, string> = new Map()): RowRule[] {
    const rules: RowRule[] = [];
    for (const c of columns) {
        const cast = castRule(c);
        if (cast) rules.push(cast);
        if (c.required) {
            rules.push({
                column: c.name,
                reason: 'missing value',
                bad: `${q(c.name + '__raw')} is null`,
                value: 'null',
            });
        }
        rules.push(...rangeRules(c));
        const storage = storageRule(c, stored.get(c.name));
        if (storage) rules.push(storage);
    }
    // Across columns: a column the file does not give is null ('' for emptyAsBlank) in the staged relation,
    // as it will be in the warehouse, so these hold whichever columns a file gives.
    return rules.concat(crossRules(e.name));
}

export function referenceRules(e: Entity, present: ReadonlySet<string>): ReferenceRule[] {
    const rules: ReferenceRule[] = [];
    for (const c of e.columns) {
        if (!c.references || !present.has(c.name)) continue;
        rules.push({
            column: c.name,
            table: c.references.entity,
            target: c.references.column,
            reason: `unknown ${c.name}: not in ${c.references.entity}`,
        });
    }
    if (e.name === 'rate_cards') {
        for (const [scope, table, target] of [
            ['client', 'clients', 'client_id'],
            ['project', 'projects', 'project_id'],
            ['project_role', 'projects', 'project_id'],
            ['person', 'people', 'person_id'],
        ] as const) {
            rules.push({
                column: 'scope_id',
                table,
                target,
                when: `scope = ${literal(scope)}`,
                reason: `unknown scope_id: not in ${table}`,
            });
        }
    }
    if (e.name === 'invoice_line_entries') {
        // The line itself must exist, not only its invoice.
        rules.push({ column: 'line_no', table: 'invoice_lines', target: 'line_no', reason: 'unknown invoice line' });
    }
    return rules;
}

/** Columns to match for a reference; invoice_line_entries → invoice_lines matches on both parts of the key. */
export function referenceJoin(rule: ReferenceRule, rel: string, target: string): string {
    if (rule.table === 'invoice_lines' && rule.column === 'line_no') {
        return `${target}.invoice_id = ${rel}.invoice_id and ${target}.line_no = ${rel}.line_no`;
    }
    return `${target}.${q(rule.target)} = ${rel}.${q(rule.column)}`;
}

