/**
 * The acceptance check "numbers from the API are recomputed independently, straight from the canonical
 * CSVs, for the demo firm and for other data; they must agree to the cent", run by us.
 *
 * Each scenario writes a firm's canonical CSVs into a temp folder, loads them into an in-memory warehouse,
 * builds every model and asks the Fastify app (app.inject, with API tokens: finance for the money, leadership
 * for delivery, a person's own token for their person × week figures). test/helpers/recompute/ recomputes
 * the same figures from the CSV files alone — its own CSV reader, exact bigint money, integer hour ticks,
 * written from PRODUCT.md and not from models/ or server/ — and every figure must agree: money to the cent
 * (|Δ| ≤ 0.005; a figure the API rounds to the cent must be the exact one rounded), hours to 1e-6, ratios to
 * 1e-6 (relative: the warehouse keeps entry values to 6 decimals). A failure lists every disagreement as
 * "metric [group] field: API x ≠ recomputed y".
 *
 * Compared, for the firm and filtered by client, by project, by project type and by a from/to period:
 * - realization (by month, client, project): standard, billed, credited, net billed and collected value and
 *   the billing, collection and overall realizations;
 * - utilization (by role × month, role × week, and one person's own person × week): capacity, billable,
 *   client, internal and all hours, timesheet-completeness credit, and the four ratios;
 * - margin (by project, month, client × month): revenue recognized for every billing model (T&M, fixed fee, retainer
 *   with rollover, milestones), cost, margin, client and billable hours, margin %, effective billable rate;
 * - the margin funnel: all seven stages, all eight leaks (untracked value per person-week included), cost,
 *   realized margin, client hours, and potential − Σ leaks = collected; the overrun's three parts (overrun
 *   beyond a fixed-fee budget or a retainer's overage revenue, price difference, awaiting sign-off), which
 *   add up to it; not yet invoiced at the fx rates the revenue was recognized at, and the fx difference;
 * - estimate vs actual (by project × phase): baseline estimated hours and actual hours, ratio;
 * - budget burn at the as-of day: hours used, billable hours used, budget hours, burn;
 * - retainers (by project × month): included, billable, included-used, rollover-used and overage hours, fee,
 *   overage amount, revenue.
 * Not recomputed: the estimate-vs-actual quantiles by type, logging latency and review flags (no money; their
 * rules would have to be re-implemented wholesale), budget burn's share elapsed / estimate at completion.
 *
 * Conventions taken from the API (not metric definitions): a period selects whole months (the marts are
 * monthly: month ≥ the month of `from`, month ≤ `to`) and ends with the as-of month; estimate vs actual is
 * dated by the project's start date; budget burn lists a project from the month it starts (route description).
 * Where PRODUCT.md leaves a detail open, the recomputation follows the model's .yml and says so in
 * test/helpers/recompute/: billing pieces in whole cents by cumulative rounding (int_billing_attributed),
 * a retainer month's term and rollover window (int_retainer_usage), rejected entries left out of actual hours
 * (fct_estimate_vs_actual), capacity only on days of employment (int_person_days), a week's completeness
 * credit shared among its month slices (fct_utilization).
 *
 * A report's own as_of (?as_of=, earlier than the firm's) is checked too: it bounds untracked time,
 * milestone revenue and budget burn's hours used to the day.
 *
 * Scenarios: the demo firm as the demo writer makes it (as_of = its last day), and "other data": another
 * seed and end date, then edited so that the easy paths of the demo are not the only ones taken — as_of in
 * the middle of the data (invoices, payments, milestones and work after it), fx rates missing on many days
 * (so "the latest date on or before" matters), rate cards that expire and fall through to a less specific
 * scope, a project_role card in USD, a person card in GBP, a client card for an EUR client, capacity
 * changes mid-week, a cost rate in USD, and a retainer term starting mid-month with a two-month rollover.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../ingest/demo/index.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';
import { hours, money, parseCsv, Recomputation, type Filters } from '../helpers/recompute/index.ts';
import { agree, BURN_FIELDS, burnFigures, disagreements, ESTIMATE_FIELDS, estimateVsActual, type FinanceDim, funnel, type FunnelBody, funnelDisagreements, LEAKS, margin, MARGIN_FIELDS, OVERRUN_PARTS, ratio, realization, REALIZATION_FIELDS, type Row, STAGES, type UtilDim, utilization, UTILIZATION_FIELDS } from '../helpers/recompute-figures.ts';

// ---------------------------------------------------------------- the scenarios

interface Scenario {
    name: string;
    seed: number;
    end: string;
    entries: number;
    /** Edits the demo's files into "other data". */
    edit?: (dir: string) => void;
    /** A from/to period inside the data. */
    period: { from: string; to: string };
    /** An as_of a report sets (the API's as_of parameter), other than the firm's. */
    reportAsOf?: string;
}

const SCENARIOS: Scenario[] = [
    // reportAsOf: a Friday; a milestone is signed off the next Tuesday
    { name: 'the demo firm', seed: 7, end: '2024-06-30', entries: 25_000, period: { from: '2023-01-01', to: '2023-06-30' }, reportAsOf: '2023-05-05' },
    { name: 'other data', seed: 23, end: '2024-03-31', entries: 20_000, edit: otherData, period: { from: '2023-04-01', to: '2023-11-30' } },
];

const TOKENS = {
    leadership: 'recompute-leadership-token',
    finance: 'recompute-finance-token-00',
};

for (const scenario of SCENARIOS) {
    describe(`API figures recomputed from the canonical CSVs: ${scenario.name}`, () => {
        let dir: string;
        let data: string;
        let warehouse: Warehouse;
        let app: FastifyInstance;
        let r: Recomputation;
        /** The person whose capacity changes most often, who asks for their own person × week figures. */
        let person: { id: string; token: string };

        beforeAll(async () => {
            dir = tempDir('realize-recompute-');
            data = path.join(dir, 'data');
            await writeDemo({ outDir: data, seed: scenario.seed, end: scenario.end, entries: scenario.entries });
            scenario.edit?.(data);
            r = new Recomputation(data);
            const changes = new Map<string, number>();
            for (const c of parseCsv(fs.readFileSync(path.join(data, 'person_capacity.csv'), 'utf8'))) changes.set(c.person_id!, (changes.get(c.person_id!) ?? 0) + 1);
            const someone = [...changes].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0]![0];
            person = { id: someone, token: 'recompute-own-figures-token' };
            fs.writeFileSync(
                path.join(dir, 'tokens.json'),
                JSON.stringify([
                    { token: TOKENS.leadership, person_id: null, role: 'leadership' },
                    { token: TOKENS.finance, person_id: null, role: 'finance' },
                    { token: person.token, person_id: person.id, role: 'engineer' },
                ]),
            );
            warehouse = await buildFixture(data);
            app = await buildApp({ warehouse, tokensFile: path.join(dir, 'tokens.json') });
        });
        afterAll(async () => {
            await app?.close();
            warehouse?.close();
            if (dir) fs.rmSync(dir, { recursive: true, force: true });
        });

        async function get(url: string, token: string = TOKENS.finance): Promise<{ as_of: string; rows: Row[] } & Record<string, unknown>> {
            const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
            expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
            return res.json();
        }
        const query = (f: Filters & { group_by?: string }): string =>
            new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined) as [string, string][]).toString();

        /** The filters each figure is checked under: none, the period, every client, project and project type, a client in the period. */
        const scopes = (): Filters[] => {
            const clients = [...new Set(r.projectMonths.map((x) => x.client_id))].sort();
            const projects = [...new Set(r.projectMonths.map((x) => x.project_id))].sort();
            const types = [...new Set(r.projectMonths.map((x) => x.project_type))].sort();
            return [
                {},
                scenario.period,
                ...clients.map((c) => ({ client_id: c })),
                ...projects.map((p) => ({ project_id: p })),
                ...types.map((t) => ({ project_type: t })),
                { client_id: clients[1] ?? clients[0]!, ...scenario.period },
            ];
        };

        /** A finance figure's disagreements with the API: under each grouping given, then by month in every scope. */
        async function financeDisagreements(
            endpoint: string,
            figures: (recomputed: Recomputation, dims: FinanceDim[], f: Filters) => Map<string, Record<string, number | null>>,
            fields: typeof REALIZATION_FIELDS,
            groupings: [FinanceDim[], Filters][],
        ): Promise<string[]> {
            const problems: string[] = [];
            for (const [dims, f] of [...groupings, ...scopes().map((scope): [FinanceDim[], Filters] => [['month'], scope])]) {
                const url = `${endpoint}?${query({ ...f, group_by: dims.join(',') })}`;
                problems.push(...disagreements(url, (await get(url)).rows, dims, figures(r, dims, f), fields));
            }
            return problems;
        }

        it('reads the same firm: as_of, and nothing in the data the recomputation cannot price', async () => {
            const body = await get('/api/realization');
            expect(body.as_of).toBe(r.asOf);
            expect(r.problems).toEqual([]);
            // the comparisons below are not vacuous
            const firm = funnel(r, {});
            for (const k of STAGES) expect(firm.stages[k], k).toBeGreaterThan(0n);
            for (const k of LEAKS) expect(firm.leaks[k], k).not.toBe(0n);
            for (const k of OVERRUN_PARTS) expect(firm.overrunParts[k], k).not.toBe(0n);
        });

        it('realization: standard, billed, credited and collected value and the three realizations', async () => {
            const groupings: [FinanceDim[], Filters][] = [[['month'], {}], [['client'], {}], [['project'], {}]];
            expect(await financeDisagreements('/api/realization', realization, REALIZATION_FIELDS, groupings)).toEqual([]);
        });

        it('utilization: capacity, billable, client, internal and all hours, completeness, and the ratios', async () => {
            const problems: string[] = [];
            for (const [dims, f] of [
                [['role', 'month'], {}],
                [['role', 'week'], {}],
                [['month'], {}],
                [['role', 'month'], scenario.period],
                [['week'], { role: 'developer', ...scenario.period }],
            ] as [UtilDim[], Filters][]) {
                const url = `/api/utilization?${query({ ...f, group_by: dims.join(',') })}`;
                problems.push(...disagreements(url, (await get(url, TOKENS.leadership)).rows, dims, utilization(r, dims, f), UTILIZATION_FIELDS));
            }
            // person × week: a person may read their own figures
            for (const f of [{ person_id: person.id }, { person_id: person.id, ...scenario.period }] as Filters[]) {
                const url = `/api/utilization?${query({ ...f, group_by: 'person,week' })}`;
                const body = await get(url, person.token);
                expect(body.rows.length, url).toBeGreaterThan(20);
                problems.push(...disagreements(url, body.rows, ['person', 'week'], utilization(r, ['person', 'week'], f), UTILIZATION_FIELDS));
            }
            expect(problems).toEqual([]);
        });

        it('margin: revenue recognized (every billing model), cost, margin, hours and the ratios', async () => {
            const groupings: [FinanceDim[], Filters][] = [[['project'], {}], [['month'], {}], [['project'], scenario.period], [['client', 'month'], {}]];
            expect(await financeDisagreements('/api/margin', margin, MARGIN_FIELDS, groupings)).toEqual([]);
        });

        it('the margin funnel: every stage and leak, and potential − Σ leaks = collected, for every scope', async () => {
            const problems: string[] = [];
            for (const f of scopes()) {
                const url = `/api/funnel?${query(f)}`;
                problems.push(...funnelDisagreements(url, (await get(url)) as unknown as FunnelBody, funnel(r, f)));
            }
            expect(problems).toEqual([]);
        });

        it('estimate vs actual by project × phase: baseline estimated hours and actual hours', async () => {
            const problems: string[] = [];
            // Internal projects have no client (an empty client_id in the CSV): the unfiltered scope covers them.
            const clients = [...new Set(r.phases.map((p) => p.client_id))].filter((c) => c !== '').sort();
            for (const f of [{}, ...clients.map((c) => ({ client_id: c })), { project_id: r.phases.find((p) => p.estimated_ticks !== null)!.project_id }] as Filters[]) {
                const url = `/api/estimate-vs-actual?${query({ ...f, group_by: 'project,phase' })}`;
                problems.push(...disagreements(url, (await get(url, TOKENS.leadership)).rows, ['project', 'phase'], estimateVsActual(r, f), ESTIMATE_FIELDS));
            }
            expect(problems).toEqual([]);
        });

        it('budget burn at the as-of day: hours used, billable hours used, budget and burn', async () => {
            const body = await get('/api/budget-burn', TOKENS.leadership);
            const mine = burnFigures(r);
            expect(disagreements('/api/budget-burn', body.rows, ['project_id'], mine, BURN_FIELDS)).toEqual([]);
            expect(mine.size).toBeGreaterThan(3);
        });

        it('retainers by project × month: included, rolled-over and overage hours, fee and revenue', async () => {
            const problems: string[] = [];
            for (const f of [{}, scenario.period] as Filters[]) {
                const url = `/api/retainers?${query({ ...f, group_by: 'project,month' })}`;
                const mine = new Map(
                    r.retainerMonths
                        .filter((m) => r.inPeriod(m.month, f))
                        .map((m) => [
                            `${m.project_id} × ${m.month}`,
                            {
                                included_hours: hours(m.included_ticks), billable_hours: hours(m.billable_ticks), included_used_hours: hours(m.included_used_ticks),
                                rollover_used_hours: hours(m.rollover_used_ticks), overage_hours: hours(m.overage_ticks),
                                fee: money(m.fee), overage_amount: money(m.overage_amount), revenue: money(m.revenue),
                            },
                        ]),
                );
                expect(mine.size).toBeGreaterThan(0);
                problems.push(
                    ...disagreements(url, (await get(url, TOKENS.leadership)).rows, ['project', 'month'], mine, {
                        included_hours: 'hours', billable_hours: 'hours', included_used_hours: 'hours', rollover_used_hours: 'hours', overage_hours: 'hours',
                        fee: 'cents', overage_amount: 'cents', revenue: 'sum',
                    }),
                );
            }
            expect(problems).toEqual([]);
        });

        if (scenario.reportAsOf) {
            const asOf = scenario.reportAsOf;
            // PRODUCT.md: "Accruals (retainer fees, untracked time) run through the as-of date: today unless a
            // report sets it", and a milestone counts "when on or before the as-of date". A report's own as_of,
            // earlier than the firm's, bounds untracked time to the day and milestone revenue to its sign-off.
            it(`a report's own as_of (${asOf}) bounds untracked time, milestone revenue and budget burn`, async () => {
                const atReportDate = new Recomputation(data, { asOf });
                const problems: string[] = [];
                const url = `/api/funnel?as_of=${asOf}`;
                problems.push(...funnelDisagreements(url, (await get(url)) as unknown as FunnelBody, funnel(atReportDate, {})));
                const marginUrl = `/api/margin?as_of=${asOf}&group_by=month`;
                problems.push(...disagreements(marginUrl, (await get(marginUrl)).rows, ['month'], margin(atReportDate, ['month'], {}), MARGIN_FIELDS));
                const burnUrl = `/api/budget-burn?as_of=${asOf}`;
                problems.push(...disagreements(burnUrl, (await get(burnUrl, TOKENS.leadership)).rows, ['project_id'], burnFigures(atReportDate), BURN_FIELDS));
                expect(problems).toEqual([]);
            });
        }
    });
}

// ---------------------------------------------------------------- "other data"

/** A CSV file as header + rows, edited and written back (values here never need quoting). */
function editCsv(dir: string, entity: string, edit: (rows: Record<string, string>[]) => Record<string, string>[]): void {
    const file = path.join(dir, `${entity}.csv`);
    const text = fs.readFileSync(file, 'utf8');
    const header = text.slice(0, text.indexOf('\n')).split(',');
    const rows = edit(parseCsv(text));
    const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
    fs.writeFileSync(file, [header.join(','), ...rows.map((r) => header.map((h) => esc(r[h] ?? '')).join(','))].join('\n') + '\n');
}

function otherData(dir: string): void {
    // as_of in the middle of the data, on a Wednesday: invoices, payments, milestones and work after it exist.
    editCsv(dir, 'settings', (rows) => rows.map((r) => (r.key === 'as_of' ? { ...r, value: '2024-01-17' } : r)));

    // fx: keep Mondays, Wednesdays and the first of each month only; the first day of each currency stays.
    editCsv(dir, 'fx_rates', (rows) => {
        const first = new Map<string, string>();
        for (const r of rows) if (!first.has(r.currency!) || r.date! < first.get(r.currency!)!) first.set(r.currency!, r.date!);
        return rows.filter((r) => {
            const wd = new Date(`${r.date}T00:00:00Z`).getUTCDay();
            return r.date === first.get(r.currency!) || r.date!.endsWith('-01') || wd === 1 || wd === 3;
        });
    });

    const people = parseCsv(fs.readFileSync(path.join(dir, 'people.csv'), 'utf8'));
    const projects = parseCsv(fs.readFileSync(path.join(dir, 'projects.csv'), 'utf8'));
    const clients = parseCsv(fs.readFileSync(path.join(dir, 'clients.csv'), 'utf8'));
    const tm = projects.filter((p) => p.billing_model === 'time_and_materials');
    const eurClient = clients.find((c) => c.currency === 'EUR' && projects.some((p) => p.client_id === c.client_id && p.billing_model === 'time_and_materials'))!;
    const someone = (role: string) => people.find((p) => p.role === role)!;

    // Rate cards that take more than the role card: a project card that expires (later entries fall through to
    // the role or client card), a project_role card in USD, a person card, a client card for an EUR client.
    editCsv(dir, 'rate_cards', (rows) => [
        ...rows,
        { scope: 'project', scope_id: tm[0]!.project_id!, role: '', effective_from: tm[0]!.start_date!, effective_to: addDays(tm[0]!.start_date!, 40), hourly_rate: '99.50', currency: 'EUR' },
        { scope: 'project_role', scope_id: tm[1]!.project_id!, role: 'developer', effective_from: '2022-01-01', effective_to: '', hourly_rate: '131.25', currency: 'USD' },
        { scope: 'project_role', scope_id: tm[1]!.project_id!, role: 'developer', effective_from: addDays(tm[1]!.start_date!, 30), effective_to: addDays(tm[1]!.start_date!, 60), hourly_rate: '140.00', currency: 'USD' },
        { scope: 'person', scope_id: someone('developer').person_id!, role: '', effective_from: '2023-03-15', effective_to: '', hourly_rate: '117.35', currency: 'GBP' },
        { scope: 'client', scope_id: eurClient.client_id!, role: '', effective_from: '2023-02-01', effective_to: '', hourly_rate: '112.00', currency: 'EUR' },
    ]);

    // Capacity changing in the middle of weeks; a cost rate in USD from a Thursday.
    editCsv(dir, 'person_capacity', (rows) => [
        ...rows,
        { person_id: someone('developer').person_id!, effective_from: '2023-05-17', weekly_hours: '30' },
        { person_id: someone('developer').person_id!, effective_from: '2023-08-03', weekly_hours: '37.5' },
        { person_id: someone('qa_engineer').person_id!, effective_from: '2023-11-28', weekly_hours: '20' },
    ]);
    editCsv(dir, 'cost_rates', (rows) => [...rows, { person_id: someone('senior_developer').person_id!, effective_from: '2023-06-15', hourly_cost: '71.40', currency: 'USD' }]);

    // A new term in the middle of a month, with fewer included hours and a two-month rollover, on a retainer
    // that leaves hours unused: later months draw on the earlier term's unused hours, oldest first, then overage.
    editCsv(dir, 'retainer_terms', (rows) => {
        const last = [...rows].sort((a, b) => a.effective_from!.localeCompare(b.effective_from!)).at(-1)!;
        const from = addDays(`${last.effective_from!.slice(0, 8)}15`, 31);
        return [...rows, { ...last, effective_from: from, included_hours: '180.25', rollover_months: '2', monthly_fee: '21000.00', overage_rate: '127.50' }];
    });
}

function addDays(iso: string, n: number): string {
    return new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
