/**
 * The model builder: runs the SQL models of models/ in dependency order and the tests their .yml files
 * declare. dbt without templating: a model is a file `models/<layer>/.../<name>.sql` holding one select;
 * it becomes `<layer>.<name>` (staging models are views, intermediate models and marts tables) and refers to
 * other models and to canonical tables by schema-qualified name, from which the order is derived.
 *
 * A build is one transaction: if a model fails or an error-severity test fails, nothing changes and the
 * error names the model and the test. A build records the fingerprint of the models it ran and the data it
 * read (meta.model_build): a warehouse built by an older version of models/, or loaded since its last build
 * (a process stopped between a load and its rebuild, `ingest --no-models`), is known to need a rebuild.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ident, type Warehouse } from './warehouse.ts';

export const MODELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');
export const LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof LAYERS)[number];

export interface ModelTest {
    /** e.g. "unique(project_id, month)", "not_null(project_id)", or the test's own name. */
    name: string;
    /** A query returning the rows that break the test: zero rows = pass. */
    sql: string;
    severity: 'error' | 'warn';
}

export interface ModelSpec {
    grain?: string;
    description?: string;
    columns?: { name: string; description?: string; tests?: (string | Record<string, unknown>)[] }[];
    tests?: Record<string, unknown>[];
}

export interface Model {
    name: string;
    layer: Layer;
    /** schema.name */
    relation: string;
    file: string;
    sql: string;
    dependsOn: string[];
    spec: ModelSpec | null;
    tests: ModelTest[];
}

export class ModelError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ModelError';
    }
}

function walk(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]))
        .sort();
}

function stripComments(sql: string): string {
    return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

/** Reads every model and its tests; fails on unknown references, duplicates and cycles. */
export function readModels(dir = MODELS_DIR, canonicalTables: readonly string[] = []): Model[] {
    const models: Model[] = [];
    for (const layer of LAYERS) {
        for (const file of walk(path.join(dir, layer)).filter((f) => f.endsWith('.sql'))) {
            const name = path.basename(file, '.sql');
            const sql = fs.readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
            const ymlFile = file.replace(/\.sql$/, '.yml');
            const spec = fs.existsSync(ymlFile) ? (parseYaml(fs.readFileSync(ymlFile, 'utf8')) as ModelSpec) : null;
            const relation = `${layer}.${name}`;
            models.push({ name, layer, relation, file, sql, dependsOn: [], spec, tests: spec ? testsOf(relation, spec, ymlFile) : [] });
        }
    }
    const byRelation = new Map<string, Model>();
    for (const m of models) {
        if (byRelation.has(m.relation)) throw new ModelError(`two models are named ${m.relation}: ${byRelation.get(m.relation)!.file} and ${m.file}`);
        byRelation.set(m.relation, m);
    }
    const canonical = new Set(canonicalTables);
    for (const m of models) {
        const refs = new Set<string>();
        for (const match of stripComments(m.sql).matchAll(/\b(staging|intermediate|marts|canonical)\.([a-z_][a-z0-9_]*)\b/g)) {
            const ref = `${match[1]}.${match[2]}`;
            if (match[1] === 'canonical') {
                if (canonical.size > 0 && !canonical.has(match[2]!)) throw new ModelError(`${m.relation} (${rel(m.file)}) reads ${ref}, which is not a canonical table`);
                continue;
            }
            if (!byRelation.has(ref)) throw new ModelError(`${m.relation} (${rel(m.file)}) reads ${ref}, which is not a model`);
            if (ref !== m.relation) refs.add(ref);
        }
        m.dependsOn = [...refs].sort();
    }
    return order(models, byRelation);
}

function order(models: Model[], byRelation: Map<string, Model>): Model[] {
    const out: Model[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (m: Model, trail: string[]): void => {
        const s = state.get(m.relation);
        if (s === 'done') return;
        if (s === 'visiting') throw new ModelError(`models depend on each other in a cycle: ${[...trail, m.relation].join(' → ')}`);
        state.set(m.relation, 'visiting');
        for (const d of m.dependsOn) visit(byRelation.get(d)!, [...trail, m.relation]);
        state.set(m.relation, 'done');
        out.push(m);
    };
    for (const m of models) visit(m, []);
    return out;
}

function rel(file: string): string {
    return path.relative(process.cwd(), file);
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
 * Any test may carry `severity: warn`.
 */
function testsOf(relation: string, spec: ModelSpec, file: string): ModelTest[] {
    const tests: ModelTest[] = [];
    const where = rel(file);
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
}

export interface BuildResult {
    models: { relation: string; ms: number; rows: number | null }[];
    tests: TestResult[];
    ms: number;
}

async function runTests(warehouse: Warehouse, models: Model[]): Promise<TestResult[]> {
    const results: TestResult[] = [];
    for (const m of models) {
        for (const t of m.tests) {
            let count: number;
            let sample: Record<string, unknown>[];
            try {
                count = (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from (${t.sql})`))!.n;
                sample = count > 0 ? await warehouse.all(`select * from (${t.sql}) limit 5`) : [];
            } catch (err) {
                throw new ModelError(`test ${t.name} of ${m.relation} could not run: ${(err as Error).message}`);
            }
            results.push({ model: m.relation, test: t.name, severity: t.severity, failures: count, sample });
        }
    }
    return results;
}

function failed(results: TestResult[]): TestResult[] {
    return results.filter((r) => r.failures > 0 && r.severity === 'error');
}

export function describeFailures(results: TestResult[]): string {
    return failed(results)
        .map((r) => `${r.model}: test ${r.test} failed for ${r.failures} row(s), e.g. ${JSON.stringify(r.sample[0] ?? {})}`)
        .join('\n');
}

/** Builds every model (or those named and what they need) and runs their tests, all in one transaction. */
export async function buildModels(warehouse: Warehouse, options: { dir?: string; onModel?: (relation: string) => void } = {}): Promise<BuildResult> {
    return warehouse.withAllCores(() => build(warehouse, options));
}

/** A hash of a models directory (its .sql and .yml files, names and contents). */
export function modelsFingerprint(dir = MODELS_DIR): string {
    const hash = crypto.createHash('sha256');
    const walk = (d: string) => {
        for (const name of fs.readdirSync(d).sort()) {
            const file = path.join(d, name);
            if (fs.statSync(file).isDirectory()) walk(file);
            else if (/\.(sql|yml)$/.test(name)) hash.update(path.relative(dir, file)).update(fs.readFileSync(file));
        }
    };
    walk(dir);
    return hash.digest('hex');
}

/**
 * What canonical data a build reads, by the changes that made it: the latest loaded batch (a load records
 * its batch in its own transaction, and only when a row changed) and the latest time-entry audit event.
 */
interface DataState {
    loaded_batch_id: number | null;
    audit_event_id: number | null;
}

async function dataState(warehouse: Warehouse): Promise<DataState> {
    const row = await warehouse.one<DataState>(
        `select (select max(batch_id) from ingest.batches where status = 'loaded')::bigint as loaded_batch_id,
                (select max(event_id) from audit.time_entry_events)::bigint as audit_event_id`,
    );
    return { loaded_batch_id: row?.loaded_batch_id ?? null, audit_event_id: row?.audit_event_id ?? null };
}

export interface ModelsState {
    /** The marts were built by these models from the canonical data as it is now. */
    current: boolean;
    /** Why not, in words (null when current). */
    reason: string | null;
}

/** Whether the warehouse's marts are current: built from these models and from the data loaded since. */
export async function modelsState(warehouse: Warehouse, dir = MODELS_DIR): Promise<ModelsState> {
    const recorded = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'meta' and table_name = 'model_build'`);
    if (!recorded) return { current: false, reason: 'never built' };
    const row = await warehouse.one<Partial<DataState> & { fingerprint: string }>(`select * exclude (built_at) from meta.model_build`);
    if (row?.fingerprint !== modelsFingerprint(dir)) return { current: false, reason: 'the models changed since the last build' };
    // A build recorded before builds named the data they read cannot vouch for it.
    if (!row || !('loaded_batch_id' in row) || !('audit_event_id' in row)) return { current: false, reason: 'the last build did not record the data it read' };
    const now = await dataState(warehouse);
    if (now.loaded_batch_id !== row.loaded_batch_id) {
        return { current: false, reason: `data was loaded after the last build (batch ${now.loaded_batch_id}; the build read up to batch ${row.loaded_batch_id ?? 'none'})` };
    }
    if (now.audit_event_id !== row.audit_event_id) return { current: false, reason: 'time entries were changed after the last build' };
    return { current: true, reason: null };
}

/** Whether the warehouse's marts are current (false: never built, built from other models, or data loaded since). */
export async function modelsCurrent(warehouse: Warehouse, dir = MODELS_DIR): Promise<boolean> {
    return (await modelsState(warehouse, dir)).current;
}

async function build(warehouse: Warehouse, options: { dir?: string; onModel?: (relation: string) => void }): Promise<BuildResult> {
    const started = performance.now();
    const canonical = (await warehouse.all<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'canonical'`)).map((r) => r.t);
    const models = readModels(options.dir, canonical);
    const built: BuildResult['models'] = [];
    let tests: TestResult[] = [];
    await warehouse.transaction(async () => {
        for (const layer of LAYERS) await warehouse.run(`create schema if not exists ${layer}`);
        for (const m of models) {
            options.onModel?.(m.relation);
            const t0 = performance.now();
            const kind = m.layer === 'staging' ? 'view' : 'table';
            // A model may change kind between versions: drop whatever holds the name first.
            const existing = await warehouse.one<{ kind: string }>(
                `select table_type as kind from information_schema.tables where table_schema = $1 and table_name = $2`,
                [m.layer, m.name],
            );
            if (existing) await warehouse.run(`drop ${existing.kind === 'VIEW' ? 'view' : 'table'} ${m.layer}.${ident(m.name)} cascade`);
            try {
                await warehouse.run(`create ${kind} ${m.layer}.${ident(m.name)} as ${m.sql}`);
            } catch (err) {
                throw new ModelError(`model ${m.relation} (${rel(m.file)}) failed to build: ${(err as Error).message}`);
            }
            const rows = kind === 'table' ? (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${m.layer}.${ident(m.name)}`))!.n : null;
            built.push({ relation: m.relation, ms: Math.round(performance.now() - t0), rows });
        }
        tests = await runTests(warehouse, models);
        if (failed(tests).length > 0) throw new ModelError(`model tests failed; the previous build is kept:\n${describeFailures(tests)}`);
        await warehouse.run(`create schema if not exists meta`);
        // Read inside the build's transaction: the data state the models were built from, whatever commits meanwhile.
        const data = await dataState(warehouse);
        await warehouse.run(
            `create or replace table meta.model_build as select $1::varchar as fingerprint, now() as built_at, $2::bigint as loaded_batch_id, $3::bigint as audit_event_id`,
            [modelsFingerprint(options.dir), data.loaded_batch_id, data.audit_event_id],
        );
    });
    return { models: built, tests, ms: Math.round(performance.now() - started) };
}

/** Runs the tests against what is built now. */
export async function testModels(warehouse: Warehouse, dir?: string): Promise<TestResult[]> {
    const canonical = (await warehouse.all<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = 'canonical'`)).map((r) => r.t);
    return runTests(warehouse, readModels(dir, canonical));
}
