/**
 * The deterministic demo firm: writes one CSV per canonical entity (ingest/entities.ts) into a folder.
 *
 * Same seed and end date → byte-identical files, on any day and machine: a seeded PRNG, no clock, no
 * locale; timestamps are Central European local time with their offset (+01:00 / +02:00).
 * The data spans the 24 months ending at `end`. Generation is streamed (time entries and
 * invoice_line_entries are written week by week), so 10 million entries run in constant memory.
 *
 * Conventions of the files (see also README.md in this folder):
 * - fx_rates has a row for every calendar day of the window for every currency, the reporting
 *   currency (EUR) included at rate 1.
 * - Contract values, retainer fees, milestone amounts and invoices are in the client's currency.
 * - Durations are whole seconds and multiples of 9, so every hour figure (seconds / 3600) is exact
 *   with 4 decimals; a time line's hours equal the sum of its entries' seconds / 3600 exactly and its
 *   amount is round(hours × rate, 2).
 * - The injected review-flag cases carry a marker `[flag:<kind>]` at the start of their notes.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ENTITIES, type EntityName } from '../entities.ts';
import { Calendar, dayString, parseDay, dayOf } from './calendar.ts';
import { CsvWriter, dec4, esc, money } from './csv.ts';
import { Rng } from '../../lib/rng.ts';
import { FIRM_NAME, FX_START, REPORTING_CURRENCY } from './reference.ts';
import { planFirm } from './plan.ts';
import type { Firm } from './plan/types.ts';
import { generateEntries } from './entries.ts';
import { writeBilling } from './billing.ts';

export interface DemoOptions {
    outDir: string;
    /** Default 42. */
    seed?: number;
    /** YYYY-MM-DD; default: the last day of the previous month (UTC) relative to today. */
    end?: string;
    /** Target count of time entries, default 400_000. */
    entries?: number;
    /** Called about once per generated week with the entries written so far. */
    onProgress?: (done: number, total: number) => void;
}

export interface DemoResult {
    /** entity name -> absolute csv path */
    files: Record<string, string>;
    /** entity name -> data rows written (header excluded) */
    rows: Record<string, number>;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_ENTRIES = 400_000;
/** The smallest firm (20 people over 24 months) needs about this many entries. */
export const MIN_ENTRIES = 10_000;

/** The last day of the month before `today`'s month (UTC), as YYYY-MM-DD. */
export function defaultDemoEnd(today: Date = new Date()): string {
    return dayString(dayOf(today.getUTCFullYear(), today.getUTCMonth(), 0));
}

export async function writeDemo(options: DemoOptions): Promise<DemoResult> {
    const seed = options.seed ?? DEFAULT_SEED;
    if (!Number.isSafeInteger(seed)) throw new Error(`demo: seed must be an integer, got ${seed}`);
    const end = options.end ?? defaultDemoEnd();
    const endDay = parseDay(end);
    const target = options.entries ?? DEFAULT_ENTRIES;
    if (!Number.isFinite(target) || target < MIN_ENTRIES) throw new Error(`demo: entries must be at least ${MIN_ENTRIES}, got ${target}`);
    const outDir = resolve(options.outDir);
    await mkdir(outDir, { recursive: true });

    const firm = planFirm({ seed, endDay, entries: target });
    const writers = new Map<EntityName, CsvWriter>();
    for (const e of ENTITIES) writers.set(e.name, new CsvWriter(join(outDir, e.name + '.csv'), e.columns.map((c) => c.name)));
    const w = (name: EntityName): CsvWriter => writers.get(name)!;

    try {
        writeStatic(firm, w);
        // The demo is reported as of its last day, so a fresh start shows a complete month, not a month of gaps.
        w('settings').row(['as_of', end]);
        const state = await generateEntries(firm, Math.round(target), w('time_entries'), w('invoice_line_entries'), options.onProgress);
        await writeBilling(firm, state, { invoices: w('invoices'), lines: w('invoice_lines'), credits: w('credit_notes'), payments: w('payments') });
        writeFx(firm, w('fx_rates'));
    } finally {
        for (const wr of writers.values()) await wr.close();
    }
    const files: Record<string, string> = {};
    const rows: Record<string, number> = {};
    for (const e of ENTITIES) {
        files[e.name] = w(e.name).path;
        rows[e.name] = w(e.name).rows;
    }
    return { files, rows };
}

function writeStatic(firm: Firm, w: (name: EntityName) => CsvWriter): void {
    const { cal } = firm;
    const date = (d: number | null): string => (d === null ? '' : cal.date(d));
    w('settings').row(['reporting_currency', REPORTING_CURRENCY]);
    w('settings').row(['firm_name', esc(FIRM_NAME)]);
    for (const p of firm.people) {
        w('people').row([p.id, esc(p.name), p.email, p.role, esc(p.department), date(p.hireDay), date(p.leaveDay)]);
        for (const c of p.caps) w('person_capacity').row([p.id, date(c.from), String(c.hours)]);
        for (const c of p.costs) w('cost_rates').row([p.id, date(c.from), money(c.cents), c.currency]);
    }
    // The firm itself is no client: its internal projects have none (PRODUCT.md: client_id empty for internal work).
    for (const c of firm.clients) if (!c.internal) w('clients').row([c.id, esc(c.name), c.currency]);
    for (const p of firm.projects) {
        w('projects').row([
            p.id,
            p.client.internal ? '' : p.client.id,
            esc(p.code),
            esc(p.name),
            p.model,
            p.type,
            p.manager?.id ?? '',
            date(p.startDay),
            date(p.endDay),
            p.status,
            p.budgetHours === null ? '' : dec4(Math.round(p.budgetHours * 10000)),
            p.contractCents === null ? '' : money(p.contractCents),
        ]);
        for (const it of p.items) if (it.inPlan) w('plan_lines').row([p.id, it.phase, it.role, dec4(it.est * 10000), 'true']);
        for (const r of p.replan) w('plan_lines').row([p.id, r.phase, r.role, dec4(r.hours * 10000), 'false']);
        for (const t of p.terms) w('retainer_terms').row([p.id, date(t.from), money(t.feeCents), dec4(t.includedTt), money(t.overageCents), String(t.rollover)]);
        for (const m of p.milestones) w('milestones').row([m.id, p.id, esc(m.name), money(m.cents), date(m.plannedDay), date(m.signedOffDay)]);
    }
    for (const r of firm.rateCards) w('rate_cards').row([r.scope, r.scopeId, r.role, date(r.from), date(r.to), money(r.cents), r.currency]);
}

/** Daily rates over the whole window: a mean-reverting random walk, weekends carry Friday's rate. */
function writeFx(firm: Firm, out: CsvWriter): void {
    const rng = new Rng(firm.seed, 6);
    const cal: Calendar = firm.cal;
    const currencies = [REPORTING_CURRENCY, ...Object.keys(FX_START).sort()];
    for (const cur of currencies) {
        const x0 = FX_START[cur] ?? 1;
        let x = x0;
        for (let d = firm.startDay; d <= firm.endDay; d++) {
            if (cur !== REPORTING_CURRENCY && ((d + 3) % 7) < 5) x = x * Math.exp(0.004 * rng.normal()) + 0.02 * (x0 - x);
            out.row([cur, cal.date(d), dec4(Math.max(1, Math.round(x * 10000)))]);
        }
    }
}
