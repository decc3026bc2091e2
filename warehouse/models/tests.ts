/**
 * The tests a model's .yml declares, turned into SQL, and running them: each test is a query returning the rows
 * that break it (zero rows = pass), as dbt's are.
 */
import { ident, literal, type Warehouse } from '../warehouse.ts';
import { ModelError, type ModelSpec } from './spec.ts';

export interface ModelTest {
    /** e.g. "unique(project_id, month)", "not_null(project_id)", or the test's own name. */
    name: string;
    /** A query returning the rows that break the test: zero rows = pass. */
    sql: string;
    /**
     * The same test over the rows a predicate selects (a refresh's recomputed partitions): row tests, unique
     * within them, and query tests declared `scoped: true`. Without it the test always reads the whole table.
     */
    scoped?: (where: string) => string;
    severity: 'error' | 'warn';
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function columnsOf(value: unknown, where: string): string[] {
    const cols = Array.isArray(value) ? value : [value];
    for (const c of cols) if (typeof c !== 'string' || !IDENT.test(c)) throw new ModelError(`${where}: "${String(c)}" is not a column name`);
    return cols as string[];
}

/**
 * Tests a .yml may declare, at column level (`tests: [not_null, unique, {accepted_values: [..]},
 * {relationships: {to: marts.dim_x, field: id}}]`) or model level (`tests: [{unique: [a, b]},
 * {expression: "sql predicate that holds for every row"}, {query: "select rows that break it", name: ...}]`).
 * Any test may carry `severity: warn`. `where` names the .yml in errors.
 */
export function testsOf(relation: string, spec: ModelSpec, where: string): ModelTest[] {
    const tests: ModelTest[] = [];
    const add = (name: string, sql: string, raw?: Record<string, unknown>) =>
        tests.push({ name, sql, severity: raw?.severity === 'warn' ? 'warn' : 'error' });
    // A test over the rows of a relation: `of(from)` is its SQL reading `from`, the table or some of its rows.
    const rows = (name: string, of: (from: string) => string, raw?: Record<string, unknown>) =>
        tests.push({ name, sql: of(relation), scoped: (where) => of(`(select * from ${relation} where ${where})`), severity: raw?.severity === 'warn' ? 'warn' : 'error' });
    const columnTest = (column: string, t: string | Record<string, unknown>) => {
        const c = ident(column);
        if (t === 'not_null') return rows(`not_null(${column})`, (from) => `select * from ${from} where ${c} is null`);
        if (t === 'unique') return rows(`unique(${column})`, (from) => `select ${c}, count(*) as n from ${from} group by ${c} having count(*) > 1`);
        if (typeof t === 'object' && t !== null) {
            if ('accepted_values' in t) {
                const values = t.accepted_values as unknown[];
                const list = values.map((v) => literal(String(v))).join(', ');
                return rows(`accepted_values(${column})`, (from) => `select * from ${from} where ${c} is not null and ${c}::varchar not in (${list})`, t);
            }
            if ('relationships' in t) {
                const r = t.relationships as { to: string; field: string };
                if (!/^[a-z_]+\.[a-z_][a-z0-9_]*$/.test(r.to) || !IDENT.test(r.field)) throw new ModelError(`${where}: bad relationships test on ${column}`);
                return rows(
                    `relationships(${column} → ${r.to}.${r.field})`,
                    (from) => `select * from ${from} s where s.${c} is not null and not exists (select 1 from ${r.to} t where t.${ident(r.field)} = s.${c})`,
                    t,
                );
            }
        }
        throw new ModelError(`${where}: unknown test ${JSON.stringify(t)} on column ${column}`);
    };
    for (const col of spec.columns ?? []) {
        if (!IDENT.test(col.name)) throw new ModelError(`${where}: "${col.name}" is not a column name`);
        for (const t of col.tests ?? []) columnTest(col.name, t);
    }
    for (const t of spec.tests ?? []) {
        if ('unique' in t) {
            const cols = columnsOf(t.unique, where).map(ident).join(', ');
            rows(`unique(${columnsOf(t.unique, where).join(', ')})`, (from) => `select ${cols}, count(*) as n from ${from} group by all having count(*) > 1`, t);
        } else if ('expression' in t) {
            const name = typeof t.name === 'string' ? t.name : `expression(${String(t.expression)})`;
            rows(name, (from) => `select * from ${from} where not coalesce((${String(t.expression)}), false)`, t);
        } else if ('query' in t) {
            if (typeof t.name !== 'string') throw new ModelError(`${where}: a query test needs a name`);
            if (t.scoped !== undefined && typeof t.scoped !== 'boolean') throw new ModelError(`${where}: scoped (of test ${t.name}) is true or false`);
            const query = String(t.query);
            // scoped: the rows it returns carry the model's partition columns, so a refresh keeps those of its partitions.
            if (t.scoped === true) tests.push({ name: t.name, sql: query, scoped: (w) => `select * from (${query}) where ${w}`, severity: t.severity === 'warn' ? 'warn' : 'error' });
            else add(t.name, query, t);
        } else {
            throw new ModelError(`${where}: unknown test ${JSON.stringify(t)}`);
        }
    }
    return tests;
}

export interface TestResult {
    model: string;
    test: string;
    severity: 'error' | 'warn';
    failures: number;
    /** A few of the offending rows. */
    sample: Record<string, unknown>[];
    /** The time its model's tests took together (they run in one statement). */
    ms: number;
}

/**
 * Runs the tests of `models` against what is built now: over the whole table, or, for a model given `where`
 * (the rows a refresh recomputed), the tests that can be scoped over those rows only. A model's tests are
 * counted in one statement (a statement's round trip and plan often cost more than a test over a few rows);
 * when one of them cannot run, each runs alone, so that the error names it.
 */
export async function runTests(warehouse: Warehouse, models: readonly { relation: string; tests: ModelTest[]; where?: string | null }[]): Promise<TestResult[]> {
    const results: TestResult[] = [];
    for (const m of models) {
        if (m.tests.length === 0) continue;
        const t0 = performance.now();
        const sqls = m.tests.map((t) => (m.where && t.scoped ? t.scoped(m.where) : t.sql));
        const counts = await countTogether(warehouse, sqls);
        for (const [i, t] of m.tests.entries()) {
            const sql = sqls[i]!;
            let count: number;
            let sample: Record<string, unknown>[];
            try {
                count = counts?.[i] ?? (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from (${sql})`))!.n;
                sample = count > 0 ? await warehouse.all(`select * from (${sql}) limit 5`) : [];
            } catch (err) {
                throw new ModelError(`test ${t.name} of ${m.relation} could not run: ${(err as Error).message}`);
            }
            results.push({ model: m.relation, test: t.name, severity: t.severity, failures: count, sample, ms: 0 });
        }
        const ms = Math.round(performance.now() - t0);
        for (const r of results.slice(-m.tests.length)) r.ms = ms;
    }
    return results;
}

/** The rows each query returns, counted in one statement; null when one of them does not run. */
async function countTogether(warehouse: Warehouse, sqls: string[]): Promise<number[] | null> {
    try {
        const row = await warehouse.one<Record<string, number>>(`select ${sqls.map((sql, i) => `(select count(*) from (${sql}))::bigint as t${i}`).join(', ')}`);
        return sqls.map((_, i) => Number(row![`t${i}`]));
    } catch {
        return null;
    }
}

export function failed(results: TestResult[]): TestResult[] {
    return results.filter((r) => r.failures > 0 && r.severity === 'error');
}

export function describeFailures(results: TestResult[]): string {
    return failed(results)
        .map((r) => `${r.model}: test ${r.test} failed for ${r.failures} row(s), e.g. ${JSON.stringify(r.sample[0] ?? {})}`)
        .join('\n');
}
