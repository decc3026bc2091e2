/**
 * Odd but harmless input to every route: each is a 400 application/problem+json naming the parameter at
 * fault (or an answer), never a 500. Routes and their parameters are read from the OpenAPI document, so a
 * new route or parameter is probed without being listed here.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILLS } from '../../server/api/drill.ts';
import { MAX_PAGE, MAX_PAGE_SIZE } from '../../server/api/filters.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { buildFixture } from '../helpers/models.ts';

let warehouse: Warehouse;
let app: FastifyInstance;
let batchId: number;
let entryId: string;

interface Parameter {
    in: 'query' | 'path';
    name: string;
    required?: boolean;
    schema?: { enum?: string[] };
}
interface Route {
    path: string;
    params: Parameter[];
}
let routes: Route[];

beforeAll(async () => {
    // finance-funnel: January to April 2024, as_of 2024-04-10 (so every as_of below is within the horizon).
    warehouse = await buildFixture('test/fixtures/finance-funnel');
    app = await buildApp({ warehouse });
    batchId = (await warehouse.one<{ id: number }>(`select max(batch_id) as id from ingest.batches`))!.id;
    entryId = (await warehouse.one<{ id: string }>(`select min(entry_id) as id from canonical.time_entries`))!.id;
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    routes = Object.entries(doc.paths)
        .filter(([, ops]) => ops.get)
        .map(([path, ops]) => ({ path, params: ops.get!.parameters ?? [] }));
});
afterAll(async () => {
    await app.close();
    warehouse.close();
});

/** A valid value for each required parameter, so that a probe of another parameter is the only fault. */
function baseValue(p: Parameter): string {
    if (p.schema?.enum) return p.schema.enum[0]!;
    if (p.name === 'metric') return 'funnel';
    if (p.name === 'batch_id') return String(batchId);
    if (p.name === 'id') return '1';
    if (p.name === 'project_id') return 'P1';
    if (p.name === 'entry_id') return entryId;
    throw new Error(`no base value for required parameter ${p.name}`);
}

/** The URL of a route with its path parameters filled in and the required query parameters given. */
function urlOf(route: Route, query: Record<string, string | string[]> = {}, pathValues: Record<string, string> = {}): string {
    let url = route.path;
    const search = new URLSearchParams();
    for (const p of route.params) {
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(pathValues[p.name] ?? baseValue(p)));
        else if (p.required && !(p.name in query)) search.set(p.name, baseValue(p));
    }
    for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) search.append(k, one);
    const qs = search.toString();
    return qs ? `${url}?${qs}` : url;
}

const get = (url: string) => app.inject({ method: 'GET', url });

/** A 4xx problem+json naming `parameter`. */
function expectProblem(res: Awaited<ReturnType<typeof get>>, status: number, parameter: string, url: string) {
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(status);
    expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.parameter, url).toBe(parameter);
    expect(body.detail, url).toBeTruthy();
    return body as { detail: string; parameter: string };
}

describe('paging', () => {
    const pagedUrls = () => [
        '/api/drill/funnel?part=untracked',
        // sorted by its seek column: the page is placed from the summary's counts per date
        '/api/drill/realization?part=standard_value&sort=work_date',
        '/api/drill/logging-latency',
        `/api/batches/${batchId}/rejects`,
    ];

    it('a page whose offset would overflow is a 400 naming page, at every page size', async () => {
        for (const base of pagedUrls()) {
            for (const [page, size] of [['1000000000000000', '10000'], ['1000000000000000', '1'], [String(MAX_PAGE + 1), String(MAX_PAGE_SIZE)], ['9007199254740993', '100']]) {
                const url = `${base}${base.includes('?') ? '&' : '?'}page=${page}&page_size=${size}`;
                const body = expectProblem(await get(url), 400, 'page', url);
                expect(body.detail, url).toContain(String(MAX_PAGE));
            }
        }
    });

    it('the last page allowed at the largest page size is answered, empty', async () => {
        for (const base of pagedUrls()) {
            const url = `${base}${base.includes('?') ? '&' : '?'}page=${MAX_PAGE}&page_size=${MAX_PAGE_SIZE}`;
            const res = await get(url);
            expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
            expect(res.json().rows, url).toEqual([]);
        }
    });

    it('page, page_size, limit and batch_id are whole numbers given once, within their range', async () => {
        const cases: [string, string][] = [
            [`/api/drill/funnel?page=1e3`, 'page'],
            [`/api/drill/funnel?page=0x10`, 'page'],
            [`/api/drill/funnel?page=`, 'page'],
            [`/api/drill/funnel?page=%201`, 'page'],
            [`/api/drill/funnel?page=1&page=2`, 'page'],
            [`/api/drill/funnel?page=0`, 'page'],
            [`/api/drill/funnel?page_size=-5`, 'page_size'],
            [`/api/drill/funnel?page_size=10001`, 'page_size'],
            [`/api/drill/funnel?page_size=NaN`, 'page_size'],
            [`/api/batches?limit=1.5`, 'limit'],
            [`/api/batches?limit=1&limit=2`, 'limit'],
            [`/api/batches/0x1/rejects`, 'batch_id'],
            // ingest.batches.batch_id is a 32-bit integer
            [`/api/batches/2147483648/rejects`, 'batch_id'],
            [`/api/batches/99999999999999999999/rejects`, 'batch_id'],
            [`/api/batches/-1/rejects`, 'batch_id'],
        ];
        for (const [url, parameter] of cases) expectProblem(await get(url), 400, parameter, url);
        expect((await get(`/api/batches/2147483647/rejects`)).statusCode).toBe(404);
        expect((await get(`/api/batches/${batchId}/rejects?page=2&page_size=1`)).statusCode).toBe(200);
    });
});

describe('periods', () => {
    /** Every GET route that takes both from and as_of, and every drill-down. */
    const periodUrls = () => [
        ...routes.filter((r) => r.path !== '/api/drill/{metric}' && ['from', 'as_of'].every((n) => r.params.some((p) => p.name === n))).map((r) => (q: Record<string, string>) => urlOf(r, q)),
        ...DRILLS.map((d) => (q: Record<string, string>) => `/api/drill/${d.metric}?${new URLSearchParams(q)}`),
    ];

    it('covers the routes that take a period', () => {
        const paths = periodUrls().map((u) => u({}).split('?')[0]);
        for (const p of ['/api/funnel', '/api/realization', '/api/utilization', '/api/review-flags', '/api/funnel/breakdown', '/api/utilization/by-department', '/api/drill/funnel', '/api/drill/budget-burn']) {
            expect(paths).toContain(p);
        }
    });

    it('as_of before from is a 400 naming as_of on every route that takes both; as_of on from is answered', async () => {
        for (const url of periodUrls()) {
            const bad = url({ from: '2024-02-01', as_of: '2024-01-31' });
            const body = expectProblem(await get(bad), 400, 'as_of', bad);
            expect(body.detail, bad).toContain('before from');
            const good = url({ from: '2024-02-01', as_of: '2024-02-01' });
            const res = await get(good);
            expect(res.statusCode, `${good}: ${res.body.slice(0, 300)}`).toBe(200);
        }
    });

    it('to before from is still a 400 naming to', async () => {
        for (const url of periodUrls()) {
            const bad = url({ from: '2024-03-01', to: '2024-02-29' });
            expectProblem(await get(bad), 400, 'to', bad);
        }
    });
});

describe('month of a drill-down', () => {
    it('is a month: YYYY-MM or its first day; any other day is a 400 naming month', async () => {
        for (const month of ['2024-01-15', '2024-01-31', '2024-13', '2024-00-01', '2024-1', '2024-01-01T00:00', '202401', '2024-02-30']) {
            const url = `/api/drill/funnel?part=not_invoiced&month=${month}`;
            expectProblem(await get(url), 400, 'month', url);
        }
        const first = (await get('/api/drill/realization?part=standard_value&month=2024-01-01&page_size=10000')).json();
        const short = (await get('/api/drill/realization?part=standard_value&month=2024-01&page_size=10000')).json();
        const all = (await get('/api/drill/realization?part=standard_value&page_size=10000')).json();
        expect(first.total_rows).toBeGreaterThan(0);
        expect(first.total_rows).toBeLessThan(all.total_rows);
        expect(short).toEqual(first);
        for (const row of first.rows) expect(row.month).toBe('2024-01-01');
    });

    it('a month after as_of is a 400 naming month', async () => {
        const url = '/api/drill/realization?month=2024-02&as_of=2024-01-31';
        const body = expectProblem(await get(url), 400, 'month', url);
        expect(body.detail).toContain('2024-01-31');
        expect((await get('/api/drill/realization?month=2024-02&as_of=2024-02-01')).statusCode).toBe(200);
    });
});

describe('every parameter of every GET route', () => {
    const odd: Record<string, string | string[]> = {
        huge: '1000000000000000000000',
        'past 2^53': '9007199254740993',
        negative: '-1',
        NaN: 'NaN',
        exponent: '1e3',
        hex: '0x10',
        empty: '',
        'NUL byte': 'a\u0000b',
        'very long': 'x'.repeat(5000),
        'given twice': ['1', '2'],
        'not a day': '2025-02-30',
        'date with trailing characters': '2025-02-03x',
        'SQL text': `'; drop table canonical.people; --`,
        'an Object member': 'constructor',
        'the prototype': '__proto__',
    };

    it('answers odd values with a 200, a 404 or a 400 problem naming the parameter, never a 500', async () => {
        let probes = 0;
        const wrong: string[] = [];
        for (const route of routes) {
            for (const p of route.params) {
                for (const [what, value] of Object.entries(odd)) {
                    const url = p.in === 'path' ? urlOf(route, {}, { [p.name]: [value].flat().join(',') }) : urlOf(route, { [p.name]: value });
                    const res = await get(url);
                    probes++;
                    const label = `${route.path} ${p.name} ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`;
                    if (res.statusCode >= 500) wrong.push(label);
                    else if (res.statusCode >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type']))) wrong.push(`not problem+json: ${label}`);
                    else if (res.statusCode === 400 && res.json().parameter !== p.name) wrong.push(`names another parameter: ${label}`);
                }
            }
        }
        expect(wrong).toEqual([]);
        expect(probes).toBeGreaterThan(1000);
    });

    it('a URL the router cannot read is a problem too', async () => {
        for (const [url, status] of [['/api/drill/%E0%A4%A', 400], [`/api/drill/${'x'.repeat(101)}`, 414], [`/api/batches/${'9'.repeat(101)}/rejects`, 414]] as const) {
            const res = await get(url);
            expect(res.statusCode, url).toBe(status);
            expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
            expect(res.json().detail, url).toBeTruthy();
        }
    });

    it('an unknown parameter is a 400 naming it', async () => {
        const answered: string[] = [];
        for (const route of routes) {
            const url = urlOf(route, { bogus: '1' });
            const res = await get(url);
            if (res.statusCode !== 400) answered.push(`${url}: ${res.statusCode}`);
            else expectProblem(res, 400, 'bogus', url);
        }
        expect(answered).toEqual([]);
    });
});
