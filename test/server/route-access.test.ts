/**
 * Every route the server serves × every caller × a project the caller manages and one they do not: each
 * answer is a 403 (401 without a token) or holds only what README "Access" gives the caller. The routes
 * are read from Fastify itself, so a route added without a line in ROUTES (test/helpers/route-access.ts)
 * fails the first test. The firm is described there; project ids carry their manager (PRJ-M2-…), so
 * "nothing of M2's projects" is: the answer's text never names PRJ-M2.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ANALYSTS, CALLERS, EVERY_ROLE, PERIOD, QUOTING, ROUTES, scopeFirm, TOKENS, type Call, type Caller, type Projects } from '../helpers/route-access.ts';
import { servedRoutes } from '../helpers/routes.ts';
import type { ServedFirm } from '../helpers/server.ts';

let firm: ServedFirm;
let warehouse: Warehouse;
let app: FastifyInstance;
let local: FastifyInstance;
let OWN: Projects;
let OTHER: Projects;

beforeAll(async () => {
    ({ firm, warehouse, app, local, OWN, OTHER } = await scopeFirm());
});

afterAll(async () => firm?.close());

async function ask(caller: Caller, call: Call, p: Projects): Promise<{ status: number; text: string; body: unknown }> {
    const server = caller === 'local' ? local : app;
    const headers: Record<string, string> = caller === 'local' || caller === 'anonymous' ? {} : { authorization: `Bearer ${TOKENS[caller].token}` };
    const res = await server.inject({ method: call.method ?? 'GET', url: call.url(p), headers, ...(call.body ? { payload: call.body(p) as object } : {}) });
    let body: unknown = null;
    try {
        body = res.json();
    } catch {
        body = res.body;
    }
    return { status: res.statusCode, text: res.body, body };
}

/** The figures of an answer: every number in it, dropping the fields that say what was asked. */
function figures(body: unknown): number[] {
    const out: number[] = [];
    const walk = (v: unknown, key: string) => {
        if (['page', 'page_size', 'batch_id', 'quote_id', 'simulations', 'seed', 'stage', 'below_stage'].includes(key)) return;
        if (typeof v === 'number') out.push(v);
        else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(body, '');
    return out;
}

const allows = (call: Call, caller: Caller) => call.roles === 'anyone' || caller === 'local' || (caller !== 'anonymous' && call.roles.includes(caller));
const withoutScope = (body: unknown) => (body && typeof body === 'object' ? { ...(body as Record<string, unknown>), scope: undefined } : body);

describe('every route × every caller × a project the caller manages and one they do not', () => {
    it('knows every route the server serves', () => {
        expect(servedRoutes(app)).toEqual(Object.keys(ROUTES).sort());
    });

    for (const [route, calls] of Object.entries(ROUTES)) {
        it(`${route}`, async () => {
            for (const [i, call] of calls.entries()) {
                for (const caller of CALLERS) {
                    for (const [which, p] of [['own', OWN], ['other', OTHER]] as const) {
                        const label = `${route} #${i} ${caller} ${which}: ${call.url(p)}`;
                        if (call.refusalsOnly && allows(call, caller)) continue;
                        const got = await ask(caller, call, p);
                        expect(got.status, `${label}\n${got.text.slice(0, 300)}`).toBeLessThan(500);
                        if (!allows(call, caller)) {
                            expect(got.status, label).toBe(caller === 'anonymous' ? 401 : 403);
                            continue;
                        }
                        const manager = caller === 'project_manager';
                        if (manager && which === 'other' && call.projects === 'project') {
                            // Another manager's project: a 403, or an answer holding no figure of it.
                            if (got.status === 403) continue;
                            expect(got.status, label).toBe(200);
                            expect(got.text, label).not.toContain('PRJ-M2');
                            expect(figures((got.body as { rows?: unknown }).rows ?? got.body).filter((n) => n !== 0), label).toEqual([]);
                            // …which leadership's answer to the same question does hold: the check is not vacuous.
                            const seen = await ask('leadership', call, p);
                            expect(figures(seen.body).some((n) => n !== 0), `${label}: leadership sees something`).toBe(true);
                            continue;
                        }
                        expect(got.status, `${label}\n${got.text.slice(0, 300)}`).toBe(call.status ?? 200);
                        if (manager && call.projects === 'list') {
                            expect(got.text, label).not.toContain('PRJ-M2');
                            expect(got.text, `${label}: their own projects are there`).toContain('PRJ-M1');
                            expect((await ask('leadership', call, p)).text, `${label}: leadership sees M2's`).toContain('PRJ-M2');
                        }
                        if (manager && which === 'own' && call.projects === 'project') {
                            // Their own project: exactly what leadership gets (but for saying it was narrowed).
                            const seen = await ask('leadership', call, p);
                            expect(withoutScope(got.body), label).toEqual(withoutScope(seen.body));
                            expect(figures(seen.body).some((n) => n !== 0), `${label}: the answer holds figures`).toBe(true);
                        }
                    }
                }
            }
        });
    }
});

describe('a saved quote’s files', () => {
    it('gives a manager the CSV of a quote linked to their own project, as leadership gets it, and refuses another’s', async () => {
        const csv = (caller: Caller, p: Projects) => ask(caller, { url: (x) => `/api/quotes/${x.quote}/export.csv`, roles: QUOTING, projects: 'project' }, p);
        const own = await csv('project_manager', OWN);
        expect(own.status).toBe(200);
        expect(own.text).toBe((await csv('leadership', OWN)).text);
        expect(own.text).toContain('Scope deal');
        expect((await csv('project_manager', OTHER)).status).toBe(403);
        expect((await ask('project_manager', { url: (x) => `/api/quotes/${x.quote}/document.pdf`, roles: QUOTING, projects: 'project' }, OTHER)).status).toBe(403);
    });
});

describe('a project’s terms in the labels', () => {
    const terms = (body: { projects: Record<string, unknown>[] }) =>
        Object.fromEntries(body.projects.filter((p) => 'contract_value' in p || 'budget_hours' in p).map((p) => [p.project_id, [p.contract_value, p.budget_hours]]));
    const every = {
        'PRJ-M1-FIX': [10000, 100],
        'PRJ-M1-RET': [null, null],
        'PRJ-M1-CLS': [4000, 40],
        'PRJ-M2-FIX': [5000, 50],
        'PRJ-M2-RET': [null, null],
        'PRJ-M2-CLS': [2000, 20],
        'PRJ-INT': [null, null],
    };

    it('go to leadership and finance for every project, to a manager for theirs, to engineers and sales for none', async () => {
        const dims = async (caller: Caller) => {
            const res = await ask(caller, { url: () => '/api/dimensions', roles: EVERY_ROLE, projects: 'none' }, OWN);
            expect(res.status).toBe(200);
            return res.body as { projects: Record<string, unknown>[] };
        };
        for (const caller of ['leadership', 'finance', 'local'] as const) expect(terms(await dims(caller)), caller).toEqual(every);
        expect(terms(await dims('project_manager'))).toEqual({ 'PRJ-M1-FIX': [10000, 100], 'PRJ-M1-RET': [null, null], 'PRJ-M1-CLS': [4000, 40] });
        for (const caller of ['engineer', 'sales'] as const) {
            const body = await dims(caller);
            expect(terms(body), caller).toEqual({});
            // The labels themselves stay: every project, named.
            expect(body.projects.map((p) => p.project_id).sort(), caller).toEqual(Object.keys(every).sort());
        }
        // The dashboard starts from /api/session: the same labels.
        const session = await ask('sales', { url: () => '/api/session', roles: 'anyone', projects: 'none' }, OWN);
        expect(terms((session.body as { dimensions: { projects: Record<string, unknown>[] } }).dimensions)).toEqual({});
    });
});

describe('a project manager’s figures', () => {
    it('are those of the projects they manage, and the answer says so', async () => {
        const burn = (await ask('project_manager', ROUTES['GET /api/budget-burn']![1]!, OWN)).body as { scope?: string; rows: { project_id: string }[] };
        const firm = (await ask('leadership', ROUTES['GET /api/budget-burn']![1]!, OWN)).body as { rows: { project_id: string }[] };
        expect(burn.rows).toEqual(firm.rows.filter((r) => r.project_id.startsWith('PRJ-M1-')));
        expect(burn.rows.map((r) => r.project_id)).toContain('PRJ-M1-FIX');
        expect(burn.scope).toBe('the projects you manage');
        const retainers = (await ask('project_manager', { url: () => '/api/retainers', roles: ANALYSTS, projects: 'firm' }, OWN)).body as { scope?: string; rows: { fee: number }[] };
        // M1's retainer alone: 3 months × 1,000 (M2's 2,000 a month is not in it).
        expect(retainers.rows[0]!.fee).toBe(3000);
        expect(retainers.scope).toBe('the projects you manage');
        // The review flags' firm-wide count by rule is theirs too: M1's billable admin hour, not M2's.
        const flags = (await ask('project_manager', { url: () => `/api/review-flags?group_by=rule&rule=billable_admin&${PERIOD}`, roles: ANALYSTS, projects: 'firm' }, OWN)).body as {
            rows: { flags: number }[];
        };
        expect(flags.rows.map((r) => r.flags)).toEqual([1]);
    });

    it('are a 403 that says why for a manager whose token names no person', async () => {
        const file = path.join(firm.dir, 'nobody.json');
        fs.writeFileSync(file, JSON.stringify([{ token: 'scope-nobody-manager-0', person_id: null, role: 'project_manager' }]));
        const nobody = await buildApp({ warehouse, tokensFile: file });
        try {
            for (const url of ['/api/retainers', '/api/budget-burn', '/api/review-flags?group_by=rule', `/api/projects/${OWN.closed}/closeout`]) {
                const res = await nobody.inject({ method: 'GET', url, headers: { authorization: 'Bearer scope-nobody-manager-0' } });
                expect(res.statusCode, url).toBe(403);
                expect(res.headers['content-type'], url).toContain('application/problem+json');
                expect(res.json().detail, url).toContain('names no person');
            }
        } finally {
            await nobody.close();
        }
    });
});
