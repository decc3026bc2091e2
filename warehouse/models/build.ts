/**
 * Building the models: runs them in dependency order (staging models are views, intermediate models and marts
 * tables), checks what the marts declare for the API against what was built, and runs the tests of their .yml
 * files. A build is one transaction: if a model fails, a declaration names a column the mart lacks, or an
 * error-severity test fails, nothing changes and the error names the model and the test.
 */
import { ident, type Warehouse } from '../warehouse.ts';
import { LAYERS, readModels, rel, type Model } from './read.ts';
import { ModelError } from './spec.ts';
import { dataState, modelsFingerprint, recordGenerationsRead } from './state.ts';
import { describeFailures, failed, runTests, type TestResult } from './tests.ts';

export interface BuildResult {
    models: { relation: string; ms: number; rows: number | null }[];
    tests: TestResult[];
    ms: number;
}

export async function canonicalTables(warehouse: Warehouse): Promise<string[]> {
    return (await warehouse.all<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'canonical'`)).map((r) => r.t);
}

/** Builds every model (or those named and what they need) and runs their tests, all in one transaction. */
export async function buildModels(warehouse: Warehouse, options: { dir?: string; onModel?: (relation: string) => void } = {}): Promise<BuildResult> {
    return warehouse.withAllCores(() => build(warehouse, options));
}

async function build(warehouse: Warehouse, options: { dir?: string; onModel?: (relation: string) => void }): Promise<BuildResult> {
    const started = performance.now();
    const models = readModels(options.dir, await canonicalTables(warehouse));
    const built: BuildResult['models'] = [];
    let tests: TestResult[] = [];
    await warehouse.transaction(async () => {
        for (const layer of LAYERS) await warehouse.run(`create schema if not exists ${layer}`);
        // A model may change kind between versions: whatever holds its name is dropped first. What holds the
        // names is read once for the build: a catalog query per model takes milliseconds, more than many models.
        const existing = new Map(
            (await warehouse.all<{ relation: string; kind: string }>(
                `select table_schema || '.' || table_name as relation, table_type as kind from information_schema.tables where table_schema in (${LAYERS.map((_, i) => `$${i + 1}`).join(', ')})`,
                [...LAYERS],
            )).map((r) => [r.relation, r.kind]),
        );
        for (const m of models) {
            options.onModel?.(m.relation);
            const t0 = performance.now();
            const kind = m.layer === 'staging' ? 'view' : 'table';
            const held = existing.get(m.relation);
            if (held) await warehouse.run(`drop ${held === 'VIEW' ? 'view' : 'table'} if exists ${m.layer}.${ident(m.name)} cascade`);
            try {
                await warehouse.run(`create ${kind} ${m.layer}.${ident(m.name)} as ${m.sql}`);
            } catch (err) {
                throw new ModelError(`model ${m.relation} (${rel(m.file)}) failed to build: ${(err as Error).message}`);
            }
            const rows = kind === 'table' ? (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${m.layer}.${ident(m.name)}`))!.n : null;
            built.push({ relation: m.relation, ms: Math.round(performance.now() - t0), rows });
        }
        await checkSemantic(warehouse, models);
        tests = await runTests(warehouse, models);
        if (failed(tests).length > 0) throw new ModelError(`model tests failed; the previous build is kept:\n${describeFailures(tests)}`);
        await warehouse.run(`create schema if not exists meta`);
        // Read inside the build's transaction: the data state the models were built from, whatever commits meanwhile.
        const data = await dataState(warehouse);
        await warehouse.run(
            `create or replace table meta.model_build as select $1::varchar as fingerprint, now() as built_at, $2::bigint as loaded_batch_id, $3::bigint as audit_event_id, true as generations_recorded`,
            [modelsFingerprint(options.dir), data.loaded_batch_id, data.audit_event_id],
        );
        await recordGenerationsRead(warehouse);
    }, { lane: 'models' });
    return { models: built, tests, ms: Math.round(performance.now() - started) };
}

/**
 * What a mart's semantic block names must be there once it is built: every column it reads, and measures and
 * conditions that run. Checked with empty selects (`where false`), so it costs nothing on a large warehouse.
 */
async function checkSemantic(warehouse: Warehouse, models: Model[]): Promise<void> {
    const columnsOf = async (relation: string): Promise<Set<string>> => {
        const [schema, name] = relation.split('.') as [string, string];
        const rows = await warehouse.all<{ c: string }>(`select column_name as c from information_schema.columns where table_schema = $1 and table_name = $2`, [schema, name]);
        return new Set(rows.map((r) => r.c));
    };
    for (const m of models) {
        const semantic = m.spec?.semantic;
        if (!semantic) continue;
        const where = rel(m.file.replace(/\.sql$/, '.yml'));
        const need = async (relation: string, what: string, columns: (string | undefined)[]) => {
            const have = await columnsOf(relation);
            const missing = [...new Set(columns.filter((c): c is string => c !== undefined && !have.has(c)))];
            if (missing.length > 0) throw new ModelError(`${where}: ${what} reads ${missing.join(', ')}, which ${relation} does not have`);
        };
        const runs = async (relation: string, what: string, select: string[], condition?: string) => {
            const sql = `select ${select.join(', ')} from ${relation} where false${condition ? ` and (${condition})` : ''}`;
            try {
                // A measure may read the report's as-of date ($as_of), which every metric query binds.
                await warehouse.all(sql, /\$as_of\b/.test(sql) ? { as_of: '2000-01-01' } : undefined);
            } catch (err) {
                throw new ModelError(`${where}: ${what} does not run over ${relation}: ${(err as Error).message}`);
            }
        };
        for (const metric of semantic.metrics ?? []) {
            const what = `metric ${metric.name}`;
            const measures = Object.entries(metric.measures).map(([name, sql]) => `(${sql}) as ${ident(name)}`);
            await need(m.relation, what, [metric.date.column, metric.accrued, ...Object.values(metric.dimensions), ...Object.values(metric.filters)]);
            await runs(m.relation, what, measures, metric.where);
            for (const r of metric.rollups ?? []) {
                await need(r.mart, `${what} (its roll-up)`, [metric.date.column, ...r.dimensions.map((d) => metric.dimensions[d]), ...r.filters.map((f) => metric.filters[f])]);
                await runs(r.mart, `${what} (its roll-up)`, measures, metric.where);
            }
        }
        const funnel = semantic.funnel;
        if (funnel) {
            const parts = funnel.leaks.flatMap((l) => [l, ...(l.parts ?? [])]);
            await need(m.relation, 'the funnel', [funnel.date.column, funnel.accrued, ...Object.values(funnel.filters), ...funnel.stages.map((s) => s.key), ...parts.map((p) => p.column)]);
            // The drill-down rows are filtered by the same columns, and picked by part (their metric column).
            const rowColumns = ['metric', funnel.date.column, funnel.accrued, ...Object.values(funnel.filters)];
            await need(funnel.rows.mart, "the funnel's rows", [...rowColumns, 'amount', ...parts.flatMap((p) => Object.values(p.filters ?? {}))]);
            if (funnel.rows.summary) await need(funnel.rows.summary, "the funnel's rows summary", [...rowColumns, 'amount', 'row_count']);
        }
    }
}

/** Runs the tests against what is built now. */
export async function testModels(warehouse: Warehouse, dir?: string): Promise<TestResult[]> {
    return runTests(warehouse, readModels(dir, await canonicalTables(warehouse)));
}
