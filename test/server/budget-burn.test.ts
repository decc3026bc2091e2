/**
 * GET /api/budget-burn on the hand-made fixture delivery-budget (as_of Fri 2024-03-15, horizon 2024-03-20:
 * f11 on FF1 and M2's sign-off on MS1 fall on 20 Mar). The figures are worked out by hand in
 * test/models/delivery/fct_budget_burn.test.ts; here: a report as of any day reads that day, not the month end,
 * and an as_of past the horizon is a 400 naming as_of.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
let app: FastifyInstance;

beforeAll(async () => {
    served = await servedFixture('test/fixtures/delivery-budget');
    ({ app } = served);
});
afterAll(async () => served?.close());

const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
};

type Burn = Record<string, string | number | null>;
const FIELDS = ['project_id', 'budget_hours', 'hours_used', 'billable_hours_used', 'burn', 'share_elapsed', 'share_complete', 'eac_method', 'eac_hours', 'alert_level'] as const;
const pick = (rows: Burn[]) => rows.map((r) => Object.fromEntries(FIELDS.map((k) => [k, r[k]])));

/** Exact, but for ratios computed in floating point (to 9 decimals). */
function expectBurn(rows: Burn[], expected: Burn[]): void {
    expect(rows.map((r) => r.project_id)).toEqual(expected.map((r) => r.project_id));
    pick(rows).forEach((row, i) => {
        for (const [key, want] of Object.entries(expected[i]!)) {
            if (typeof want === 'number' && !Number.isInteger(want)) expect(row[key], `${row.project_id} ${key}`).toBeCloseTo(want, 9);
            else expect(row[key], `${row.project_id} ${key}`).toEqual(want);
        }
    });
}

/** GET /api/budget-burn with the query given: a 200 whose as_of is the day expected; its body. */
const burnAsOf = async (query: string, asOf: string) => {
    const { status, body } = await get(`/api/budget-burn${query}`);
    expect(status).toBe(200);
    expect(body.as_of).toBe(asOf);
    return body;
};

const row = (project_id: string, budget_hours: number, hours_used: number, billable_hours_used: number, burn: number, share_elapsed: number | null, share_complete: number | null, eac_method: string | null, eac_hours: number | null, alert_level: number | null): Burn =>
    ({ project_id, budget_hours, hours_used, billable_hours_used, burn, share_elapsed, share_complete, eac_method, eac_hours, alert_level });

describe('GET /api/budget-burn', () => {
    it('at a mid-month as_of: hours used through that day, share elapsed and milestones signed off at it', async () => {
        const body = await burnAsOf('?as_of=2024-03-10', '2024-03-10');
        // the largest burn first
        expectBurn(body.rows, [
            row('FF2', 50, 60, 60, 1.2, 70 / 91, null, 'linear', 78, 100),
            row('MS2', 20, 16, 16, 0.8, 10 / 30, 0, 'linear', 48, 75),
            row('FF1', 100, 70, 65, 0.7, 70 / 150, null, 'linear', 150, null),
            row('MS1', 40, 24, 24, 0.6, 39 / 121, 0.5, 'share_complete', 48, null),
            row('RT1', 40, 20, 20, 0.5, null, null, null, null, null),
            row('RT2', 100, 5, 5, 0.05, null, null, null, null, null),
        ]);
    });

    it('defaults to the firm’s as_of, to the day: nothing logged or signed off after it counts', async () => {
        const body = await burnAsOf('', '2024-03-15');
        expectBurn(body.rows, [
            row('FF2', 50, 60, 60, 1.2, 75 / 91, null, 'linear', 72.8, 100),
            row('FF1', 100, 90, 85, 0.9, 0.5, null, 'linear', 180, 90),
            row('RT1', 40, 34, 34, 0.85, null, null, null, null, 75),
            row('MS2', 20, 16, 16, 0.8, 0.5, 0, 'linear', 32, 75),
            row('MS1', 40, 24, 24, 0.6, 44 / 121, 0.5, 'share_complete', 48, null),
            row('RT2', 100, 5, 5, 0.05, null, null, null, null, null),
        ]);
        // the same as ?as_of=2024-03-15
        expect((await get('/api/budget-burn?as_of=2024-03-15')).body).toEqual(body);
    });

    it('reads any day up to the horizon: on 20 Mar f11 and M2 count', async () => {
        // FF1 100 of 100 → 100; elapsed 1 Jan…20 Mar = 80/150; EAC 100 / (80/150) = 187.5
        const ff1 = (await burnAsOf('?as_of=2024-03-20&project_id=FF1', '2024-03-20')).rows;
        expectBurn(ff1, [row('FF1', 100, 100, 95, 1, 80 / 150, null, 'linear', 187.5, 100)]);
        // MS1: M1, M4 and M2 signed by 20 Mar → 3/4; EAC 24 / 0.75 = 32; elapsed 1 Feb…20 Mar = 49/121
        const ms1 = (await burnAsOf('?as_of=2024-03-20&project_id=MS1', '2024-03-20')).rows;
        expectBurn(ms1, [row('MS1', 40, 24, 24, 0.6, 49 / 121, 0.75, 'share_complete', 32, null)]);
    });

    it('lists a project from the month it starts', async () => {
        const { body } = await get('/api/budget-burn?as_of=2024-01-10');
        // MS1 starts in February, MS2 in March
        expect(body.rows.map((r: Burn) => r.project_id).sort()).toEqual(['FF1', 'FF2', 'RT1', 'RT2']);
    });

    it('keeps its filters', async () => {
        const { body } = await get('/api/budget-burn?as_of=2024-03-10&alert=75');
        expect(body.rows.map((r: Burn) => r.project_id)).toEqual(['FF2', 'MS2']);
    });

    it('is a 400 naming as_of for an as_of past the horizon the models were built through', async () => {
        const { status, type, body } = await get('/api/budget-burn?as_of=2024-03-21');
        expect(status).toBe(400);
        expect(type).toContain('application/problem+json');
        expect(body.parameter).toBe('as_of');
        expect(body.detail).toContain('2024-03-20');
    });

    it('drills into the entries behind hours used, through the same day', async () => {
        for (const asOf of ['2024-03-10', '2024-03-15', '2024-03-20']) {
            const rows = (await get(`/api/budget-burn?as_of=${asOf}`)).body.rows as Burn[];
            for (const row of rows) {
                const drill = (await get(`/api/drill/budget-burn?project_id=${row.project_id}&as_of=${asOf}&page_size=1`)).body;
                expect(drill.total_amount, `${row.project_id} as of ${asOf}`).toBeCloseTo(Number(row.hours_used), 6);
            }
        }
    });
});
