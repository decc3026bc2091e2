/**
 * What the dashboard needs besides the metric routes: who the caller is, the labels behind the filters
 * (clients, projects, roles, departments, people), the definitions every figure's tooltip shows (the
 * catalog and the marts' .yml, so a meaning lives in one place), the funnel broken down by client, project
 * or month (the worst leaks), a project's budget burn month by month, and utilization by department.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import YAML from 'yaml';
import { z } from 'zod';
import { checkProject, managesOwnOnly, PROJECT_ACCESS_RULE } from '../api/access.ts';
import { answerCache, answerKey, sendJsonText } from '../api/answer-cache.ts';
import { METRIC_BY_NAME, METRICS } from '../api/catalog.ts';
import { filterShape, periodProblem, type Dimension } from '../api/filters.ts';
import { firmContext, runMetric, whereClause, type MetricDefinition } from '../api/metric.ts';
import { ROLES, type Caller, type Role } from '../plugins/auth.ts';
import { badRequest, HttpProblem } from '../plugins/problem.ts';
import { FUNNEL_SCOPE, LEAKS, STAGES } from './funnel.ts';

const ANALYSTS: readonly Role[] = ['leadership', 'finance', 'project_manager'];
const EVERYONE: readonly Role[] = ['leadership', 'finance', 'project_manager', 'engineer', 'sales'];
const MARTS_DIR = path.resolve(import.meta.dirname, '../../models/marts');

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rows = z.array(z.record(z.string(), cell));

/** Each mart's description and column descriptions, read from its .yml once. */
function readDefinitions(): Record<string, { grain: string; description: string; columns: Record<string, string> }> {
    const out: Record<string, { grain: string; description: string; columns: Record<string, string> }> = {};
    if (!fs.existsSync(MARTS_DIR)) return out;
    for (const area of fs.readdirSync(MARTS_DIR)) {
        const dir = path.join(MARTS_DIR, area);
        if (!fs.statSync(dir).isDirectory()) continue;
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
            const doc = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
                grain?: string;
                description?: string;
                columns?: { name: string; description?: string }[];
            } | null;
            if (!doc) continue;
            const columns: Record<string, string> = {};
            for (const c of doc.columns ?? []) if (c.description) columns[c.name] = c.description.trim();
            out[`marts.${file.replace(/\.yml$/, '')}`] = { grain: doc.grain ?? '', description: (doc.description ?? '').trim(), columns };
        }
    }
    return out;
}

const STAGE_KEYS = STAGES.map((s) => s.key);

type Rows = Record<string, string | number | boolean | null>[];

/** What /api/dimensions answers to everyone; it changes only when the warehouse does. */
interface SharedDimensions {
    generation: number;
    first_month: string | null;
    last_month: string | null;
    clients: Rows;
    projects: Rows;
    roles: { role: string; people: number }[];
    departments: { department: string; people: number }[];
    project_types: string[];
    people: Rows;
}

const DIRECTORY_ROLES: readonly Role[] = ['leadership', 'finance', 'project_manager'];

/** A project's terms: money and budget, for those who see the project's figures (server/api/access.ts). */
const TERMS = ['contract_value', 'budget_hours'] as const;
const TERMS_ROLES: readonly Role[] = ['leadership', 'finance', 'project_manager'];

/** The projects as the caller may see them: terms left out where the project's figures are not theirs. */
function projectsFor(caller: Caller, projects: Rows): Rows {
    const own = (p: Rows[number]) => TERMS_ROLES.includes(caller.role) && (!managesOwnOnly(caller) || (caller.person_id !== null && p.manager_id === caller.person_id));
    const terms = new Set<string>(TERMS);
    return projects.map((p) => (own(p) ? p : Object.fromEntries(Object.entries(p).filter(([k]) => !terms.has(k)))));
}

const meResponse = z.object({
    mode: z.enum(['local', 'tokens']),
    signed_in: z.boolean(),
    reason: z.string().nullable(),
    role: z.enum(ROLES).nullable(),
    person_id: z.string().nullable(),
    name: z.string().nullable(),
    person_role: z.string().nullable(),
    department: z.string().nullable(),
});

export const dimensionRoutes: FastifyPluginAsyncZod = async (app) => {
    let definitions: ReturnType<typeof readDefinitions> | null = null;
    const answers = answerCache(app.warehouse);

    app.get(
        '/me',
        {
            schema: {
                summary: 'Who the caller is: the server’s access mode and, when signed in, the role and person their token names',
                description:
                    'Open to every request, signed in or not, so a client can tell whether it needs a token. Local mode: every caller is leadership with no person. Tokens mode: without a known token, signed_in is false (and reason says why when a token was sent).',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: { 200: meResponse },
            },
        },
        async (request) => meOf(request),
    );

    let shared: Promise<SharedDimensions> | null = null;
    let sharedGeneration = -1;
    /** Read once per committed generation, the independent queries side by side on the warehouse's lanes. */
    const sharedDimensions = (asOf: string): Promise<SharedDimensions> => {
        const generation = app.warehouse.generation;
        if (shared && sharedGeneration === generation) return shared;
        sharedGeneration = generation;
        const w = app.warehouse;
        const loading = Promise.all([
            w.one<{ first_month: string | null; last_month: string | null }>(
                `select min(month)::varchar as first_month, max(month)::varchar as last_month from marts.fct_margin_funnel where month <= $1::date`,
                [asOf],
            ),
            w.all<Record<string, string | number | null>>(`select client_id, client_name, currency, projects, active_projects from marts.dim_clients order by client_name`),
            w.all<Record<string, string | number | boolean | null>>(
                `select project_id, code, project_name, client_id, client_name, billing_model, is_client_work, project_type, manager_id, manager_name,
                        start_date::varchar as start_date, end_date::varchar as end_date, status, budget_hours::double as budget_hours,
                        contract_value::double as contract_value, currency
                 from marts.dim_projects order by client_name, project_name`,
            ),
            w.all<{ role: string; people: number }>(`select role, count(*)::integer as people from marts.dim_people group by role order by role`),
            w.all<{ department: string; people: number }>(
                `select coalesce(nullif(department, ''), '(none)') as department, count(*)::integer as people from marts.dim_people group by 1 order by 1`,
            ),
            w.all<{ project_type: string }>(`select distinct project_type from marts.dim_projects order by 1`),
            w.all<Record<string, string | number | boolean | null>>(
                `select person_id, name, role, coalesce(nullif(department, ''), '(none)') as department, is_active,
                        current_weekly_hours::double as weekly_hours
                 from marts.dim_people order by role, name`,
            ),
        ]).then(([range, clients, projects, roles, departments, types, people]) => ({
            generation,
            first_month: range?.first_month ?? null,
            last_month: range?.last_month ?? null,
            clients,
            projects,
            roles,
            departments,
            project_types: types.map((t) => t.project_type),
            people,
        }));
        shared = loading;
        // A failed read is not kept: the next request tries again.
        loading.catch(() => {
            if (shared === loading) shared = null;
        });
        return loading;
    };

    async function meOf(request: FastifyRequest): Promise<z.infer<typeof meResponse>> {
        const caller = request.caller;
        if (!caller) {
            return {
                mode: app.authMode,
                signed_in: false,
                reason: request.headers.authorization ? 'The token is not one this server knows.' : null,
                role: null,
                person_id: null,
                name: null,
                person_role: null,
                department: null,
            };
        }
        const person = caller.person_id
            ? await app.warehouse.one<{ name: string; role: string; department: string | null }>(`select name, role, department from marts.dim_people where person_id = $1`, [caller.person_id])
            : undefined;
        return {
            mode: app.authMode,
            signed_in: true,
            reason: null,
            role: caller.role,
            person_id: caller.person_id,
            name: person?.name ?? null,
            person_role: person?.role ?? null,
            department: person?.department || null,
        };
    }

    async function dimensionsFor(caller: Caller) {
        const firm = await firmContext(app.warehouse);
        const d = await sharedDimensions(firm.as_of);
        // The directory labels drill-down rows for those who open them; an engineer sees themself only.
        const people = DIRECTORY_ROLES.includes(caller.role) ? d.people : caller.role === 'engineer' ? d.people.filter((p) => p.person_id === caller.person_id) : null;
        return {
            currency: firm.currency,
            as_of: firm.as_of,
            first_month: d.first_month,
            last_month: d.last_month,
            clients: d.clients,
            projects: projectsFor(caller, d.projects),
            roles: d.roles,
            departments: d.departments,
            project_types: d.project_types,
            people,
        };
    }

    function definitionsBody() {
        definitions ??= readDefinitions();
        return {
            metrics: METRICS.map((m) => ({ name: m.name, summary: m.summary, description: m.description, grain: m.grain, mart: m.mart })),
            stages: STAGES.map((s) => ({ ...s })),
            leaks: LEAKS.map((l) => ({ key: l.key, label: l.label, below_stage: l.below, definition: l.definition })),
            marts: definitions,
        };
    }

    app.get(
        '/dimensions',
        {
            config: { roles: EVERYONE },
            schema: {
                summary: 'Clients, projects, roles, departments, project types and the people directory: the labels behind the filters',
                description:
                    'people is the directory (name, role, department, weekly hours) that labels drill-down rows: all people for leadership, finance and project managers; only themself for an engineer; null for sales. Figures about individuals follow the rule of the metric routes (see /api/utilization). ' +
                    `A project's terms (${TERMS.join(', ')}) are given to leadership and finance for every project, to a project manager for the projects they manage, and to no one else: the other projects come without them. ${PROJECT_ACCESS_RULE}`,
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: {
                    200: z.object({
                        currency: z.string(),
                        as_of: z.string(),
                        first_month: z.string().nullable(),
                        last_month: z.string().nullable(),
                        clients: rows,
                        projects: rows,
                        roles: z.array(z.object({ role: z.string(), people: z.number() })),
                        departments: z.array(z.object({ department: z.string(), people: z.number() })),
                        project_types: z.array(z.string()),
                        people: rows.nullable(),
                    }),
                },
            },
        },
        // Built from the marts' own columns: no need to re-validate thousands of labels on every request.
        async (request, reply) => reply.serializer(JSON.stringify).send(await dimensionsFor(request.caller)),
    );

    app.get(
        '/definitions',
        {
            config: { roles: EVERYONE },
            schema: {
                summary: 'What every figure means: the metric catalog, the funnel stages and leaks, and each mart column described in its .yml',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: {
                    200: z.object({
                        metrics: z.array(z.object({ name: z.string(), summary: z.string(), description: z.string(), grain: z.string(), mart: z.string() })),
                        stages: z.array(z.object({ key: z.string(), label: z.string(), stage: z.number() })),
                        leaks: z.array(z.object({ key: z.string(), label: z.string(), below_stage: z.number(), definition: z.string() })),
                        marts: z.record(z.string(), z.object({ grain: z.string(), description: z.string(), columns: z.record(z.string(), z.string()) })),
                    }),
                },
            },
        },
        async () => definitionsBody(),
    );

    app.get(
        '/session',
        {
            schema: {
                summary: 'What the dashboard starts with, in one request: /api/me, and when signed in /api/dimensions and /api/definitions',
                description:
                    'Open to every request. dimensions and definitions are null when the caller is not signed in (tokens mode without a known token), so a client learns it must ask for a token without a 401.',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: { 200: z.object({ me: meResponse, dimensions: z.record(z.string(), z.unknown()).nullable(), definitions: z.record(z.string(), z.unknown()).nullable() }) },
            },
        },
        async (request, reply) => {
            const me = await meOf(request);
            const [dimensions, definitions] = request.caller ? await Promise.all([dimensionsFor(request.caller), definitionsBody()]) : [null, null];
            return reply.serializer(JSON.stringify).send({ me, dimensions, definitions });
        },
    );

    app.get(
        '/funnel/breakdown',
        {
            config: { roles: ['leadership', 'finance'] },
            schema: {
                summary: 'The margin funnel by client, project, project type or month: where the leaks are',
                description:
                    'Each group’s stages (rounded to the cent) and its leaks as differences of those stages, exactly as /api/funnel computes them for that group; total_leaks = potential − collected. Sorted by total_leaks, largest first.',
                tags: ['metrics'],
                querystring: z.strictObject({
                    by: z.enum(['client', 'project', 'project_type', 'month']),
                    from: filterShape.from,
                    to: filterShape.to,
                    as_of: filterShape.as_of,
                    client_id: filterShape.client_id,
                    project_id: filterShape.project_id,
                    project_type: filterShape.project_type,
                    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
                }),
                response: { 200: z.object({ by: z.string(), currency: z.string(), as_of: z.string(), rows }) },
            },
        },
        async (request, reply) => {
            const q = request.query;
            const problem = periodProblem(q);
            if (problem) throw badRequest(...problem);
            // Kept until the warehouse changes (server/api/answer-cache.ts); the figures do not depend on who asks.
            const body = await answers.json(answerKey('funnel/breakdown', q, null), async () => {
                const firm = await firmContext(app.warehouse);
                const asOf = q.as_of ?? firm.as_of;
                const params: Record<string, string> = {};
                const where = whereClause({ name: 'funnel/breakdown', ...FUNNEL_SCOPE }, q, asOf, params, firm.horizon).replace(/"(\w+)"/g, 'f."$1"');
                const key = q.by === 'month' ? `f.month::varchar` : q.by === 'client' ? 'f.client_id' : q.by === 'project' ? 'f.project_id' : 'f.project_type';
                const label = q.by === 'client' ? 'max(d.client_name)' : q.by === 'project' ? 'max(p.project_name)' : q.by === 'month' ? `strftime(min(f.month), '%Y-%m')` : 'min(f.project_type)';
                const columns = [...STAGE_KEYS, 'unbilled_meetings_value', 'cost', 'realized_margin', 'client_hours'];
                const found = await app.warehouse.all<Record<string, string | number>>(
                    `select ${key} as key, ${label} as label, ${columns.map((c) => `round(coalesce(sum(f.${c}), 0), 2)::double as ${c}`).join(', ')}
                     from marts.fct_margin_funnel f
                     left join marts.dim_clients d on d.client_id = f.client_id
                     left join marts.dim_projects p on p.project_id = f.project_id
                     ${where} group by ${key}`,
                    params,
                );
                const cents = (v: string | number | undefined) => Math.round(Number(v ?? 0) * 100);
                const out = found.map((r) => {
                    const s = Object.fromEntries(STAGE_KEYS.map((k) => [k, cents(r[k])])) as Record<(typeof STAGE_KEYS)[number], number>;
                    const meetings = cents(r.unbilled_meetings_value);
                    const leaks = {
                        untracked: s.potential_value - s.tracked_value,
                        unbilled_meetings: meetings,
                        unbilled_other: s.tracked_value - s.billable_value - meetings,
                        overrun: s.billable_value - s.recognized_revenue,
                        not_invoiced: s.recognized_revenue - s.billed_value,
                        credited: s.billed_value - s.net_billed_value,
                        uncollected: s.net_billed_value - s.collected_value,
                    };
                    return {
                        key: String(r.key),
                        label: String(r.label ?? r.key),
                        ...Object.fromEntries(STAGE_KEYS.map((k) => [k, s[k] / 100])),
                        ...Object.fromEntries(Object.entries(leaks).map(([k, v]) => [k, v / 100])),
                        total_leaks: (s.potential_value - s.collected_value) / 100,
                        cost: Number(r.cost),
                        realized_margin: Number(r.realized_margin),
                        client_hours: Number(r.client_hours),
                    };
                });
                if (q.by === 'month') out.sort((a, b) => a.key.localeCompare(b.key));
                else out.sort((a, b) => b.total_leaks - a.total_leaks || a.key.localeCompare(b.key));
                return { by: q.by, currency: firm.currency, as_of: asOf, rows: out.slice(0, q.limit) };
            });
            return sendJsonText(reply, body);
        },
    );

    app.get(
        '/budget-burn/months',
        {
            config: { roles: ANALYSTS },
            schema: {
                summary: 'A budgeted project’s burn month by month: hours used against budget and elapsed time, with the estimate at completion',
                description: `marts.fct_budget_burn_monthly for one fixed-fee, milestone or retainer project, each month evaluated at its month end, through the as_of month. ${PROJECT_ACCESS_RULE}`,
                tags: ['metrics'],
                querystring: z.strictObject({ project_id: z.string().min(1).max(200), as_of: filterShape.as_of }),
                response: { 200: z.object({ project_id: z.string(), as_of: z.string(), rows }) },
            },
        },
        async (request) => {
            const q = request.query;
            const asOf = q.as_of ?? (await firmContext(app.warehouse)).as_of;
            const project = await app.warehouse.one(`select 1 as x from marts.dim_projects where project_id = $1`, [q.project_id]);
            if (!project) throw new HttpProblem(404, 'No such project', `project ${q.project_id} does not exist`);
            await checkProject(app.warehouse, request.caller, q.project_id, 'sees the budget burn of their own projects only');
            const found = await app.warehouse.all<Record<string, string | number | boolean | null>>(
                `select month::varchar as month, month_end::varchar as month_end, hours::double as hours, hours_used::double as hours_used,
                        billable_hours_used::double as billable_hours_used, budget_basis, budget_hours::double as budget_hours,
                        share_elapsed::double as share_elapsed, share_complete::double as share_complete, burn::double as burn,
                        eac_method, eac_hours::double as eac_hours, alert_level
                 from marts.fct_budget_burn_monthly where project_id = $1 and month <= date_trunc('month', $2::date) order by month`,
                [q.project_id, asOf],
            );
            return { project_id: q.project_id, as_of: asOf, rows: found };
        },
    );

    const utilization = METRIC_BY_NAME.get('utilization')!;
    const byDepartment: MetricDefinition = {
        ...utilization,
        name: 'utilization/by-department',
        dimensions: { ...utilization.dimensions, department: 'department' } as MetricDefinition['dimensions'],
        filters: { ...utilization.filters },
    };
    app.get(
        '/utilization/by-department',
        {
            config: { roles: ANALYSTS },
            schema: {
                summary: 'Utilization by department (and week or month): aggregates for leadership',
                description: `${utilization.description}\n\nThe same measures as /api/utilization, grouped by the person's department.`,
                tags: ['metrics'],
                querystring: z.strictObject({
                    from: filterShape.from,
                    to: filterShape.to,
                    as_of: filterShape.as_of,
                    role: filterShape.role,
                    group_by: z.enum(['week', 'month', 'none']).default('week'),
                }),
                response: { 200: z.object({ metric: z.string(), grain: z.string(), group_by: z.array(z.string()), currency: z.string(), as_of: z.string(), rows }) },
            },
        },
        async (request, reply) => {
            const q = request.query;
            const problem = periodProblem(q);
            if (problem) throw badRequest(...problem);
            // Kept until the warehouse changes (server/api/answer-cache.ts); the figures do not depend on who asks.
            const body = await answers.json(answerKey('utilization/by-department', q, null), async () => {
                const groups = (q.group_by === 'none' ? ['department'] : ['department', q.group_by]) as Dimension[];
                const result = await runMetric(app.warehouse, byDepartment, { from: q.from, to: q.to, as_of: q.as_of, role: q.role, group_by: groups });
                for (const r of result.rows) if (r.department === null || r.department === '') r.department = '(none)';
                return result;
            });
            return sendJsonText(reply, body);
        },
    );
};
