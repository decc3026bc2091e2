/**
 * Writing one time entry: when it was logged, its approval (submitted on Friday or later, approved at the
 * approver's next weekly review), and for an approved billable T&M entry, its invoice line.
 */
import { hash2 } from '../../../lib/rng.ts';
import { dow, dayString, monthFirstDay, mondayOf } from '../calendar.ts';
import { resolveRate } from '../plan/rates.ts';
import type { Person, Project, RateCard } from '../plan/types.ts';
import type { EntryPass, TimeLine, WA } from './types.ts';

/** When the person records a (non-timer) day's time: [day, second of day]. */
export function logTime(pass: EntryPass, p: Person, w: number, day: number): [number, number] {
    const rng = pass.rng;
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

export function emit(
    pass: EntryPass,
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
    const firm = pass.firm;
    const cal = firm.cal;
    while (logSec >= 86400) {
        logDay++;
        logSec -= 86400;
    }
    if (logDay > firm.endDay && !draft) return; // not logged yet
    const st = pass.state;
    const id = 'E' + String(++pass.seq).padStart(9, '0');
    let status: string;
    let approvedBy = '';
    let approvedAt = '';
    if (draft) status = 'draft';
    else {
        let approver = proj.manager ?? firm.headPm;
        if (approver === p) approver = p === firm.headPm ? firm.deputyPm : firm.headPm;
        const w = Math.floor((day - pass.monday0) / 7);
        // the week is submitted on Friday (or a few days later), then approved at the next weekly review
        const submitDay = Math.max(logDay, pass.monday0 + 7 * w + 4 + p.submitLag);
        const base = pass.monday0 + 7 * (w + 1) + approver.reviewLag;
        const aDay = submitDay < base ? base : mondayOf(submitDay) + 7 + approver.reviewLag;
        if (aDay <= firm.endDay) {
            if (pass.rng.next() < 0.003) status = 'rejected';
            else {
                status = 'approved';
                approvedBy = approver.id;
                approvedAt = cal.ts(aDay, 32400 + (hash2(approver.idx, aDay) % 28800));
                if (billable && secs > 0 && proj.model === 'time_and_materials' && pass.rng.next() >= 0.01) bill(pass, p, proj, wa, day, secs, aDay, id);
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
    pass.entriesOut.push(
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
export function bill(pass: EntryPass, p: Person, proj: Project, wa: WA | null, day: number, secs: number, approvedDay: number, id: string): void {
    const firm = pass.firm;
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
        let inv = pass.state.invoices.get(ikey);
        if (!inv) {
            const label = dayString(monthFirstDay(firm.firstMonthKey + firm.runs[run]!.month)).slice(0, 7);
            inv = { id: `INV-${proj.client.id}-${label}`, client: proj.client, run, lines: [], lineMap: new Map() };
            pass.state.invoices.set(ikey, inv);
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
    pass.state.stats.billedEntries++;
    pass.ileOut.push(line.invoice.id + ',' + line.lineNo + ',' + id + '\n');
}
