/**
 * The routes the dashboard added (server/routes/: dimensions/, session/, funnel/breakdown.ts, budget-burn/,
 * utilization/), on the hand-made fixtures: the labels behind the filters, the definitions, the funnel broken
 * down by group (each group's leaks are exactly what /api/funnel says for that group alone), a project's
 * monthly burn, and utilization by department.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { buildFixture } from '../helpers/models.ts';

let funnelWarehouse: Warehouse;
let funnelApp: FastifyInstance;
let budgetWarehouse: Warehouse;
let budgetApp: FastifyInstance;

beforeAll(async () => {
    [funnelWarehouse, budgetWarehouse] = await Promise.all([buildFixture('test/fixtures/finance-funnel'), buildFixture('test/fixtures/delivery-budget')]);
    funnelApp = await buildApp({ warehouse: funnelWarehouse });
    budgetApp = await buildApp({ warehouse: budgetWarehouse });
});
afterAll(async () => {
    await funnelApp.close();
    await budgetApp.close();
    funnelWarehouse.close();
    budgetWarehouse.close();
});

const get = async (app: FastifyInstance, url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
};

describe('GET /api/dimensions', () => {
    it('lists clients, projects, roles, departments, types and people, with the firm’s currency and as-of date', async () => {
        const { status, body } = await get(funnelApp, '/api/dimensions');
        expect(status).toBe(200);
        expect(body.currency).toBe('EUR');
        expect(body.as_of).toBe('2024-04-10');
        expect(body.clients.map((c: { client_id: string }) => c.client_id).sort()).toEqual(['C0', 'C1', 'C2']);
        expect(body.projects.map((p: { project_id: string }) => p.project_id).sort()).toEqual(['F1', 'N1', 'T1']);
        expect(body.projects.find((p: { project_id: string }) => p.project_id === 'F1')).toMatchObject({ billing_model: 'fixed_fee', status: 'closed', budget_hours: 10, contract_value: 1000, is_client_work: true });
        expect(body.roles).toEqual([
            { role: 'developer', people: 1 },
            { role: 'project_manager', people: 1 },
        ]);
        expect(body.departments).toEqual([
            { department: 'Delivery', people: 1 },
            { department: 'Engineering', people: 1 },
        ]);
        expect(body.project_types).toEqual(['audit', 'internal', 'web_app']);
        expect(body.people.map((p: { person_id: string; department: string }) => [p.person_id, p.department])).toEqual([
            ['P1', 'Engineering'],
            ['P2', 'Delivery'],
        ]);
    });

    it('refuses parameters it does not take', async () => {
        const { status, body } = await get(funnelApp, '/api/dimensions?client_id=C1');
        expect(status).toBe(400);
        expect(body.parameter).toBe('client_id');
    });
});

describe('GET /api/definitions', () => {
    it('serves the catalog’s descriptions and each mart column’s meaning from its .yml', async () => {
        const { status, body } = await get(funnelApp, '/api/definitions');
        expect(status).toBe(200);
        expect(body.metrics.find((m: { name: string }) => m.name === 'realization').description).toContain('Billing realization = billed ÷ standard value');
        // The ratios, as fct_realization.yml declares them: the dashboard recomputes a period's from the sums.
        expect(body.metrics.find((m: { name: string }) => m.name === 'realization').ratios).toEqual({
            billing_realization: ['billed_value', 'standard_value'],
            collection_realization: ['collected_value', 'net_billed_value'],
            overall_realization: ['collected_value', 'standard_value'],
        });
        expect(body.leaks.map((l: { key: string }) => l.key)).toEqual(['untracked', 'unbilled_meetings', 'unbilled_other', 'overrun', 'not_invoiced', 'fx_difference', 'credited', 'uncollected']);
        expect(body.marts['marts.fct_margin_funnel'].columns.collected_value).toBe('Stage 7 — payments attributed to the row.');
        expect(body.marts['marts.fct_utilization'].grain).not.toBe('');
    });
});

describe('GET /api/funnel/breakdown', () => {
    it('gives each client exactly the funnel /api/funnel gives for that client alone', async () => {
        const { status, body } = await get(funnelApp, '/api/funnel/breakdown?by=client');
        expect(status).toBe(200);
        expect(body.rows.length).toBeGreaterThan(0);
        for (const row of body.rows) {
            const one = (await get(funnelApp, `/api/funnel?client_id=${row.key}`)).body;
            for (const stage of one.stages) expect(row[stage.key], `${row.key} ${stage.key}`).toBe(stage.amount);
            for (const leak of one.leaks) expect(row[leak.key], `${row.key} ${leak.key}`).toBe(leak.amount);
            expect(row.total_leaks).toBe(Math.round((one.stages[0].amount - one.stages[6].amount) * 100) / 100);
        }
        // Worst first.
        const totals = body.rows.map((r: { total_leaks: number }) => r.total_leaks);
        expect(totals).toEqual([...totals].sort((a, b) => b - a));
    });

    it('by month, in month order, sums to the whole funnel (to the cent per stage)', async () => {
        const months = (await get(funnelApp, '/api/funnel/breakdown?by=month')).body.rows;
        expect(months.map((r: { key: string }) => r.key)).toEqual([...months.map((r: { key: string }) => r.key)].sort());
        const whole = (await get(funnelApp, '/api/funnel')).body;
        const sum = months.reduce((s: number, r: { collected_value: number }) => s + Math.round(r.collected_value * 100), 0);
        expect(sum).toBe(Math.round(whole.reconciles.collected * 100));
        expect(months[0].label).toMatch(/^\d{4}-\d{2}$/);
    });

    it('takes the funnel’s filters and refuses others', async () => {
        const project = (await get(funnelApp, '/api/funnel/breakdown?by=project&project_id=T1')).body;
        expect(project.rows.map((r: { key: string; label: string }) => [r.key, r.label])).toEqual([['T1', 'Acme portal']]);
        const bad = await get(funnelApp, '/api/funnel/breakdown?by=person');
        expect(bad.status).toBe(400);
        expect(bad.body.parameter).toBe('by');
        const role = await get(funnelApp, '/api/funnel/breakdown?by=client&role=developer');
        expect(role.status).toBe(400);
        expect(role.body.parameter).toBe('role');
    });
});

describe('GET /api/funnel?group_by=', () => {
    it('answers the funnel and every group’s funnel, the groups as the breakdown gives them and adding up to the funnel', async () => {
        for (const by of ['client', 'project', 'project_type', 'month']) {
            const { status, body } = await get(funnelApp, `/api/funnel?group_by=${by}`);
            expect(status, JSON.stringify(body)).toBe(200);
            const whole = (await get(funnelApp, '/api/funnel')).body;
            expect(body.stages).toEqual(whole.stages);
            expect(body.group_by).toBe(by);
            expect(body.groups).toEqual((await get(funnelApp, `/api/funnel/breakdown?by=${by}`)).body.rows);
            for (const stage of whole.stages) {
                const cents = body.groups.reduce((s: number, g: Record<string, number>) => s + Math.round(g[stage.key]! * 100), 0);
                expect(cents, `${by} ${stage.key}`).toBe(Math.round(stage.amount * 100));
            }
            // A leak's drill-down stays the funnel's own scope.
            expect(body.leaks[0].drill).not.toContain('group_by');
        }
        const bad = await get(funnelApp, '/api/funnel?group_by=person');
        expect(bad.status).toBe(400);
        expect(bad.body.parameter).toBe('group_by');
    });
});

describe('GET /api/budget-burn/months', () => {
    it('gives a budgeted project’s burn month end by month end, each what /api/budget-burn says as of that month end', async () => {
        const { status, body } = await get(budgetApp, '/api/budget-burn/months?project_id=FF2');
        expect(status).toBe(200);
        expect(body.as_of).toBe('2024-03-15');
        expect(body.rows.map((r: { month: string }) => r.month)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
        const used = body.rows.map((r: { hours_used: number }) => r.hours_used);
        expect(used).toEqual([...used].sort((a, b) => a - b));
        // FF1 through February: its last month end is what a report as of 29 Feb says (March's end, after the
        // horizon 20 Mar, is on the burn-up but not a report's as_of).
        const upToFebruary = (await get(budgetApp, '/api/budget-burn/months?project_id=FF1&as_of=2024-02-29')).body.rows;
        expect(upToFebruary.map((r: { month_end: string }) => r.month_end)).toEqual(['2024-01-31', '2024-02-29']);
        const asOf = (await get(budgetApp, '/api/budget-burn?project_id=FF1&as_of=2024-02-29')).body.rows[0];
        expect(upToFebruary.at(-1)).toMatchObject({ burn: asOf.burn, hours_used: asOf.hours_used, budget_hours: asOf.budget_hours, share_elapsed: asOf.share_elapsed, eac_hours: asOf.eac_hours });
        expect(asOf.hours_used).toBe(70);
    });

    it('is a 404 for an unknown project', async () => {
        expect((await get(budgetApp, '/api/budget-burn/months?project_id=NOPE')).status).toBe(404);
    });
});

describe('GET /api/utilization/by-department', () => {
    it('groups the utilization measures by department; the departments add up to the firm', async () => {
        const { status, body } = await get(funnelApp, '/api/utilization/by-department?group_by=none');
        expect(status).toBe(200);
        const firm = (await get(funnelApp, '/api/utilization')).body.rows[0];
        const sum = (k: string) => body.rows.reduce((s: number, r: Record<string, number>) => s + r[k]!, 0);
        expect(sum('capacity_hours')).toBeCloseTo(firm.capacity_hours, 6);
        expect(sum('billable_hours')).toBeCloseTo(firm.billable_hours, 6);
        for (const r of body.rows) if (r.capacity_hours) expect(r.utilization).toBeCloseTo(r.billable_hours / r.capacity_hours, 12);
        const weekly = (await get(funnelApp, '/api/utilization/by-department?group_by=week')).body;
        expect(weekly.group_by).toEqual(['department', 'week']);
    });
});
