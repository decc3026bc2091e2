/**
 * The catalog: what the marts' .yml files declare for the API (models/SEMANTIC.md) — the metric routes, the
 * margin funnel's stages and leaks, each mart's descriptions — read once per models directory and checked
 * against the names the server knows (role groups and roles, dimensions, filters). The metric routes, the
 * funnel and its breakdown, the drill-downs and the definitions the dashboard reads are all made from it, so a
 * metric or a leak is stated once, next to its SQL.
 */
import { MODELS_DIR, readSemantic, type LeakPartDeclaration, type MartDefinition, type Semantic, type SemanticFunnel } from '../../warehouse/models.ts';
import { ROLE_GROUPS, type Role } from '../roles.ts';
import { DIMENSIONS, FILTER_KEYS, type Dimension, type FilterKey } from './filters.ts';
import type { MetricDefinition } from './metric.ts';

export interface FunnelStage {
    key: string;
    label: string;
    /** The chart's axis label. */
    short: string;
    /** 1 for the first stage. */
    stage: number;
    /** The stage column's description in the mart's .yml. */
    definition: string;
}

/** A leak, or a part of one: its figure is the sum of `column` in the funnel mart. */
export interface FunnelPart {
    key: string;
    column: string;
    label: string;
    short: string;
    definition: string;
    colour: string;
    /** What its drill-down rows are. */
    drill: string;
    /** The filters its drill-down rows accept (the funnel's and its own), each to a column of the rows mart. */
    filters: Partial<Record<FilterKey, string>>;
}

export interface FunnelLeak extends FunnelPart {
    /** The stage it leaks from, and that stage's number. */
    below: string;
    below_stage: number;
    /** Parts that sum to it (none: it is not split). */
    parts: FunnelPart[];
}

export interface FunnelDefinition {
    summary: string;
    description: string;
    roles: readonly Role[];
    grain: string;
    date: { column: string; grain: 'day' | 'week' | 'month' };
    accrued?: string;
    filters: Partial<Record<FilterKey, string>>;
    mart: string;
    rows: { mart: string; summary?: string };
    stages: FunnelStage[];
    leaks: FunnelLeak[];
}

export interface Catalog {
    /** The models directory it was read from (a rebuild after a load builds the same models). */
    dir: string;
    metrics: readonly MetricDefinition[];
    metricByName: ReadonlyMap<string, MetricDefinition>;
    funnel: FunnelDefinition | null;
    marts: Record<string, MartDefinition>;
}

export class CatalogError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CatalogError';
    }
}

function rolesOf(group: string, where: string): readonly Role[] {
    if (!(group in ROLE_GROUPS)) throw new CatalogError(`${where}: roles: ${group} is not a group of roles (${Object.keys(ROLE_GROUPS).join(', ')})`);
    return ROLE_GROUPS[group as keyof typeof ROLE_GROUPS];
}

function keysOf<K extends string>(known: readonly K[], keys: readonly string[], what: string, where: string): K[] {
    for (const k of keys) if (!(known as readonly string[]).includes(k)) throw new CatalogError(`${where}: ${what} ${k} is not one the API knows (${known.join(', ')})`);
    return keys as K[];
}

function funnelOf(f: SemanticFunnel, marts: Record<string, MartDefinition>): FunnelDefinition {
    const where = `the funnel of ${f.mart}`;
    keysOf(FILTER_KEYS, Object.keys(f.filters), 'filter', where);
    const filters = f.filters as Partial<Record<FilterKey, string>>;
    const stages = f.stages.map((s, i) => ({ key: s.key, label: s.label, short: s.short ?? s.label, stage: i + 1, definition: marts[f.mart]?.columns[s.key] ?? '' }));
    const part = (p: LeakPartDeclaration): FunnelPart => {
        keysOf(FILTER_KEYS, Object.keys(p.filters ?? {}), `filter of ${p.key}`, where);
        return {
            key: p.key,
            column: p.column,
            label: p.label,
            short: p.short ?? p.label,
            definition: p.definition,
            colour: p.colour,
            drill: p.drill ?? p.definition,
            filters: { ...filters, ...(p.filters as Partial<Record<FilterKey, string>>) },
        };
    };
    return {
        summary: f.summary,
        description: f.description,
        roles: rolesOf(f.roles, where),
        grain: f.grain,
        date: f.date,
        ...(f.accrued ? { accrued: f.accrued } : {}),
        filters,
        mart: f.mart,
        rows: f.rows,
        stages,
        leaks: f.leaks.map((l) => ({ ...part(l), below: l.below, below_stage: stages.find((s) => s.key === l.below)!.stage, parts: (l.parts ?? []).map(part) })),
    };
}

/** The catalog of what the marts declare, checked against what the server knows. */
export function catalogOf(semantic: Semantic, dir: string): Catalog {
    const metrics = semantic.metrics.map((m): MetricDefinition => {
        const where = `metric ${m.name} (${m.mart})`;
        keysOf(DIMENSIONS, Object.keys(m.dimensions), 'dimension', where);
        keysOf(FILTER_KEYS, Object.keys(m.filters), 'filter', where);
        for (const r of m.rollups ?? []) {
            keysOf(DIMENSIONS, r.dimensions, 'dimension', where);
            keysOf(FILTER_KEYS, r.filters, 'filter', where);
        }
        return {
            name: m.name,
            summary: m.summary,
            description: m.description,
            roles: rolesOf(m.roles, where),
            mart: m.mart,
            grain: m.grain,
            date: m.date,
            ...(m.accrued ? { accrued: m.accrued } : {}),
            dimensions: m.dimensions as Partial<Record<Dimension, string>>,
            filters: m.filters as Partial<Record<FilterKey, string>>,
            measures: m.measures,
            ...(m.ratios ? { ratios: m.ratios } : {}),
            money: m.money ?? [],
            ...(m.sums ? { sums: m.sums } : {}),
            ...(m.where ? { where: m.where } : {}),
            ...(m.rollups ? { rollups: m.rollups as MetricDefinition['rollups'] } : {}),
        };
    });
    return {
        dir,
        metrics,
        metricByName: new Map(metrics.map((m) => [m.name, m])),
        funnel: semantic.funnel ? funnelOf(semantic.funnel, semantic.marts) : null,
        marts: semantic.marts,
    };
}

const catalogs = new Map<string, Catalog>();

/** The catalog of a models directory (models/ by default), read once. */
export function readCatalog(dir = MODELS_DIR): Catalog {
    let catalog = catalogs.get(dir);
    if (!catalog) {
        catalog = catalogOf(readSemantic(dir), dir);
        catalogs.set(dir, catalog);
    }
    return catalog;
}

/** The metrics of models/ (the server's routes read its own catalog, app.catalog: the models it serves). */
export const METRICS: readonly MetricDefinition[] = readCatalog().metrics;
export const METRIC_BY_NAME: ReadonlyMap<string, MetricDefinition> = readCatalog().metricByName;

declare module 'fastify' {
    interface FastifyInstance {
        /** What the marts of the models the server serves declare (server/app.ts: AppOptions.modelsDir). */
        catalog: Catalog;
    }
}
