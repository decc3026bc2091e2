import { tableFromIPC } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_BY_NAME, METRICS } from '../../server/api/catalog.ts';
import type { Dimension } from '../../server/api/filters.ts';
import { metricJson, runMetric } from '../../server/api/metric.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { servedRoutes } from '../helpers/routes.ts';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
let warehouse: Warehouse;
let app: FastifyInstance;

beforeAll(async () => {
    served = await servedFixture('test/fixtures/finance-funnel');
    ({ warehouse, app } = served);
});
afterAll(async () => served?.close());

const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

describe('the API', () => {
    it('answers health', async () => {
        const res = await get('/api/health');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: 'ok', models_built: true });
    });

    it('serves the funnel, which reconciles, and each leak drills to rows that sum to it', async () => {
        const res = await get('/api/funnel');
        expect(res.statusCode).toBe(200);
        const funnel = res.json();
        const stage = (k: string) => funnel.stages.find((s: { key: string }) => s.key === k).amount;
        const leaks = funnel.leaks.reduce((s: number, l: { amount: number }) => s + Math.round(l.amount * 100), 0);
        expect(Math.round(stage('potential_value') * 100) - leaks).toBe(Math.round(stage('collected_value') * 100));
        // The same figures straight from the mart.
        const mart = (await warehouse.one<Record<string, number>>(
            `select round(sum(potential_value), 2)::double as p, round(sum(collected_value), 2)::double as c, round(sum(credited_value), 2)::double as cr from marts.fct_margin_funnel`,
        ))!;
        expect(stage('potential_value')).toBe(mart.p);
        expect(stage('collected_value')).toBe(mart.c);
        for (const leak of funnel.leaks as { key: string; amount: number; drill: string }[]) {
            const drill = await get(leak.drill + '&page_size=10000');
            expect(drill.statusCode, leak.key).toBe(200);
            expect(Math.abs(drill.json().total_amount - leak.amount), leak.key).toBeLessThanOrEqual(0.01);
        }
    });

    it('reads drill totals from the summary, and they equal the rows served for every filter', async () => {
        const funnel = (await get('/api/funnel')).json();
        for (const leak of funnel.leaks as { key: string }[]) {
            for (const filter of ['', '&client_id=C1', '&project_type=audit', '&month=2024-01-01']) {
                const body = (await get(`/api/drill/funnel?part=${leak.key}&page_size=10000${filter}`)).json();
                expect(body.total_rows, `${leak.key}${filter}`).toBe(body.rows.length);
                const sum = body.rows.reduce((s: number, r: { amount: number }) => s + r.amount, 0);
                expect(body.total_amount, `${leak.key}${filter}`).toBeCloseTo(sum, 6);
                // the default order is the largest amount first
                const amounts = body.rows.map((r: { amount: number }) => r.amount);
                expect(amounts).toEqual([...amounts].sort((a: number, b: number) => b - a));
            }
        }
    });

    it('reads billing drill totals from their summary, equal to the pieces served and to the realization figures', async () => {
        const realization = (await get('/api/realization')).json().rows[0];
        for (const [part, figure] of [['billed_value', 'billed_value'], ['credited_value', 'credited_value'], ['collected_value', 'collected_value']] as const) {
            for (const filter of ['', '&client_id=C1', '&project_type=audit', '&month=2024-01-01']) {
                const body = (await get(`/api/drill/realization?part=${part}&page_size=10000${filter}`)).json();
                expect(body.total_rows, `${part}${filter}`).toBe(body.rows.length);
                const sum = body.rows.reduce((s: number, r: { amount: number }) => s + r.amount, 0);
                expect(body.total_amount, `${part}${filter}`).toBeCloseTo(sum, 6);
            }
            const all = (await get(`/api/drill/realization?part=${part}&page_size=10000`)).json();
            expect(all.total_amount, part).toBeCloseTo(realization[figure], 6);
        }
    });

    it('drills logging latency over the same whole weeks as the metric, the totals from the weekly mart', async () => {
        for (const period of ['', '&from=2024-01-03', '&from=2024-01-10&to=2024-02-14']) {
            const metric = (await get(`/api/logging-latency?${period.slice(1)}`)).json().rows[0];
            const drill = (await get(`/api/drill/logging-latency?page_size=10000${period}`)).json();
            expect(metric.entries, period).toBeGreaterThan(0);
            expect(drill.total_rows, period).toBe(metric.entries);
            expect(drill.total_rows, period).toBe(drill.rows.length);
            expect(drill.total_amount, period).toBeCloseTo(metric.hours, 6);
            const latencies = drill.rows.map((r: { latency_seconds: number }) => r.latency_seconds);
            expect(latencies).toEqual([...latencies].sort((a: number, b: number) => b - a));
        }
        expect((await get('/api/drill/logging-latency?project_id=T1')).statusCode).toBe(400);
    });

    it('reads entry drill totals from the daily mart, equal to the entries served for every filter', async () => {
        const parts = [
            ['realization', 'standard_value', 'std_value'],
            ['margin', 'cost', 'cost_value'],
            ['utilization', 'all_hours', 'hours'],
            ['estimate-vs-actual', 'actual_hours', 'hours'],
            ['budget-burn', 'hours_used', 'hours'],
        ] as const;
        for (const [metric, part, amount] of parts) {
            for (const filter of ['', '&client_id=C1', '&project_type=audit', '&month=2024-01-01', '&from=2024-01-10&to=2024-02-20']) {
                const body = (await get(`/api/drill/${metric}?part=${part}&page_size=10000${filter}`)).json();
                expect(body.total_rows, `${metric}/${part}${filter}`).toBe(body.rows.length);
                const sum = body.rows.reduce((s: number, r: Record<string, number>) => s + (r[amount] ?? 0), 0);
                expect(body.total_amount, `${metric}/${part}${filter}`).toBeCloseTo(sum, 6);
            }
            expect((await get(`/api/drill/${metric}?part=${part}`)).json().total_rows, metric).toBeGreaterThan(0);
        }
    });

    it('drills into the same rows as the figure (whole months; projects by start date for estimate vs actual), whatever day the period ends on', async () => {
        // each drill part adds up to the figure's column of the same name
        const parts = [
            ['realization', 'standard_value'],
            ['margin', 'cost'],
            ['margin', 'revenue'],
            ['utilization', 'billable_hours'],
            ['estimate-vs-actual', 'actual_hours'],
        ] as const;
        for (const period of ['&to=2024-01-15', '&as_of=2024-01-20', '&from=2024-01-10&to=2024-02-20', '&as_of=2024-04-09', '&from=2023-12-01&to=2023-12-31']) {
            for (const [metric, part] of parts) {
                const figure = (await get(`/api/${metric}?${period}`)).json().rows as Record<string, number>[];
                const drill = (await get(`/api/drill/${metric}?part=${part}&page_size=1${period}`)).json();
                expect(drill.total_amount, `${metric}/${part}${period}`).toBeCloseTo(figure.reduce((s, r) => s + (r[part] ?? 0), 0), 6);
            }
        }
    });

    it('answers utilization by role and week from the role roll-up, with the person-level figures', async () => {
        const marts = async (url: string) => {
            const seen: string[] = [];
            warehouse.onQuery = (sql) => seen.push(...(sql.match(/marts\.fct_utilization\w*/g) ?? []));
            const body = (await get(url)).json();
            warehouse.onQuery = undefined;
            return { marts: [...new Set(seen)], rows: body.rows };
        };
        const rolled = await marts('/api/utilization?group_by=week,role&from=2024-01-01');
        expect(rolled.marts).toEqual(['marts.fct_utilization_by_role']);
        expect(rolled.rows.length).toBeGreaterThan(0);
        // The same figures from the people's rows (marts.fct_utilization), summed here.
        const people = await warehouse.all<Record<string, number | string>>(
            `select work_week::varchar as week, role, sum(capacity_hours)::double as capacity_hours, sum(billable_hours)::double as billable_hours,
                    sum(all_hours)::double as all_hours, sum(completeness_credit_hours)::double as completeness_credit_hours
             from marts.fct_utilization where work_month >= '2024-01-01' and work_month <= (select as_of from intermediate.int_firm) group by all`,
        );
        expect(rolled.rows).toHaveLength(people.length);
        for (const row of rolled.rows as Record<string, number | string>[]) {
            const mine = people.find((p) => p.week === row.week && p.role === row.role)!;
            for (const m of ['capacity_hours', 'billable_hours', 'all_hours', 'completeness_credit_hours']) {
                expect(row[m], `${row.week} ${row.role} ${m}`).toBeCloseTo(Number(mine[m]), 6);
            }
        }
    });

    it('accrues through a report’s as_of up to the horizon the models were built through', async () => {
        // The fixture's as_of and horizon are Wed 10 Apr 2024. As of Tue 9 Apr the as-of week's untracked time
        // has Monday and Tuesday's capacity: P1 wk 8 Apr, 16 h − 2 h logged = 14 h × 100 = 1 400 (2 200 by Wednesday).
        const untracked = async (asOf: string) =>
            (await get(`/api/funnel?project_id=T1&from=2024-04-01&as_of=${asOf}`)).json().leaks.find((l: { key: string }) => l.key === 'untracked').amount;
        expect(await untracked('2024-04-10')).toBe(2200);
        expect(await untracked('2024-04-09')).toBe(1400);
        const drill = (await get('/api/drill/funnel?part=untracked&project_id=T1&from=2024-04-01&as_of=2024-04-09')).json();
        expect(drill.total_amount).toBe(1400);
        for (const url of ['/api/funnel?as_of=2024-04-11', '/api/margin?as_of=2024-05-01', '/api/drill/funnel?part=untracked&as_of=2024-04-11']) {
            const res = await get(url);
            expect(res.statusCode, url).toBe(400);
            expect(res.json(), url).toMatchObject({ parameter: 'as_of' });
        }
    });

    it('pages entries by date without repeating or skipping a row, in either order and under any filter', async () => {
        for (const filter of ['', '&client_id=C1', '&from=2024-01-10&to=2024-02-20', '&project_type=audit']) {
            for (const order of ['desc', 'asc'] as const) {
                const url = `/api/drill/margin?part=cost&sort=work_date&order=${order}${filter}`;
                const all = (await get(`${url}&page_size=10000`)).json();
                const rows = all.rows as { entry_id: string; work_date: string }[];
                expect(rows.length, url).toBe(all.total_rows);
                // Date in the asked order, then entry_id: the order every page follows.
                const expected = [...rows].sort(
                    (a, b) => (order === 'desc' ? b.work_date.localeCompare(a.work_date) : a.work_date.localeCompare(b.work_date)) || a.entry_id.localeCompare(b.entry_id),
                );
                expect(rows.map((r) => r.entry_id), url).toEqual(expected.map((r) => r.entry_id));
                for (const size of [1, 3, 7]) {
                    const paged: string[] = [];
                    for (let page = 1; page <= Math.ceil(rows.length / size) + 1; page++) {
                        const body = (await get(`${url}&page_size=${size}&page=${page}`)).json();
                        expect(body.total_rows, `${url} page ${page}`).toBe(all.total_rows);
                        expect(body.total_amount, `${url} page ${page}`).toBe(all.total_amount);
                        paged.push(...body.rows.map((r: { entry_id: string }) => r.entry_id));
                    }
                    expect(paged, `${url} by ${size}`).toEqual(expected.map((r) => r.entry_id));
                }
            }
        }
    });

    it('filters review flags on a rule, in the metric and in its drill-down alike', async () => {
        const byRule = (await get('/api/review-flags?group_by=rule')).json().rows as { rule: string; flags: number }[];
        expect(byRule.length).toBeGreaterThan(0);
        for (const { rule, flags } of byRule) {
            const metric = (await get(`/api/review-flags?rule=${rule}`)).json().rows[0];
            expect(metric.flags).toBe(flags);
            const drill = (await get(`/api/drill/review-flags?rule=${rule}&page_size=10000`)).json();
            expect(drill.total_rows).toBe(flags);
            expect(new Set(drill.rows.map((r: { rule: string }) => r.rule))).toEqual(new Set([rule]));
        }
        const wrong = await get('/api/drill/funnel?rule=missing_day');
        expect(wrong.statusCode).toBe(400);
        expect(wrong.json()).toMatchObject({ parameter: 'rule' });
    });

    it('groups metrics by the dimensions their grain allows and re-aggregates ratios from sums', async () => {
        const res = await get('/api/realization?group_by=client');
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.group_by).toEqual(['client']);
        for (const row of body.rows) {
            if (row.standard_value) expect(row.billing_realization).toBeCloseTo(row.billed_value / row.standard_value, 9);
        }
        const total = (await get('/api/realization')).json().rows[0];
        const sum = body.rows.reduce((s: number, r: { billed_value: number }) => s + r.billed_value, 0);
        expect(total.billed_value).toBeCloseTo(sum, 6);
    });

    it('sends the JSON DuckDB writes for a metric, which is its rows answer exactly, for every grouping', async () => {
        let rows = 0;
        for (const def of METRICS) {
            const groupings = [[], ...Object.keys(def.dimensions).map((d) => [d]), Object.keys(def.dimensions).slice(0, 2)] as Dimension[][];
            for (const group_by of groupings) {
                const q = { group_by };
                const expected = await runMetric(warehouse, def, q);
                const answer = JSON.parse(await metricJson(warehouse, def, q));
                // Same keys in the same order, and every value the same (Object.is: types, -0, nulls).
                expect(answer, `${def.name} by ${group_by.join(',')}`).toStrictEqual(expected);
                expect(answer.rows.map((r: object) => Object.keys(r))).toEqual(expected.rows.map((r) => Object.keys(r)));
                rows += expected.rows.length;
            }
        }
        expect(rows).toBeGreaterThan(100);
        const served = await get('/api/utilization?group_by=week,role');
        expect(served.json()).toStrictEqual(await runMetric(warehouse, METRIC_BY_NAME.get('utilization')!, { group_by: ['week', 'role'] }));
    });

    it('refuses unknown parameters, bad dates and filters the grain does not have, naming the parameter', async () => {
        const unknown = await get('/api/realization?colour=red');
        expect(unknown.statusCode).toBe(400);
        expect(unknown.headers['content-type']).toContain('application/problem+json');
        expect(unknown.json()).toMatchObject({ status: 400, parameter: 'colour' });
        const date = await get('/api/margin?from=2024-02-30');
        expect(date.statusCode).toBe(400);
        expect(date.json().parameter).toBe('from');
        const grain = await get('/api/realization?person_id=P1');
        expect(grain.statusCode).toBe(400);
        expect(grain.json()).toMatchObject({ parameter: 'person_id' });
        expect(grain.json().detail).toContain('project × month');
        const group = await get('/api/realization?group_by=person');
        expect(group.statusCode).toBe(400);
        expect(group.json().parameter).toBe('group_by');
        const order = await get('/api/margin?from=2024-05-01&to=2024-01-01');
        expect(order.json()).toMatchObject({ status: 400, parameter: 'to' });
    });

    it('answers drill-downs as Arrow streams when asked', async () => {
        const res = await get('/api/drill/realization?part=standard_value', { accept: 'application/vnd.apache.arrow.stream' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('application/vnd.apache.arrow.stream');
        const table = tableFromIPC(res.rawPayload);
        const json = (await get('/api/drill/realization?part=standard_value')).json();
        expect(table.numRows).toBe(json.rows.length);
        expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(json.rows[0]));
    });

    it('publishes every route in the OpenAPI document', async () => {
        const doc = (await get('/docs/json')).json();
        const paths = Object.keys(doc.paths);
        for (const route of ['/api/health', '/api/funnel', '/api/realization', '/api/utilization', '/api/margin', '/api/logging-latency', '/api/budget-burn', '/api/retainers', '/api/estimate-vs-actual', '/api/review-flags', '/api/drill/{metric}']) {
            expect(paths, route).toContain(route);
        }
        expect(doc.paths['/api/realization'].get.parameters.map((p: { name: string }) => p.name)).toContain('group_by');
    });

    it('describes every /api route the server answers, each method with a response schema', async () => {
        const doc = (await get('/docs/json')).json();
        // Fastify's own route tree, as "METHOD path", in the OpenAPI document's spelling.
        const served = servedRoutes(app)
            .map((r) => r.split(' ') as [string, string])
            .filter(([, path]) => path.startsWith('/api/'))
            .map(([method, path]) => `${method.toLowerCase()} ${path.replace(/:(\w+)/g, '{$1}')}`);
        expect(served.length).toBeGreaterThan(20);
        for (const route of served) {
            const [method, path] = route.split(' ') as [string, string];
            const op = doc.paths[path]?.[method];
            expect(op, route).toBeDefined();
            expect(Object.keys(op.responses ?? {}), route).not.toHaveLength(0);
        }
    });
});
