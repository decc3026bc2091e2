/**
 * A second, independent implementation of the figures of PRODUCT.md, for test/server/recompute.test.ts:
 * plain TypeScript over the canonical CSV files of a folder. No warehouse, no SQL, nothing imported from
 * models/, server/ or ingest/: it is written from PRODUCT.md ("Canonical data", "Metrics", "The margin
 * funnel"), and from a model's .yml only where the .yml documents how it refines an ambiguous clause (each
 * such place says so here).
 *
 * Exact arithmetic:
 * - money is a bigint of pico-units (1e-12) of the reporting currency (or of a document's own currency
 *   before conversion). Inputs are decimals with at most 4 places, so they are exact; a product or a pro-rata
 *   share is rounded once, half away from zero, to the pico-unit — 25 000 such roundings move a total by
 *   far less than a millionth of a cent;
 * - hours are integer ticks of 1/180 000 000 h: a second is 50 000 ticks, a decimal hour with 4 places is
 *   a whole number of ticks and so is weekly_hours ÷ 5 — every hour figure is exact.
 *
 * The figures are first computed at a fine grain ("facts": client × project × month, person × week ×
 * month, project × phase, retainer project × month, …) and then summed for whatever grouping and filters a
 * test asks, as ratio of sums.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvRecords } from './csv.ts';

// ---------------------------------------------------------------- numbers

export const UNIT = 10n ** 12n;
export const TICKS_PER_HOUR = 180_000_000;
const TICKS_PER_SECOND = TICKS_PER_HOUR / 3600;

/** An exact decimal string as an integer of 10^-scale units; more significant places than that are an error. */
function scaled(s: string, scale: number): bigint {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: "${s}"`);
    const frac = m[3] ?? '';
    if (/[1-9]/.test(frac.slice(scale))) throw new Error(`"${s}" has more than ${scale} decimals`);
    const v = BigInt((m[2] || '0') + frac.slice(0, scale).padEnd(scale, '0'));
    return m[1] === '-' ? -v : v;
}

/** A decimal (money, a rate) in pico-units. */
export const pico = (s: string): bigint => scaled(s, 12);
/** A decimal number of hours (4 places at most, the warehouse's decimal(18,4)) in ticks. */
const hourTicks = (s: string): number => Number(scaled(s, 4)) * (TICKS_PER_HOUR / 10_000);

/** n ÷ d rounded half away from zero (d > 0). */
export function divRound(n: bigint, d: bigint): bigint {
    if (d <= 0n) throw new Error('divRound: the divisor must be positive');
    const q = n / d;
    const r = n - q * d;
    if (2n * (r < 0n ? -r : r) >= d) return n < 0n ? q - 1n : q + 1n;
    return q;
}

/** pico-units → a JS number (for comparing with the API's JSON). */
export const money = (p: bigint): number => Number(p) / 1e12;
/** ticks → hours. */
export const hours = (t: number): number => t / TICKS_PER_HOUR;

// ---------------------------------------------------------------- dates (ISO strings; day numbers since 1970-01-01)

const MS_PER_DAY = 86_400_000;
export const dayNumber = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / MS_PER_DAY;
export const isoDay = (n: number): string => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). Weeks start on Monday (PRODUCT.md). */
export const weekday = (n: number): number => (((n + 3) % 7) + 7) % 7;
export const mondayOf = (iso: string): string => isoDay(dayNumber(iso) - weekday(dayNumber(iso)));
export const monthOf = (iso: string): string => `${iso.slice(0, 7)}-01`;
export function monthEnd(iso: string): string {
    const y = +iso.slice(0, 4);
    const m = +iso.slice(5, 7);
    return isoDay(Date.UTC(y, m, 0) / MS_PER_DAY);
}
export function addMonths(month: string, k: number): string {
    const d = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7) - 1 + k, 1));
    return d.toISOString().slice(0, 10);
}
const maxIso = (a: string, b: string): string => (a > b ? a : b);
const minIso = (a: string, b: string): string => (a < b ? a : b);

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

function bool(s: string): boolean {
    const v = s.toLowerCase();
    if (['true', 't', '1', 'yes', 'y'].includes(v)) return true;
    if (['false', 'f', '0', 'no', 'n', ''].includes(v)) return false;
    throw new Error(`not a boolean: "${s}"`);
}

const opt = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

// ---------------------------------------------------------------- the canonical data, typed

interface Person { id: string; role: string; start: string | null; end: string | null }
interface Project {
    id: string; client: string; model: string; type: string; start: string; end: string | null;
    budgetTicks: number | null; contractValue: bigint | null;
}
interface RateCard { from: string; to: string | null; rate: bigint; currency: string }
interface Entry {
    id: string; person: string; project: string; phase: string; activity: string; date: string;
    seconds: number; billable: boolean; status: string;
}
interface Line {
    invoice: string; lineNo: number; project: string; kind: string; amount: bigint;
    periodStart: string | null; periodEnd: string | null; milestone: string | null;
}

/** What a piece of money is attributed to: a project and a month (first day), and the entry's work date if it bills one. */
export interface Part { project: string; month: string; weight: bigint; workDate?: string }

export interface Filters {
    client_id?: string;
    project_id?: string;
    project_type?: string;
    person_id?: string;
    role?: string;
    phase?: string;
    /** The API selects whole months (its marts are monthly): month ≥ the month of `from`, month ≤ `to`. */
    from?: string;
    to?: string;
}

export interface ProjectMonthFact {
    client_id: string;
    project_id: string;
    project_type: string;
    billing_model: string;
    month: string;
    /** std of all client entries (funnel stage 2). */
    tracked: bigint;
    /** std of billable client entries = standard value (stage 3). */
    standard: bigint;
    unbilled_meetings: bigint;
    unbilled_other: bigint;
    untracked: bigint;
    recognized: bigint;
    /** The leak below stage 3, standard − recognized, in its three parts (they add up to it). */
    budget_overrun: bigint;
    price_difference: bigint;
    awaiting_signoff: bigint;
    billed: bigint;
    /** The same invoice lines at the fx rate of the date their revenue was recognized at (stage 4's fx difference). */
    billed_at_recognition: bigint;
    credited: bigint;
    collected: bigint;
    cost: bigint;
    client_ticks: number;
    billable_ticks: number;
}

export interface UtilizationFact {
    person_id: string;
    role: string;
    week: string;
    month: string;
    capacity_ticks: number;
    billable_ticks: number;
    client_ticks: number;
    internal_ticks: number;
    all_ticks: number;
    /** min(week's logged, week's capacity) × this slice's capacity ÷ week's capacity, in ticks (fractional). */
    completeness_credit_ticks: number;
}

export interface PhaseFact {
    client_id: string;
    project_id: string;
    project_type: string;
    project_start: string;
    phase: string;
    /** Σ baseline estimated hours in ticks; null when the baseline has no line for the phase. */
    estimated_ticks: number | null;
    actual_ticks: number;
}

export interface RetainerMonth {
    client_id: string;
    project_id: string;
    project_type: string;
    month: string;
    included_ticks: number;
    billable_ticks: number;
    included_used_ticks: number;
    rollover_used_ticks: number;
    overage_ticks: number;
    fee: bigint;
    overage_amount: bigint;
    revenue: bigint;
}

export interface BurnRow {
    project_id: string;
    client_id: string;
    budget_ticks: number | null;
    hours_used_ticks: number;
    billable_hours_used_ticks: number;
}

// ---------------------------------------------------------------- the recomputation

export class Recomputation {
    readonly reportingCurrency: string;
    readonly asOf: string;
    readonly horizon: string;
    readonly projectMonths: ProjectMonthFact[];
    readonly utilization: UtilizationFact[];
    readonly phases: PhaseFact[];
    readonly retainerMonths: RetainerMonth[];
    readonly burn: BurnRow[];
    readonly projects: ReadonlyMap<string, Project>;
    /** Things the data holds that this implementation does not price (a missing fx rate …); a test expects none. */
    readonly problems: string[] = [];

    private readonly people = new Map<string, Person>();
    private readonly clientCurrency = new Map<string, string>();
    private readonly fx = new Map<string, { days: number[]; rates: bigint[] }>();

    /** `asOf`: a report's as-of date instead of the firm's (settings.csv). */
    constructor(dir: string, options: { asOf?: string } = {}) {
        const settings = new Map(readCsv(dir, 'settings').map((r) => [r.key!, r.value!]));
        this.reportingCurrency = settings.get('reporting_currency') || 'EUR';
        const asOf = options.asOf ?? settings.get('as_of');
        if (!asOf) throw new Error('the recomputation needs settings.csv to set as_of (nothing may depend on today)');
        this.asOf = asOf;

        for (const r of readCsv(dir, 'people')) this.people.set(r.person_id!, { id: r.person_id!, role: r.role!, start: opt(r.start_date), end: opt(r.end_date) });
        for (const r of readCsv(dir, 'clients')) this.clientCurrency.set(r.client_id!, r.currency!);
        const projects = new Map<string, Project>();
        for (const r of readCsv(dir, 'projects')) {
            projects.set(r.project_id!, {
                id: r.project_id!, client: r.client_id!, model: r.billing_model!, type: r.project_type!, start: r.start_date!,
                end: opt(r.end_date), budgetTicks: r.budget_hours ? hourTicks(r.budget_hours) : null, contractValue: r.contract_value ? pico(r.contract_value) : null,
            });
        }
        this.projects = projects;
        for (const r of readCsv(dir, 'fx_rates')) {
            const c = this.fx.get(r.currency!) ?? { days: [], rates: [] };
            c.days.push(dayNumber(r.date!));
            c.rates.push(pico(r.rate_to_reporting!));
            this.fx.set(r.currency!, c);
        }
        for (const c of this.fx.values()) {
            const order = c.days.map((_, k) => k).sort((a, b) => c.days[a]! - c.days[b]!);
            c.days = order.map((k) => c.days[k]!);
            c.rates = order.map((k) => c.rates[k]!);
        }

        const entries: Entry[] = readCsv(dir, 'time_entries').map((r) => ({
            id: r.entry_id!, person: r.person_id!, project: r.project_id!, phase: r.phase ?? '', activity: r.activity!, date: r.work_date!,
            // The warehouse keeps whole seconds; a file may give hours instead.
            seconds: r.duration_seconds !== undefined && r.duration_seconds !== '' ? Number(r.duration_seconds) : Math.round(Number(r.hours) * 3600),
            billable: bool(r.billable!), status: r.status!,
        }));
        const lastWorkDate = entries.reduce((m, e) => maxIso(m, e.date), '0000-00-00');
        this.horizon = maxIso(this.asOf, lastWorkDate);

        // ---- prices of each entry: std(e) and cost(e), in the reporting currency at the work date's rate
        const cards = new Map<string, RateCard[]>();
        for (const r of readCsv(dir, 'rate_cards')) {
            const key = cardKey(r.scope!, r.scope_id ?? '', r.role ?? '');
            const list = cards.get(key) ?? [];
            list.push({ from: r.effective_from!, to: opt(r.effective_to), rate: pico(r.hourly_rate!), currency: r.currency! });
            cards.set(key, list);
        }
        const costRates = new Map<string, { from: string; cost: bigint; currency: string }[]>();
        for (const r of readCsv(dir, 'cost_rates')) {
            const list = costRates.get(r.person_id!) ?? [];
            list.push({ from: r.effective_from!, cost: pico(r.hourly_cost!), currency: r.currency! });
            costRates.set(r.person_id!, list);
        }
        for (const list of costRates.values()) list.sort((a, b) => a.from.localeCompare(b.from));

        const billRate = (e: Entry, person: Person, project: Project): RateCard | null => {
            // PRODUCT.md: the most specific scope that matches — project_role, project, client, person, role,
            // firm — and within it the card with the latest effective_from ≤ work_date (and effective_to
            // empty or ≥ work_date). Read as: a scope matches when it has a card in force on the work date.
            const scopes = [
                cardKey('project_role', project.id, person.role),
                cardKey('project', project.id, ''),
                cardKey('client', project.client, ''),
                cardKey('person', person.id, ''),
                cardKey('role', '', person.role),
                cardKey('firm', '', ''),
            ];
            for (const key of scopes) {
                let best: RateCard | null = null;
                for (const c of cards.get(key) ?? []) {
                    if (c.from > e.date || (c.to !== null && c.to < e.date)) continue;
                    if (!best || c.from > best.from) best = c;
                }
                if (best) return best;
            }
            return null;
        };
        const std = new Map<string, bigint>();
        const cost = new Map<string, bigint>();
        const hourValue = (seconds: number, perHour: bigint, fx: bigint): bigint => divRound(BigInt(seconds) * perHour * fx, 3600n * UNIT);
        for (const e of entries) {
            const person = this.people.get(e.person)!;
            const project = projects.get(e.project)!;
            const card = billRate(e, person, project);
            if (card) {
                const fx = this.fxRate(card.currency, e.date, `rate card for ${e.id}`);
                std.set(e.id, hourValue(e.seconds, card.rate, fx));
            }
            const cr = [...(costRates.get(e.person) ?? [])].reverse().find((c) => c.from <= e.date);
            if (cr) cost.set(e.id, hourValue(e.seconds, cr.cost, this.fxRate(cr.currency, e.date, `cost rate for ${e.id}`)));
        }

        // ---- capacity by person-day (PRODUCT.md: weekly_hours effective each day ÷ 5, Monday–Friday). As
        // int_person_days.yml refines: days of employment (start_date … end_date), from the first capacity row
        // on, through the horizon.
        const capacity = new Map<string, { from: string; dayTicks: number }[]>();
        for (const r of readCsv(dir, 'person_capacity')) {
            const list = capacity.get(r.person_id!) ?? [];
            list.push({ from: r.effective_from!, dayTicks: hourTicks(r.weekly_hours!) / 5 });
            capacity.set(r.person_id!, list);
        }
        for (const list of capacity.values()) list.sort((a, b) => a.from.localeCompare(b.from));
        /** person → day (ISO) → capacity ticks, working days only. */
        const personDays = new Map<string, Map<string, number>>();
        for (const person of this.people.values()) {
            const caps = capacity.get(person.id) ?? [];
            const days = new Map<string, number>();
            personDays.set(person.id, days);
            if (caps.length === 0) continue;
            const first = maxIso(person.start ?? caps[0]!.from, caps[0]!.from);
            const last = minIso(person.end ?? this.horizon, this.horizon);
            let k = 0;
            for (let d = dayNumber(first); d <= dayNumber(last); d++) {
                const iso = isoDay(d);
                while (k + 1 < caps.length && caps[k + 1]!.from <= iso) k++;
                if (weekday(d) < 5) days.set(iso, caps[k]!.dayTicks);
            }
        }

        // ---- facts by client × project × month
        const facts = new Map<string, ProjectMonthFact>();
        const fact = (projectId: string, month: string): ProjectMonthFact => {
            const key = `${projectId}|${month}`;
            let f = facts.get(key);
            if (!f) {
                const p = projects.get(projectId)!;
                f = {
                    client_id: p.client, project_id: p.id, project_type: p.type, billing_model: p.model, month,
                    tracked: 0n, standard: 0n, unbilled_meetings: 0n, unbilled_other: 0n, untracked: 0n, recognized: 0n,
                    budget_overrun: 0n, price_difference: 0n, awaiting_signoff: 0n, billed_at_recognition: 0n,
                    billed: 0n, credited: 0n, collected: 0n, cost: 0n, client_ticks: 0, billable_ticks: 0,
                };
                facts.set(key, f);
            }
            return f;
        };
        const isClientWork = (e: Entry): boolean => projects.get(e.project)!.model !== 'non_billable';
        // PRODUCT.md: a report as of a date counts only what had happened by then, one cut-off for everything:
        // entries worked, milestones signed off, invoices and credit notes issued, payments paid by that day.
        const happened = (date: string): boolean => date <= this.asOf;
        for (const e of entries) {
            if (!isClientWork(e) || !happened(e.date)) continue;
            const f = fact(e.project, monthOf(e.date));
            const value = std.get(e.id) ?? 0n; // an entry without a rate card has no value to add
            const ticks = e.seconds * TICKS_PER_SECOND;
            f.tracked += value;
            f.client_ticks += ticks;
            f.cost += cost.get(e.id) ?? 0n;
            if (e.billable) {
                f.standard += value;
                f.billable_ticks += ticks;
            } else if (e.activity === 'meeting') f.unbilled_meetings += value;
            else f.unbilled_other += value;
        }

        // ---- untracked value (funnel, stage 1 leak): per person-week, gap = max(0, capacity − all hours
        // logged, internal included); value = gap × the week's client std ÷ its client hours, shared among
        // projects and months in proportion to std. Capacity counts the working days through as_of (PRODUCT.md:
        // "Accruals (… untracked time) run through the as-of date"); logged hours are all the week's entries, of
        // every status (the same hours the tracked value counts).
        const weeks = new Map<string, { person: string; all: number; clientTicks: number; pieces: Map<string, bigint> }>();
        for (const e of entries) {
            const key = `${e.person}|${mondayOf(e.date)}`;
            const w = weeks.get(key) ?? { person: e.person, all: 0, clientTicks: 0, pieces: new Map<string, bigint>() };
            weeks.set(key, w);
            const ticks = e.seconds * TICKS_PER_SECOND;
            w.all += ticks;
            if (isClientWork(e)) {
                w.clientTicks += ticks;
                const piece = `${e.project}|${monthOf(e.date)}`;
                w.pieces.set(piece, (w.pieces.get(piece) ?? 0n) + (std.get(e.id) ?? 0n));
            }
        }
        for (const [key, w] of weeks) {
            if (w.clientTicks === 0) continue;
            const monday = dayNumber(key.slice(key.indexOf('|') + 1));
            const days = personDays.get(w.person)!;
            let cap = 0;
            for (let d = monday; d < monday + 7; d++) if (isoDay(d) <= this.asOf) cap += days.get(isoDay(d)) ?? 0;
            const gap = cap - w.all;
            if (gap <= 0) continue;
            for (const [piece, value] of w.pieces) {
                const [projectId, month] = piece.split('|') as [string, string];
                fact(projectId, month).untracked += divRound(BigInt(gap) * value, BigInt(w.clientTicks));
            }
        }

        // ---- revenue recognized, as of as_of
        const billableByProjectMonth = new Map<string, number>(); // project|month → billable ticks (every status)
        const billableSoFar = new Map<string, number>(); // the same through the as-of day
        for (const e of entries) {
            if (!e.billable) continue;
            const key = `${e.project}|${monthOf(e.date)}`;
            billableByProjectMonth.set(key, (billableByProjectMonth.get(key) ?? 0) + e.seconds * TICKS_PER_SECOND);
            if (happened(e.date)) billableSoFar.set(key, (billableSoFar.get(key) ?? 0) + e.seconds * TICKS_PER_SECOND);
        }
        const asOfMonth = monthOf(this.asOf);
        const retainerMonths: RetainerMonth[] = [];
        const terms = new Map<string, { from: string; fee: bigint; includedTicks: number; overageRate: bigint; rollover: number }[]>();
        for (const r of readCsv(dir, 'retainer_terms')) {
            const list = terms.get(r.project_id!) ?? [];
            list.push({ from: r.effective_from!, fee: pico(r.monthly_fee!), includedTicks: hourTicks(r.included_hours!), overageRate: pico(r.overage_rate!), rollover: Number(r.rollover_months) });
            terms.set(r.project_id!, list);
        }
        for (const list of terms.values()) list.sort((a, b) => a.from.localeCompare(b.from));
        const milestones = readCsv(dir, 'milestones');

        for (const p of projects.values()) {
            const currency = this.clientCurrency.get(p.client)!;
            const monthsWithBillable = [...billableByProjectMonth.keys()].filter((k) => k.startsWith(`${p.id}|`)).map((k) => k.slice(p.id.length + 1)).sort();
            if (p.model === 'time_and_materials') {
                // standard value of billable entries, in their work month (every status: work done is work done)
                for (const f of facts.values()) if (f.project_id === p.id && f.month <= this.asOf) f.recognized += f.standard;
            } else if (p.model === 'fixed_fee') {
                // contract_value × min(1, cumulative billable hours / budget_hours) at the end of each work month,
                // minus the same at the end of the month before; contract (client) currency at the month's first day.
                // In the as-of month, the hours through the as-of day.
                if (p.budgetTicks === null || p.budgetTicks === 0 || p.contractValue === null) continue;
                let cumulative = 0;
                let earnedBefore = 0n;
                for (const month of monthsWithBillable) {
                    cumulative += billableSoFar.get(`${p.id}|${month}`) ?? 0;
                    const earned = cumulative >= p.budgetTicks ? p.contractValue : divRound(p.contractValue * BigInt(cumulative), BigInt(p.budgetTicks));
                    if (month <= this.asOf) fact(p.id, month).recognized += this.convert(earned - earnedBefore, currency, month, `fixed fee ${p.id}`);
                    earnedBefore = earned;
                }
            } else if (p.model === 'milestone') {
                for (const m of milestones) {
                    if (m.project_id !== p.id || !m.signed_off_date || m.signed_off_date > this.asOf) continue;
                    fact(p.id, monthOf(m.signed_off_date)).recognized += this.convert(pico(m.amount!), currency, m.signed_off_date, `milestone ${m.milestone_id}`);
                }
            } else if (p.model === 'retainer') {
                const list = terms.get(p.id) ?? [];
                if (list.length === 0) continue;
                // Each month from the later of start_date and the (first) term's effective_from through the
                // earlier of end_date and the as-of month. As int_retainer_usage.yml refines the clause "a term
                // runs until the next term's effective_from": a month is governed by the latest term starting in
                // or before it (one fee a month, not prorated), and its rollover window is its own term's
                // rollover_months previous calendar months.
                const first = monthOf(maxIso(p.start, list[0]!.from));
                const last = monthOf(minIso(p.end ?? this.horizon, this.asOf));
                const unused: { month: string; ticks: number }[] = [];
                for (let month = first; month <= last; month = addMonths(month, 1)) {
                    const term = [...list].reverse().find((t) => monthOf(t.from) <= month)!;
                    const billable = billableByProjectMonth.get(`${p.id}|${month}`) ?? 0;
                    const own = Math.min(billable, term.includedTicks);
                    let rest = billable - own;
                    let rolled = 0;
                    const window = addMonths(month, -term.rollover);
                    for (const u of unused) {
                        if (rest === 0) break;
                        if (u.month < window) continue;
                        const take = Math.min(rest, u.ticks);
                        u.ticks -= take;
                        rest -= take;
                        rolled += take;
                    }
                    unused.push({ month, ticks: term.includedTicks - own });
                    const fee = this.convert(term.fee, currency, month, `retainer fee ${p.id} ${month}`);
                    const overageNative = divRound(term.overageRate * BigInt(rest), BigInt(TICKS_PER_HOUR));
                    const overage = this.convert(overageNative, currency, month, `retainer overage ${p.id} ${month}`);
                    retainerMonths.push({
                        client_id: p.client, project_id: p.id, project_type: p.type, month, included_ticks: term.includedTicks, billable_ticks: billable,
                        included_used_ticks: own, rollover_used_ticks: rolled, overage_ticks: rest, fee, overage_amount: overage, revenue: fee + overage,
                    });
                    fact(p.id, month).recognized += fee + overage;
                }
            }
        }
        this.retainerMonths = retainerMonths;

        // ---- the leak below stage 3, standard − recognized, in three parts (PRODUCT.md "The margin funnel").
        // Overrun: the std value of billable hours beyond a fixed-fee budget, counted in work-date order, and of
        // a retainer month's overage hours — its last billable hours in work-date order — beyond what the
        // overage revenue pays (max(0, …) per month). Where a day crosses the line, its entries share the
        // excess pro rata by their hours. Price difference: the rest of a fixed-fee or retainer project's gap.
        // Awaiting sign-off: a milestone project's whole gap.
        const billableDays = new Map<string, Map<string, Entry[]>>(); // project → work date → its billable entries
        for (const e of entries) {
            if (!e.billable || !isClientWork(e)) continue;
            // a retainer month's overage hours are its last ones: the whole month decides which they are
            if (!happened(e.date) && projects.get(e.project)!.model !== 'retainer') continue;
            const days = billableDays.get(e.project) ?? new Map<string, Entry[]>();
            billableDays.set(e.project, days);
            days.set(e.date, [...(days.get(e.date) ?? []), e]);
        }
        const dayTicksOf = (dayEntries: Entry[]): number => dayEntries.reduce((sum, e) => sum + e.seconds * TICKS_PER_SECOND, 0);
        /** The std value of `beyond` ticks of a day's entries, shared pro rata by their ticks. */
        const valueBeyond = (dayEntries: Entry[], beyond: number): bigint => {
            const dayTicks = dayTicksOf(dayEntries);
            if (beyond === 0 || dayTicks === 0) return 0n;
            return dayEntries.reduce((sum, e) => sum + divRound((std.get(e.id) ?? 0n) * BigInt(beyond), BigInt(dayTicks)), 0n);
        };
        for (const p of projects.values()) {
            if (p.model !== 'fixed_fee' || p.budgetTicks === null) continue;
            let through = 0;
            for (const [day, dayEntries] of [...(billableDays.get(p.id) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
                const dayTicks = dayTicksOf(dayEntries);
                through += dayTicks;
                fact(p.id, monthOf(day)).budget_overrun += valueBeyond(dayEntries, Math.max(0, Math.min(dayTicks, through - p.budgetTicks)));
            }
        }
        for (const m of retainerMonths) {
            let overage = m.overage_ticks;
            let overageValue = 0n;
            const days = [...(billableDays.get(m.project_id) ?? [])].filter(([day]) => monthOf(day) === m.month).sort(([a], [b]) => b.localeCompare(a));
            let overageSoFar = 0n;
            for (const [day, dayEntries] of days) {
                const beyond = Math.min(dayTicksOf(dayEntries), overage);
                overage -= beyond;
                overageValue += valueBeyond(dayEntries, beyond);
                if (happened(day)) overageSoFar += valueBeyond(dayEntries, beyond);
            }
            // a month that overruns counts its overage hours worked through the as-of day against its overage revenue
            if (overageValue > m.overage_amount) fact(m.project_id, m.month).budget_overrun += overageSoFar - m.overage_amount;
        }
        for (const f of facts.values()) {
            if (f.billing_model === 'fixed_fee' || f.billing_model === 'retainer') f.price_difference = f.standard - f.budget_overrun - f.recognized;
            else if (f.billing_model === 'milestone') f.awaiting_signoff = f.standard - f.recognized;
        }

        // ---- billed, credited, collected (PRODUCT.md "Billed value")
        const invoices = new Map(readCsv(dir, 'invoices').map((r) => [r.invoice_id!, r]));
        const linesByInvoice = new Map<string, Line[]>();
        for (const r of readCsv(dir, 'invoice_lines')) {
            const list = linesByInvoice.get(r.invoice_id!) ?? [];
            list.push({
                invoice: r.invoice_id!, lineNo: Number(r.line_no), project: r.project_id!, kind: r.kind!, amount: pico(r.amount!),
                periodStart: opt(r.period_start), periodEnd: opt(r.period_end), milestone: opt(r.milestone_id),
            });
            linesByInvoice.set(r.invoice_id!, list);
        }
        for (const list of linesByInvoice.values()) list.sort((a, b) => a.lineNo - b.lineNo);
        const entriesOfLine = new Map<string, string[]>();
        for (const r of readCsv(dir, 'invoice_line_entries')) {
            const key = `${r.invoice_id}|${Number(r.line_no)}`;
            const list = entriesOfLine.get(key) ?? [];
            list.push(r.entry_id!);
            entriesOfLine.set(key, list);
        }
        const entryById = new Map(entries.map((e) => [e.id, e]));
        const counts = (invoiceId: string): boolean => ['issued', 'paid'].includes(invoices.get(invoiceId)?.status ?? '');
        // Where a line's amount goes: a time line to the entries it lists, pro rata by hours; any other line to
        // its project and the months of period_start…period_end, pro rata by day (the issue date without a
        // period). Credit notes and payments go over their invoice's lines pro rata by line amount, then like
        // each line. As int_billing_attributed.yml refines this, every piece is whole cents of the document's
        // currency (money is decimal(18,2)): piece k = round(A × (w1+…+wk) ÷ W) − round(A × (w1+…+wk−1) ÷ W),
        // pieces in the order line_no, then work month, work date, entry_id — so a document's pieces add up
        // to it exactly; each piece is then converted at the document date's rate, unrounded.
        const partsOf = (line: Line): Part[] => {
            const listed = line.kind === 'time' ? (entriesOfLine.get(`${line.invoice}|${line.lineNo}`) ?? []) : [];
            if (listed.length > 0) {
                return listed
                    .map((id) => entryById.get(id)!)
                    .sort((a, b) => monthOf(a.date).localeCompare(monthOf(b.date)) || a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
                    .map((e) => ({ project: e.project, month: monthOf(e.date), weight: BigInt(e.seconds), workDate: e.date }));
            }
            const issue = invoices.get(line.invoice)!.issue_date!;
            const start = line.periodStart ?? line.periodEnd ?? issue;
            const end = line.periodEnd ?? line.periodStart ?? issue;
            const days = new Map<string, number>();
            for (let d = dayNumber(start); d <= dayNumber(end); d++) days.set(monthOf(isoDay(d)), (days.get(monthOf(isoDay(d))) ?? 0) + 1);
            return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([month, n]) => ({ project: line.project, month, weight: BigInt(n) }));
        };
        const CENT = UNIT / 100n;
        const attribute = (what: 'billed' | 'credited' | 'collected', cents: bigint, line: Line, currency: string, date: string, label: string): void => {
            const parts = partsOf(line);
            splitCents(cents, parts.map((p) => p.weight)).forEach((piece, k) => {
                fact(parts[k]!.project, parts[k]!.month)[what] += this.convert(piece * CENT, currency, date, label);
            });
        };
        // Stage 4 measures what is not yet invoiced at the rates the revenue was recognized at, and the rest of
        // recognized − billed is the fx difference (PRODUCT.md "The margin funnel"): an invoice line's piece is
        // converted again at the rate of the entry's work date (time billed by entry), of the milestone's
        // sign-off date (a milestone line issued on or after it), else of the first day of the piece's month.
        const signedOff = new Map(milestones.map((m) => [m.milestone_id!, opt(m.signed_off_date)]));
        for (const [invoiceId, lines] of linesByInvoice) {
            if (!counts(invoiceId)) continue;
            const inv = invoices.get(invoiceId)!;
            if (!happened(inv.issue_date!)) continue;
            for (const line of lines) {
                attribute('billed', line.amount / CENT, line, inv.currency!, inv.issue_date!, `invoice ${invoiceId}`);
                const parts = partsOf(line);
                const signOff = line.milestone ? signedOff.get(line.milestone) : null;
                splitCents(line.amount / CENT, parts.map((p) => p.weight)).forEach((piece, k) => {
                    const part = parts[k]!;
                    const recognizedOn = part.workDate ?? (signOff && signOff <= inv.issue_date! ? signOff : part.month);
                    fact(part.project, part.month).billed_at_recognition += this.convert(piece * CENT, inv.currency!, recognizedOn, `invoice ${invoiceId} at recognition`);
                });
            }
        }
        const document = (what: 'credited' | 'collected', invoiceId: string, amount: bigint, date: string, label: string): void => {
            if (!counts(invoiceId) || !happened(date)) return;
            const inv = invoices.get(invoiceId)!;
            const lines = linesByInvoice.get(invoiceId) ?? [];
            if (lines.length === 0) {
                this.problems.push(`${label} is on invoice ${invoiceId}, which has no lines`);
                return;
            }
            splitCents(amount / CENT, lines.map((l) => l.amount / CENT)).forEach((share, k) => attribute(what, share, lines[k]!, inv.currency!, date, label));
        };
        for (const r of readCsv(dir, 'credit_notes')) document('credited', r.invoice_id!, pico(r.amount!), r.issue_date!, `credit note ${r.credit_note_id}`);
        for (const r of readCsv(dir, 'payments')) document('collected', r.invoice_id!, pico(r.amount!), r.paid_date!, `payment ${r.payment_id}`);
        this.projectMonths = [...facts.values()].filter((f) => projects.get(f.project_id)!.model !== 'non_billable');

        // ---- utilization slices: person × week × month (a week across a month end has a slice in each month)
        const slices = new Map<string, UtilizationFact>();
        const slice = (personId: string, date: string): UtilizationFact => {
            const week = mondayOf(date);
            const month = monthOf(date);
            const key = `${personId}|${week}|${month}`;
            let s = slices.get(key);
            if (!s) {
                s = {
                    person_id: personId, role: this.people.get(personId)!.role, week, month,
                    capacity_ticks: 0, billable_ticks: 0, client_ticks: 0, internal_ticks: 0, all_ticks: 0, completeness_credit_ticks: 0,
                };
                slices.set(key, s);
            }
            return s;
        };
        // Capacity, like every accrual, stops at the as-of date, and entries dated after it do not count.
        for (const [personId, days] of personDays) for (const [day, ticks] of days) if (happened(day)) slice(personId, day).capacity_ticks += ticks;
        for (const e of entries) {
            if (!happened(e.date)) continue;
            const s = slice(e.person, e.date);
            const ticks = e.seconds * TICKS_PER_SECOND;
            s.all_ticks += ticks;
            if (isClientWork(e)) {
                s.client_ticks += ticks;
                if (e.billable) s.billable_ticks += ticks;
            } else s.internal_ticks += ticks;
        }
        // Timesheet completeness (person-week) = min(1, logged ÷ capacity); a group's is Σ min(logged, capacity)
        // ÷ Σ capacity, a week's credit shared among its month slices by capacity (fct_utilization.yml).
        const weekTotals = new Map<string, { cap: number; all: number }>();
        for (const s of slices.values()) {
            const t = weekTotals.get(`${s.person_id}|${s.week}`) ?? { cap: 0, all: 0 };
            t.cap += s.capacity_ticks;
            t.all += s.all_ticks;
            weekTotals.set(`${s.person_id}|${s.week}`, t);
        }
        for (const s of slices.values()) {
            const t = weekTotals.get(`${s.person_id}|${s.week}`)!;
            s.completeness_credit_ticks = t.cap === 0 ? 0 : (Math.min(t.all, t.cap) * s.capacity_ticks) / t.cap;
        }
        // The week running at the as-of date is judged on its days through it (the slices above hold only those):
        // its completeness is min(1, logged ÷ capacity so far), and each of its month slices is weighted by the
        // slice's capacity so far — the same rule as an ended week, on the days that have happened.
        this.utilization = [...slices.values()];

        // ---- estimate vs actual by project × phase: baseline estimated hours vs hours of the entries. As
        // fct_estimate_vs_actual.yml refines "actual hours": every status but rejected (sent back as wrong),
        // and an entry without a phase counts under "(no phase)".
        const phases = new Map<string, PhaseFact>();
        const phaseFact = (projectId: string, phase: string): PhaseFact => {
            const key = `${projectId}|${phase}`;
            let f = phases.get(key);
            if (!f) {
                const p = projects.get(projectId)!;
                f = { client_id: p.client, project_id: p.id, project_type: p.type, project_start: p.start, phase, estimated_ticks: null, actual_ticks: 0 };
                phases.set(key, f);
            }
            return f;
        };
        for (const r of readCsv(dir, 'plan_lines')) {
            if (!bool(r.baseline!)) continue;
            const f = phaseFact(r.project_id!, r.phase!);
            f.estimated_ticks = (f.estimated_ticks ?? 0) + hourTicks(r.estimated_hours!);
        }
        for (const e of entries) {
            if (e.status === 'rejected') continue;
            phaseFact(e.project, e.phase === '' ? '(no phase)' : e.phase).actual_ticks += e.seconds * TICKS_PER_SECOND;
        }
        this.phases = [...phases.values()];

        // ---- budget burn (fixed fee, milestone, retainer) at the as-of day, which is what GET /api/budget-burn
        // reports ("Accruals … run through the as-of date"): hours used = every entry on or before that day,
        // billable or not, every status (fct_budget_burn.yml: burn measures the effort the budget has to cover).
        // A project is listed from the month it starts, or of its first entry if earlier (fct_budget_burn_daily.yml).
        this.burn = [...projects.values()]
            .filter((p) => ['fixed_fee', 'milestone', 'retainer'].includes(p.model))
            .filter((p) => monthOf(p.start) <= asOfMonth || entries.some((e) => e.project === p.id && monthOf(e.date) <= asOfMonth))
            .map((p) => {
                let used = 0;
                let billableUsed = 0;
                for (const e of entries) {
                    if (e.project !== p.id || e.date > this.asOf) continue;
                    used += e.seconds * TICKS_PER_SECOND;
                    if (e.billable) billableUsed += e.seconds * TICKS_PER_SECOND;
                }
                let budget = p.budgetTicks;
                if (budget === null && p.model === 'retainer') {
                    // fct_budget_burn.yml: a retainer without budget_hours budgets its terms' included hours to date.
                    const list = terms.get(p.id) ?? [];
                    if (list.length > 0) {
                        budget = 0;
                        // every month through the as-of month (counted in full), or the end date's if earlier
                        const last = monthOf(minIso(p.end ?? this.asOf, this.asOf));
                        for (let month = monthOf(maxIso(p.start, list[0]!.from)); month <= last; month = addMonths(month, 1)) {
                            budget += [...list].reverse().find((t) => monthOf(t.from) <= month)!.includedTicks;
                        }
                    }
                }
                return { project_id: p.id, client_id: p.client, budget_ticks: budget, hours_used_ticks: used, billable_hours_used_ticks: billableUsed };
            });
    }

    /** rate_to_reporting of the latest date on or before `date` (1 for the reporting currency). */
    fxRate(currency: string, date: string, what: string): bigint {
        if (currency === this.reportingCurrency) return UNIT;
        const c = this.fx.get(currency);
        const d = dayNumber(date);
        let lo = 0;
        let hi = (c?.days.length ?? 0) - 1;
        let found = -1;
        while (c && lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (c.days[mid]! <= d) {
                found = mid;
                lo = mid + 1;
            } else hi = mid - 1;
        }
        if (found < 0) {
            this.problems.push(`no ${currency} rate on or before ${date} (${what})`);
            return 0n;
        }
        return c!.rates[found]!;
    }

    convert(amount: bigint, currency: string, date: string, what: string): bigint {
        return divRound(amount * this.fxRate(currency, date, what), UNIT);
    }

    // ------------------------------------------------------------ report scopes

    /** Whether a month (first day) is in a report's period: the API's monthly marts select whole months through as_of. */
    inPeriod(month: string, f: Filters): boolean {
        if (month > this.asOf) return false;
        if (f.from && month < monthOf(f.from)) return false;
        if (f.to && month > f.to) return false;
        return true;
    }

    projectMonthsIn(f: Filters): ProjectMonthFact[] {
        return this.projectMonths.filter(
            (r) =>
                this.inPeriod(r.month, f) &&
                (!f.client_id || r.client_id === f.client_id) &&
                (!f.project_id || r.project_id === f.project_id) &&
                (!f.project_type || r.project_type === f.project_type),
        );
    }

    utilizationIn(f: Filters): UtilizationFact[] {
        return this.utilization.filter(
            (r) => this.inPeriod(r.month, f) && (!f.person_id || r.person_id === f.person_id) && (!f.role || r.role === f.role),
        );
    }

    /** Estimate vs actual is dated by the project's start date (the API's date column for it). */
    phasesIn(f: Filters): PhaseFact[] {
        return this.phases.filter(
            (r) =>
                r.project_start <= this.asOf &&
                (!f.from || r.project_start >= f.from) &&
                (!f.to || r.project_start <= f.to) &&
                (!f.client_id || r.client_id === f.client_id) &&
                (!f.project_id || r.project_id === f.project_id) &&
                (!f.project_type || r.project_type === f.project_type) &&
                (!f.phase || r.phase === f.phase),
        );
    }
}

function cardKey(scope: string, scopeId: string, role: string): string {
    // scope_id is the client, project or person (empty for firm and role); role is set for role and project_role.
    const id = scope === 'firm' || scope === 'role' ? '' : scopeId;
    const r = scope === 'role' || scope === 'project_role' ? role : '';
    return `${scope}|${id}|${r}`;
}

/**
 * Whole cents split pro rata over ordered weights (equally when they sum to 0) by cumulative rounding:
 * piece k = round(A × (w1+…+wk) ÷ W) − round(A × (w1+…+wk−1) ÷ W), so the pieces add up to A exactly.
 */
export function splitCents(cents: bigint, weights: bigint[]): bigint[] {
    const w = weights.reduce((s, x) => s + x, 0n) === 0n ? weights.map(() => 1n) : weights;
    const total = w.reduce((s, x) => s + x, 0n);
    const sign = total < 0n ? -1n : 1n;
    let through = 0n;
    let before = 0n;
    return w.map((x) => {
        through += x;
        const upTo = divRound(cents * through * sign, total * sign);
        const piece = upTo - before;
        before = upTo;
        return piece;
    });
}
