/**
 * Issuing, numbering, freezing, credit notes and payments on the hand-made firm (test/fixtures/invoice-firm;
 * February's drafts as run.test.ts works them out: C1 445.00 net + 20 % tax = 534.00, C2 2,360.00, C3 8,000.00).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { balanceOf, issueCreditNote, recordPayment } from '../../../capture/invoicing/documents.ts';
import { addAdjustment, deleteDraft, issueInvoice, removeLine } from '../../../capture/invoicing/drafts.ts';
import { runInvoices } from '../../../capture/invoicing/run.ts';
import { setClientSettings } from '../../../capture/invoicing/settings.ts';
import { ingestFiles } from '../../../ingest/canonical.ts';
import { resolveInputs } from '../../../ingest/files.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { buildOnce, loadFixture } from '../../helpers/models.ts';

const FIXTURE = 'test/fixtures/invoice-firm';
const FINANCE = { actor: 'finance:P9', role: 'finance', person_id: 'P9', address: '127.0.0.1' };
const FEBRUARY = { client_id: null, from: '2024-02-01', to: '2024-02-29', issue_date: '2024-03-01' };

async function drafts(warehouse: Warehouse) {
    await setClientSettings(warehouse, { client_id: 'C1', line_grouping: 'phase', rounding_minutes: 15, tax_rate: 0.2, payment_terms_days: 14 }, FINANCE);
    const run = await runInvoices(warehouse, FEBRUARY, FINANCE);
    return Object.fromEntries(run.invoices.map((i) => [i.client_id, i.invoice_id])) as Record<'C1' | 'C2' | 'C3', string>;
}

describe('a draft', () => {
    const fx = buildOnce(async () => {
        const warehouse = await loadFixture(FIXTURE);
        return { warehouse, ids: await drafts(warehouse) };
    });

    it('takes an adjustment with its reason, and refuses one without', async () => {
        await expect(addAdjustment(fx.warehouse, fx.ids.C1, { amount: -45, reason: ' ' }, FINANCE)).rejects.toMatchObject({ status: 400, field: 'reason' });
        const { line_no } = await addAdjustment(fx.warehouse, fx.ids.C1, { amount: -45, reason: 'Goodwill: late delivery' }, FINANCE);
        expect(line_no).toBe(3);
        // 445.00 − 45.00 = 400.00 net; tax 20 % = 80.00; gross 480.00.
        expect(await balanceOf(fx.warehouse, fx.ids.C1)).toMatchObject({ net: 400, tax: 80, gross: 480, outstanding: 480 });
    });

    it('gives back what a removed line or a deleted draft billed', async () => {
        await removeLine(fx.warehouse, fx.ids.C3, 2, FINANCE);
        expect(await fx.warehouse.all(`select item from invoicing.billed_items where item like 'milestone:%'`)).toEqual([]);
        await deleteDraft(fx.warehouse, fx.ids.C2, FINANCE);
        const again = await runInvoices(fx.warehouse, FEBRUARY, FINANCE);
        // MS1 (5,000.00) for C3 and C2's February (2,000.00 + 360.00) are billable again.
        expect(again.invoices.map((i) => [i.client_id, i.amount])).toEqual([
            ['C2', 2360],
            ['C3', 5000],
        ]);
    });
});

describe('an issued invoice', () => {
    const fx = buildOnce(async () => {
        const warehouse = await loadFixture(FIXTURE);
        return { warehouse, ids: await drafts(warehouse) };
    });

    it('gets the year’s next number, gapless under concurrent issues', async () => {
        const issued = await Promise.all([
            issueInvoice(fx.warehouse, fx.ids.C1, { issue_date: '2024-03-04' }, FINANCE),
            issueInvoice(fx.warehouse, fx.ids.C2, { issue_date: '2024-03-04' }, FINANCE),
            issueInvoice(fx.warehouse, fx.ids.C3, { issue_date: '2024-03-04' }, FINANCE),
        ]);
        expect(issued.map((i) => i.number).sort()).toEqual(['INV-2024-0001', 'INV-2024-0002', 'INV-2024-0003']);
        expect(issued[0]!.due_date).toBe('2024-03-18');
    });

    it('is frozen: no adjustment, no removal, no deletion, no second issue (409)', async () => {
        for (const attempt of [
            addAdjustment(fx.warehouse, fx.ids.C1, { amount: 10, reason: 'more' }, FINANCE),
            removeLine(fx.warehouse, fx.ids.C1, 1, FINANCE),
            deleteDraft(fx.warehouse, fx.ids.C1, FINANCE),
            issueInvoice(fx.warehouse, fx.ids.C1, {}, FINANCE),
        ]) {
            await expect(attempt).rejects.toMatchObject({ status: 409 });
        }
    });

    it('takes a partial credit note, then a full one for the rest', async () => {
        // C1: net 445.00, tax 20 %. A 100.00 discount credits 120.00 gross; the rest is 345.00 net.
        await expect(issueCreditNote(fx.warehouse, fx.ids.C1, { amount: 500, reason: 'discount', issue_date: '2024-03-10' }, FINANCE)).rejects.toMatchObject({ field: 'amount' });
        await issueCreditNote(fx.warehouse, fx.ids.C1, { amount: 100, reason: 'discount', issue_date: '2024-03-10' }, FINANCE);
        expect(await balanceOf(fx.warehouse, fx.ids.C1)).toMatchObject({ credited_net: 100, credited_gross: 120, outstanding: 414 });
        const full = await issueCreditNote(fx.warehouse, fx.ids.C3, { reason: 'error', issue_date: '2024-03-10' }, FINANCE);
        expect(full.amount).toBe(8000);
        await expect(issueCreditNote(fx.warehouse, fx.ids.C3, { reason: 'error' }, FINANCE)).rejects.toMatchObject({ status: 409 });
    });

    it('takes payments, partial ones too, net of tax; the one that settles it makes it paid', async () => {
        // C1 owes 414.00 gross (534.00 − 120.00 credited). 240.00 received = 200.00 net; then 174.00 settles:
        // net 345.00 − 200.00 = 145.00.
        await expect(recordPayment(fx.warehouse, fx.ids.C1, { amount: 500, paid_date: '2024-03-20' }, FINANCE)).rejects.toMatchObject({ field: 'amount' });
        const first = await recordPayment(fx.warehouse, fx.ids.C1, { amount: 240, paid_date: '2024-03-20' }, FINANCE);
        expect(first).toMatchObject({ net: 200, outstanding: 174, status: 'issued' });
        const last = await recordPayment(fx.warehouse, fx.ids.C1, { amount: 174, paid_date: '2024-03-25' }, FINANCE);
        expect(last).toMatchObject({ net: 145, outstanding: 0, status: 'paid' });
        const sums = await fx.warehouse.one(`select sum(amount)::double as net from canonical.payments where invoice_id = $1`, [fx.ids.C1]);
        expect(sums).toEqual({ net: 345 });
    });
});

describe('numbering across restarts', () => {
    it('continues the year after a restart, and after the numbers the firm loaded', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-invoice-numbers-'));
        const file = path.join(dir, 'firm.duckdb');
        try {
            let warehouse = await Warehouse.open(file);
            const report = await ingestFiles(warehouse, resolveInputs([FIXTURE]).files);
            expect(report.ok).toBe(true);
            // One invoice numbered INV-2024-0007 loaded from a file: the year's count continues after it.
            await warehouse.run(`insert into canonical.invoices values ('LOADED', 'INV-2024-0007', 'C3', '2024-01-31', null, 'EUR', 'issued', 1)`);
            const ids = await drafts(warehouse);
            expect((await issueInvoice(warehouse, ids.C1, { issue_date: '2024-03-04' }, FINANCE)).number).toBe('INV-2024-0008');
            warehouse.close();
            warehouse = await Warehouse.open(file);
            expect((await issueInvoice(warehouse, ids.C2, { issue_date: '2024-12-31' }, FINANCE)).number).toBe('INV-2024-0009');
            expect((await issueInvoice(warehouse, ids.C3, { issue_date: '2025-01-02' }, FINANCE)).number).toBe('INV-2025-0001');
            warehouse.close();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
