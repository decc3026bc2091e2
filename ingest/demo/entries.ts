/**
 * Entry pass of the demo generator: turns the weekly allocations of the plan into time entries,
 * streamed week by week (all people of a week, then the next week), and bills approved billable
 * time-and-materials entries on the monthly invoice runs as it goes (invoice_line_entries is streamed
 * too; only the per-line totals stay in memory).
 */
import { Rng, hash2 } from '../../lib/rng.ts';
import { dow, dayString, monthFirstDay, mondayOf } from './calendar.ts';
import { esc, type CsvWriter } from './csv.ts';
import { INTERNAL, MEETING_NONBILLABLE_NOTES, NOTES, TASKS, activityDist, fillerWeights, type Dist, type InternalSpec, type Role } from './reference.ts';
import { capacityAt, employed } from './plan/people.ts';
import { resolveRate } from './plan/rates.ts';
import type { Client, FlagSpec, Firm, Item, Person, Project, RateCard } from './plan/types.ts';

export interface TimeLine {
    invoice: InvoiceAcc;
    lineNo: number;
    proj: Project;
    role: Role;
    rateCents: number;
    secs: number;
    minDay: number;
    maxDay: number;
}

export interface InvoiceAcc {
    id: string;
    client: Client;
    run: number;
    lines: TimeLine[];
    lineMap: Map<string, TimeLine>;
}

export interface EntryStats {
    entries: number;
    billedEntries: number;
    byStatus: Record<string, number>;
}

export interface BillingState {
    /** key `${client.idx}|${run}` */
    invoices: Map<string, InvoiceAcc>;
    /** Billable seconds per project and month index (all statuses). */
    billSecs: Float64Array[];
    stats: EntryStats;
}

interface ActTable {
    names: string[];
    cum: number[];
}

/** A work stream of a person in a week: a client allocation or internal filler. */
interface WA {
    proj: Project;
    item: Item | null;
    phase: string;
    role: Role;
    rem: number;
    acts: ActTable;
    tasks: readonly string[];
    tm: boolean;
    rateDay: number;
    rate: RateCard | null;
    lineRun: number;
    lineRate: number;
    line: TimeLine | null;
}

const escAll = (a: readonly string[]): string[] => a.map(esc);
const TASKS_ESC: Record<string, string[]> = Object.fromEntries(Object.entries(TASKS).map(([k, v]) => [k, escAll(v)]));
const NOTES_ESC: Record<string, string[]> = Object.fromEntries(Object.entries(NOTES).map(([k, v]) => [k, escAll(v)]));
const NB_NOTES_ESC = escAll(MEETING_NONBILLABLE_NOTES);
const INTERNAL_TASKS_ESC = new Map<string, string[]>(INTERNAL.map((s) => [s.key, escAll(s.tasks)]));

const FLAG_NOTES: Record<string, string> = {
    over12h: '[flag:over12h] Release night, go-live support',
    future: '[flag:future] Pre-booked workshop',
    'before-start': '[flag:before-start] Kick-off preparation',
    'after-close': '[flag:after-close] Late fix after project close',
    'billable-admin': '[flag:billable-admin] Timesheet admin',
    'billable-internal': '[flag:billable-internal] Internal work marked billable',
    'unplanned-phase': '[flag:unplanned-phase] Rework after UAT',
    'unplanned-role': '[flag:unplanned-role] Helping out on another phase',
    'no-phase': '[flag:no-phase] Imported without phase',
    duplicate: '[flag:duplicate] Imported twice from the ticket system',
    overlap: '[flag:overlap] Timer left running',
    zero: '[flag:zero] Timer started by mistake',
    weekend: '[flag:weekend] Weekend go-live support',
};
const FLAG_NOTES_ESC: Record<string, string> = Object.fromEntries(Object.entries(FLAG_NOTES).map(([k, v]) => [k, esc(v)]));

const NON_BILLABLE_ACTS = new Set(['admin', 'travel', 'leave', 'training']);
const q = (x: number, unit: number): number => Math.floor(x / unit) * unit;

export class EntryGenerator {
    private readonly rng: Rng;
    private readonly actCache = new Map<string, ActTable>();
    private seq = 0;
    private avgPerDay = 1;
    private carry = 0;
    private coarse = true;
    private processedWorkDays = 0;
    private processedLeave = 0;
    private readonly monday0: number;
    readonly state: BillingState;
    private readonly firm: Firm;
    private readonly target: number;
    private readonly entriesOut: CsvWriter;
    private readonly ileOut: CsvWriter;

    constructor(firm: Firm, target: number, entriesOut: CsvWriter, ileOut: CsvWriter) {
        this.firm = firm;
        this.target = target;
        this.entriesOut = entriesOut;
        this.ileOut = ileOut;
        this.rng = new Rng(firm.seed, 4);
        this.monday0 = firm.mondays[0]!;
        this.state = {
            invoices: new Map(),
            billSecs: firm.projects.map(() => new Float64Array(firm.nMonths + 1)),
            stats: { entries: 0, billedEntries: 0, byStatus: { draft: 0, submitted: 0, approved: 0, rejected: 0 } },
        };
    }

    private acts(key: string, dist: Dist): ActTable {
        let t = this.actCache.get(key);
        if (!t) {
            let c = 0;
            const names: string[] = [];
            const cum: number[] = [];
            for (const [n, wgt] of dist) {
                c += wgt;
                names.push(n);
                cum.push(c);
            }
            for (let i = 0; i < cum.length; i++) cum[i]! /= c;
            t = { names, cum };
            this.actCache.set(key, t);
        }
        return t;
    }

    private pickAct(t: ActTable): string {
        const x = this.rng.next();
        for (let i = 0; i < t.cum.length; i++) if (x < t.cum[i]!) return t.names[i]!;
        return t.names[t.names.length - 1]!;
    }

    private clientWA(proj: Project, item: Item | null, phase: string, role: Role, hours: number): WA {
        return {
            proj,
            item,
            phase,
            role,
            rem: hours,
            acts: this.acts(phase + '|' + role, activityDist(phase, role)),
            tasks: TASKS_ESC[phase] ?? TASKS_ESC.build!,
            tm: proj.model === 'time_and_materials',
            rateDay: -1,
            rate: null,
            lineRun: -1,
            lineRate: -1,
            line: null,
        };
    }

    private internalWA(spec: InternalSpec, role: Role, hours: number): WA {
        return {
            proj: this.firm.internal[spec.key]!,
            item: null,
            phase: spec.phase,
            role,
            rem: hours,
            acts: this.acts('internal|' + spec.key, spec.activities),
            tasks: INTERNAL_TASKS_ESC.get(spec.key)!,
            tm: false,
            rateDay: -1,
            rate: null,
            lineRun: -1,
            lineRate: -1,
            line: null,
        };
    }

    async run(onProgress?: (done: number, total: number) => void): Promise<BillingState> {
        const firm = this.firm;
        const W = firm.mondays.length;
        const leaveTotal = firm.leaveDays;
        for (let w = 0; w < W; w++) {
            // re-aim the number of entries per worked day at the target
            const left = this.target - this.state.stats.entries - Math.max(0, leaveTotal - this.processedLeave);
            const daysLeft = Math.max(1, (firm.workDays - this.processedWorkDays) * 0.975);
            this.avgPerDay = Math.max(1, left / daysLeft);
            this.coarse = this.avgPerDay <= 12;
            for (const p of firm.people) {
                this.personWeek(p, w);
                if (this.entriesOut.pending >= 1 << 20) await this.entriesOut.flush();
                if (this.ileOut.pending >= 1 << 20) await this.ileOut.flush();
            }
            onProgress?.(this.state.stats.entries, Math.max(this.target, this.state.stats.entries));
        }
        this.futureEntries();
        onProgress?.(this.state.stats.entries, this.state.stats.entries);
        return this.state;
    }

    private personWeek(p: Person, w: number): void {
        const firm = this.firm;
        const rng = this.rng;
        const mon = firm.mondays[w]!;
        const flagsOf = (day: number): FlagSpec[] | undefined => (firm.flags.size > 0 ? firm.flags.get(`${p.idx}|${day}`) : undefined);
        const work: number[] = [];
        const leave: number[] = [];
        for (let d = mon; d < mon + 5; d++) {
            if (d < firm.startDay || d > firm.endDay || !employed(p, d)) continue;
            if (p.leave.has(d)) leave.push(d);
            else work.push(d);
        }
        const handled = new Set<number>();
        if (work.length > 0) {
            const cap = capacityAt(p, mon);
            const list = firm.allocs[p.idx]![w];
            const was: WA[] = [];
            let clientSum = 0;
            if (list) {
                for (const a of list) {
                    was.push(this.clientWA(a.item.proj, a.item, a.item.phase, p.role, a.hours));
                    clientSum += a.hours;
                }
            }
            const total = (cap / 5) * work.length * rng.range(0.93, 1.04);
            let filler = total - clientSum;
            if (filler < 0.5) filler = rng.range(0.25, 1);
            // filler: one to three kinds of internal work
            const weights = fillerKinds(p.role);
            const kinds = filler > 6 ? 3 : filler > 2 ? 2 : 1;
            const shares: number[] = [];
            const specs: InternalSpec[] = [];
            for (let i = 0; i < kinds; i++) {
                const spec = INTERNAL[rng.weighted(weights)]!;
                const j = specs.indexOf(spec);
                const s = rng.range(0.3, 1);
                if (j >= 0) shares[j]! += s;
                else {
                    specs.push(spec);
                    shares.push(s);
                }
            }
            const ssum = shares.reduce((a, b) => a + b, 0);
            specs.forEach((spec, i) => was.push(this.internalWA(spec, p.role, (filler * shares[i]!) / ssum)));

            let remDays = work.length;
            for (const day of work) {
                const flagged = flagsOf(day);
                this.processedWorkDays++;
                if (!flagged && rng.next() < p.missingRate) {
                    for (const wa of was) wa.rem -= wa.rem / remDays;
                    remDays--;
                    continue;
                }
                let remaining = 0;
                for (const wa of was) remaining += wa.rem;
                let hours = remDays === 1 ? remaining : (remaining / remDays) * rng.range(0.88, 1.12);
                hours = Math.min(Math.max(hours, 1), flagged ? 8 : 11);
                this.workDay(p, w, day, hours, was, flagged);
                if (flagged) handled.add(day);
                remDays--;
            }
        }
        for (const day of leave) {
            this.processedLeave++;
            if (p.logsLeave) {
                const secs = q((capacityAt(p, day) / 5) * 3600, 9);
                const spec = INTERNAL[1]!;
                const tasks = INTERNAL_TASKS_ESC.get('leave')!;
                const task = rng.next() < 0.9 ? tasks[0]! : rng.pick(tasks);
                const [ld, ls] = this.logTime(p, w, day);
                this.emit(p, this.firm.internal[spec.key]!, spec.phase, task, 'leave', day, secs, false, '', 'week_grid', ld, ls, -1, -1, null);
            }
        }
        // flagged days not worked above (weekends, leave days, days without allocations)
        for (let d = mon; d < mon + 7; d++) {
            if (handled.has(d)) continue;
            const flagged = flagsOf(d);
            if (flagged) this.flagEntries(p, w, d, flagged, 0, 9 * 3600 + rng.int(3600));
        }
    }

    /** When the person records a (non-timer) day's time: [day, second of day]. */
    private logTime(p: Person, w: number, day: number): [number, number] {
        const rng = this.rng;
        const mon = mondayOf(day);
        switch (p.logStyle) {
            case 'daily':
                return rng.next() < 0.9 ? [day, 59400 + rng.int(10800)] : [day + 1, 30600 + rng.int(5400)];
            case 'friday': {
                const fri = mon + 4;
                if (day > fri) return [day, 61200 + rng.int(7200)];
                // most weeks on Friday afternoon, some the next Monday morning (decided per person-week)
                return hash2(p.idx, w) % 100 < 85 ? [fri, 55800 + rng.int(10800)] : [mon + 7, 32400 + rng.int(5400)];
            }
            case 'late': {
                let bd = day + 1;
                while ((bd + p.batchOffset) % p.batchPeriod !== 0) bd++;
                const dw = dow(bd);
                if (dw >= 5) bd += 7 - dw;
                if (bd - day < 7) bd += 7;
                return [bd, 36000 + rng.int(28800)];
            }
            default:
                return rng.next() < 0.85 ? [day, 59400 + rng.int(10800)] : [day + 3 + rng.int(10), 57600 + rng.int(14400)];
        }
    }

    private workDay(p: Person, w: number, day: number, hours: number, was: WA[], flagged: FlagSpec[] | undefined): void {
        const rng = this.rng;
        let nD = Math.floor(this.avgPerDay + this.carry + rng.next());
        if (nD < 1) nD = 1;
        // candidate streams valid on this day
        const cands: WA[] = [];
        for (const wa of was) {
            if (wa.rem <= 0.1) continue;
            const pr = wa.proj;
            if (day < pr.startDay || (pr.endDay !== null && day > pr.endDay)) continue;
            cands.push(wa);
        }
        const maxStreams = nD <= 6 ? Math.min(nD, 3) : nD;
        let chosen: WA[];
        if (cands.length <= maxStreams) chosen = cands;
        else {
            const scored = cands.map((wa) => ({ wa, s: wa.rem * (0.5 + rng.next()) }));
            scored.sort((a, b) => b.s - a.s);
            chosen = scored.slice(0, maxStreams).map((x) => x.wa);
        }
        const unit = this.coarse ? 900 : 9;
        let daySecs = q(hours * 3600, unit);
        let remSum = 0;
        for (const wa of chosen) remSum += wa.rem;
        const chunks: number[] = [];
        let chunkSum = 0;
        for (const wa of chosen) {
            let c = q((daySecs * wa.rem) / remSum, unit);
            c = Math.min(c, q(wa.rem * 3600 + unit - 1, unit));
            if (c < unit) c = 0;
            chunks.push(c);
            chunkSum += c;
        }
        daySecs = chunkSum;
        let written = 0;
        let emitted = 0;
        // timer layout: a working day starting between 8:00 and 9:30, a lunch break
        let cursor = 28800 + rng.int(5400);
        let lunch = false;
        const useTimer = p.source === 'timer';
        const [logDay, logSec0] = this.logTime(p, w, day);
        let logSec = logSec0;
        for (let j = 0; j < chosen.length; j++) {
            const chunk = chunks[j]!;
            if (chunk === 0) continue;
            const wa = chosen[j]!;
            wa.rem -= chunk / 3600;
            let pieces = Math.max(1, Math.round((nD * chunk) / daySecs));
            pieces = Math.min(pieces, chunk / unit);
            let left = chunk;
            let wLeft = 0;
            const wts: number[] = [];
            for (let i = 0; i < pieces; i++) {
                const x = 0.5 + rng.next();
                wts.push(x);
                wLeft += x;
            }
            for (let i = 0; i < pieces; i++) {
                let secs: number;
                if (i === pieces - 1) secs = left;
                else {
                    secs = q((left * wts[i]!) / wLeft, unit);
                    secs = Math.min(Math.max(secs, unit), left - unit * (pieces - 1 - i));
                }
                wLeft -= wts[i]!;
                left -= secs;
                const act = this.pickAct(wa.acts);
                let billable = !wa.proj.internal && !NON_BILLABLE_ACTS.has(act);
                let notes: string;
                if (act === 'meeting' && billable && rng.next() < 0.25) {
                    billable = false;
                    notes = NB_NOTES_ESC[rng.int(NB_NOTES_ESC.length)]!;
                } else {
                    const pool = NOTES_ESC[act] ?? NOTES_ESC.default!;
                    notes = pool[rng.int(pool.length)]!;
                }
                const task = wa.tasks[rng.int(wa.tasks.length)]!;
                let source: string;
                const r = rng.next();
                if (act === 'meeting' && r < 0.3) source = 'calendar';
                else if (useTimer) source = r < 0.87 ? 'timer' : 'week_grid';
                else if (p.source === 'import') source = r < 0.75 ? 'import' : 'week_grid';
                else source = r < 0.93 ? 'week_grid' : 'import';
                if (!lunch && cursor >= 45000) {
                    cursor += 1800 + rng.int(1200);
                    lunch = true;
                }
                if (source === 'timer') {
                    // a timer stops at any second (any multiple of 9 s here), not on a quarter hour
                    if (unit === 900) secs -= 9 * rng.int(100);
                    const st = cursor;
                    const en = cursor + secs;
                    this.emit(p, wa.proj, wa.phase, task, act, day, secs, billable, notes, source, day, en + 3 + rng.int(90), st, en, wa);
                } else {
                    logSec += 3 + rng.int(40);
                    this.emit(p, wa.proj, wa.phase, task, act, day, secs, billable, notes, source, logDay, logSec, -1, -1, wa);
                }
                cursor += secs + 60 + rng.int(540);
                emitted += secs;
                written++;
            }
        }
        this.carry += this.avgPerDay - written;
        if (this.carry > 5) this.carry = 5;
        if (this.carry < -5) this.carry = -5;
        if (flagged) this.flagEntries(p, w, day, flagged, emitted, cursor);
    }

    /** The injected review-flag cases of one person-day (notes carry a [flag:kind] marker). */
    private flagEntries(p: Person, w: number, day: number, flagged: FlagSpec[], daySecs: number, cursor: number): void {
        const rng = this.rng;
        const [logDay, logSec] = this.logTime(p, w, day);
        for (const f of flagged) {
            const pr = f.proj;
            const notes = FLAG_NOTES_ESC[f.kind]!;
            const wa = pr.internal ? this.internalWA(pr.internal, p.role, 0) : this.clientWA(pr, null, f.phase || 'build', p.role, 0);
            const task = f.phase === '' ? '' : wa.tasks[rng.int(wa.tasks.length)]!;
            const act = (): string => this.pickAct(wa.acts);
            const h = (lo: number, hi: number): number => q(rng.range(lo, hi) * 3600, 900);
            switch (f.kind) {
                case 'over12h': {
                    const secs = Math.max(900, q(12.5 * 3600 - daySecs + rng.range(0.25, 2) * 3600, 900));
                    this.emit(p, pr, f.phase, task, act(), day, secs, true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                    break;
                }
                case 'billable-admin':
                    this.emit(p, pr, f.phase, task, 'admin', day, h(0.5, 1), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                    break;
                case 'billable-internal':
                    this.emit(p, pr, pr.internal!.phase, task, act(), day, h(1, 2), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                    break;
                case 'duplicate': {
                    const secs = h(0.5, 1.5);
                    const a = act();
                    this.emit(p, pr, f.phase, task, a, day, secs, true, notes, 'import', logDay, logSec + 30, -1, -1, wa);
                    this.emit(p, pr, f.phase, task, a, day, secs, true, notes, 'import', logDay, logSec + 31, -1, -1, wa);
                    break;
                }
                case 'overlap': {
                    const st = cursor + 1800;
                    const a = 1800 + q(rng.int(900), 9);
                    this.emit(p, pr, f.phase, task, act(), day, a, true, notes, 'timer', day, st + a + 5, st, st + a, wa);
                    this.emit(p, pr, f.phase, task, act(), day, 1800, true, notes, 'timer', day, st + 900 + 1800 + 5, st + 900, st + 900 + 1800, wa);
                    break;
                }
                case 'zero': {
                    const st = cursor + 300;
                    this.emit(p, pr, f.phase, task, act(), day, 0, true, notes, 'timer', day, st + 4, st, st, wa);
                    break;
                }
                case 'unplanned-phase':
                    this.emit(p, pr, 'rework', TASKS_ESC.rework![0]!, 'development', day, h(1, 3), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                    break;
                case 'no-phase':
                    this.emit(p, pr, '', '', 'development', day, h(0.5, 1.5), true, notes, 'import', logDay, logSec + 30, -1, -1, wa);
                    break;
                case 'unplanned-role':
                case 'before-start':
                case 'after-close':
                    this.emit(p, pr, f.phase, task, f.kind === 'before-start' ? 'pm' : act(), day, h(1, 2.5), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                    break;
                case 'weekend':
                    this.emit(p, pr, f.phase, task, act(), day, h(2, 5), true, notes, 'week_grid', day, 64800 + rng.int(7200), -1, -1, wa);
                    break;
                default:
                    break;
            }
        }
    }

    /** Entries dated after the end of the data (pre-logged, still draft). */
    private futureEntries(): void {
        const firm = this.firm;
        const rng = this.rng;
        for (const f of firm.futureFlags) {
            const wa = this.clientWA(f.proj, null, f.phase, f.person.role, 0);
            const task = wa.tasks[rng.int(wa.tasks.length)]!;
            const logDay = firm.endDay - 1 - rng.int(5);
            this.emit(f.person, f.proj, f.phase, task, 'meeting', f.day, q(rng.range(2, 6) * 3600, 900), true, FLAG_NOTES_ESC.future!, 'week_grid', logDay, 61200 + rng.int(3600), -1, -1, null, true);
        }
    }

    private emit(
        p: Person,
        proj: Project,
        phase: string,
        task: string,
        act: string,
        day: number,
        secs: number,
        billable: boolean,
        notes: string,
        source: string,
        logDay: number,
        logSec: number,
        startSec: number,
        endSec: number,
        wa: WA | null,
        draft = false,
    ): void {
        const firm = this.firm;
        const cal = firm.cal;
        while (logSec >= 86400) {
            logDay++;
            logSec -= 86400;
        }
        if (logDay > firm.endDay && !draft) return; // not logged yet
        const st = this.state;
        const id = 'E' + String(++this.seq).padStart(9, '0');
        let status: string;
        let approvedBy = '';
        let approvedAt = '';
        if (draft) status = 'draft';
        else {
            let approver = proj.manager ?? firm.headPm;
            if (approver === p) approver = p === firm.headPm ? firm.deputyPm : firm.headPm;
            const w = Math.floor((day - this.monday0) / 7);
            // the week is submitted on Friday (or a few days later), then approved at the next weekly review
            const submitDay = Math.max(logDay, this.monday0 + 7 * w + 4 + p.submitLag);
            const base = this.monday0 + 7 * (w + 1) + approver.reviewLag;
            const aDay = submitDay < base ? base : mondayOf(submitDay) + 7 + approver.reviewLag;
            if (aDay <= firm.endDay) {
                if (this.rng.next() < 0.003) status = 'rejected';
                else {
                    status = 'approved';
                    approvedBy = approver.id;
                    approvedAt = cal.ts(aDay, 32400 + (hash2(approver.idx, aDay) % 28800));
                    if (billable && secs > 0 && proj.model === 'time_and_materials' && this.rng.next() >= 0.01) this.bill(p, proj, wa, day, secs, aDay, id);
                }
            } else status = submitDay <= firm.endDay ? 'submitted' : 'draft';
        }
        if (billable) {
            const m = cal.month(day);
            const arr = st.billSecs[proj.idx]!;
            if (m >= 0 && m < arr.length) arr[m]! += secs;
        }
        st.stats.entries++;
        st.stats.byStatus[status]!++;
        this.entriesOut.push(
            id +
                ',' +
                p.id +
                ',' +
                proj.id +
                ',' +
                phase +
                ',' +
                task +
                ',' +
                act +
                ',' +
                cal.date(day) +
                ',' +
                secs +
                ',' +
                (billable ? 'true' : 'false') +
                ',' +
                notes +
                ',' +
                source +
                ',' +
                cal.ts(logDay, logSec) +
                ',' +
                status +
                ',' +
                approvedBy +
                ',' +
                approvedAt +
                ',' +
                (startSec >= 0 ? cal.ts(day, startSec) : '') +
                ',' +
                (endSec >= 0 ? cal.ts(day, endSec) : '') +
                '\n',
        );
    }

    /** Adds an approved billable T&M entry to the time line of the first invoice run after its approval. */
    private bill(p: Person, proj: Project, wa: WA | null, day: number, secs: number, approvedDay: number, id: string): void {
        const firm = this.firm;
        const run = firm.runAfter[approvedDay - firm.startDay]!;
        if (run >= firm.runs.length) return; // approved after the last run: approved-unbilled
        let rate: RateCard | null;
        if (wa && wa.rateDay === day) rate = wa.rate;
        else {
            rate = resolveRate(firm, proj, p, day);
            if (wa) {
                wa.rateDay = day;
                wa.rate = rate;
            }
        }
        if (!rate) return;
        if (rate.currency !== proj.client.currency) throw new Error(`demo: rate currency ${rate.currency} for ${proj.id} billed in ${proj.client.currency}`);
        let line: TimeLine;
        if (wa && wa.line && wa.lineRun === run && wa.lineRate === rate.cents) line = wa.line;
        else {
            const ikey = proj.client.idx + '|' + run;
            let inv = this.state.invoices.get(ikey);
            if (!inv) {
                const label = dayString(monthFirstDay(firm.firstMonthKey + firm.runs[run]!.month)).slice(0, 7);
                inv = { id: `INV-${proj.client.id}-${label}`, client: proj.client, run, lines: [], lineMap: new Map() };
                this.state.invoices.set(ikey, inv);
            }
            const lkey = proj.idx + '|' + p.role + '|' + rate.cents;
            let l = inv.lineMap.get(lkey);
            if (!l) {
                l = { invoice: inv, lineNo: inv.lines.length + 1, proj, role: p.role, rateCents: rate.cents, secs: 0, minDay: day, maxDay: day };
                inv.lines.push(l);
                inv.lineMap.set(lkey, l);
            }
            line = l;
            if (wa) {
                wa.line = l;
                wa.lineRun = run;
                wa.lineRate = rate.cents;
            }
        }
        line.secs += secs;
        if (day < line.minDay) line.minDay = day;
        if (day > line.maxDay) line.maxDay = day;
        this.state.stats.billedEntries++;
        this.ileOut.push(line.invoice.id + ',' + line.lineNo + ',' + id + '\n');
    }
}

const fillerCache = new Map<Role, number[]>();
function fillerKinds(role: Role): number[] {
    let w = fillerCache.get(role);
    if (!w) {
        w = fillerWeights(role);
        fillerCache.set(role, w);
    }
    return w;
}
