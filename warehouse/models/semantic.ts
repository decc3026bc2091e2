/**
 * The semantic block of a mart's .yml (models/SEMANTIC.md): the metrics served over the mart and, for the margin
 * funnel, its stages and leaks. Declared next to the SQL so that a metric or a leak is stated once; the server's
 * catalog, the funnel, the drill-downs and the definitions the dashboard reads are all made from it.
 *
 * The shapes here check what can be checked from the .yml alone (names, references between its own entries);
 * that the columns exist and the measures run is checked against the built marts (build.ts), and the names of
 * roles, dimensions and filters by the server that serves them (server/api/catalog.ts).
 */
import { z } from 'zod';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = z.string().regex(IDENT, 'must be a snake_case name');
const relation = z.string().regex(/^(staging|intermediate|marts)\.[a-z_][a-z0-9_]*$/, 'must name a model as schema.name');
/** Prose: folded YAML blocks end in a newline, which is not part of the text. */
const text = z.string().trim().min(1);

/**
 * Who may read it: a group of roles the server defines (server/roles.ts: money, analysts …), by name, so that
 * who may see what is stated in one place; the server checks the name (server/api/catalog.ts).
 */
const ROLES_MESSAGE = 'must name a group of roles (server/roles.ts ROLE_GROUPS: money, analysts, …), not list roles';
const rolesShape = z.string({ error: ROLES_MESSAGE }).regex(IDENT, ROLES_MESSAGE);

const dateShape = z.strictObject({ column: ident, grain: z.enum(['day', 'week', 'month']) });

/** What a metric and the funnel both declare: what they are, who may call them, their grain and date. */
const servedFields = { summary: text, description: text, roles: rolesShape, grain: text, date: dateShape, accrued: ident.optional() };

const metricShape = z
    .strictObject({
        /** The route: GET /api/<name>. */
        name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a lowercase route name (letters, digits, -)'),
        /** Where it comes in the catalog (the docs, the definitions): by order, then unordered ones by file. */
        order: z.number().int().optional(),
        ...servedFields,
        dimensions: z.record(ident, ident),
        filters: z.record(ident, ident),
        measures: z.record(ident, text).refine((m) => Object.keys(m).length > 0, 'a metric needs at least one measure'),
        ratios: z.record(ident, z.tuple([ident, ident])).optional(),
        /**
         * The measures and ratios that are money in the reporting currency (a rate per hour too): answered to the
         * cent (lib/money.ts). The rest (hours, counts, shares) keep their precision.
         */
        money: z.array(ident).optional(),
        /**
         * Money measures answered as the sum of other money measures as answered (each to the cent; a name with a
         * leading - is subtracted), so that the parts on screen add up to them exactly: {margin: [revenue, -cost]}.
         */
        sums: z.record(ident, z.array(z.string().regex(/^-?[a-z_][a-z0-9_]*$/, 'must name a measure, - before it to subtract')).min(2)).optional(),
        where: text.optional(),
        rollups: z.array(z.strictObject({ mart: relation, dimensions: z.array(ident), filters: z.array(ident) })).optional(),
    })
    .superRefine((m, ctx) => {
        for (const [name, pair] of Object.entries(m.ratios ?? {})) {
            pair.forEach((measure, i) => {
                if (!(measure in m.measures)) ctx.addIssue({ code: 'custom', path: ['ratios', name, i], message: `${measure} is not a measure of ${m.name}` });
            });
        }
        for (const [name, parts] of Object.entries(m.sums ?? {})) {
            for (const [i, n] of [name, ...parts.map((p) => p.replace(/^-/, ''))].entries()) {
                if (!(n in m.measures) || !(m.money ?? []).includes(n)) {
                    ctx.addIssue({ code: 'custom', path: i === 0 ? ['sums', name] : ['sums', name, i - 1], message: `${n} is not a money measure of ${m.name} (list it in money:)` });
                }
            }
        }
        (m.money ?? []).forEach((name, i) => {
            if (!(name in m.measures) && !(name in (m.ratios ?? {}))) ctx.addIssue({ code: 'custom', path: ['money', i], message: `${name} is not a measure or a ratio of ${m.name}` });
        });
        for (const [i, r] of (m.rollups ?? []).entries()) {
            r.dimensions.forEach((d, j) => {
                if (!(d in m.dimensions)) ctx.addIssue({ code: 'custom', path: ['rollups', i, 'dimensions', j], message: `${d} is not a dimension of ${m.name}` });
            });
            r.filters.forEach((f, j) => {
                if (!(f in m.filters)) ctx.addIssue({ code: 'custom', path: ['rollups', i, 'filters', j], message: `${f} is not a filter of ${m.name}` });
            });
        }
    });

const stageShape = z.strictObject({ key: ident, label: text, short: text.optional() });

/** What a leak and a part of a leak both declare. */
const partFields = {
    /** The drill part (/api/drill/funnel?part=<key>): the rows of the funnel's rows mart whose metric is the key. */
    key: ident,
    /** The funnel mart's column whose sum is the figure. */
    column: ident,
    label: text,
    short: text.optional(),
    definition: text,
    /** A colour key of the dashboard's palette (an unknown one gets the default colour). */
    colour: ident,
    /** The drill-down's description; the definition when not given. */
    drill: text.optional(),
    /**
     * Filters its drill-down rows accept besides the funnel's (filter → column of the rows mart), e.g. a leak
     * whose rows name people: {person_id: person_id}. The figure itself takes the funnel's filters.
     */
    filters: z.record(ident, ident).optional(),
};

const partShape = z.strictObject(partFields);
const leakShape = z.strictObject({ ...partFields, below: ident, parts: z.array(partShape).min(2, 'a leak split into parts has at least two').optional() });

const funnelShape = z
    .strictObject({
        ...servedFields,
        filters: z.record(ident, ident),
        /** The drill-down rows: one row per part key (column metric) × source row, and optionally their sums. */
        rows: z.strictObject({ mart: relation, summary: relation.optional() }),
        stages: z.array(stageShape).min(2),
        leaks: z.array(leakShape).min(1),
    })
    .superRefine((f, ctx) => {
        const seen = new Set<string>();
        const unique = (key: string, path: (string | number)[]) => {
            if (seen.has(key)) ctx.addIssue({ code: 'custom', path, message: `${key} is declared twice` });
            seen.add(key);
        };
        f.stages.forEach((s, i) => unique(s.key, ['stages', i, 'key']));
        const stages = f.stages.map((s) => s.key);
        const filters = Object.keys(f.filters);
        const checkFilters = (extra: Record<string, string> | undefined, path: (string | number)[]) => {
            for (const k of Object.keys(extra ?? {})) {
                if (filters.includes(k)) ctx.addIssue({ code: 'custom', path: [...path, 'filters', k], message: `${k} is a filter of the funnel already: list only the filters the rows accept besides` });
            }
        };
        f.leaks.forEach((l, i) => {
            unique(l.key, ['leaks', i, 'key']);
            // A leak's figure is the difference of the stage it leaks from and the next: the last stage has none.
            const at = stages.indexOf(l.below);
            if (at < 0) ctx.addIssue({ code: 'custom', path: ['leaks', i, 'below'], message: `${l.below} is not a stage (${stages.join(', ')})` });
            else if (at === stages.length - 1) ctx.addIssue({ code: 'custom', path: ['leaks', i, 'below'], message: `${l.below} is the last stage: nothing leaks below it` });
            checkFilters(l.filters, ['leaks', i]);
            l.parts?.forEach((p, j) => {
                unique(p.key, ['leaks', i, 'parts', j, 'key']);
                checkFilters(p.filters, ['leaks', i, 'parts', j]);
            });
        });
        // Leaks are listed stage by stage: their order is the funnel's, top to bottom.
        const positions = f.leaks.map((l) => stages.indexOf(l.below));
        positions.forEach((p, i) => {
            if (i > 0 && p >= 0 && p < positions[i - 1]!) {
                ctx.addIssue({ code: 'custom', path: ['leaks', i, 'below'], message: `leaks are listed in funnel order: ${f.leaks[i]!.key} (below ${f.leaks[i]!.below}) comes after a leak below a later stage` });
            }
        });
    });

export const semanticShape = z.strictObject({
    metrics: z.array(metricShape).min(1).optional(),
    funnel: funnelShape.optional(),
});

export type SemanticBlock = z.infer<typeof semanticShape>;
export type MetricDeclaration = z.infer<typeof metricShape>;
export type FunnelDeclaration = z.infer<typeof funnelShape>;
export type StageDeclaration = z.infer<typeof stageShape>;
export type LeakDeclaration = z.infer<typeof leakShape>;
export type LeakPartDeclaration = z.infer<typeof partShape>;

/** A metric as served: its declaration and the mart that declares it. */
export interface SemanticMetric extends MetricDeclaration {
    mart: string;
}

/** The funnel as served: its declaration and its mart. */
export interface SemanticFunnel extends FunnelDeclaration {
    mart: string;
}

/** What the marts' .yml files state about themselves: the definitions the dashboard shows. */
export interface MartDefinition {
    grain: string;
    description: string;
    columns: Record<string, string>;
}

/** Everything the marts declare, read once: what the server serves. */
export interface Semantic {
    metrics: SemanticMetric[];
    funnel: SemanticFunnel | null;
    marts: Record<string, MartDefinition>;
}
