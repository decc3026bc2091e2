/**
 * Reading the models: every `models/<layer>/.../<name>.sql` with its sibling .yml, checked, in dependency order.
 * dbt without templating: a model refers to other models and to canonical tables by schema-qualified name, from
 * which the order is derived. Also what the marts declare for the API (their semantic blocks and descriptions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { MartDefinition, Semantic, SemanticFunnel, SemanticMetric } from './semantic.ts';
import { ModelError, parseSpec, type ModelSpec } from './spec.ts';
import { testsOf, type ModelTest } from './tests.ts';

export const MODELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');
export const LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof LAYERS)[number];

export interface Model {
    name: string;
    layer: Layer;
    /** schema.name */
    relation: string;
    file: string;
    sql: string;
    dependsOn: string[];
    /** The tables writers write that it reads itself: canonical ones by name, and audit.time_entry_events. */
    sources: string[];
    spec: ModelSpec | null;
    tests: ModelTest[];
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

export function rel(file: string): string {
    return path.relative(process.cwd(), file);
}

function readSpec(ymlFile: string): ModelSpec | null {
    if (!fs.existsSync(ymlFile)) return null;
    let doc: unknown;
    try {
        doc = parseYaml(fs.readFileSync(ymlFile, 'utf8'));
    } catch (err) {
        throw new ModelError(`${rel(ymlFile)} is not valid YAML: ${(err as Error).message}`);
    }
    return parseSpec(doc, rel(ymlFile));
}

/** Reads every model and its tests; fails on a bad .yml, unknown references, duplicates and cycles. */
export function readModels(dir = MODELS_DIR, canonicalTables: readonly string[] = []): Model[] {
    const models: Model[] = [];
    for (const layer of LAYERS) {
        for (const file of walk(path.join(dir, layer)).filter((f) => f.endsWith('.sql'))) {
            const name = path.basename(file, '.sql');
            const sql = fs.readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
            const ymlFile = file.replace(/\.sql$/, '.yml');
            const spec = readSpec(ymlFile);
            const relation = `${layer}.${name}`;
            if (spec?.semantic && layer !== 'marts') throw new ModelError(`${rel(ymlFile)}: only marts declare a semantic block (what the API serves)`);
            models.push({ name, layer, relation, file, sql, dependsOn: [], sources: [], spec, tests: spec ? testsOf(relation, spec, rel(ymlFile)) : [] });
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
        const sources = new Set<string>();
        for (const match of stripComments(m.sql).matchAll(/\b(staging|intermediate|marts|canonical|audit)\.([a-z_][a-z0-9_]*)\b/g)) {
            const ref = `${match[1]}.${match[2]}`;
            if (match[1] === 'audit') {
                sources.add(ref);
                continue;
            }
            if (match[1] === 'canonical') {
                if (canonical.size > 0 && !canonical.has(match[2]!)) throw new ModelError(`${m.relation} (${rel(m.file)}) reads ${ref}, which is not a canonical table`);
                sources.add(match[2]!);
                continue;
            }
            if (!byRelation.has(ref)) throw new ModelError(`${m.relation} (${rel(m.file)}) reads ${ref}, which is not a model`);
            if (ref !== m.relation) refs.add(ref);
        }
        m.dependsOn = [...refs].sort();
        m.sources = [...sources].sort();
    }
    checkSemantic(models, byRelation);
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

/** What the semantic blocks declare across marts: one route per metric name, one funnel, models that exist. */
function checkSemantic(models: Model[], byRelation: Map<string, Model>): void {
    const routes = new Map<string, string>();
    let funnel: string | null = null;
    for (const m of models) {
        const semantic = m.spec?.semantic;
        if (!semantic) continue;
        const where = rel(m.file.replace(/\.sql$/, '.yml'));
        for (const metric of semantic.metrics ?? []) {
            const other = routes.get(metric.name);
            if (other) throw new ModelError(`${where}: metric ${metric.name} is also declared by ${other}`);
            routes.set(metric.name, where);
            for (const r of metric.rollups ?? []) {
                if (!byRelation.has(r.mart)) throw new ModelError(`${where}: metric ${metric.name} rolls up to ${r.mart}, which is not a model`);
            }
        }
        if (semantic.funnel) {
            if (funnel) throw new ModelError(`${where}: the funnel is also declared by ${funnel}`);
            funnel = where;
            for (const r of [semantic.funnel.rows.mart, semantic.funnel.rows.summary]) {
                if (r && !byRelation.has(r)) throw new ModelError(`${where}: the funnel's rows are in ${r}, which is not a model`);
            }
        }
    }
}

/** Each mart's definitions and what the marts declare for the API, from the .yml files of `dir`. */
export function readSemantic(dir = MODELS_DIR): Semantic {
    const metrics: SemanticMetric[] = [];
    let funnel: SemanticFunnel | null = null;
    const marts: Record<string, MartDefinition> = {};
    // In file order (area, then name), as the definitions list them.
    for (const m of readModels(dir).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
        if (m.layer !== 'marts' || !m.spec) continue;
        const columns: Record<string, string> = {};
        for (const c of m.spec.columns ?? []) if (c.description) columns[c.name] = c.description.trim();
        marts[m.relation] = { grain: m.spec.grain ?? '', description: (m.spec.description ?? '').trim(), columns };
        for (const metric of m.spec.semantic?.metrics ?? []) metrics.push({ ...metric, mart: m.relation });
        if (m.spec.semantic?.funnel) funnel = { ...m.spec.semantic.funnel, mart: m.relation };
    }
    metrics.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || 0);
    return { metrics, funnel, marts };
}
