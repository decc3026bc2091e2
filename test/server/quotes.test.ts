/**
 * The quote API (server/routes/quotes/quotes.ts) on a small generated firm (ingest/demo, ~30 000 entries, 24 months
 * to 2024-06-30, as_of = that end): quotes are ordered and priced as the engine promises, a saved quote
 * round-trips, bad input is a 400 naming the parameter, the backtest reports its figures and reliability
 * points, and a closed project's closeout compares its linked quote with the actuals.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { writeDemo } from '../../ingest/demo/index.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { buildApp } from '../../server/app.ts';
import { quoteRoutes } from '../../server/routes/quotes/quotes.ts';
import { PAGES, ROLE_GROUPS } from '../../server/roles.ts';
import { buildModels } from '../../warehouse/models.ts';
import { servedRoutes } from '../helpers/routes.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';

const END = '2024-06-30';
let warehouse: Warehouse;
let app: FastifyInstance;
let dir: string;
type Closed = { project_id: string; project_type: string; billing_model: string; lines: { phase: string; role: string; estimated_hours: number }[] };
let closed: Closed;
/** The closed project that ended before `closed`: linked to a quote by PATCH (the closeout test keeps `closed`'s link). */
let other: Closed;

beforeAll(async () => {
    dir = tempDir('realize-quotes-demo-');
    const demo = await writeDemo({ outDir: dir, seed: 11, end: END, entries: 30_000 });
    warehouse = await Warehouse.open(':memory:');
    const report = await ingestFiles(warehouse, resolveInputs(Object.values(demo.files)).files);
    if (!report.ok) throw new Error('the demo did not load');
    await buildModels(warehouse);
    app = await buildApp({ warehouse });
    // Until server/app.ts registers the quote routes itself.
    if (!app.hasRoute({ method: 'POST', url: '/api/quotes' })) await app.register(quoteRoutes, { prefix: '/api' });
    const closedProject = async (rank: number): Promise<Closed> => {
        const rows = await warehouse.all<{ project_id: string; project_type: string; billing_model: string; phase: string; role: string; estimated_hours: number }>(
            `with p as (
                 select project_id from marts.fct_estimate_vs_actual where project_status = 'closed' and project_has_baseline and project_has_entries
                 group by project_id order by max(project_end_date) desc, project_id limit 1 offset $rank)
             select project_id, project_type, billing_model, phase, role, estimated_hours::double as estimated_hours
             from marts.fct_estimate_vs_actual join p using (project_id) where estimated_hours > 0 order by phase, role`,
            { rank },
        );
        return { project_id: rows[0]!.project_id, project_type: rows[0]!.project_type, billing_model: rows[0]!.billing_model, lines: rows.map(({ phase, role, estimated_hours }) => ({ phase, role, estimated_hours })) };
    };
    closed = await closedProject(0);
    other = await closedProject(1);
}, 60_000);
afterAll(async () => {
    await app?.close();
    warehouse?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const post = async (body: unknown) => {
    const res = await app.inject({ method: 'POST', url: '/api/quotes', payload: body as object });
    return { status: res.statusCode, body: res.json() };
};
const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] };
};

describe('POST /api/quotes', () => {
    it('quotes a deal: ordered quantiles, a price that reaches the target margin at the confidence', async () => {
        const { status, body } = await post({ project_type: closed.project_type, billing_model: closed.billing_model, target_margin: 0.3, confidence: 0.8, lines: closed.lines, price: 100_000, save: false });
        expect(status).toBe(200);
        for (const q of [body.hours, body.cost]) {
            expect(q.p10).toBeLessThanOrEqual(q.p50);
            expect(q.p50).toBeLessThanOrEqual(q.p80);
            expect(q.p80).toBeLessThanOrEqual(q.p90);
            expect(q.p10).toBeGreaterThan(0);
        }
        expect(body.estimated_hours).toBeCloseTo(closed.lines.reduce((a, l) => a + l.estimated_hours, 0), 6);
        // At confidence 0.8 the price covers the simulated cost's P80 with the target margin: (price − P80 cost) / price = 0.3.
        expect((body.price.price - body.cost.p80) / body.price.price).toBeCloseTo(0.3, 6);
        expect(body.price.at.p50).toBeLessThanOrEqual(body.price.at.p80);
        // The price curve: the probability of reaching the margin rises with the price, and is ≈ 0.8 at the quoted price.
        const curve: { price: number; p_margin_at_least_target: number }[] = body.price_curve;
        for (let i = 1; i < curve.length; i++) expect(curve[i]!.p_margin_at_least_target).toBeGreaterThanOrEqual(curve[i - 1]!.p_margin_at_least_target);
        expect(body.proposal.price).toBe(100_000);
        expect(body.proposal.p_margin_below_target).toBeGreaterThanOrEqual(0);
        expect(body.proposal.p_margin_below_target).toBeLessThanOrEqual(1);
        expect(body.histogram.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(body.simulations);
        expect(body.cost_rates.length).toBeGreaterThan(0);
        for (const r of body.cost_rates) expect(r.hourly_cost).toBeGreaterThan(0);
        expect(body.currency).toBe('EUR');
        expect(body.as_of).toBe(END);
        expect(body.quote_id).toBeNull();
    });

    it('saves a quote that GET /api/quotes/:id and the list give back unchanged', async () => {
        const input = { name: 'Round trip', project_type: closed.project_type, billing_model: closed.billing_model, target_margin: 0.25, confidence: 0.9, lines: closed.lines.slice(0, 4), project_id: closed.project_id };
        const { status, body } = await post(input);
        expect(status).toBe(200);
        expect(body.quote_id).toBeGreaterThan(0);
        const saved = await get(`/api/quotes/${body.quote_id}`);
        expect(saved.status).toBe(200);
        expect(saved.body).toMatchObject({ quote_id: body.quote_id, name: 'Round trip', project_type: closed.project_type, project_id: closed.project_id, target_margin: 0.25, confidence: 0.9 });
        expect(saved.body.inputs.lines).toEqual(input.lines);
        const { quote_id: _id, created_at: _at, version: _v, ...result } = body;
        expect(saved.body.result).toEqual(result);
        const list = await get('/api/quotes');
        expect(list.body.rows[0]).toMatchObject({ quote_id: body.quote_id, hours_p50: body.hours.p50, quoted_price: body.price.price });
    });

    it('answers bad input with a 400 that names the parameter', async () => {
        const ok = { project_type: closed.project_type, billing_model: closed.billing_model, target_margin: 0.3, confidence: 0.8, lines: closed.lines, save: false };
        const cases: [unknown, string][] = [
            [{ ...ok, target_margin: 1.2 }, 'target_margin'],
            [{ ...ok, confidence: 0 }, 'confidence'],
            [{ ...ok, lines: [] }, 'lines'],
            [{ ...ok, lines: [{ phase: 'build', role: 'developer', estimated_hours: -3 }] }, 'lines.0.estimated_hours'],
            [{ ...ok, lines: [...closed.lines, { phase: 'build', role: 'astronaut', estimated_hours: 10 }] }, `lines.${closed.lines.length}.role`],
            [{ ...ok, project_type: 'space_program' }, 'project_type'],
            [{ ...ok, billing_model: 'barter' }, 'billing_model'],
            [{ ...ok, project_id: 'NOPE' }, 'project_id'],
            [{ ...ok, colour: 'red' }, 'colour'],
        ];
        for (const [body, parameter] of cases) {
            const res = await post(body);
            expect(res.status, parameter).toBe(400);
            expect(res.body.parameter, JSON.stringify(res.body)).toBe(parameter);
        }
        expect((await get('/api/quotes/999999')).status).toBe(404);
    });
});

describe('GET /api/quotes/backtest', () => {
    it('reports the method and both baselines, per project type, and reliability points at 10…90 %', async () => {
        const { status, body } = await get('/api/quotes/backtest');
        expect(status).toBe(200);
        // A 30 000-entry firm has few closed projects that started after ten others had ended: few are scored.
        expect(body.scored).toBeGreaterThanOrEqual(1);
        expect(body.scored + body.warmup).toBe(body.units);
        for (const m of ['method', 'global', 'per_class'] as const) {
            const f = body.overall[m];
            expect(f.n).toBe(body.scored);
            expect(f.coverage_p10_p90).toBeGreaterThanOrEqual(0);
            expect(f.coverage_p10_p90).toBeLessThanOrEqual(1);
            expect(f.pinball).toBeGreaterThan(0);
        }
        expect(body.classes.reduce((a: number, c: { n: number }) => a + c.n, 0)).toBe(body.scored);
        const r = body.reliability;
        expect(r.levels).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
        expect(r.overall.n).toBe(body.scored);
        for (const m of ['method', 'global', 'per_class'] as const) {
            // Observed share at or below the forecast can only grow with the level.
            for (let i = 1; i < 9; i++) expect(r.overall[m][i]).toBeGreaterThanOrEqual(r.overall[m][i - 1]);
        }
        // The reliability point at 80 % is the backtest's share ≤ P80 (the same forecast).
        expect(r.overall.method[7]).toBeCloseTo(body.overall.method.share_le_p80, 10);
        expect(r.classes.map((c: { class: string }) => c.class).sort()).toEqual(body.classes.map((c: { class: string }) => c.class).sort());
        // The calibration live quotes use, with which P50 they give outside the median's band.
        expect(Object.keys(body.calibration).sort()).toEqual(['firm', 'levels', 'offsets', 'p50']);
        expect(['median', 'estimate']).toContain(body.calibration.p50);
    });
});

describe('GET /api/projects/:id/closeout', () => {
    it('gives the baseline and actuals by phase × role and the linked quote against the actual total', async () => {
        const { status, body } = await get(`/api/projects/${closed.project_id}/closeout`);
        expect(status).toBe(200);
        expect(body.closed).toBe(true);
        expect(body.in_reference_class).toBe(true);
        expect(body.estimated_hours).toBeCloseTo(closed.lines.reduce((a, l) => a + l.estimated_hours, 0), 6);
        expect(body.phases.reduce((a: number, p: { actual_hours: number }) => a + p.actual_hours, 0)).toBeCloseTo(body.actual_hours, 6);
        expect(body.quote.name).toBe('Round trip');
        expect(body.quote.actual_vs.at_or_below_p80).toBe(body.actual_hours <= body.quote.hours.p80);
        expect(body.quote.actual_vs.actual_over_p50).toBeCloseTo(body.actual_hours / body.quote.hours.p50, 10);
        expect((await get('/api/projects/NOPE/closeout')).status).toBe(404);
    });
});

describe('PATCH /api/quotes/:id', () => {
    const patch = async (id: number | string, body: unknown, headers: Record<string, string> = {}, on: FastifyInstance = app) => {
        const res = await on.inject({ method: 'PATCH', url: `/api/quotes/${id}`, payload: body as object, headers });
        return { status: res.statusCode, body: res.json(), type: res.headers['content-type'] };
    };
    /** A quote of `other`'s baseline plan, saved without a project. */
    const saveUnlinked = async (name: string) => {
        const { status, body } = await post({ name, project_type: other.project_type, billing_model: other.billing_model, target_margin: 0.3, confidence: 0.8, lines: other.lines });
        expect(status).toBe(200);
        return body as { quote_id: number; created_at: string; estimated_hours: number; hours: Record<string, number>; hours_by_phase: { phase: string; estimated_hours: number; p50: number; p80: number; p90: number }[] };
    };

    it('links a saved quote to the project it became; the closeout then compares quote, baseline and actuals by phase and role; null unlinks', async () => {
        const quote = await saveUnlinked('Won deal');
        const before = (await get(`/api/quotes/${quote.quote_id}`)).body;
        expect(before.project_id).toBeNull();
        expect((await get(`/api/projects/${other.project_id}/closeout`)).body.quote).toBeNull();

        const linked = await patch(quote.quote_id, { project_id: other.project_id });
        expect(linked.status).toBe(200);
        const { inputs, result, versions: _versions, ...meta } = before;
        expect(linked.body).toEqual({ ...meta, project_id: other.project_id });
        // Only the link changed: inputs and the answer are as they were saved.
        const after = (await get(`/api/quotes/${quote.quote_id}`)).body;
        expect(after).toEqual({ ...before, project_id: other.project_id });
        expect(after.result).toEqual(result);
        expect(after.inputs).toEqual(inputs);
        expect((await get(`/api/quotes?project_id=${other.project_id}`)).body.rows.map((r: { quote_id: number }) => r.quote_id)).toEqual([quote.quote_id]);

        const closeout = (await get(`/api/projects/${other.project_id}/closeout`)).body;
        expect(closeout.quote).toMatchObject({ quote_id: quote.quote_id, name: 'Won deal', estimated_hours: quote.estimated_hours, hours: quote.hours });
        // By phase: the quote's P50/P80/P90 and its estimate, exactly as saved, beside the baseline and actuals.
        const phases = new Map<string, { estimated_hours: number; actual_hours: number; quote_estimated_hours: number | null; quote_p50: number | null; quote_p80: number | null; quote_p90: number | null }>(
            closeout.phases.map((p: { phase: string }) => [p.phase, p]),
        );
        for (const h of quote.hours_by_phase) {
            expect(phases.get(h.phase), h.phase).toMatchObject({ quote_estimated_hours: h.estimated_hours, quote_p50: h.p50, quote_p80: h.p80, quote_p90: h.p90 });
        }
        // By phase × role: the quote was made from the baseline plan, so each planned line's quoted estimate is its baseline estimate;
        // the actuals are the mart's, line by line.
        const actuals = await warehouse.all<{ phase: string; role: string; actual_hours: number; estimated_hours: number | null }>(
            `select phase, role, actual_hours::double as actual_hours, estimated_hours::double as estimated_hours from marts.fct_estimate_vs_actual
             where project_id = $id and (is_planned or is_unplanned) order by phase, role`,
            { id: other.project_id },
        );
        expect(closeout.lines.map((l: { phase: string; role: string; actual_hours: number; estimated_hours: number | null }) => ({ phase: l.phase, role: l.role, actual_hours: l.actual_hours, estimated_hours: l.estimated_hours }))).toEqual(actuals);
        for (const l of other.lines) {
            const row = closeout.lines.find((x: { phase: string; role: string }) => x.phase === l.phase && x.role === l.role);
            expect(row, `${l.phase} × ${l.role}`).toMatchObject({ estimated_hours: l.estimated_hours, quote_estimated_hours: l.estimated_hours, is_unplanned: false });
        }
        for (const row of closeout.lines.filter((x: { is_unplanned: boolean }) => x.is_unplanned)) expect(row.quote_estimated_hours).toBeNull();
        const actual = actuals.reduce((a, l) => a + l.actual_hours, 0);
        expect(closeout.actual_hours).toBeCloseTo(actual, 9);
        expect(closeout.quote.actual_vs).toEqual({
            inside_p10_p90: actual >= quote.hours.p10! && actual <= quote.hours.p90!,
            at_or_below_p50: actual <= quote.hours.p50!,
            at_or_below_p80: actual <= quote.hours.p80!,
            actual_over_p50: closeout.actual_hours / quote.hours.p50!,
            actual_over_p80: closeout.actual_hours / quote.hours.p80!,
        });

        const unlinked = await patch(quote.quote_id, { project_id: null });
        expect(unlinked.status).toBe(200);
        expect(unlinked.body).toEqual({ ...meta, project_id: null });
        const after2 = (await get(`/api/projects/${other.project_id}/closeout`)).body;
        expect(after2.quote).toBeNull();
        expect(after2.phases.every((p: { quote_p50: number | null; quote_estimated_hours: number | null }) => p.quote_p50 === null && p.quote_estimated_hours === null)).toBe(true);
        expect(after2.lines.every((l: { quote_estimated_hours: number | null }) => l.quote_estimated_hours === null)).toBe(true);
        expect((await get(`/api/quotes?project_id=${other.project_id}`)).body.rows).toEqual([]);
    });

    it('answers 404 for an unknown quote and a 400 naming project_id for an unknown project, leaving the quote unchanged', async () => {
        const quote = await saveUnlinked('Not yet won');
        const notFound = await patch(999_999, { project_id: other.project_id });
        expect(notFound.status).toBe(404);
        expect(notFound.type).toMatch(/^application\/problem\+json/);
        expect(notFound.body).toMatchObject({ status: 404, title: 'No such quote', detail: 'no saved quote 999999' });
        // The quote is looked up first: an unknown quote is a 404 whatever the body names.
        expect((await patch(999_999, { project_id: 'NOPE' })).status).toBe(404);

        const bad = await patch(quote.quote_id, { project_id: 'NOPE' });
        expect(bad.status).toBe(400);
        expect(bad.type).toMatch(/^application\/problem\+json/);
        expect(bad.body).toMatchObject({ status: 400, title: 'Invalid parameter: project_id', parameter: 'project_id', detail: 'no project "NOPE"' });
        expect((await get(`/api/quotes/${quote.quote_id}`)).body.project_id).toBeNull();

        const cases: [number | string, unknown, string][] = [
            [quote.quote_id, {}, 'project_id'],
            [quote.quote_id, { project_id: '' }, 'project_id'],
            [quote.quote_id, { project_id: 42 }, 'project_id'],
            [quote.quote_id, { project_id: other.project_id, name: 'renamed' }, 'name'],
            ['abc', { project_id: other.project_id }, 'id'],
        ];
        for (const [id, body, parameter] of cases) {
            const res = await patch(id, body);
            expect(res.status, JSON.stringify(body)).toBe(400);
            expect(res.body.parameter, JSON.stringify(res.body)).toBe(parameter);
        }
        expect((await get(`/api/quotes/${quote.quote_id}`)).body.project_id).toBeNull();
    });

    it('serves the roles the other quote routes serve', async () => {
        const quote = await saveUnlinked('Roles');
        const tokensFile = `${dir}/tokens.json`;
        const tokens = ['sales', 'engineer', 'finance'].map((role) => ({ token: `token-of-${role}-000000000`, person_id: null, role }));
        fs.writeFileSync(tokensFile, JSON.stringify(tokens));
        const guarded = await buildApp({ warehouse, tokensFile });
        try {
            const as = (role: string) => ({ authorization: `Bearer token-of-${role}-000000000` });
            expect((await patch(quote.quote_id, { project_id: other.project_id }, {}, guarded)).status).toBe(401);
            expect((await patch(quote.quote_id, { project_id: other.project_id }, as('engineer'), guarded)).status).toBe(403);
            expect((await get(`/api/quotes/${quote.quote_id}`)).body.project_id).toBeNull();
            const sales = await patch(quote.quote_id, { project_id: other.project_id }, as('sales'), guarded);
            expect(sales.status).toBe(200);
            expect(sales.body.project_id).toBe(other.project_id);
            const finance = await patch(quote.quote_id, { project_id: null }, as('finance'), guarded);
            expect(finance.status).toBe(200);
            expect(finance.body.project_id).toBeNull();
        } finally {
            await guarded.close();
        }
    });
});

describe('why a quote was made from the projects it was', () => {
    it('reports the usable projects of the deal’s type and billing model and the count a class needs, consistent with the class it chose', async () => {
        const counts = await warehouse.all<{ project_type: string; billing_model: string; n: number }>(
            `select project_type, billing_model, count(distinct project_id)::integer as n from marts.fct_estimate_vs_actual
             where project_status = 'closed' and project_has_baseline and project_has_entries and estimated_hours > 0
               and project_start_date is not null and project_end_date < $end::date
             group by all`,
            { end: END },
        );
        const types = [...new Set(counts.map((c) => c.project_type))];
        for (const type of types) {
            const ofType = counts.filter((c) => c.project_type === type).reduce((a, c) => a + c.n, 0);
            const billing = counts.find((c) => c.project_type === type)!.billing_model;
            const both = counts.find((c) => c.project_type === type && c.billing_model === billing)!.n;
            const { status, body } = await post({ project_type: type, billing_model: billing, target_margin: 0.3, confidence: 0.8, lines: closed.lines, save: false, simulations: 500 });
            expect(status).toBe(200);
            expect(body.reference).toMatchObject({ of_type: ofType, of_type_and_billing: both, min_class_projects: 20 });
            // The class is the narrowest with at least 20: a fallback to every type means fewer than 20 of the type.
            const expected = both >= 20 ? 'project_type_billing_model' : ofType >= 20 ? 'project_type' : 'all';
            expect(body.reference.level, type).toBe(expected);
            if (expected === 'project_type') expect(body.reference.projects).toBe(ofType);
        }
    });
});

describe('versions of a saved quote, and its PDF and CSV', () => {
    const deal = () => ({ name: '=HYPERLINK("http://x")', project_type: closed.project_type, billing_model: closed.billing_model, target_margin: 0.3, confidence: 0.8, lines: closed.lines.slice(0, 3), simulations: 500 });
    const events = (id: number) =>
        warehouse.all<{ actor: string; action: string; after: string; detail: string | null }>(`select actor, action, after::varchar as after, detail from audit.events where entity = 'quote' and entity_id = $id order by event_id`, {
            id: String(id),
        });

    it('saves an edit as the next version of the same quote, the earlier version unchanged, each attributed and audited', async () => {
        const first = (await post(deal())).body;
        expect(first.version).toBe(1);
        const before = (await get(`/api/quotes/${first.quote_id}`)).body;
        expect(before).toMatchObject({ version: 1, series_id: first.quote_id, revises: null, copied_from: null, created_by: 'local' });

        const second = await post({ ...deal(), target_margin: 0.4, revises: first.quote_id });
        expect(second.status).toBe(200);
        expect(second.body.version).toBe(2);
        // A third edit, made from the first version, is still the deal's next version.
        const third = (await post({ ...deal(), confidence: 0.9, revises: first.quote_id })).body;
        expect(third.version).toBe(3);

        const v2 = (await get(`/api/quotes/${second.body.quote_id}`)).body;
        expect(v2).toMatchObject({ series_id: first.quote_id, version: 2, revises: first.quote_id, target_margin: 0.4, created_by: 'local' });
        expect(v2.versions.map((v: { quote_id: number; version: number }) => [v.quote_id, v.version])).toEqual([
            [first.quote_id, 1],
            [second.body.quote_id, 2],
            [third.quote_id, 3],
        ]);
        // The first version is as it was saved: the same inputs, answer and margin.
        const after = (await get(`/api/quotes/${first.quote_id}`)).body;
        expect({ ...after, versions: undefined }).toEqual({ ...before, versions: undefined });
        expect(after.target_margin).toBe(0.3);

        const audited = await events(second.body.quote_id);
        expect(audited).toHaveLength(1);
        expect(audited[0]).toMatchObject({ actor: 'local', action: 'create', detail: `version 2 of quote #${first.quote_id}, edited from #${first.quote_id}` });
        expect(JSON.parse(audited[0]!.after)).toMatchObject({ revises: first.quote_id, series_id: first.quote_id, version: 2, target_margin: 0.4 });
    });

    it('saves a duplicate as a quote of its own that records its origin', async () => {
        const first = (await post(deal())).body;
        const copy = (await post({ ...deal(), name: 'Copy', copied_from: first.quote_id })).body;
        const saved = (await get(`/api/quotes/${copy.quote_id}`)).body;
        expect(saved).toMatchObject({ series_id: copy.quote_id, version: 1, revises: null, copied_from: first.quote_id });
        expect(saved.versions).toHaveLength(1);
        expect((await events(copy.quote_id))[0]).toMatchObject({ action: 'create', detail: `duplicate of quote #${first.quote_id}` });
    });

    it('refuses a version of a quote that does not exist, or one that is both a version and a duplicate, saving nothing', async () => {
        const first = (await post(deal())).body;
        const count = async () => (await warehouse.one<{ n: number }>(`select count(*)::integer as n from quotes.quotes`))!.n;
        const n = await count();
        const missing = await post({ ...deal(), revises: 999_999 });
        expect(missing.status).toBe(400);
        expect(missing.body).toMatchObject({ parameter: 'revises', detail: 'no saved quote 999999' });
        expect((await post({ ...deal(), copied_from: 999_999 })).body.parameter).toBe('copied_from');
        expect((await post({ ...deal(), revises: first.quote_id, copied_from: first.quote_id })).body.parameter).toBe('copied_from');
        expect(await count()).toBe(n);
    });

    it('exports a saved quote as CSV, a formula-like name written as text', async () => {
        const q = (await post(deal())).body;
        const res = await app.inject({ method: 'GET', url: `/api/quotes/${q.quote_id}/export.csv` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expect(res.headers['content-disposition']).toBe(`attachment; filename="quote-${q.quote_id}-v1.csv"`);
        const rows = res.body.split('\r\n');
        expect(rows[0]).toBe('Figure,Item,Unit,Estimate,P10,P50,P80,P90,Amount (EUR),Share (%),Note');
        expect(rows[1]).toBe(`Quote,"#${q.quote_id}, version 1",,,,,,,,,"'=HYPERLINK(""http://x"")"`);
        expect(rows).toContain(`Hours,Total,h,${q.estimated_hours.toFixed(2)},${q.hours.p10.toFixed(2)},${q.hours.p50.toFixed(2)},${q.hours.p80.toFixed(2)},${q.hours.p90.toFixed(2)},,,`);
        expect((await app.inject({ method: 'GET', url: '/api/quotes/999999/export.csv' })).statusCode).toBe(404);
    });

    it('prints a saved quote as a PDF with the invoices’ printer', async () => {
        const q = (await post(deal())).body;
        const res = await app.inject({ method: 'GET', url: `/api/quotes/${q.quote_id}/document.pdf` });
        expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
        expect(res.headers['content-type']).toBe('application/pdf');
        expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
        expect(res.headers['content-disposition']).toBe(`attachment; filename="quote-${q.quote_id}-v1.pdf"`);
    }, 60_000);

    it('offers every quote route on a page for exactly the roles the route serves', () => {
        const quoteRoutesServed = servedRoutes(app).filter((r) => /^\w+ \/api\/quotes/.test(r) || r === 'GET /api/projects/:id/closeout');
        const offered = PAGES.filter((p) => p.href === '/quotes' || p.href === '/calibration');
        expect(offered.map((p) => p.roles)).toEqual([ROLE_GROUPS.quoting, ROLE_GROUPS.quoting]);
        const read = new Set(offered.flatMap((p) => p.reads));
        expect(quoteRoutesServed.filter((r) => !read.has(r))).toEqual([]);
    });
});
