/**
 * The canonical CSV files of a folder (PRODUCT.md "Canonical data"), read with the tests' own CSV reader and
 * typed: decimals exact (exact.ts), rows grouped and ordered the way the figures walk them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvRecords } from '../csv.ts';
import { dayNumber, hourTicks, maxIso, pico } from './exact.ts';

// ---------------------------------------------------------------- CSV (RFC 4180: quoted fields may hold commas, quotes, newlines)

export function parseCsv(text: string): Record<string, string>[] {
    const records = csvRecords(text);
    const [header, ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
    if (!header) return [];
    return rows.map((r) => Object.fromEntries(header.map((h, k) => [h.trim(), (r[k] ?? '').trim()])));
}

function readCsv(dir: string, entity: string): Record<string, string>[] {
    const file = path.join(dir, `${entity}.csv`);
    return fs.existsSync(file) ? parseCsv(fs.readFileSync(file, 'utf8')) : [];
}

export function bool(s: string): boolean {
    const v = s.toLowerCase();
    if (['true', 't', '1', 'yes', 'y'].includes(v)) return true;
    if (['false', 'f', '0', 'no', 'n', ''].includes(v)) return false;
    throw new Error(`not a boolean: "${s}"`);
}

export const opt = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** Items grouped by a key, in the order they come (keys in order of first appearance). */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        const list = out.get(k) ?? [];
        list.push(item);
        out.set(k, list);
    }
    return out;
}

/** Sorts every list of a map in place by its effective_from (the lists are read in file order). */
function byFrom<T extends { from: string }>(lists: Map<string, T[]>): Map<string, T[]> {
    for (const list of lists.values()) list.sort((a, b) => a.from.localeCompare(b.from));
    return lists;
}

// ---------------------------------------------------------------- the canonical data, typed

export interface Person { id: string; role: string; start: string | null; end: string | null }
export interface Project {
    id: string; client: string; model: string; type: string; start: string; end: string | null;
    budgetTicks: number | null; contractValue: bigint | null;
}
export interface RateCard { from: string; to: string | null; rate: bigint; currency: string }
export interface CostRate { from: string; cost: bigint; currency: string }
export interface RetainerTerm { from: string; fee: bigint; includedTicks: number; overageRate: bigint; rollover: number }
export interface Entry {
    id: string; person: string; project: string; phase: string; activity: string; date: string;
    seconds: number; billable: boolean; status: string;
}
export interface Line {
    invoice: string; lineNo: number; project: string; kind: string; amount: bigint;
    periodStart: string | null; periodEnd: string | null; milestone: string | null;
}
/** A currency's rates to the reporting currency, by ascending day number. */
export interface FxSeries { days: number[]; rates: bigint[] }
type Row = Record<string, string>;

export function cardKey(scope: string, scopeId: string, role: string): string {
    // scope_id is the client, project or person (empty for firm and role); role is set for role and project_role.
    const id = scope === 'firm' || scope === 'role' ? '' : scopeId;
    const r = scope === 'role' || scope === 'project_role' ? role : '';
    return `${scope}|${id}|${r}`;
}

/** A firm's canonical files, as of its settings' as_of or a report's own. */
export class Firm {
    readonly reportingCurrency: string;
    readonly asOf: string;
    /** The later of the as-of date and the last work date: capacity runs through it. */
    readonly horizon: string;
    readonly people = new Map<string, Person>();
    readonly clientCurrency = new Map<string, string>();
    readonly projects = new Map<string, Project>();
    readonly fx = new Map<string, FxSeries>();
    readonly entries: Entry[];
    /** Rate cards by cardKey(scope, scope_id, role). */
    readonly cards: Map<string, RateCard[]>;
    /** Cost rates, weekly capacities and retainer terms by person or project, ordered by effective_from. */
    readonly costRates: Map<string, CostRate[]>;
    readonly capacity: Map<string, { from: string; dayTicks: number }[]>;
    readonly terms: Map<string, RetainerTerm[]>;
    readonly milestones: Row[];
    readonly planLines: Row[];
    readonly invoices: Map<string, Row>;
    /** An invoice's lines by line_no. */
    readonly linesByInvoice: Map<string, Line[]>;
    /** The entries a time line bills, by `invoice_id|line_no`. */
    readonly entriesOfLine: Map<string, string[]>;
    readonly creditNotes: Row[];
    readonly payments: Row[];

    constructor(dir: string, asOf?: string) {
        const settings = new Map(readCsv(dir, 'settings').map((r) => [r.key!, r.value!]));
        this.reportingCurrency = settings.get('reporting_currency') || 'EUR';
        const firmAsOf = asOf ?? settings.get('as_of');
        if (!firmAsOf) throw new Error('the recomputation needs settings.csv to set as_of (nothing may depend on today)');
        this.asOf = firmAsOf;

        for (const r of readCsv(dir, 'people')) this.people.set(r.person_id!, { id: r.person_id!, role: r.role!, start: opt(r.start_date), end: opt(r.end_date) });
        for (const r of readCsv(dir, 'clients')) this.clientCurrency.set(r.client_id!, r.currency!);
        for (const r of readCsv(dir, 'projects')) {
            this.projects.set(r.project_id!, {
                id: r.project_id!, client: r.client_id!, model: r.billing_model!, type: r.project_type!, start: r.start_date!,
                end: opt(r.end_date), budgetTicks: r.budget_hours ? hourTicks(r.budget_hours) : null, contractValue: r.contract_value ? pico(r.contract_value) : null,
            });
        }
        const fxRows = readCsv(dir, 'fx_rates').map((r) => ({ currency: r.currency!, day: dayNumber(r.date!), rate: pico(r.rate_to_reporting!) }));
        for (const [currency, rows] of groupBy(fxRows, (r) => r.currency)) {
            rows.sort((a, b) => a.day - b.day);
            this.fx.set(currency, { days: rows.map((r) => r.day), rates: rows.map((r) => r.rate) });
        }

        this.entries = readCsv(dir, 'time_entries').map((r) => ({
            id: r.entry_id!, person: r.person_id!, project: r.project_id!, phase: r.phase ?? '', activity: r.activity!, date: r.work_date!,
            // The warehouse keeps whole seconds; a file may give hours instead.
            seconds: r.duration_seconds !== undefined && r.duration_seconds !== '' ? Number(r.duration_seconds) : Math.round(Number(r.hours) * 3600),
            billable: bool(r.billable!), status: r.status!,
        }));
        const lastWorkDate = this.entries.reduce((m, e) => maxIso(m, e.date), '0000-00-00');
        this.horizon = maxIso(this.asOf, lastWorkDate);

        const cards = readCsv(dir, 'rate_cards').map((r) => ({
            key: cardKey(r.scope!, r.scope_id ?? '', r.role ?? ''),
            card: { from: r.effective_from!, to: opt(r.effective_to), rate: pico(r.hourly_rate!), currency: r.currency! },
        }));
        this.cards = new Map([...groupBy(cards, (c) => c.key)].map(([key, list]) => [key, list.map((c) => c.card)]));
        const costRates = readCsv(dir, 'cost_rates').map((r) => ({ person: r.person_id!, from: r.effective_from!, cost: pico(r.hourly_cost!), currency: r.currency! }));
        this.costRates = byFrom(groupBy(costRates, (c) => c.person));
        // PRODUCT.md: capacity is weekly_hours effective each day ÷ 5, Monday–Friday.
        const capacity = readCsv(dir, 'person_capacity').map((r) => ({ person: r.person_id!, from: r.effective_from!, dayTicks: hourTicks(r.weekly_hours!) / 5 }));
        this.capacity = byFrom(groupBy(capacity, (c) => c.person));
        const terms = readCsv(dir, 'retainer_terms').map((r) => ({
            project: r.project_id!, from: r.effective_from!, fee: pico(r.monthly_fee!), includedTicks: hourTicks(r.included_hours!),
            overageRate: pico(r.overage_rate!), rollover: Number(r.rollover_months),
        }));
        this.terms = byFrom(groupBy(terms, (t) => t.project));
        this.milestones = readCsv(dir, 'milestones');
        this.planLines = readCsv(dir, 'plan_lines');

        this.invoices = new Map(readCsv(dir, 'invoices').map((r) => [r.invoice_id!, r]));
        const lines = readCsv(dir, 'invoice_lines').map((r) => ({
            invoice: r.invoice_id!, lineNo: Number(r.line_no), project: r.project_id!, kind: r.kind!, amount: pico(r.amount!),
            periodStart: opt(r.period_start), periodEnd: opt(r.period_end), milestone: opt(r.milestone_id),
        }));
        this.linesByInvoice = groupBy(lines, (l) => l.invoice);
        for (const list of this.linesByInvoice.values()) list.sort((a, b) => a.lineNo - b.lineNo);
        const billedEntries = readCsv(dir, 'invoice_line_entries');
        this.entriesOfLine = new Map([...groupBy(billedEntries, (r) => `${r.invoice_id}|${Number(r.line_no)}`)].map(([key, rows]) => [key, rows.map((r) => r.entry_id!)]));
        this.creditNotes = readCsv(dir, 'credit_notes');
        this.payments = readCsv(dir, 'payments');
    }

    /**
     * PRODUCT.md: a report as of a date counts only what had happened by then, one cut-off for everything:
     * entries worked, milestones signed off, invoices and credit notes issued, payments paid by that day.
     */
    happened(date: string): boolean {
        return date <= this.asOf;
    }

    isClientWork(e: Entry): boolean {
        return this.projects.get(e.project)!.model !== 'non_billable';
    }
}
