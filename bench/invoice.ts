/**
 * Invoicing benchmark: an invoice run for every client of the demo firm for one month (the demo's last, whose
 * work no invoice bills yet: the demo invoices a month on the 5th of the next), at N entries. Measured: the
 * run (pricing every approved billable entry of the month, the contracts' lines, one draft per client, the
 * claims), issuing every draft, and the refresh after it that brings the funnel up to date. Target: the run at
 * most 5 s at 10M entries; the funnel current after it within the live warehouse's freshness target.
 */
import fs from 'node:fs';
import path from 'node:path';
import { issueInvoice } from '../capture/invoicing/drafts.ts';
import { runInvoices } from '../capture/invoicing/run.ts';
import { ingestFiles } from '../ingest/canonical.ts';
import { resolveInputs } from '../ingest/files.ts';
import { buildModels } from '../warehouse/models.ts';
import { refreshMarts } from '../warehouse/models/refresh.ts';
import { Warehouse } from '../warehouse/warehouse.ts';
import { BENCH_END, benchDemo } from './data.ts';

export interface InvoiceBench {
    entries: number;
    month: string;
    month_entries: number;
    invoices: number;
    lines: number;
    invoiced_entries: number;
    run_ms: number;
    issue_ms: number;
    refresh_ms: number;
    /** The funnel's "not yet invoiced" for the firm fell by exactly what was issued (in the reporting currency). */
    not_invoiced_fell_by: number;
    billed_rose_by: number;
}

const BENCH_ACTOR = { actor: 'bench', role: 'finance', person_id: null, address: 'bench' };

export async function benchInvoice(entries: number): Promise<InvoiceBench> {
    const dir = await benchDemo(entries);
    const file = path.resolve('data', 'bench', `invoice-${entries}.duckdb`);
    // A fresh copy each time: the run writes to it.
    for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
    const warehouse = await Warehouse.open(file);
    try {
        console.log(`loading the demo firm (${entries.toLocaleString('en')} entries) and building the models …`);
        const report = await ingestFiles(warehouse, resolveInputs([dir]).files);
        if (!report.ok) throw new Error('the demo firm did not load');
        await buildModels(warehouse);
        const month = `${BENCH_END.slice(0, 7)}-01`;
        const scope = { client_id: null, from: month, to: BENCH_END, issue_date: '2026-11-05' };
        const count = await warehouse.one<{ n: number }>(
            `select count(*)::integer as n from canonical.time_entries where status = 'approved' and billable and work_date between $1::date and $2::date`,
            [scope.from, scope.to],
        );
        const funnel = () =>
            warehouse.one<{ not_invoiced: number; billed: number }>(`select sum(not_invoiced_value)::double as not_invoiced, sum(billed_value)::double as billed from marts.fct_margin_funnel`);
        const before = await funnel();

        let started = performance.now();
        const run = await runInvoices(warehouse, scope, BENCH_ACTOR);
        const runMs = performance.now() - started;
        started = performance.now();
        for (const inv of run.invoices) await issueInvoice(warehouse, inv.invoice_id, { issue_date: scope.issue_date }, BENCH_ACTOR);
        const issueMs = performance.now() - started;
        started = performance.now();
        await refreshMarts(warehouse);
        const refreshMs = performance.now() - started;
        const after = await funnel();
        return {
            entries,
            month,
            month_entries: count?.n ?? 0,
            invoices: run.invoices.length,
            lines: run.invoices.reduce((a, i) => a + i.lines, 0),
            invoiced_entries: run.invoices.reduce((a, i) => a + i.entries, 0),
            run_ms: Math.round(runMs),
            issue_ms: Math.round(issueMs),
            refresh_ms: Math.round(refreshMs),
            not_invoiced_fell_by: Math.round((before!.not_invoiced - after!.not_invoiced) * 100) / 100,
            billed_rose_by: Math.round((after!.billed - before!.billed) * 100) / 100,
        };
    } finally {
        warehouse.close();
    }
}

export function printInvoiceBench(r: InvoiceBench): void {
    console.log(`\ninvoice run for every client, ${r.month.slice(0, 7)}, demo firm at ${r.entries.toLocaleString('en')} entries`);
    console.log(`  ${r.month_entries.toLocaleString('en')} approved billable entries in the month → ${r.invoices} drafts, ${r.lines} lines, ${r.invoiced_entries.toLocaleString('en')} entries invoiced`);
    console.log(`  run ${(r.run_ms / 1000).toFixed(2)} s (target ≤ 5 s, ratio ${(r.run_ms / 5000).toFixed(2)}); issuing them ${(r.issue_ms / 1000).toFixed(2)} s; refresh after ${(r.refresh_ms / 1000).toFixed(1)} s`);
    console.log(`  funnel: not yet invoiced fell by ${r.not_invoiced_fell_by.toLocaleString('en')}, billed rose by ${r.billed_rose_by.toLocaleString('en')}`);
}
