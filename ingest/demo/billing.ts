/**
 * Invoices of the demo firm, built after the entry pass: one invoice per client and monthly run
 * (the 5th, or the next weekday, of the following month) holding
 * - time lines (T&M; built during the entry pass from approved billable entries),
 * - fixed_fee installments on the project's schedule,
 * - milestone lines on the first run after sign-off,
 * - retainer_fee lines for the month and overage lines (PRODUCT.md rollover rule on billable hours),
 * - now and then a negative adjustment (goodwill discount);
 * then statuses (draft/issued/paid/void), credit notes and payments.
 */
import { Rng } from '../../lib/rng.ts';
import { monthFirstDay, monthLastDay } from './calendar.ts';
import { mulDivRound, money, dec4, type CsvWriter } from './csv.ts';
import type { BillingState } from './entries.ts';
import type { Client, Firm, Project, RetainerTerm } from './plan/types.ts';

interface Line {
    lineNo: number;
    proj: Project;
    kind: 'time' | 'fixed_fee' | 'milestone' | 'retainer_fee' | 'overage' | 'adjustment';
    hoursTt: number | null;
    rateCents: number | null;
    cents: number;
    periodStart: number;
    periodEnd: number;
    milestoneId: string;
}

interface Invoice {
    id: string;
    client: Client;
    run: number;
    issueDay: number;
    dueDay: number;
    status: 'draft' | 'issued' | 'paid' | 'void';
    lines: Line[];
    total: number;
    number: string;
}

export interface BillingWriters {
    invoices: CsvWriter;
    lines: CsvWriter;
    credits: CsvWriter;
    payments: CsvWriter;
}

const secsToTt = (secs: number): number => Math.round((secs / 9) * 25);

function termAt(terms: RetainerTerm[], day: number): RetainerTerm {
    let t = terms[0]!;
    for (const x of terms) if (x.from <= day) t = x;
    return t;
}

/** Overage hours (ten-thousandths) of a retainer and the term they are billed at, by month index. */
type Overage = Map<number, { overTt: number; term: RetainerTerm }>;

/** Overage hours (ten-thousandths) per month index of a retainer, by PRODUCT.md's rollover rule. */
function retainerOverage(firm: Firm, p: Project, billSecs: Float64Array): Overage {
    const out: Overage = new Map();
    const m0 = firm.cal.month(p.startDay);
    const mEnd = Math.min(firm.nMonths - 1, p.endDay === null ? Infinity : firm.cal.month(p.endDay));
    const unused = new Map<number, number>();
    for (let m = m0; m <= mEnd; m++) {
        const term = termAt(p.terms, monthLastDay(firm.firstMonthKey + m));
        const h = secsToTt(billSecs[m] ?? 0);
        const use = Math.min(h, term.includedTt);
        unused.set(m, term.includedTt - use);
        let rem = h - use;
        for (let j = Math.max(m0, m - term.rollover); j < m && rem > 0; j++) {
            const u = unused.get(j) ?? 0;
            const take = Math.min(rem, u);
            unused.set(j, u - take);
            rem -= take;
        }
        out.set(m, { overTt: rem, term });
    }
    return out;
}

export async function writeBilling(firm: Firm, state: BillingState, out: BillingWriters): Promise<void> {
    const rng = new Rng(firm.seed, 5);
    const { cal } = firm;
    const invoices = buildInvoices(rng, firm, state);
    markDraftsAndVoids(rng, firm, invoices);
    invoices.sort((a, b) => a.issueDay - b.issueDay || a.client.idx - b.client.idx || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const seqByYear = new Map<string, number>();
    for (const inv of invoices) {
        const y = cal.date(inv.issueDay).slice(0, 4);
        const n = (seqByYear.get(y) ?? 0) + 1;
        seqByYear.set(y, n);
        inv.number = `NW-${y}-${String(n).padStart(4, '0')}`;
    }
    const { creditRows, paymentRows } = creditsAndPayments(rng, firm, invoices);
    for (const inv of invoices) {
        out.invoices.row([inv.id, inv.number, inv.client.id, cal.date(inv.issueDay), cal.date(inv.dueDay), inv.client.currency, inv.status]);
        for (const l of inv.lines) {
            out.lines.row([
                inv.id,
                String(l.lineNo),
                l.proj.id,
                l.kind,
                l.hoursTt === null ? '' : dec4(l.hoursTt),
                l.rateCents === null ? '' : money(l.rateCents),
                money(l.cents),
                cal.date(l.periodStart),
                cal.date(l.periodEnd),
                l.milestoneId,
            ]);
        }
    }
    for (const r of creditRows) out.credits.row(r);
    for (const r of paymentRows) out.payments.row(r);
}

/** One invoice per client and run that has something to bill, in run then client order, all 'issued'. */
function buildInvoices(rng: Rng, firm: Firm, state: BillingState): Invoice[] {
    const { cal, runs } = firm;
    const byClient = new Map<Client, Project[]>();
    for (const p of firm.projects) {
        if (p.internal) continue;
        const list = byClient.get(p.client) ?? [];
        list.push(p);
        byClient.set(p.client, list);
    }
    const overage = new Map<Project, Overage>();
    for (const p of firm.projects) if (p.model === 'retainer') overage.set(p, retainerOverage(firm, p, state.billSecs[p.idx]!));

    const invoices: Invoice[] = [];
    let adjusted = false;
    for (let k = 0; k < runs.length; k++) {
        const run = runs[k]!;
        const mk = firm.firstMonthKey + run.month;
        const mFirst = monthFirstDay(mk);
        const mLast = monthLastDay(mk);
        for (const client of firm.clients) {
            if (client.internal) continue;
            const acc = state.invoices.get(client.idx + '|' + k);
            const lines: Line[] = [];
            let timeTotal = 0;
            if (acc) {
                for (const tl of acc.lines) {
                    const tt = secsToTt(tl.secs);
                    const cents = mulDivRound(tt, tl.rateCents, 10000);
                    timeTotal += cents;
                    lines.push({ lineNo: tl.lineNo, proj: tl.proj, kind: 'time', hoursTt: tt, rateCents: tl.rateCents, cents, periodStart: tl.minDay, periodEnd: tl.maxDay, milestoneId: '' });
                }
            }
            const add = (l: Omit<Line, 'lineNo'>): void => {
                lines.push({ ...l, lineNo: lines.length + 1 });
            };
            for (const p of byClient.get(client) ?? []) feeLines(firm, p, k, overage, add);
            if (lines.length === 0) continue;
            // a goodwill discount on the face of some invoices (the first one with time lines always)
            if (timeTotal > 0 && (rng.next() < 0.06 || !adjusted)) {
                adjusted = true;
                const first = lines.find((l) => l.kind === 'time')!;
                add({ proj: first.proj, kind: 'adjustment', hoursTt: null, rateCents: null, cents: -Math.round(timeTotal * 0.05), periodStart: mFirst, periodEnd: mLast, milestoneId: '' });
            }
            const total = lines.reduce((a, l) => a + l.cents, 0);
            const label = cal.date(mFirst).slice(0, 7);
            invoices.push({
                id: acc?.id ?? `INV-${client.id}-${label}`,
                client,
                run: k,
                issueDay: run.day,
                dueDay: run.day + client.termsDays,
                status: 'issued',
                lines,
                total,
                number: '',
            });
        }
    }
    return invoices;
}

/** A project's lines on run `k` that are not time: fixed-fee installments, milestones signed off, a retainer's fee and overage. */
function feeLines(firm: Firm, p: Project, k: number, overage: Map<Project, Overage>, add: (l: Omit<Line, 'lineNo'>) => void): void {
    const run = firm.runs[k]!;
    const mk = firm.firstMonthKey + run.month;
    const mFirst = monthFirstDay(mk);
    const mLast = monthLastDay(mk);
    if (p.model === 'fixed_fee') {
        for (const f of p.fees) if (f.month === run.month) add({ proj: p, kind: 'fixed_fee', hoursTt: null, rateCents: null, cents: f.cents, periodStart: f.periodStart, periodEnd: f.periodEnd, milestoneId: '' });
    } else if (p.model === 'milestone') {
        let prev = p.startDay;
        for (const m of p.milestones) {
            if (m.signedOffDay === null) continue;
            if (firm.runAfter[m.signedOffDay - firm.startDay] === k) {
                add({ proj: p, kind: 'milestone', hoursTt: null, rateCents: null, cents: m.cents, periodStart: Math.min(prev, m.signedOffDay), periodEnd: m.signedOffDay, milestoneId: m.id });
            }
            prev = m.signedOffDay + 1;
        }
    } else if (p.model === 'retainer') {
        const inMonth = p.startDay <= mLast && (p.endDay === null || p.endDay >= mFirst);
        if (!inMonth) return;
        const ps = Math.max(mFirst, p.startDay);
        const pe = Math.min(mLast, p.endDay ?? mLast);
        const term = termAt(p.terms, mLast);
        add({ proj: p, kind: 'retainer_fee', hoursTt: null, rateCents: null, cents: term.feeCents, periodStart: ps, periodEnd: pe, milestoneId: '' });
        const o = overage.get(p)!.get(run.month);
        if (o && o.overTt > 0) {
            add({ proj: p, kind: 'overage', hoursTt: o.overTt, rateCents: o.term.overageCents, cents: mulDivRound(o.overTt, o.term.overageCents, 10000), periodStart: ps, periodEnd: pe, milestoneId: '' });
        }
    }
}

/** Part of the last run is still a draft; three fee-only invoices were issued twice by mistake and voided (id suffix -X, appended). */
function markDraftsAndVoids(rng: Rng, firm: Firm, invoices: Invoice[]): void {
    const { runs, endDay } = firm;
    // drafts: part of the last run still awaits review
    const lastRun = runs.length - 1;
    let drafts = 0;
    for (const inv of invoices) {
        if (inv.run !== lastRun) continue;
        if (endDay - inv.issueDay < 3 || rng.next() < 0.35) {
            inv.status = 'draft';
            drafts++;
        }
    }
    if (drafts === 0) {
        const last = invoices.filter((i) => i.run === lastRun);
        if (last.length > 0) last[last.length - 1]!.status = 'draft';
    }
    // void: invoices issued twice by mistake (fee lines only), voided
    const voidable = invoices.filter((i) => i.status === 'issued' && i.lines.every((l) => l.kind !== 'time') && i.run < lastRun);
    const voids: Invoice[] = [];
    for (let i = 0; i < Math.min(3, voidable.length); i++) {
        const src = voidable[Math.floor((i * voidable.length) / 3 + rng.int(Math.max(1, Math.floor(voidable.length / 3))))]!;
        if (voids.some((v) => v.id === src.id + '-X')) continue;
        voids.push({ ...src, id: src.id + '-X', status: 'void', lines: src.lines.map((l) => ({ ...l })) });
    }
    invoices.push(...voids);
}

/**
 * Credit notes (dispute, discount, error; the first three one of each) and payments by each client's habits:
 * full, partial (some settle the rest later), one partly paid with the rest open, unpaid (at least one
 * overdue). An issued invoice paid in full becomes 'paid'. Returns the CSV rows.
 */
function creditsAndPayments(rng: Rng, firm: Firm, invoices: Invoice[]): { creditRows: string[][]; paymentRows: string[][] } {
    const { cal, endDay } = firm;
    type Mode = 'full' | 'partial' | 'partial-open' | 'unpaid';
    const mode = new Map<Invoice, Mode>();
    const issued = invoices.filter((i) => i.status === 'issued');
    for (const inv of issued) mode.set(inv, rng.next() < inv.client.unpaidP ? 'unpaid' : rng.next() < 0.06 ? 'partial' : 'full');
    const old = issued.filter((i) => i.dueDay < endDay - 45);
    if (old.length > 0 && !old.some((i) => mode.get(i) === 'unpaid')) mode.set(old[Math.floor(old.length / 2)]!, 'unpaid');
    // one partly paid invoice whose rest is still open
    if (old.length > 1) mode.set(old[Math.floor(old.length / 3)]!, 'partial-open');

    const reasons = ['dispute', 'discount', 'error'] as const;
    let cnSeq = 0;
    let paySeq = 0;
    const creditRows: string[][] = [];
    const paymentRows: string[][] = [];
    for (const inv of invoices) {
        if (inv.status !== 'issued') continue;
        let credited = 0;
        if (inv.issueDay <= endDay - 20 && inv.total > 0 && (rng.next() < 0.04 || cnSeq < 3)) {
            const reason = cnSeq < 3 ? reasons[cnSeq]! : reasons[rng.weighted([0.5, 0.25, 0.25])]!;
            const biggest = Math.max(...inv.lines.map((l) => l.cents));
            let amount = reason === 'dispute' ? Math.round(biggest * rng.range(0.1, 0.4)) : reason === 'discount' ? Math.round(inv.total * 0.05) : Math.round(biggest * rng.range(0.05, 0.15));
            amount = Math.max(1, Math.min(amount, inv.total - 1));
            const day = Math.min(endDay, inv.issueDay + 5 + rng.int(30));
            credited = amount;
            creditRows.push([`CN-${String(++cnSeq).padStart(4, '0')}`, inv.id, cal.date(day), money(amount), reason]);
        }
        const expected = inv.total - credited;
        const m = mode.get(inv)!;
        let paid = 0;
        if (m !== 'unpaid' && expected > 0) {
            const delay = Math.round(inv.client.payMean + inv.client.paySd * rng.normal());
            let day = Math.max(inv.issueDay + 1, inv.dueDay + delay);
            if (m === 'partial-open') day = Math.min(day, endDay - 1);
            if (m === 'partial' || m === 'partial-open') {
                const first = Math.round(expected * rng.range(0.4, 0.7));
                const day2 = day + 20 + rng.int(40);
                if (day <= endDay) {
                    paymentRows.push([`PAY-${String(++paySeq).padStart(6, '0')}`, inv.id, cal.date(day), money(first)]);
                    paid += first;
                    // some partial payers settle the rest later (well before the end), others still owe it
                    if (m === 'partial' && day2 < endDay - 60 && rng.next() < 0.5) {
                        paymentRows.push([`PAY-${String(++paySeq).padStart(6, '0')}`, inv.id, cal.date(day2), money(expected - first)]);
                        paid += expected - first;
                    }
                }
            } else if (day <= endDay) {
                paymentRows.push([`PAY-${String(++paySeq).padStart(6, '0')}`, inv.id, cal.date(day), money(expected)]);
                paid += expected;
            }
        }
        if (paid === expected && expected > 0) inv.status = 'paid';
    }
    return { creditRows, paymentRows };
}
