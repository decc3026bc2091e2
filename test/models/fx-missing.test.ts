import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { describeFxMissing, fxMissing } from '../../ingest/fx-coverage.ts';
import { buildModels, type TestResult } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';

/*
 * Fixture fx-missing (reporting EUR, as_of 2024-03-31): a firm with rates missing where figures need them.
 * fx_rates: USD 0.9 from 2024-02-01, 0.95 from 2024-03-01; no GBP at all. No capacity: no untracked time.
 * Clients A (EUR), G (USD), B (GBP). Cards: developer 100 EUR; client G 110 USD; client B 90 GBP.
 * Cost: P1 50 EUR/h, P2 40 USD/h.
 *
 *   E1 P1 T1 (A, time & materials) 10 Jan 8 h billable     std 800         cost 400
 *   E2 P2 T1                       11 Jan 4 h billable     std 400         cost 4 × 40 USD, no USD rate by 11 Jan → left out
 *   E3 P1 F1 (G, fixed fee)        15 Jan 8 h billable     std 110 USD/h, no rate by 15 Jan → left out; cost 400
 *   E4 P1 F1                       12 Feb 10 h billable    std 10 × 110 × 0.9 = 990; cost 500
 *   E5 P2 F1                       13 Feb 2 h meeting      std 2 × 110 × 0.9 = 198 (unbilled); cost 2 × 40 × 0.9 = 72
 *   E6 P1 M1 (B, milestone)        20 Feb 5 h billable     std 90 GBP/h, no GBP rate → left out; cost 250
 * Revenue: T1 Jan 800 + 400 = 1 200. F1 (budget 20 h, 10 000 USD): Jan 8 h → 4 000 USD at the rate of 1 Jan:
 *   none → left out; Feb 18 h → 9 000 − 4 000 = 5 000 USD × 0.9 = 4 500. M1: MS1 5 000 GBP signed off 5 Mar
 *   → left out. Recognized 1 200 + 4 500 = 5 700.
 * Documents: I1 1 200 EUR (E1, E2) issued 1 Feb, paid 20 Feb (PAY1 1 200). I2 4 000 USD issued 31 Jan → left
 *   out; CN1 200 USD on I2, 31 Jan → left out; PAY2 3 800 USD on I2, 10 Mar × 0.95 = 3 610. I3 5 000 GBP
 *   (milestone MS1) issued 6 Mar → left out.
 * Funnel, on what converts: tracked 800 + 400 + 990 + 198 = 2 388 = potential (no untracked); unbilled 198;
 *   billable 2 190; overrun 2 190 − 5 700 = −3 510; not invoiced 5 700 − 1 200 = 4 500; billed 1 200;
 *   credited 0; collected 1 200 + 3 610 = 4 810; uncollected 1 200 − 0 − 4 810 = −3 610 (I2's payment
 *   converts, its invoice does not). Check: 2 388 − (198 − 3 510 + 4 500 + 0 − 3 610) = 4 810. Cost:
 *   400 + 400 + 500 + 72 + 250 = 1 622.
 * Missing: USD — E2's cost (11 Jan), E3's bill rate (15 Jan), F1's January revenue (1 Jan), I2 and CN1
 *   (31 Jan): 1 Jan … 31 Jan, 5 amounts, first rate 1 Feb. GBP — E6 (20 Feb), MS1 (5 Mar), I3 (6 Mar):
 *   20 Feb … 6 Mar, 3 amounts, no rate.
 */

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/fx-missing');

async function load(warehouse: Warehouse, dir: string): Promise<void> {
    const report = await ingestFiles(warehouse, resolveInputs([dir]).files);
    if (!report.ok) throw new Error(`fixture does not load: ${JSON.stringify(report.rejects.slice(0, 3))}`);
}

let warehouse: Warehouse;
let tests: TestResult[];
beforeAll(async () => {
    warehouse = await Warehouse.open(':memory:');
    await load(warehouse, FIXTURE);
    // Every model: before missing rates were named, this build failed "not_null(amount)" and was rolled back.
    tests = (await buildModels(warehouse)).tests;
});
afterAll(() => warehouse?.close());

describe('marts.fct_fx_missing', () => {
    it('names each currency, what needed a rate and the dates that found none', async () => {
        const rows = await warehouse.all(`select * from marts.fct_fx_missing order by currency, need`);
        expect(rows).toEqual([
            { currency: 'GBP', need: 'entry_bill_rate', first_date: '2024-02-20', last_date: '2024-02-20', row_count: 1, first_rate_date: null },
            { currency: 'GBP', need: 'invoice_line', first_date: '2024-03-06', last_date: '2024-03-06', row_count: 1, first_rate_date: null },
            { currency: 'GBP', need: 'milestone_revenue', first_date: '2024-03-05', last_date: '2024-03-05', row_count: 1, first_rate_date: null },
            { currency: 'USD', need: 'credit_note', first_date: '2024-01-31', last_date: '2024-01-31', row_count: 1, first_rate_date: '2024-02-01' },
            { currency: 'USD', need: 'entry_bill_rate', first_date: '2024-01-15', last_date: '2024-01-15', row_count: 1, first_rate_date: '2024-02-01' },
            { currency: 'USD', need: 'entry_cost_rate', first_date: '2024-01-11', last_date: '2024-01-11', row_count: 1, first_rate_date: '2024-02-01' },
            { currency: 'USD', need: 'fixed_fee_revenue', first_date: '2024-01-01', last_date: '2024-01-01', row_count: 1, first_rate_date: '2024-02-01' },
            { currency: 'USD', need: 'invoice_line', first_date: '2024-01-31', last_date: '2024-01-31', row_count: 1, first_rate_date: '2024-02-01' },
        ]);
    });

    it('builds with every error test passing, and the missing rates as warnings', () => {
        expect(tests.filter((t) => t.severity === 'error' && t.failures > 0)).toEqual([]);
        const warned = tests.filter((t) => t.severity === 'warn' && t.failures > 0).map((t) => `${t.model}: ${t.test}`);
        expect(warned).toContain('intermediate.int_billing_attributed: every document has an fx rate');
        expect(warned).toContain('intermediate.int_revenue_recognized: every revenue row has an fx rate');
    });

    it('is read per currency for the ingest report, health and the dashboard, and worded with its dates', async () => {
        const missing = await fxMissing(warehouse);
        expect(missing).toEqual([
            { currency: 'GBP', first_date: '2024-02-20', last_date: '2024-03-06', rows: 3, first_rate_date: null, needed_by: ['entry_bill_rate', 'invoice_line', 'milestone_revenue'] },
            {
                currency: 'USD',
                first_date: '2024-01-01',
                last_date: '2024-01-31',
                rows: 5,
                first_rate_date: '2024-02-01',
                needed_by: ['credit_note', 'entry_bill_rate', 'entry_cost_rate', 'fixed_fee_revenue', 'invoice_line'],
            },
        ]);
        const [gbp, usd] = describeFxMissing(missing!);
        expect(gbp).toBe(
            'GBP has no fx rate on or before 2024-02-20 … 2024-03-06, the dates that need one (fx_rates has no GBP row): 3 amount(s) left out of the figures ' +
                '(time entries at a GBP bill rate, milestone revenue, invoices); add a GBP rate dated 2024-02-20 or earlier to fx_rates',
        );
        expect(usd).toContain('USD has no fx rate on or before 2024-01-01 … 2024-01-31, the dates that need one (its first rate is dated 2024-02-01): 5 amount(s)');
    });
});

describe('the figures leave out what has no rate, and still reconcile', () => {
    it('converts what has a rate and counts the rest 0 in every stage', async () => {
        type Funnel = Record<'potential' | 'untracked' | 'tracked' | 'unbilled' | 'billable' | 'overrun' | 'recognized' | 'not_invoiced' | 'billed' | 'credited' | 'uncollected' | 'collected' | 'cost', number>;
        const f = (await warehouse.one<Funnel>(
            `select
                sum(potential_value)::double as potential, sum(untracked_value)::double as untracked,
                sum(tracked_value)::double as tracked, sum(unbilled_value)::double as unbilled,
                sum(billable_value)::double as billable, sum(overrun_value)::double as overrun,
                sum(recognized_revenue)::double as recognized, sum(not_invoiced_value)::double as not_invoiced,
                sum(billed_value)::double as billed, sum(credited_value)::double as credited,
                sum(uncollected_value)::double as uncollected, sum(collected_value)::double as collected,
                sum(cost)::double as cost
             from marts.fct_margin_funnel`,
        ))!;
        expect(f).toEqual({
            potential: 2388,
            untracked: 0,
            tracked: 2388,
            unbilled: 198,
            billable: 2190,
            overrun: -3510,
            recognized: 5700,
            not_invoiced: 4500,
            billed: 1200,
            credited: 0,
            uncollected: -3610,
            collected: 4810,
            cost: 1622,
        });
        expect(f.potential - (f.untracked + f.unbilled + f.overrun + f.not_invoiced + f.credited + f.uncollected)).toBe(f.collected);
    });

    it('drills each leak to rows that sum to it, with no row lacking an amount', async () => {
        const rows = await warehouse.all<{ metric: string; n: number; amount: number | null; unpriced: number }>(
            `select metric, count(*)::integer as n, sum(amount)::double as amount, count(*) filter (where amount is null)::integer as unpriced
             from marts.fct_funnel_rows group by metric order by metric`,
        );
        // The credit note without a rate has no row (credited 0); the rest as the funnel.
        expect(rows.map((r) => [r.metric, r.amount, r.unpriced])).toEqual([
            // M1's entry and milestone have no rate: the overrun's parts count them 0; F1 is within its budget
            ['awaiting_signoff', 0, 0],
            ['not_invoiced', 4500, 0],
            ['overrun', -3510, 0],
            ['price_difference', -3510, 0],
            ['unbilled_meetings', 198, 0],
            ['uncollected', -3610, 0],
        ]);
    });

    it('shows the documents without a rate in the realization drill-down with fx_rate and amount null', async () => {
        const pieces = await warehouse.all(
            `select document_type, document_id, currency, amount_native::double as native, fx_rate, amount
             from intermediate.int_billing_attributed where fx_rate is null order by document_id`,
        );
        expect(pieces).toEqual([
            { document_type: 'credit_note', document_id: 'CN1', currency: 'USD', native: 200, fx_rate: null, amount: null },
            { document_type: 'invoice_line', document_id: 'I2', currency: 'USD', native: 4000, fx_rate: null, amount: null },
            { document_type: 'invoice_line', document_id: 'I3', currency: 'GBP', native: 5000, fx_rate: null, amount: null },
        ]);
        // Their cells' totals are null (nothing converts), the others' are sums.
        const cells = await warehouse.all(
            `select document_type, project_id, month, row_count::integer as n, amount::double as amount from marts.fct_billing_rows_summary order by all`,
        );
        expect(cells).toEqual([
            { document_type: 'credit_note', project_id: 'F1', month: '2024-01-01', n: 1, amount: null },
            { document_type: 'invoice_line', project_id: 'F1', month: '2024-01-01', n: 1, amount: null },
            { document_type: 'invoice_line', project_id: 'M1', month: '2024-03-01', n: 1, amount: null },
            { document_type: 'invoice_line', project_id: 'T1', month: '2024-01-01', n: 2, amount: 1200 },
            { document_type: 'payment', project_id: 'F1', month: '2024-01-01', n: 1, amount: 3610 },
            { document_type: 'payment', project_id: 'T1', month: '2024-01-01', n: 2, amount: 1200 },
        ]);
    });
});

describe('a rate dated on or before first_date', () => {
    it('covers every date the list named', async () => {
        const w = await Warehouse.open(':memory:');
        try {
            await load(w, FIXTURE);
            const dir = tempDir('realize-fx-rates-');
            fs.writeFileSync(
                path.join(dir, 'fx_rates.csv'),
                'currency,date,rate_to_reporting\nUSD,2024-01-01,0.92\nUSD,2024-02-01,0.9\nUSD,2024-03-01,0.95\nGBP,2024-02-20,1.15\n',
            );
            await load(w, dir);
            await buildModels(w);
            expect(await fxMissing(w)).toEqual([]);
            // January's USD now converts at 0.92: E3 8 h × 110 × 0.92 = 809.60 more tracked value.
            const tracked = (await w.one<{ t: number }>(`select sum(tracked_value)::double as t from marts.fct_margin_funnel`))!.t;
            expect(tracked).toBeCloseTo(2388 + 809.6 + 5 * 90 * 1.15, 6);
        } finally {
            w.close();
        }
    });

    it('is not known before the models are built', async () => {
        const w = await Warehouse.open(':memory:');
        try {
            await load(w, FIXTURE);
            expect(await fxMissing(w)).toBeNull();
        } finally {
            w.close();
        }
    });
});
