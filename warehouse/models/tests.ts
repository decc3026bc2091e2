/**
 * The tests a model's .yml declares, turned into SQL, and running them: each test is a query returning the rows
 * that break it (zero rows = pass), as dbt's are.
 */
import { ident, type Warehouse } from '../warehouse.ts';
import { ModelError, type ModelSpec } from './spec.ts';

export interface ModelTest {
    /** e.g. "unique(project_id, month)", "not_null(project_id)", or the test's own name. */
    name: string;
    /** A query returning the rows that break the test: zero rows = pass. */
    sql: string;
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
    const columnTest = (column: string, t: string | Record<string, unknown>) => {
        const c = ident(column);
        if (t === 'not_null') return add(`not_null(${column})`, `select * from ${relation} where ${c} is null`);
        if (t === 'unique') return add(`unique(${column})`, `select ${c}, count(*) as n from ${relation} group by ${c} having count(*) > 1`);
        if (typeof t === 'object' && t !== null) {
            if ('accepted_values' in t) {
                const values = t.accepted_values as unknown[];
                const list = values.map((v) => `'${String(v).replaceAll("'", "''")}'`).join(', ');
                return add(`accepted_values(${column})`, `select * from ${relation} where ${c} is not null and ${c}::varchar not in (${list})`, t);
            }
            if ('relationships' in t) {
                const r = t.relationships as { to: string; field: string };
                if (!/^[a-z_]+\.[a-z_][a-z0-9_]*$/.test(r.to) || !IDENT.test(r.field)) throw new ModelError(`${where}: bad relationships test on ${column}`);
                return add(
                    `relationships(${column} → ${r.to}.${r.field})`,
                    `select * from ${relation} s where s.${c} is not null and not exists (select 1 from ${r.to} t where t.${ident(r.field)} = s.${c})`,
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
            add(`unique(${columnsOf(t.unique, where).join(', ')})`, `select ${cols}, count(*) as n from ${relation} group by all having count(*) > 1`, t);
        } else if ('expression' in t) {
            const name = typeof t.name === 'string' ? t.name : `expression(${String(t.expression)})`;
            add(name, `select * from ${relation} where not coalesce((${String(t.expression)}), false)`, t);
        } else if ('query' in t) {
            if (typeof t.name !== 'string') throw new ModelError(`${where}: a query test needs a name`);
            add(t.name, String(t.query), t);
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
    ms: number;
}

/** Runs the tests of `models` against what is built now. */
export async function runTests(warehouse: Warehouse, models: readonly { relation: string; tests: ModelTest[] }[]): Promise<TestResult[]> {
    const results: TestResult[] = [];
    for (const m of models) {
        for (const t of m.tests) {
            const t0 = performance.now();
            let count: number;
            let sample: Record<string, unknown>[];
            try {
                count = (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from (${t.sql})`))!.n;
                sample = count > 0 ? await warehouse.all(`select * from (${t.sql}) limit 5`) : [];
            } catch (err) {
                throw new ModelError(`test ${t.name} of ${m.relation} could not run: ${(err as Error).message}`);
            }
            results.push({ model: m.relation, test: t.name, severity: t.severity, failures: count, sample, ms: Math.round(performance.now() - t0) });
        }
    }
    return results;
}

export function failed(results: TestResult[]): TestResult[] {
    return results.filter((r) => r.failures > 0 && r.severity === 'error');
}

export function describeFailures(results: TestResult[]): string {
    return failed(results)
        .map((r) => `${r.model}: test ${r.test} failed for ${r.failures} row(s), e.g. ${JSON.stringify(r.sample[0] ?? {})}`)
        .join('\n');
}
