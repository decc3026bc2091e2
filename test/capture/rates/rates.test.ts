/**
 * Rate cards on the hand-made firm (test/fixtures/invoice-firm): role developer 100.00, project_role T1
 * developer 130.00 from 2024-01-15, firm 90.00, client C2 150.00 USD.
 */
import { describe, expect, it } from 'vitest';
import { issueInvoice } from '../../../capture/invoicing/drafts.ts';
import { runInvoices } from '../../../capture/invoicing/run.ts';
import { addCostRate, addRate, endRate, explainEntry } from '../../../capture/rates/rates.ts';
import { buildModels } from '../../../warehouse/models.ts';
import { buildOnce, loadFixture } from '../../helpers/models.ts';

const FINANCE = { actor: 'finance:P9', role: 'finance', person_id: 'P9', address: '127.0.0.1' };

describe('which rate an entry got, and why', () => {
    const fx = buildOnce(async () => ({ warehouse: await loadFixture('test/fixtures/invoice-firm') }));

    it('names the scope that won and why each other card lost', async () => {
        // E1: P1 (developer) on T1, 2024-02-05: project_role 130.00 beats role 100.00 and firm 90.00.
        const e1 = await explainEntry(fx.warehouse, 'E1');
        expect(e1?.applied).toMatchObject({ scope: 'project_role', hourly_rate: 130 });
        expect(e1?.candidates.map((c) => [c.scope, c.applies, c.why])).toEqual([
            ['project_role', true, 'the most specific scope in force on 2024-02-05'],
            ['role', false, 'a less specific scope than project_role'],
            ['firm', false, 'a less specific scope than project_role'],
        ]);
        // E6: 2024-01-10, before the project_role card starts: the role card applies.
        const e6 = await explainEntry(fx.warehouse, 'E6');
        expect(e6?.applied).toMatchObject({ scope: 'role', hourly_rate: 100 });
        expect(e6?.candidates[0]?.why).toBe('starts 2024-01-15, after the work date');
        expect(await explainEntry(fx.warehouse, 'nope')).toBeNull();
    });

    it('adds a card from a date, ending the one it follows, and ends a card', async () => {
        await addRate(fx.warehouse, { scope: 'role', scope_id: '', role: 'developer', effective_from: '2024-03-01', effective_to: null, hourly_rate: 105, currency: 'EUR' }, FINANCE);
        const history = await fx.warehouse.all(`select effective_from, effective_to, hourly_rate::double as r from canonical.rate_cards where scope = 'role' and role = 'developer' order by effective_from`);
        expect(history).toEqual([
            { effective_from: '2024-01-01', effective_to: '2024-02-29', r: 100 },
            { effective_from: '2024-03-01', effective_to: null, r: 105 },
        ]);
        await endRate(fx.warehouse, { scope: 'project_role', scope_id: 'T1', role: 'developer', effective_from: '2024-01-15' }, '2024-02-04', FINANCE);
        // E1 (2024-02-05) now falls back to the role card.
        expect((await explainEntry(fx.warehouse, 'E1'))?.applied).toMatchObject({ scope: 'role', hourly_rate: 100 });
    });

    it('refuses what cannot be true, naming the field', async () => {
        const card = { scope: 'project' as const, scope_id: 'NOPE', role: '', effective_from: '2024-03-01', effective_to: null, hourly_rate: 1, currency: 'EUR' };
        await expect(addRate(fx.warehouse, card, FINANCE)).rejects.toMatchObject({ status: 400, field: 'scope_id' });
        await expect(addRate(fx.warehouse, { ...card, scope_id: 'T1', effective_from: '2024-02-30' }, FINANCE)).rejects.toMatchObject({ field: 'effective_from' });
        await expect(addRate(fx.warehouse, { ...card, scope_id: 'T1', role: 'developer' }, FINANCE)).rejects.toMatchObject({ field: 'role' });
        await expect(addCostRate(fx.warehouse, { person_id: 'P1', effective_from: '2024-01-01', hourly_cost: 55, currency: 'EUR' }, FINANCE)).rejects.toMatchObject({ status: 409 });
    });
});

describe('a rate change', () => {
    const fx = buildOnce(async () => ({ warehouse: await loadFixture('test/fixtures/invoice-firm') }));

    it('re-prices the work in the marts but never an issued invoice', async () => {
        const run = await runInvoices(fx.warehouse, { client_id: 'C1', from: '2024-02-01', to: '2024-02-29', issue_date: '2024-03-01' }, FINANCE);
        await issueInvoice(fx.warehouse, run.invoices[0]!.invoice_id, { issue_date: '2024-03-01' }, FINANCE);
        const lines = () => fx.warehouse.all(`select line_no, hours::double as h, rate::double as r, amount::double as a from canonical.invoice_lines order by line_no`);
        const before = await lines();
        // C1 with the defaults (lines by project, then rate; no rounding): E3 1 h at 120.00; E1 7,200 s + E2
        // 1,000 s = 8,200 s = 2.2778 h at 130.00 = 296.11.
        expect(before).toEqual([
            { line_no: 1, h: 1, r: 120, a: 120 },
            { line_no: 2, h: 2.2778, r: 130, a: 296.11 },
        ]);
        await addRate(fx.warehouse, { scope: 'project', scope_id: 'T1', role: '', effective_from: '2024-02-01', effective_to: null, hourly_rate: 200, currency: 'EUR' }, FINANCE);
        await buildModels(fx.warehouse);
        const std = await fx.warehouse.one<{ v: number }>(`select sum(std_value)::double as v from intermediate.int_entries_priced where entry_id in ('E1', 'E2', 'E3')`);
        // The marts re-price E3 (project_manager: the project card now beats the role card) at 200.00; E1 and E2
        // keep the project_role card, more specific than the project's: 296.11 + 1 h × 200.00 = 496.11.
        expect(Math.round(std!.v * 100) / 100).toBe(496.11);
        expect(await lines()).toEqual(before);
    });
});
