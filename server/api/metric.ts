/**
 * How a metric route turns filters into SQL over its mart. A metric names its mart, which dimensions it can
 * be grouped by and filtered on (each mapped to a mart column), and its measures as aggregates over mart
 * columns; ratios are computed from summed measures (ratio of sums, as the marts' .yml say), never averaged.
 * Identifiers come from these definitions only; every value from the request is a bound parameter.
 */
import { moneySql } from '../../lib/money.ts';
import { ident, type Params, type Warehouse } from '../../warehouse/warehouse.ts';
import type { Caller, Role } from '../plugins/auth.ts';
import { badRequest } from '../plugins/problem.ts';
import { metricScope } from './access.ts';
import { FILTER_KEYS, type Dimension, type FilterKey, type MetricQuery } from './filters.ts';

export interface MetricDefinition {
    /** Route: GET /api/<name> */
    name: string;
    summary: string;
    /** Who may call it (PRODUCT.md: leadership sees aggregates; managers their projects; finance the money). */
    roles: readonly Role[];
    /** The definition, as the tooltip and the docs show it. */
    description: string;
    mart: string;
    grain: string;
    /** The mart's date column and its grain; from/to/as_of apply to it. */
    date: { column: string; grain: 'day' | 'week' | 'month' };
    /**
     * For marts with accruals (PRODUCT.md: accruals run through the as-of date): the column holding the day
     * each row counts from. as_of applies to it as well, to the day, and may not pass the firm's horizon
     * (the models compute through it).
     */
    accrued?: string;
    dimensions: Partial<Record<Dimension, string>>;
    filters: Partial<Record<FilterKey, string>>;
    /** name → aggregate SQL over mart columns (e.g. 'sum(standard_value)'). */
    measures: Record<string, string>;
    /** name → [numerator measure, denominator measure]; null when the denominator is 0. */
    ratios?: Record<string, readonly [string, string]>;
    /** The measures and ratios that are money (the .yml's `money:`): answered to the cent (lib/money.ts). */
    money?: readonly string[];
    /** Money measures answered as the sum of others as answered (a leading - subtracts): the parts add up to them. */
    sums?: Record<string, readonly string[]>;
    /** Extra fixed condition on the mart (our SQL, no user input). */
    where?: string;
    /**
     * Roll-ups of the mart (aggregate awareness, as in BI tools): marts with the same measure, date and
     * dimension columns summed over fewer dimensions. A question whose group_by and filters a roll-up has,
     * and that needs no narrowing to particular people, reads the first such roll-up: the same sums from
     * fewer rows.
     */
    rollups?: readonly { mart: string; dimensions: readonly Dimension[]; filters: readonly FilterKey[] }[];
}

export interface MetricResult {
    metric: string;
    grain: string;
    group_by: Dimension[];
    currency: string;
    as_of: string;
    /** Set when the rows were narrowed to what the caller may see of individuals or projects (server/api/access.ts). */
    scope?: string;
    rows: Record<string, string | number | null>[];
}

const firmCache = new WeakMap<Warehouse, { generation: number; value: { currency: string; as_of: string; horizon: string } }>();

/** Firm currency and as_of default (the firm setting, else today); cached until the next committed change. */
export async function firmContext(warehouse: Warehouse): Promise<{ currency: string; as_of: string; horizon: string }> {
    const cached = firmCache.get(warehouse);
    if (cached && cached.generation === warehouse.generation) return cached.value;
    const row = await warehouse.one<{ currency: string; as_of: string; horizon: string }>(
        `select reporting_currency as currency, as_of::varchar as as_of, horizon::varchar as horizon from intermediate.int_firm`,
    );
    const today = new Date().toISOString().slice(0, 10);
    const value = row ?? { currency: 'EUR', as_of: today, horizon: today };
    firmCache.set(warehouse, { generation: warehouse.generation, value });
    return value;
}

const TRUNC: Record<'day' | 'week' | 'month', string> = { day: 'day', week: 'week', month: 'month' };

/**
 * A figure evaluated through as_of (accruals, budget burn) can be asked for any day up to the horizon the
 * models were built through (intermediate.int_firm); a later one is a 400 naming as_of.
 */
export function checkAsOf(what: string, asOf: string, horizon: string): void {
    if (asOf > horizon) {
        throw badRequest('as_of', `${what} runs through as_of, and the models are built through ${horizon}; pick an as_of up to then, or set the firm's as_of later and rebuild`);
    }
}

/** The where clause and parameters for the filters of a query, checked against what the metric allows. */
export function whereClause(
    def: Pick<MetricDefinition, 'name' | 'grain' | 'date' | 'filters' | 'where' | 'accrued'>,
    q: Partial<Record<FilterKey | 'from' | 'to', string | undefined>>,
    asOf: string,
    params: Params & Record<string, string>,
    horizon?: string,
): string {
    const conditions: string[] = def.where ? [`(${def.where})`] : [];
    for (const key of FILTER_KEYS) {
        const value = q[key];
        if (value === undefined) continue;
        const column = def.filters[key];
        if (!column) throw badRequest(key, `${key} does not apply to ${def.name} (grain: ${def.grain})`);
        params[key] = value;
        conditions.push(`${ident(column)} = $${key}`);
    }
    const date = ident(def.date.column);
    const trunc = TRUNC[def.date.grain];
    if (q.from) {
        params.from = q.from;
        conditions.push(`${date} >= date_trunc('${trunc}', $from::date)`);
    }
    if (q.to) {
        params.to = q.to;
        conditions.push(`${date} <= $to::date`);
    }
    params.as_of = asOf;
    conditions.push(`${date} <= $as_of::date`);
    if (def.accrued) {
        if (horizon) checkAsOf(def.name, asOf, horizon);
        conditions.push(`${ident(def.accrued)} <= $as_of::date`);
    }
    return conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
}

interface MetricStatement {
    /** The answer without its rows. */
    head: Omit<MetricResult, 'rows'>;
    /** The select, unordered; its rows are ordered by the group_by columns. */
    select: string;
    order: string[];
    params: Params;
}

/**
 * The statement of a metric for a query. With a caller, a metric whose grain has a person answers
 * individuals only as server/api/access.ts allows (403 otherwise) and narrows the rows to them, and a
 * project manager's rows of a grain with a project are those of their projects; without one (internal
 * use, aggregates such as by-department) nothing is narrowed.
 */
async function metricStatement(warehouse: Warehouse, def: MetricDefinition, q: MetricQuery, caller?: Caller): Promise<MetricStatement> {
    const firm = await firmContext(warehouse);
    const asOf = q.as_of ?? firm.as_of;
    const groups = q.group_by;
    for (const g of groups) {
        if (!def.dimensions[g]) throw badRequest('group_by', `${def.name} cannot be grouped by ${g} (grain: ${def.grain}); use ${Object.keys(def.dimensions).join(', ')}`);
    }
    const params: Record<string, string> = {};
    let where = whereClause(def, q, asOf, params, firm.horizon);
    const access = caller ? await metricScope(warehouse, def, q, caller, params) : null;
    if (access?.condition) where += ` and ${access.condition}`;
    const groupCols = groups.map((g) => {
        const col = ident(def.dimensions[g]!);
        return g === 'month' || g === 'week' ? `date_trunc('${g}', ${col})::date as ${ident(g)}` : `${col} as ${ident(g)}`;
    });
    // A roll-up answers when it has every dimension and filter asked and no particular people are selected.
    const asked = FILTER_KEYS.filter((k) => q[k] !== undefined);
    const rollup = access?.condition
        ? undefined
        : def.rollups?.find((r) => groups.every((g) => r.dimensions.includes(g)) && asked.every((k) => r.filters.includes(k)));
    const mart = rollup?.mart ?? def.mart;
    // Money to the cent (lib/money.ts), other sums to 6 decimals; ratios from the unrounded sums (ratio of sums),
    // null when the denominator is 0, and a ratio that is money (a rate per hour) to the cent too. All of it in
    // the query: the rows come back as they are sent.
    const money = new Set(def.money ?? []);
    const rounded = (name: string) => (money.has(name) ? moneySql(def.measures[name]!) : `round((${def.measures[name]}), 6)::double`);
    const summed = (parts: readonly string[]) => parts.map((p, i) => (p.startsWith('-') ? ` - ${rounded(p.slice(1))}` : `${i > 0 ? ' + ' : ''}${rounded(p)}`)).join('');
    const measures = Object.keys(def.measures).map((name) => `${def.sums?.[name] ? `round(${summed(def.sums[name])}, 2)` : rounded(name)} as ${ident(name)}`);
    const ratios = Object.entries(def.ratios ?? {}).map(([name, [num, den]]) => {
        const ratio = `(${def.measures[num]})::double / nullif((${def.measures[den]})::double, 0)`;
        return `${money.has(name) ? moneySql(ratio) : ratio} as ${ident(name)}`;
    });
    return {
        head: { metric: def.name, grain: def.grain, group_by: groups, currency: firm.currency, as_of: asOf, ...(access?.scope ? { scope: access.scope } : {}) },
        select: `select ${[...groupCols, ...measures, ...ratios].join(', ')} from ${mart} ${where}` + (groups.length > 0 ? ' group by all' : ''),
        order: groups,
        params,
    };
}

/** A metric's answer for a query, its rows as objects (Arrow answers, internal use). */
export async function runMetric(warehouse: Warehouse, def: MetricDefinition, q: MetricQuery, caller?: Caller): Promise<MetricResult> {
    const { head, select, order, params } = await metricStatement(warehouse, def, q, caller);
    const sql = select + (order.length > 0 ? ` order by ${order.map((_, i) => i + 1).join(', ')}` : '');
    return { ...head, rows: await warehouse.all<Record<string, string | number | null>>(sql, params) };
}

/**
 * The same answer as JSON text, its rows written by DuckDB (Warehouse.allJson): JSON.stringify(runMetric(…))
 * but for the form of numbers, and what the JSON route sends.
 */
export async function metricJson(warehouse: Warehouse, def: MetricDefinition, q: MetricQuery, caller?: Caller): Promise<string> {
    const { head, select, order, params } = await metricStatement(warehouse, def, q, caller);
    const rows = await warehouse.allJson(select, order, params);
    return `${JSON.stringify(head).slice(0, -1)},"rows":${rows}}`;
}
