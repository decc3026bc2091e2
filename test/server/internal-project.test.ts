/**
 * Internal work through the API, on test/fixtures/internal-project (its figures worked out by hand in
 * test/models/internal-project.test.ts): PC is Acme's (C1) time-and-materials project, PI "Internal tooling" has
 * no client. Every entry is approved; e4 on PI is marked billable. Invoice I1 billed Acme 200 GBP on PI, paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
beforeAll(async () => {
    served = await servedFixture('test/fixtures/internal-project');
});
afterAll(() => served?.close());

const request = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await served.app.inject({ method, url, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
    return { status: res.statusCode, body: res.json() };
};
const PERIOD = 'from=2024-03-01&to=2024-03-31';

describe('an internal project in the API', () => {
    it('is named "Internal" where a project’s client is named', async () => {
        expect(INTERNAL_CLIENT_NAME).toBe('Internal');
        const { status, body } = await request('GET', '/api/dimensions');
        expect(status).toBe(200);
        expect(body.clients.map((c: { client_id: string }) => c.client_id)).toEqual(['C1']);
        expect(body.projects.map((p: Record<string, unknown>) => [p.project_id, p.client_id, p.client_name, p.currency, p.is_client_work])).toEqual([
            ['PC', 'C1', 'Acme', 'GBP', true],
            ['PI', null, 'Internal', 'GBP', false],
        ]);
    });

    it('groups the funnel by client with internal work under a null key labelled "Internal"', async () => {
        // C1: potential 2600, collected 0 → total leaks 2600. Internal: potential 0; the 200 billed and paid on PI
        // are not invoiced −200, billed 200, collected 200 → total leaks 0 − 200 = −200. The firm: 2600 − 200.
        const { status, body } = await request('GET', `/api/funnel?${PERIOD}&group_by=client`);
        expect(status).toBe(200);
        expect(body.groups.map((g: Record<string, unknown>) => [g.key, g.label, g.potential_value, g.not_invoiced, g.billed_value, g.collected_value, g.total_leaks])).toEqual([
            ['C1', 'Acme', 2600, 1800, 0, 0, 2600],
            [null, 'Internal', 0, -200, 200, 200, -200],
        ]);
        expect(body.reconciles).toEqual({ potential_less_leaks: 200, collected: 200 });
        const breakdown = await request('GET', `/api/funnel/breakdown?${PERIOD}&by=client`);
        expect(breakdown.status).toBe(200);
        expect(breakdown.body.rows.map((r: { key: string | null; label: string }) => [r.key, r.label])).toEqual([
            ['C1', 'Acme'],
            [null, 'Internal'],
        ]);
    });

    it('keeps its rows, under a null client, in answers grouped by client', async () => {
        const { status, body } = await request('GET', '/api/estimate-vs-actual?group_by=client');
        expect(status).toBe(200);
        expect(body.rows.map((r: Record<string, unknown>) => [r.client, r.estimated_hours, r.actual_hours])).toEqual([
            ['C1', 100, 18],
            [null, 40, 14],
        ]);
        const realization = await request('GET', `/api/realization?${PERIOD}&group_by=client`);
        expect(realization.status).toBe(200);
        expect(realization.body.rows.map((r: Record<string, unknown>) => [r.client, r.standard_value, r.billed_value])).toEqual([
            ['C1', 1800, 0],
            [null, 0, 200],
        ]);
    });

    it('counts its hours in utilization', async () => {
        // 18 billable client hours and 32 logged of 40 (internal 14 included).
        const { status, body } = await request('GET', `/api/utilization?${PERIOD}`);
        expect(status).toBe(200);
        expect(body.rows).toHaveLength(1);
        expect(body.rows[0]).toMatchObject({ capacity_hours: 40, billable_hours: 18, all_hours: 32, utilization: 0.45, logged_utilization: 0.8 });
    });

    it('is offered on the timesheet, and its time logs there', async () => {
        const options = await request('GET', '/api/time/options?person_id=A1');
        expect(options.status).toBe(200);
        expect(options.body.projects.map((p: Record<string, unknown>) => [p.project_id, p.client_name, p.billable_default])).toEqual([
            ['PC', 'Acme', true],
            ['PI', 'Internal', false],
        ]);
        const created = await request('POST', '/api/time/entries', { person_id: 'A1', project_id: 'PI', phase: 'tooling', activity: 'development', work_date: '2024-03-08', duration: '1' });
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ project_id: 'PI', billable: false, duration_seconds: 3600, status: 'draft' });
    });

    it('explains an internal entry’s rate without a client card', async () => {
        const { status, body } = await request('GET', '/api/rates/explain/e2');
        expect(status).toBe(200);
        expect(body.entry).toMatchObject({ entry_id: 'e2', project_id: 'PI', client_id: null });
        expect(body.applied).toMatchObject({ scope: 'firm', hourly_rate: 100 });
    });

    it('is never picked by an invoice run: only the client project’s approved billable entries are billed', async () => {
        // e1, e3, e6 on PC: 18 h × 100 = 1800. e4 is approved and billable but on PI: not billed.
        const { status, body } = await request('POST', '/api/invoices/runs', { from: '2024-03-01', to: '2024-03-31', issue_date: '2024-03-31' });
        expect(status).toBe(200);
        expect(body.invoices.map((i: Record<string, unknown>) => [i.client_id, i.amount, i.entries])).toEqual([['C1', 1800, 3]]);
        expect(body.unpriced).toEqual([]);
        expect(await served.warehouse.all(`select entry_id from invoicing.billed_entries order by entry_id`)).toEqual([{ entry_id: 'e1' }, { entry_id: 'e3' }, { entry_id: 'e6' }]);
    });
});
