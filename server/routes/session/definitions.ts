/**
 * What GET /api/definitions answers: the definitions every figure's tooltip shows and the dashboard draws the
 * funnel with, all from the marts' .yml (the catalog: metrics, the funnel's stages and leaks, each mart's
 * descriptions), and the filters each route takes, read from the routes' own schemas. A meaning lives in one place.
 */
import type { FastifyInstance } from 'fastify';
import { FILTER_KEYS } from '../../api/filters.ts';
import type { Definitions } from '../../schemas/definitions.ts';

/** The query parameters the dashboard's filters set: a period and the filter keys. */
const FILTER_PARAMETERS: readonly string[] = ['from', 'to', ...FILTER_KEYS];

/**
 * Each GET route's period and filter parameters: a metric's and the funnel's as their .yml declare them (the
 * metric routes share one query schema and refuse a filter their grain lacks), every other route's from the
 * OpenAPI document its zod schema makes. What a route takes is stated once.
 */
function routeFilters(app: FastifyInstance): Record<string, string[]> {
    const doc = app.swagger() as { paths?: Record<string, { get?: { parameters?: { in: string; name: string }[] } }> };
    const out: Record<string, string[]> = {};
    for (const [route, item] of Object.entries(doc.paths ?? {})) {
        if (!route.startsWith('/api/')) continue;
        const taken = (item.get?.parameters ?? []).filter((p) => p.in === 'query' && FILTER_PARAMETERS.includes(p.name)).map((p) => p.name);
        if (taken.length > 0) out[route.slice('/api/'.length)] = taken;
    }
    const { metrics, funnel } = app.catalog;
    for (const m of metrics) out[m.name] = ['from', 'to', ...Object.keys(m.filters)];
    if (funnel) out.funnel = ['from', 'to', ...Object.keys(funnel.filters)];
    return out;
}

const bodies = new WeakMap<FastifyInstance, Definitions>();

/** The definitions of the catalog the server serves (the same for every caller; built once, when first asked). */
export function definitionsBody(app: FastifyInstance): Definitions {
    let body = bodies.get(app);
    if (!body) {
        const { metrics, funnel, marts } = app.catalog;
        const partOf = (p: NonNullable<typeof funnel>['leaks'][number]['parts'][number]) => ({
            key: p.key,
            label: p.label,
            definition: p.definition,
            short: p.short,
            colour: p.colour,
            filters: Object.keys(p.filters),
        });
        body = {
            metrics: metrics.map((m) => ({ name: m.name, summary: m.summary, description: m.description, grain: m.grain, mart: m.mart, ratios: { ...m.ratios } })),
            stages: (funnel?.stages ?? []).map((s) => ({ key: s.key, label: s.label, stage: s.stage, short: s.short, definition: s.definition })),
            leaks: (funnel?.leaks ?? []).map((l) => ({
                key: l.key,
                label: l.label,
                below_stage: l.below_stage,
                definition: l.definition,
                short: l.short,
                colour: l.colour,
                filters: Object.keys(l.filters),
                parts: l.parts.map(partOf),
            })),
            marts,
            filters: routeFilters(app),
        };
        bodies.set(app, body);
    }
    return body;
}
