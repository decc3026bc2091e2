/**
 * The quote API (server/routes/quotes.ts) on a small generated firm (ingest/demo, ~30 000 entries, 24 months
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
import { quoteRoutes } from '../../server/routes/quotes.ts';
import { buildModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';

const END = '2024-06-30';
let warehouse: Warehouse;
let app: FastifyInstance;
let dir: string;
let closed: { project_id: string; project_type: string; billing_model: string; lines: { phase: string; role: string; estimated_hours: number }[] };

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
    const rows = await warehouse.all<{ project_id: string; project_type: string; billing_model: string; phase: string; role: string; estimated_hours: number }>(
        `with p as (
             select project_id from marts.fct_estimate_vs_actual where project_status = 'closed' and project_has_baseline and project_has_entries
             group by project_id order by max(project_end_date) desc, project_id limit 1)
         select project_id, project_type, billing_model, phase, role, estimated_hours::double as estimated_hours
         from marts.fct_estimate_vs_actual join p using (project_id) where estimated_hours > 0 order by phase, role`,
    );
    closed = { project_id: rows[0]!.project_id, project_type: rows[0]!.project_type, billing_model: rows[0]!.billing_model, lines: rows.map(({ phase, role, estimated_hours }) => ({ phase, role, estimated_hours })) };
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
        const { quote_id: _id, created_at: _at, ...result } = body;
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
