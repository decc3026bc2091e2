/**
 * The incremental refresh: after writes, only what they touched is recomputed. The writes' records
 * (meta.dirty, dirty.ts) say which projects, people and months changed in which tables; each model, in
 * dependency order, gets the union of what changed in what it reads and, as its .yml's `refresh:` block declares:
 *
 * - `by: month` (`project`, `person`), `column: <its column holding the key>`, narrowed by `project:` and
 *   `person:` columns: its rows of the dirty keys (partitions.ts) are deleted and inserted again from its own
 *   SQL filtered to those keys — dbt's microbatch, in plain SQL, without templating. `weeks:` recomputes the
 *   weeks overlapping the dirty months, `onward: true` the later months too (cumulative figures); what it passes
 *   downstream keeps the keys it narrows on, or, with `changes:`, is the keys of the rows that changed.
 * - `whole: <reason>` (or no block): rebuilt whole, then compared with what it held; unchanged, it dirties
 *   nothing downstream, changed, the keys of its changed rows (`changes:` names the columns), or everything.
 *
 * Staging views recompute themselves. The refresh is one transaction with the tests of the models it
 * recomputed, over the rows it recomputed (tests.ts): it commits whole, with the generations it read, or not
 * at all (the previous marts stay).
 */
import { ident, type Warehouse } from '../warehouse.ts';
import { MODELS_DIR, readModels, rel, type Model } from './read.ts';
import { EVERYTHING, partitionFilter, passDown, simplify, type Dirty, type PartitionSpec } from './partitions.ts';
import { ModelError, type RefreshSpec } from './spec.ts';
import { dataState, modelsFingerprint, recordGenerationsRead } from './state.ts';
import { describeFailures, failed, runTests, type TestResult } from './tests.ts';

export interface IncrementalResult {
    /** The models recomputed (staging views excluded), in the order they ran, with how; a whole model's compare_ms is part of its ms. */
    models: { relation: string; how: 'partitions' | 'whole'; ms: number; compare_ms?: number }[];
    tests: TestResult[];
    /**
     * Where the time went: reading the models, the dirty records and the catalog; recomputing the models
     * (comparing included); comparing (what models with `changes:` or rebuilt whole held); their tests; the commit.
     */
    phases: { prepare_ms: number; recompute_ms: number; compare_ms: number; tests_ms: number; commit_ms: number };
    ms: number;
}

/** The dirty records of every written table, as the refresh sees them (inside its transaction). */
async function readDirty(warehouse: Warehouse): Promise<Map<string, Dirty[]>> {
    const rows = await warehouse.all<{ table_name: string; project_id: string | null; person_id: string | null; from_month: string | null; to_month: string | null }>(
        `select distinct table_name, project_id, person_id, from_month::varchar as from_month, to_month::varchar as to_month from meta.dirty`,
    );
    const byTable = new Map<string, Dirty[]>();
    for (const r of rows) {
        const list = byTable.get(r.table_name) ?? [];
        list.push({ project: r.project_id, person: r.person_id, from: r.from_month, to: r.to_month });
        byTable.set(r.table_name, list);
    }
    return byTable;
}

/**
 * The rows of `relation` as compared: floating-point columns rounded to 9 decimals, since a sum of doubles
 * depends on the order DuckDB's threads add them in (two full builds may differ in the last bit).
 */
export async function comparable(warehouse: Warehouse, relation: string, where?: string): Promise<string> {
    const [schema, name] = relation.split('.') as [string, string];
    const columns = await warehouse.all<Column>(
        `select column_name as name, data_type as type from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
        [schema, name.replaceAll('"', '')],
    );
    return comparableRows(relation, columns, where);
}

interface Column {
    name: string;
    type: string;
}

function comparableRows(relation: string, columns: Column[], where?: string): string {
    const list = columns.map((c) => (c.type === 'DOUBLE' || c.type === 'FLOAT' ? `round(${ident(c.name)}, 9) as ${ident(c.name)}` : ident(c.name)));
    return `select ${list.join(', ')} from ${relation}${where ? ` where ${where}` : ''}`;
}

/**
 * The models' tables and their columns, read once per refresh (a catalog query takes milliseconds, more than
 * recomputing many a partition). A model's table keeps its columns while its models are current.
 */
type Catalog = Map<string, Column[]>;

async function readCatalog(warehouse: Warehouse): Promise<Catalog> {
    const rows = await warehouse.all<Column & { relation: string }>(
        `select table_schema || '.' || table_name as relation, column_name as name, data_type as type
         from information_schema.columns where table_schema in ('intermediate', 'marts') order by table_schema, table_name, ordinal_position`,
    );
    const catalog: Catalog = new Map();
    for (const r of rows) catalog.set(r.relation, [...(catalog.get(r.relation) ?? []), { name: r.name, type: r.type }]);
    return catalog;
}

/** Whether two tables of the same columns hold the same rows (as multisets). */
async function sameRows(warehouse: Warehouse, a: string, b: string, columns: Column[]): Promise<boolean> {
    const [left, right] = [comparableRows(a, columns), comparableRows(b, columns)];
    const row = await warehouse.one<{ differs: boolean }>(
        `select exists (${left} except all ${right}) or exists (${right} except all ${left}) as differs`,
    );
    return row?.differs === false;
}

/**
 * Rebuilds a model whole; what it passes downstream: nothing when its rows did not change; when they did, the
 * projects and months of the changed rows if its .yml names the columns holding them (`changes:`), else everything.
 */
async function rebuildWhole(warehouse: Warehouse, m: Model, spec: RefreshSpec, catalog: Catalog): Promise<{ dirty: Dirty[]; compare_ms: number }> {
    const target = `${m.layer}.${ident(m.name)}`;
    const previous = `${m.layer}.${ident(`${m.name}__previous`)}`;
    const columns = catalog.get(m.relation);
    if (!columns) {
        await warehouse.run(`create table ${target} as ${m.sql}`);
        return { dirty: [EVERYTHING], compare_ms: 0 };
    }
    await warehouse.run(`drop table if exists ${previous}`);
    await warehouse.run(`alter table ${target} rename to ${ident(`${m.name}__previous`)}`);
    await warehouse.run(`create table ${target} as ${m.sql}`);
    const changes = 'whole' in spec ? spec.changes : undefined;
    const compared = performance.now();
    const dirty = changes ? await changedKeys(warehouse, target, previous, changes, columns) : (await sameRows(warehouse, target, previous, columns)) ? [] : [EVERYTHING];
    const compare_ms = Math.round(performance.now() - compared);
    await warehouse.run(`drop table ${previous}`);
    return { dirty, compare_ms };
}

type Changes = NonNullable<RefreshSpec['changes']>;

/** The projects, people and months of the rows that differ between two versions of a table (`where`: of the recomputed rows). */
async function changedKeys(warehouse: Warehouse, a: string, b: string, changes: Changes, columns: Column[], where?: string): Promise<Dirty[]> {
    const [left, right] = [comparableRows(a, columns, where), comparableRows(b, columns)];
    const key = (column: string | undefined) => (column ? `${ident(column)}::varchar` : 'null::varchar');
    const month = changes.month ? `date_trunc('month', ${ident(changes.month)})::date::varchar` : 'null::varchar';
    const rows = await warehouse.all<{ project: string | null; person: string | null; month: string | null }>(
        `select distinct ${key(changes.project)} as project, ${key(changes.person)} as person, ${month} as month
         from ((${left} except all ${right}) union all (${right} except all ${left}))`,
    );
    // A changed row without a project (person, month) stands for every project (person, month).
    return simplify(rows.map((r) => ({ project: r.project, person: r.person, from: r.month, to: r.month })));
}

/**
 * Recomputes the partitions `input` dirtied: their rows deleted and inserted again from the model's own SQL
 * filtered to them (DuckDB pushes the filter down into its scans where it can). Returns the filter (null:
 * every row) and what it passes downstream: with `changes:`, the keys of the rows that changed.
 */
async function refreshPartitions(warehouse: Warehouse, m: Model, spec: PartitionSpec, input: Dirty[], columns: Column[]): Promise<{ where: string | null; dirty: Dirty[]; compare_ms: number }> {
    const target = `${m.layer}.${ident(m.name)}`;
    const where = partitionFilter(spec, input);
    const rows = where === null ? '' : ` where ${where}`;
    const previous = `${m.layer}.${ident(`${m.name}__previous`)}`;
    if (spec.changes) {
        await warehouse.run(`drop table if exists ${previous}`);
        await warehouse.run(`create table ${previous} as select * from ${target}${rows}`);
    }
    await warehouse.run(`delete from ${target}${rows}`);
    await warehouse.run(`insert into ${target} select * from (${m.sql})${rows}`);
    if (!spec.changes) return { where, dirty: passDown(spec, input), compare_ms: 0 };
    const compared = performance.now();
    const dirty = await changedKeys(warehouse, target, previous, spec.changes, columns, where ?? undefined);
    const compare_ms = Math.round(performance.now() - compared);
    await warehouse.run(`drop table ${previous}`);
    return { where, dirty, compare_ms };
}

/** The models as last read, by what they were read from: reading and checking every .yml takes a few hundred ms. */
let lastRead: { key: string; models: Model[] } | null = null;

function currentModels(dir: string, canonical: string[]): Model[] {
    const key = JSON.stringify([dir, modelsFingerprint(dir), [...canonical].sort()]);
    if (lastRead?.key !== key) lastRead = { key, models: readModels(dir, canonical) };
    return lastRead.models;
}

/**
 * Recomputes what the recorded writes touched, model by model, in one transaction; the caller has checked
 * that the marts were built by these models (the same fingerprint) and record what they read.
 */
export async function refreshIncrementally(warehouse: Warehouse, options: { dir?: string; canonical: string[] }): Promise<IncrementalResult> {
    const started = performance.now();
    const models = currentModels(options.dir ?? MODELS_DIR, options.canonical);
    const ran: IncrementalResult['models'] = [];
    let tests: TestResult[] = [];
    const phases = { prepare_ms: 0, recompute_ms: 0, compare_ms: 0, tests_ms: 0, commit_ms: 0 };
    let recomputing = 0;
    let committing = 0;
    await warehouse.transaction(async () => {
        const written = await readDirty(warehouse);
        const recorded = await warehouse.one<{ audit_event_id: number | null }>(`select audit_event_id from meta.model_build`);
        // Audit events written without a record of their own (an older writer): every model that reads them.
        if ((await dataState(warehouse)).audit_event_id !== (recorded?.audit_event_id ?? null) && !written.has('audit.time_entry_events')) {
            written.set('audit.time_entry_events', [EVERYTHING]);
        }
        const catalog = await readCatalog(warehouse);
        recomputing = performance.now();
        phases.prepare_ms = Math.round(recomputing - started);
        const output = new Map<string, Dirty[]>();
        const recomputed: (Model & { where?: string | null })[] = [];
        for (const m of models) {
            const input = simplify([...m.sources.flatMap((s) => written.get(s) ?? []), ...m.dependsOn.flatMap((d) => output.get(d) ?? [])]);
            if (input.length === 0) continue;
            if (m.layer === 'staging') {
                output.set(m.relation, input);
                continue;
            }
            const t0 = performance.now();
            const spec: RefreshSpec = m.spec?.refresh ?? { whole: 'no refresh block' };
            let where: string | null | undefined;
            try {
                const columns = catalog.get(m.relation);
                if ('by' in spec && columns) {
                    const refreshed = await refreshPartitions(warehouse, m, spec, input, columns);
                    where = refreshed.where;
                    output.set(m.relation, refreshed.dirty);
                    phases.compare_ms += refreshed.compare_ms;
                    ran.push({ relation: m.relation, how: 'partitions', ms: Math.round(performance.now() - t0), compare_ms: refreshed.compare_ms });
                } else {
                    const rebuilt = await rebuildWhole(warehouse, m, spec, catalog);
                    output.set(m.relation, rebuilt.dirty);
                    phases.compare_ms += rebuilt.compare_ms;
                    ran.push({ relation: m.relation, how: 'whole', ms: Math.round(performance.now() - t0), compare_ms: rebuilt.compare_ms });
                }
            } catch (err) {
                throw new ModelError(`model ${m.relation} (${rel(m.file)}) failed to refresh: ${(err as Error).message}`);
            }
            recomputed.push({ ...m, where });
        }
        const tested = performance.now();
        phases.recompute_ms = Math.round(tested - recomputing);
        tests = await runTests(warehouse, recomputed);
        phases.tests_ms = Math.round(performance.now() - tested);
        if (failed(tests).length > 0) throw new ModelError(`model tests failed; the previous marts are kept:\n${describeFailures(tests)}`);
        const data = await dataState(warehouse);
        await warehouse.run(`update meta.model_build set built_at = now(), loaded_batch_id = $1, audit_event_id = $2`, [data.loaded_batch_id, data.audit_event_id]);
        await recordGenerationsRead(warehouse);
        committing = performance.now();
    }, { lane: 'models' });
    phases.commit_ms = Math.round(performance.now() - committing);
    return { models: ran, tests, phases, ms: Math.round(performance.now() - started) };
}
