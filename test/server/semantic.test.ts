/**
 * The semantic layer's contract: a leak is its SQL, its .yml and its test — no code. In a copy of models/, a new
 * leak is declared the way a newcomer would: two small marts (the funnel's rows with the uncollected pieces of
 * invoices in dispute as their own part, and the funnel with that part's column taken out of uncollected) and
 * the funnel's semantic block moved to the new mart with the leak added. The server, given that models
 * directory, serves it in /api/funnel, its breakdown, its drill-down and the definitions /api/session gives the
 * dashboard. And the finance-grade parts of the overrun, declared in models/, are served the same way.
 *
 * Fixture finance-funnel, as of 2024-04-10. Invoice I1 (EUR, client C1): lines 1,600 − 100 = 1,500, credit note
 * CN1 50, payment 1,000 → 450.00 unpaid, and in dispute (it has a credit note). Invoice I3 (USD, client C2):
 * 500 USD billed at 0.90 = 450.00, 300 USD paid at 0.95 = 285.00 → 165.00 unpaid, no credit note. So of the
 * 615.00 uncollected, 450.00 is "unpaid and in dispute" and 165.00 stays uncollected.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CatalogError, readCatalog } from '../../server/api/catalog.ts';
import { buildApp } from '../../server/app.ts';
import { ROLE_GROUPS } from '../../server/roles.ts';
import { buildModels, MODELS_DIR } from '../../warehouse/models.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';

interface Leak {
    key: string;
    label: string;
    below_stage: number;
    amount: number;
    drill: string;
    parts?: { key: string; amount: number; drill: string }[];
}

const ROWS_SQL = `
-- The funnel's rows, with the uncollected pieces of invoices that have a credit note as their own part.
with

funnel_rows as (

    select * from marts.fct_funnel_rows

),

disputed as (

    select distinct invoice_id from staging.stg_credit_notes

),

final as (

    select
        r.* replace (
            case when r.metric = 'uncollected' and d.invoice_id is not null then 'disputed_unpaid' else r.metric end as metric
        ),
    from funnel_rows r
    left join disputed d on d.invoice_id = r.invoice_id

)

select * from final
`;

const FUNNEL_SQL = `
-- The margin funnel, with what is unpaid on invoices in dispute as a leak of its own, taken out of uncollected.
with

funnel as (

    select * from marts.fct_margin_funnel

),

disputed as (

    select client_id, project_id, month, accrued_on, sum(amount) as disputed_unpaid_value
    from marts.fct_funnel_rows_disputed
    where metric = 'disputed_unpaid'
    group by all

),

final as (

    select
        f.* replace (f.uncollected_value - coalesce(d.disputed_unpaid_value, 0) as uncollected_value),
        coalesce(d.disputed_unpaid_value, 0) as disputed_unpaid_value,
    from funnel f
    left join disputed d
        on d.client_id = f.client_id and d.project_id = f.project_id and d.month = f.month and d.accrued_on = f.accrued_on

)

select * from final
`;

const NEW_LEAK = {
    key: 'disputed_unpaid',
    column: 'disputed_unpaid_value',
    label: 'Unpaid and in dispute',
    short: 'Disputed',
    definition: 'Net billed − payments of invoices that have a credit note',
    below: 'net_billed_value',
    colour: 'rose',
    drill: 'Unpaid pieces of invoices that have a credit note',
};

/** A copy of models/ with the new leak declared in SQL and .yml only. */
function modelsWithNewLeak(): string {
    const dir = tempDir('realize-semantic-');
    fs.cpSync(MODELS_DIR, dir, { recursive: true });
    const finance = path.join(dir, 'marts', 'finance');
    // The funnel's block moves to the new mart (a models directory serves one funnel), with the leak before
    // uncollected: below the same stage, it is measured by its own column and uncollected is what is left.
    const ymlFile = path.join(finance, 'fct_margin_funnel.yml');
    const yml = YAML.parse(fs.readFileSync(ymlFile, 'utf8'));
    const funnel = yml.semantic.funnel;
    delete yml.semantic;
    fs.writeFileSync(ymlFile, YAML.stringify(yml));
    funnel.rows = { mart: 'marts.fct_funnel_rows_disputed' };
    funnel.leaks.splice(
        funnel.leaks.findIndex((l: { key: string }) => l.key === 'uncollected'),
        0,
        NEW_LEAK,
    );
    fs.writeFileSync(path.join(finance, 'fct_funnel_rows_disputed.sql'), ROWS_SQL);
    fs.writeFileSync(path.join(finance, 'fct_funnel_rows_disputed.yml'), YAML.stringify({ grain: 'one row per funnel part (metric) × the source row behind it' }));
    fs.writeFileSync(path.join(finance, 'fct_margin_funnel_disputed.sql'), FUNNEL_SQL);
    fs.writeFileSync(
        path.join(finance, 'fct_margin_funnel_disputed.yml'),
        YAML.stringify({
            grain: 'one row per client × project × month × accrued_on, as marts.fct_margin_funnel',
            tests: [
                {
                    name: 'funnel invariant with the disputed part',
                    expression:
                        'abs(potential_value - (untracked_value + unbilled_value + overrun_value + not_invoiced_value + credited_value + disputed_unpaid_value + uncollected_value) - collected_value) < 0.005',
                },
            ],
            semantic: { funnel },
        }),
    );
    return dir;
}

/** GET `url`, which must answer 200: its JSON. */
async function getOk(app: FastifyInstance, url: string) {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
}

describe('a leak added in SQL and .yml only', () => {
    let warehouse: Warehouse;
    let app: FastifyInstance;
    const get = (url: string) => getOk(app, url);

    beforeAll(async () => {
        const dir = modelsWithNewLeak();
        warehouse = await buildFixture('test/fixtures/finance-funnel');
        await buildModels(warehouse, { dir });
        app = await buildApp({ warehouse, modelsDir: dir });
    });
    afterAll(async () => {
        await app?.close();
        warehouse?.close();
    });

    it('is a leak of /api/funnel, below net billed, and the funnel still reconciles', async () => {
        const funnel = await get('/api/funnel');
        const leaks = funnel.leaks as Leak[];
        // The leaks models/ declares, with the new one just before uncollected.
        const declared = readCatalog().funnel!.leaks.map((l) => l.key);
        expect(declared).toContain('uncollected');
        expect(leaks.map((l) => l.key)).toEqual(declared.flatMap((k) => (k === 'uncollected' ? ['disputed_unpaid', k] : [k])));
        const disputed = leaks.find((l) => l.key === 'disputed_unpaid')!;
        expect(disputed).toMatchObject({ label: 'Unpaid and in dispute', below_stage: 6, amount: 450 });
        expect(leaks.find((l) => l.key === 'uncollected')!.amount).toBe(165);
        const cents = (v: number) => Math.round(v * 100);
        const stage = (k: string) => cents(funnel.stages.find((s: { key: string }) => s.key === k).amount);
        expect(stage('potential_value') - leaks.reduce((s, l) => s + cents(l.amount), 0)).toBe(stage('collected_value'));
        expect(funnel.reconciles.potential_less_leaks).toBe(funnel.reconciles.collected);
    });

    it('drills to the rows behind it, which sum to it', async () => {
        const funnel = await get('/api/funnel');
        const disputed = (funnel.leaks as Leak[]).find((l) => l.key === 'disputed_unpaid')!;
        const drill = await get(`${disputed.drill}&page_size=1000`);
        expect(drill).toMatchObject({ part: 'disputed_unpaid', description: 'Unpaid pieces of invoices that have a credit note', total_amount: 450 });
        expect(new Set(drill.rows.map((r: { invoice_id: string }) => r.invoice_id))).toEqual(new Set(['I1']));
        const uncollected = await get('/api/drill/funnel?part=uncollected&page_size=1000');
        expect(uncollected.total_amount).toBe(165);
    });

    it('has its column in the breakdown, per client', async () => {
        const rows = (await get('/api/funnel/breakdown?by=client')).rows as Record<string, number | string>[];
        const row = (client: string) => rows.find((r) => r.key === client)!;
        expect([row('C1').disputed_unpaid, row('C1').uncollected]).toEqual([450, 0]);
        expect([row('C2').disputed_unpaid, row('C2').uncollected]).toEqual([0, 165]);
    });

    it('reaches the dashboard through /api/session: label, short label, definition, colour key and filters', async () => {
        const { definitions } = await get('/api/session');
        const leak = definitions.leaks.find((l: { key: string }) => l.key === 'disputed_unpaid');
        expect(leak).toEqual({
            key: 'disputed_unpaid',
            label: 'Unpaid and in dispute',
            below_stage: 6,
            definition: 'Net billed − payments of invoices that have a credit note',
            short: 'Disputed',
            colour: 'rose',
            filters: ['client_id', 'project_id', 'project_type'],
            parts: [],
        });
        expect(definitions.marts['marts.fct_margin_funnel_disputed'].grain).toContain('client × project × month');
    });
});

describe('a metric reworded in the models a server is given', () => {
    it('is what its by-department route serves and documents, not models/’s', async () => {
        const dir = tempDir('realize-semantic-utilization-');
        fs.cpSync(MODELS_DIR, dir, { recursive: true });
        const ymlFile = path.join(dir, 'marts', 'delivery', 'fct_utilization.yml');
        const yml = YAML.parse(fs.readFileSync(ymlFile, 'utf8'));
        const metric = yml.semantic.metrics.find((m: { name: string }) => m.name === 'utilization');
        metric.description = 'Utilization as the served models word it.';
        fs.writeFileSync(ymlFile, YAML.stringify(yml));
        const warehouse = await buildFixture('test/fixtures/finance-funnel');
        const app = await buildApp({ warehouse, modelsDir: dir });
        try {
            await app.ready();
            const doc = app.swagger() as unknown as { paths: Record<string, { get: { description: string } }> };
            expect(doc.paths['/api/utilization/by-department']!.get.description).toMatch(/^Utilization as the served models word it\.\n\nThe same measures as \/api\/utilization/);
            const res = await app.inject({ url: '/api/utilization/by-department?group_by=none' });
            expect(res.statusCode, res.body).toBe(200);
        } finally {
            await app.close();
            warehouse.close();
        }
    });
});

describe('the overrun’s parts, declared in models/ (fct_margin_funnel.yml)', () => {
    let warehouse: Warehouse;
    let app: FastifyInstance;
    const get = (url: string) => getOk(app, url);

    beforeAll(async () => {
        warehouse = await buildFixture('test/fixtures/finance-funnel');
        app = await buildApp({ warehouse });
    });
    afterAll(async () => {
        await app?.close();
        warehouse?.close();
    });

    it('are served under their leak, add up to it to the cent, and each drills to rows that sum to it', async () => {
        const { definitions } = await get('/api/session');
        const declared = definitions.leaks.flatMap((l: { parts: { key: string }[] }) => l.parts.map((p) => p.key));
        expect(declared.length).toBeGreaterThan(1);
        for (const filter of ['', '&client_id=C1', '&project_id=F1', '&from=2024-02-01&to=2024-03-31']) {
            const funnel = await get(`/api/funnel?${filter.slice(1)}`);
            const split = (funnel.leaks as Leak[]).filter((l) => l.parts);
            expect(split.flatMap((l) => l.parts!.map((p) => p.key))).toEqual(declared);
            for (const leak of split) {
                expect(leak.parts!.reduce((s, p) => s + Math.round(p.amount * 100), 0), `${leak.key}${filter}`).toBe(Math.round(leak.amount * 100));
                for (const part of leak.parts!) {
                    const drill = await get(`${part.drill}&page_size=10000`);
                    expect(Math.round(drill.total_amount * 100), `${part.key}${filter}`).toBe(Math.round(part.amount * 100));
                }
            }
        }
    });
});

describe('the catalog the server reads', () => {
    const tiny = (metric: string) => {
        const dir = tempDir('realize-catalog-');
        fs.mkdirSync(path.join(dir, 'marts'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'marts', 'fct_revenue.sql'), `select 'P1' as project_id, date '2024-01-01' as month, 100 as revenue`);
        fs.writeFileSync(
            path.join(dir, 'marts', 'fct_revenue.yml'),
            `grain: one row per project × month\nsemantic:\n  metrics:\n    - name: revenue\n      summary: Revenue\n      description: Revenue by month\n` +
                `      grain: project × month\n      date: {column: month, grain: month}\n      measures: {revenue: sum(revenue)}\n${metric}`,
        );
        return dir;
    };

    it('takes a group of roles by name, refuses a list of roles and names the server does not know, naming the metric', () => {
        const ok = readCatalog(tiny('      roles: money\n      dimensions: {month: month}\n      filters: {project_id: project_id}\n'));
        expect(ok.metrics[0]).toMatchObject({ name: 'revenue', mart: 'marts.fct_revenue', roles: ROLE_GROUPS.money });
        // Roles are stated once, in server/roles.ts: a .yml names a group, never lists roles.
        expect(() => readCatalog(tiny('      roles: [sales]\n      dimensions: {month: month}\n      filters: {}\n'))).toThrow(/roles: must name a group of roles \(server\/roles\.ts/);
        expect(() => readCatalog(tiny('      roles: everybody\n      dimensions: {month: month}\n      filters: {}\n'))).toThrow(CatalogError);
        expect(() => readCatalog(tiny('      roles: everybody\n      dimensions: {month: month}\n      filters: {}\n'))).toThrow(/metric revenue \(marts\.fct_revenue\): roles: everybody is not a group of roles \(money, /);
        expect(() => readCatalog(tiny('      roles: [boss]\n      dimensions: {month: month}\n      filters: {}\n'))).toThrow(/roles: must name a group of roles/);
        expect(() => readCatalog(tiny('      roles: money\n      dimensions: {colour: month}\n      filters: {}\n'))).toThrow(/dimension colour is not one the API knows/);
        expect(() => readCatalog(tiny('      roles: money\n      dimensions: {month: month}\n      filters: {colour: month}\n'))).toThrow(/filter colour is not one the API knows/);
    });
});
