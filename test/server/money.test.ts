/**
 * How money leaves the API (lib/money.ts; README "The API"): every money field of every route is answered to the
 * cent, and where a route answers parts beside their total, the parts add up to the total to the cent.
 *
 * Walked over the demo firm, whose amounts carry fractions of a cent (hours × rates × fx rates, untracked time
 * shared pro rata): rounding each figure on its own would leave parts a cent or more from their totals, and the
 * first check below proves that it would on this data, so the checks after it can fail.
 *
 * Every GET route the server serves is listed in ROUTES with the calls that check it and where its money is
 * (paths into the answer, `*` for every element of a list); the metric routes' money is what their .yml declares
 * (`money:`). A route added without a line fails the walk.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../ingest/demo/index.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';
import { servedRoutes } from '../helpers/routes.ts';

let warehouse: Warehouse;
let app: FastifyInstance;
/** Ids the calls need, read from the demo firm. */
const ids = { invoice: '', entry: '', closed: '', budgeted: '', quote: 0 };

beforeAll(async () => {
    const dir = tempDir('realize-money-');
    const demo = await writeDemo({ outDir: dir, seed: 7, end: '2024-06-30', entries: 10_000 });
    warehouse = await buildFixture(...Object.values(demo.files));
    app = await buildApp({ warehouse });
    const one = async (sql: string) => Object.values((await warehouse.one<Record<string, string>>(sql))!)[0]!;
    ids.invoice = await one(`select invoice_id from canonical.invoices where status in ('issued', 'paid') order by invoice_id limit 1`);
    ids.entry = await one(`select entry_id from canonical.time_entries order by entry_id limit 1`);
    ids.closed = await one(`select project_id from marts.fct_estimate_vs_actual where project_status = 'closed' and project_has_baseline order by project_id limit 1`);
    ids.budgeted = await one(`select project_id from canonical.projects where billing_model = 'fixed_fee' order by project_id limit 1`);
    const lines = await warehouse.all<{ phase: string; role: string; estimated_hours: number }>(
        `select phase, role, estimated_hours::double as estimated_hours from marts.fct_estimate_vs_actual where project_id = $p and estimated_hours > 0`,
        { p: ids.closed },
    );
    const types = (await warehouse.one<{ project_type: string; billing_model: string }>(`select project_type, billing_model from canonical.projects where project_id = $p`, { p: ids.closed }))!;
    const quote = await app.inject({ method: 'POST', url: '/api/quotes', payload: { ...types, target_margin: 0.3, confidence: 0.8, price: 123456.789, lines, simulations: 1000, seed: 1 } });
    expect(quote.statusCode, quote.body).toBe(200);
    ids.quote = quote.json().quote_id;
}, 120_000);

afterAll(async () => {
    await app?.close();
    warehouse?.close();
});

const get = async (url: string) => {
    const res = await app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json();
};

const cents = (v: number) => Math.round(v * 100);
/** At most two decimals, allowing for binary floating point (0.07 × 100 is 7.000000000000001). */
const inCents = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;

/** Every number of an answer with its path, list elements as `*`. */
function numbers(v: unknown, path = '', out: [string, number][] = []): [string, number][] {
    if (typeof v === 'number') out.push([path, v]);
    else if (Array.isArray(v)) for (const x of v) numbers(x, `${path}.*`, out);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numbers(x, path ? `${path}.${k}` : k, out);
    return out;
}

interface Call {
    url: () => string;
    /** The paths of its money fields (given the answer, for answers that say which of their columns are money). */
    money: (body: Record<string, unknown>) => string[];
}

const FUNNEL_MONEY = ['stages.*.amount', 'leaks.*.amount', 'leaks.*.parts.*.amount', 'cost', 'realized_margin', 'reconciles.potential_less_leaks', 'reconciles.collected'];
/** A funnel group's money: every number but its hours. */
const groupMoney = (prefix: string) => (body: Record<string, unknown>) =>
    numbers(body)
        .map(([p]) => p)
        .filter((p) => p.startsWith(`${prefix}.*.`) && !p.endsWith('.client_hours'));
const drillMoney = (body: Record<string, unknown>) => {
    const columns = body.money_columns as string[];
    return [
        ...columns.map((c) => `rows.*.${c}`),
        ...(columns.includes(body.amount_column as string) ? ['total_amount'] : []),
        // a grouped drill-down's total line
        ...(body.group_by ? columns.map((c) => `group_totals.${c}`) : []),
    ];
};
const INVOICE = ['net', 'tax', 'gross', 'credited_net', 'credited_gross', 'received', 'outstanding'];
const QUOTE = ['cost.p10', 'cost.p50', 'cost.p80', 'cost.p90', 'cost.mean', 'price.price', 'price.at.p50', 'price.at.p80', 'price.at.p90', 'proposal.price', 'proposal.expected_margin_amount', 'price_curve.*.price', 'cost_rates.*.hourly_cost'];
const none = () => [];

/** Every GET route: the calls that check it. Metric routes are added from the catalog. */
const ROUTES: Record<string, Call[] | string> = {
    'GET /api/funnel': [
        { url: () => '/api/funnel', money: () => FUNNEL_MONEY },
        { url: () => '/api/funnel?group_by=project&from=2023-07-01', money: (b) => [...FUNNEL_MONEY, ...groupMoney('groups')(b)] },
    ],
    'GET /api/funnel/breakdown': [{ url: () => '/api/funnel/breakdown?by=client', money: groupMoney('rows') }],
    'GET /api/drill/:metric': [
        { url: () => '/api/drill/funnel?part=untracked&page_size=200', money: drillMoney },
        { url: () => '/api/drill/funnel?part=price_difference&page_size=200', money: drillMoney },
        { url: () => '/api/drill/realization?part=standard_value&page_size=200', money: drillMoney },
        { url: () => '/api/drill/realization?part=billed_value&page_size=200', money: drillMoney },
        { url: () => '/api/drill/margin?part=revenue&page_size=200', money: drillMoney },
        { url: () => '/api/drill/utilization?part=billable_hours&page_size=20', money: drillMoney },
        { url: () => '/api/drill/funnel?part=not_invoiced&group_by=project', money: drillMoney },
        { url: () => '/api/drill/funnel?part=untracked&group_by=person', money: drillMoney },
        { url: () => '/api/drill/realization?part=standard_value&group_by=month', money: drillMoney },
        { url: () => '/api/drill/realization?part=billed_value&group_by=client', money: drillMoney },
        { url: () => '/api/drill/utilization?part=billable_hours&group_by=person', money: drillMoney },
    ],
    'GET /api/invoices': [{ url: () => '/api/invoices', money: () => INVOICE.map((f) => `rows.*.${f}`) }],
    'GET /api/invoices/:id': [{ url: () => `/api/invoices/${ids.invoice}`, money: () => [...INVOICE.map((f) => `invoice.${f}`), 'lines.*.rate', 'lines.*.amount', 'payments.*.received', 'payments.*.net'] }],
    'GET /api/receivables': [{ url: () => '/api/receivables?as_of=2024-06-30', money: () => ['days_0_30', 'days_31_60', 'days_61_90', 'days_over_90', 'total'].map((f) => `rows.*.${f}`) }],
    'GET /api/rates': [{ url: () => '/api/rates', money: () => ['cards.*.hourly_rate', 'cost_rates.*.hourly_cost'] }],
    'GET /api/rates/explain/:entry_id': [{ url: () => `/api/rates/explain/${ids.entry}`, money: () => ['applied.hourly_rate', 'candidates.*.hourly_rate'] }],
    'GET /api/dimensions': [{ url: () => '/api/dimensions', money: () => ['projects.*.contract_value'] }],
    'GET /api/quotes': [{ url: () => '/api/quotes', money: () => ['rows.*.quoted_price'] }],
    'GET /api/quotes/:id': [{ url: () => `/api/quotes/${ids.quote}`, money: () => QUOTE.map((p) => `result.${p}`) }],
    // Hours, shares and counts only.
    'GET /api/budget-burn': [{ url: () => '/api/budget-burn', money: none }],
    'GET /api/budget-burn/months': [{ url: () => `/api/budget-burn/months?project_id=${ids.budgeted}`, money: none }],
    'GET /api/projects/:id/closeout': [{ url: () => `/api/projects/${ids.closed}/closeout`, money: () => ['quote.price'] }],
    'GET /api/quotes/backtest': [{ url: () => '/api/quotes/backtest', money: none }],
    'GET /api/utilization/by-department': [{ url: () => '/api/utilization/by-department', money: none }],
    'GET /api/estimate-vs-actual/by-type': [{ url: () => '/api/estimate-vs-actual/by-type', money: none }],
    // No money at all.
    'GET /api/admin/accounts': 'accounts',
    'GET /api/admin/tokens': 'tokens',
    'GET /api/audit': 'the audit log (values before and after as recorded)',
    'GET /api/audit/export': 'the audit log as CSV',
    'GET /api/batches': 'ingest batches and their counts',
    'GET /api/batches/:batch_id/rejects': 'rejected cells, as the file gave them',
    'GET /api/definitions': 'labels and definitions',
    'GET /api/health': 'the server and the data',
    'GET /api/imports': 'import runs and their counts',
    'GET /api/invoices/:id/document.html': 'the printable invoice: its amounts are those of GET /api/invoices/:id',
    'GET /api/invoices/:id/document.pdf': 'the printable invoice as PDF',
    'GET /api/invoices/export/:format': 'CSV of the invoice lines as stored (whole cents)',
    'GET /api/invoices/settings': 'billing settings (rates of tax, terms)',
    'GET /api/me': 'who is calling',
    'GET /api/review/queue': 'time to review',
    'GET /api/session': 'who is calling, labels and definitions',
    'GET /api/suggestions': 'suggested time',
    'GET /api/suggestions/feed': 'the person’s calendar feed and its last read',
    'GET /api/suggestions/rules': 'suggestion rules',
    'GET /api/quotes/:id/document.pdf': 'the saved quote as PDF: its amounts are those of GET /api/quotes/:id, formatted to the cent',
    'GET /api/quotes/:id/export.csv': 'the saved quote as CSV: its amounts are those of GET /api/quotes/:id, formatted to the cent',
    'GET /api/time/options': 'what time can be logged on',
    'GET /api/time/timer': 'the running timer',
    'GET /api/time/week': 'a week of time',
};

describe('money answered by the API (the demo firm)', () => {
    it('has amounts in fractions of a cent, whose groups rounded one by one do not add up to the whole', async () => {
        const mismatches = await warehouse.all<{ c: string }>(
            `with g as (select project_id, sum(untracked_value) as u, sum(potential_value) as p, sum(cost) as c from marts.fct_margin_funnel group by all)
             select 'x' as c from g having sum(round(u, 2)) <> round(sum(u), 2) or sum(round(p, 2)) <> round(sum(p), 2) or sum(round(c, 2)) <> round(sum(c), 2)`,
        );
        expect(mismatches.length).toBe(1);
    });

    it('answers every money field of every route to the cent', async () => {
        const served = servedRoutes(app).filter((r) => r.startsWith('GET /api/'));
        const metrics = new Map(app.catalog.metrics.map((m) => [`GET /api/${m.name}`, m]));
        expect(served.filter((r) => !(r in ROUTES) && !metrics.has(r)), 'routes without a line in ROUTES').toEqual([]);
        const problems: string[] = [];
        let checked = 0;
        const walk = async (url: string, money: string[]) => {
            const body = await get(url);
            const found = numbers(body).filter(([p]) => money.includes(p));
            checked += found.length;
            for (const [p, v] of found) if (!inCents(v)) problems.push(`${url} ${p} = ${v}`);
            return found.length;
        };
        for (const [route, m] of metrics) {
            const groups = Object.keys(m.dimensions).slice(0, 2).join(',');
            const n = await walk(`/api/${m.name}?group_by=${groups}`, (m.money ?? []).map((f) => `rows.*.${f}`));
            if ((m.money ?? []).length > 0) expect(n, route).toBeGreaterThan(0);
        }
        for (const [route, calls] of Object.entries(ROUTES)) {
            if (typeof calls === 'string' || !served.includes(route)) continue;
            for (const call of calls) {
                const url = call.url();
                const body = await get(url);
                await walk(url, call.money(body));
            }
        }
        expect(problems).toEqual([]);
        expect(checked).toBeGreaterThan(1000);
    });

    it('answers a non-money ratio with its precision (a share is not rounded to the cent)', async () => {
        const { rows } = await get('/api/realization?group_by=month');
        expect(rows.some((r: Record<string, number | null>) => typeof r.billing_realization === 'number' && !inCents(r.billing_realization))).toBe(true);
        // and money ratios, a rate per hour, to the cent
        const margin = await get('/api/margin?group_by=project');
        expect(margin.rows.every((r: Record<string, number | null>) => typeof r.effective_billable_rate !== 'number' || inCents(r.effective_billable_rate))).toBe(true);
    });
});

type Figures = Record<string, number>;
interface FunnelAnswer {
    stages: { key: string; amount: number }[];
    leaks: { key: string; amount: number; below_stage: number; parts?: { key: string; amount: number }[] }[];
    cost: number;
    realized_margin: number;
    groups: (Figures & { key: string })[];
}

/** A funnel's figures by key, as a group of a breakdown names them. */
const figuresOf = (f: FunnelAnswer): Figures => ({
    ...Object.fromEntries(f.stages.map((s) => [s.key, s.amount])),
    ...Object.fromEntries(f.leaks.flatMap((l) => [l, ...(l.parts ?? [])]).map((l) => [l.key, l.amount])),
    cost: f.cost,
    realized_margin: f.realized_margin,
});

describe('parts beside their total add up to it to the cent', () => {
    it('the funnel: potential − leaks = collected, a leak’s parts add up to it, collected − cost = realized margin', async () => {
        for (const q of ['', '?from=2023-07-01', '?as_of=2024-02-14', `?project_id=${ids.budgeted}`]) {
            const f = (await get(`/api/funnel${q}`)) as FunnelAnswer;
            const stage = (i: number) => cents(f.stages[i]!.amount);
            for (const [i] of f.stages.entries()) {
                if (i === f.stages.length - 1) continue;
                const leaks = f.leaks.filter((l) => l.below_stage === i + 1).reduce((s, l) => s + cents(l.amount), 0);
                expect(stage(i) - leaks, `stage ${i + 1}${q}`).toBe(stage(i + 1));
            }
            for (const l of f.leaks.filter((x) => x.parts)) expect(l.parts!.reduce((s, p) => s + cents(p.amount), 0), `${l.key}${q}`).toBe(cents(l.amount));
            expect(cents(f.realized_margin)).toBe(stage(f.stages.length - 1) - cents(f.cost));
        }
    });

    it('the funnel by client, project, project type and month: each group reconciles, and the groups add up to the funnel', async () => {
        for (const by of ['client', 'project', 'project_type', 'month']) {
            const f = (await get(`/api/funnel?group_by=${by}&from=2023-01-01`)) as FunnelAnswer;
            const whole = figuresOf(f);
            for (const [key, amount] of Object.entries(whole)) {
                expect(f.groups.reduce((s, g) => s + cents(g[key]!), 0), `${key} by ${by}`).toBe(cents(amount));
            }
            for (const g of f.groups) {
                expect(cents(g.potential_value!) - f.leaks.reduce((s, l) => s + cents(g[l.key]!), 0), `${by} ${g.key}`).toBe(cents(g.collected_value!));
                for (const l of f.leaks.filter((x) => x.parts)) expect(l.parts!.reduce((s, p) => s + cents(g[p.key]!), 0), `${by} ${g.key} ${l.key}`).toBe(cents(g[l.key]!));
                expect(cents(g.realized_margin!), `${by} ${g.key}`).toBe(cents(g.collected_value!) - cents(g.cost!));
            }
            // /api/funnel/breakdown gives the same groups
            const breakdown = await get(`/api/funnel/breakdown?by=${by}&from=2023-01-01&limit=10000`);
            expect(breakdown.rows).toEqual(f.groups);
        }
    });

    it('a drill-down whose every row is on the page: the rows add up to total_amount', async () => {
        for (const url of ['/api/drill/funnel?part=untracked', '/api/drill/funnel?part=price_difference', '/api/drill/realization?part=standard_value', '/api/drill/margin?part=revenue']) {
            const first = await get(`${url}&month=2024-03-01&page_size=1`);
            expect(first.total_rows, url).toBeGreaterThan(1);
            const all = await get(`${url}&month=2024-03-01&page_size=${first.total_rows}`);
            expect(all.rows.reduce((s: number, r: Figures) => s + cents(r[all.amount_column]!), 0), url).toBe(cents(all.total_amount));
            expect(all.total_amount, url).toBe(first.total_amount);
        }
    });

    it('a drill-down grouped: every money subtotal over the groups adds up to its total (the amount’s to total_amount), where rounding each group would not', async () => {
        for (const url of ['/api/drill/funnel?part=untracked', '/api/drill/funnel?part=not_invoiced', '/api/drill/realization?part=standard_value', '/api/drill/margin?part=revenue', '/api/drill/utilization?part=billable_hours']) {
            const rows = await get(`${url}&page_size=1`);
            for (const by of rows.groupings as string[]) {
                const g = await get(`${url}&group_by=${by}&page_size=10000`);
                expect(g.total_groups, `${url} by ${by}`).toBe(g.rows.length);
                expect(g.total_rows, `${url} by ${by}`).toBe(rows.total_rows);
                expect(g.total_amount, `${url} by ${by}`).toBe(rows.total_amount);
                expect(g.rows.reduce((s: number, r: Figures) => s + r.row_count!, 0), `${url} by ${by}`).toBe(rows.total_rows);
                for (const c of g.money_columns as string[]) {
                    expect(g.rows.reduce((s: number, r: Figures) => s + cents(r[c]!), 0), `${url} by ${by}: ${c}`).toBe(cents(g.group_totals[c]));
                }
                if (g.money_columns.includes(g.amount_column)) expect(cents(g.group_totals[g.amount_column]), `${url} by ${by}`).toBe(cents(g.total_amount));
            }
        }
        // On this data the groups' exact amounts rounded one by one do not add up to the total: the checks above can fail.
        const exact = await warehouse.all<{ c: number }>(
            `select round(sum(std_value), 2)::double as c from intermediate.int_entries_priced where is_billable_client and work_date <= '2024-06-30' group by person_id`,
        );
        const whole = await get('/api/drill/realization?part=standard_value&as_of=2024-06-30&page_size=1');
        expect(exact.reduce((s, r) => s + cents(r.c), 0)).not.toBe(cents(whole.total_amount));
    });

    it('receivables: the ageing buckets add up to the total; an invoice: its lines add up to its net', async () => {
        const { rows } = await get('/api/receivables?as_of=2024-06-30');
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(['days_0_30', 'days_31_60', 'days_61_90', 'days_over_90'].reduce((s, k) => s + cents(r[k] ?? 0), 0), r.client_id).toBe(cents(r.total));
        const { invoice, lines } = await get(`/api/invoices/${ids.invoice}`);
        expect(lines.reduce((s: number, l: { amount: number }) => s + cents(l.amount), 0)).toBe(cents(invoice.net));
    });

    it('a metric’s declared sums: margin = revenue − cost, net billed = billed − credited, a retainer’s revenue = fee + overage', async () => {
        for (const r of (await get('/api/margin?group_by=project,month')).rows) expect(cents(r.margin)).toBe(cents(r.revenue) - cents(r.cost));
        for (const r of (await get('/api/realization?group_by=client,month')).rows) expect(cents(r.net_billed_value)).toBe(cents(r.billed_value) - cents(r.credited_value));
        for (const r of (await get('/api/retainers?group_by=project,month')).rows) expect(cents(r.revenue)).toBe(cents(r.fee) + cents(r.overage_amount));
    });
});
