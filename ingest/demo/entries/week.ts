/**
 * A person's week: the week's work streams (allocations plus internal filler), spread over the days worked
 * into entries (timer, week grid, import or calendar), leave logged, and the flagged cases of each day.
 */
import { INTERNAL, type InternalSpec } from '../reference.ts';
import { capacityAt, employed } from '../plan/people.ts';
import type { FlagSpec, Person } from '../plan/types.ts';
import { emit, logTime } from './emit.ts';
import { flagEntries } from './flags.ts';
import { INTERNAL_TASKS_ESC, NB_NOTES_ESC, NOTES_ESC, clientWA, fillerKinds, internalWA, pickAct, q } from './streams.ts';
import type { EntryPass, WA } from './types.ts';

const NON_BILLABLE_ACTS = new Set(['admin', 'travel', 'leave', 'training']);

export function personWeek(pass: EntryPass, p: Person, w: number): void {
    const firm = pass.firm;
    const rng = pass.rng;
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
                was.push(clientWA(pass, a.item.proj, a.item, a.item.phase, p.role, a.hours));
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
        specs.forEach((spec, i) => was.push(internalWA(pass, spec, p.role, (filler * shares[i]!) / ssum)));

        let remDays = work.length;
        for (const day of work) {
            const flagged = flagsOf(day);
            pass.processedWorkDays++;
            if (!flagged && rng.next() < p.missingRate) {
                for (const wa of was) wa.rem -= wa.rem / remDays;
                remDays--;
                continue;
            }
            let remaining = 0;
            for (const wa of was) remaining += wa.rem;
            let hours = remDays === 1 ? remaining : (remaining / remDays) * rng.range(0.88, 1.12);
            hours = Math.min(Math.max(hours, 1), flagged ? 8 : 11);
            workDay(pass, p, w, day, hours, was, flagged);
            if (flagged) handled.add(day);
            remDays--;
        }
    }
    for (const day of leave) {
        pass.processedLeave++;
        if (p.logsLeave) {
            const secs = q((capacityAt(p, day) / 5) * 3600, 9);
            const spec = INTERNAL[1]!;
            const tasks = INTERNAL_TASKS_ESC.get('leave')!;
            const task = rng.next() < 0.9 ? tasks[0]! : rng.pick(tasks);
            const [ld, ls] = logTime(pass, p, w, day);
            emit(pass, p, pass.firm.internal[spec.key]!, spec.phase, task, 'leave', day, secs, false, '', 'week_grid', ld, ls, -1, -1, null);
        }
    }
    // flagged days not worked above (weekends, leave days, days without allocations)
    for (let d = mon; d < mon + 7; d++) {
        if (handled.has(d)) continue;
        const flagged = flagsOf(d);
        if (flagged) flagEntries(pass, p, w, d, flagged, 0, 9 * 3600 + rng.int(3600));
    }
}

export function workDay(pass: EntryPass, p: Person, w: number, day: number, hours: number, was: WA[], flagged: FlagSpec[] | undefined): void {
    const rng = pass.rng;
    let nD = Math.floor(pass.avgPerDay + pass.carry + rng.next());
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
    const unit = pass.coarse ? 900 : 9;
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
    const [logDay, logSec0] = logTime(pass, p, w, day);
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
            const act = pickAct(pass, wa.acts);
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
                emit(pass, p, wa.proj, wa.phase, task, act, day, secs, billable, notes, source, day, en + 3 + rng.int(90), st, en, wa);
            } else {
                logSec += 3 + rng.int(40);
                emit(pass, p, wa.proj, wa.phase, task, act, day, secs, billable, notes, source, logDay, logSec, -1, -1, wa);
            }
            cursor += secs + 60 + rng.int(540);
            emitted += secs;
            written++;
        }
    }
    pass.carry += pass.avgPerDay - written;
    if (pass.carry > 5) pass.carry = 5;
    if (pass.carry < -5) pass.carry = -5;
    if (flagged) flagEntries(pass, p, w, day, flagged, emitted, cursor);
}
