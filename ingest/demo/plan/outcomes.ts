/**
 * Outcomes of the staffing: each client project's end date and status (closed, finished but recent, still
 * running, open-ended), its fixed-fee periods, its milestones (signed off in order, after their phase's work
 * is done) and, for about half of the projects overrunning by more than 20%, a re-plan.
 */
import type { Rng } from '../../../lib/rng.ts';
import { monthFirstDay, monthLastDay } from '../calendar.ts';
import { MILESTONE_NAMES, MILESTONE_WEIGHT } from '../reference.ts';
import type { PlanWindow, Project } from './types.ts';

export function settleOutcomes(rng: Rng, win: PlanWindow, clientProjects: Project[]): void {
    const { cal, firstMonthKey } = win;
    for (const p of clientProjects) {
        const { finished, last } = settleDates(win, p);
        if (p.model === 'fixed_fee') {
            for (const f of p.fees) {
                if (f.month === -1) f.month = finished ? cal.month(last) : 100000;
                const mk = firstMonthKey + f.month;
                f.periodStart = Math.max(monthFirstDay(mk), p.startDay);
                f.periodEnd = Math.min(monthLastDay(mk), p.endDay ?? Infinity);
                if (f.periodEnd < f.periodStart) f.periodEnd = f.periodStart;
            }
        }
        if (p.model === 'milestone') signMilestones(rng, win, p);
        // re-plan of over-running projects (non-baseline plan lines)
        if (p.type !== 'maintenance' && p.ratio > 1.2 && rng.chance(0.5)) {
            for (const it of p.items) if (it.inPlan) p.replan.push({ phase: it.phase, role: it.role, hours: Math.round(it.est * (1 + 0.8 * (it.ratio - 1))) });
        }
    }
    let msSeq = 0;
    for (const p of clientProjects) for (const m of p.milestones) m.id = 'MS-' + String(++msSeq).padStart(4, '0');
}

/** The Friday of week `w` (or the window's end). */
const fridayOf = (win: PlanWindow, w: number): number => Math.min(win.mondays[w]! + 4, win.endDay);

/** The project's end date and status from its last worked week; returns whether all its work is done and its last working day. */
function settleDates(win: PlanWindow, p: Project): { finished: boolean; last: number } {
    const { endDay } = win;
    const finished = p.items.every((it) => it.done && it.eDay <= endDay);
    let last = p.startDay;
    for (const it of p.items) if (it.lastWeek >= 0) last = Math.max(last, fridayOf(win, it.lastWeek));
    p.finished = finished;
    p.lastWorkDay = last;
    if (finished && last < endDay - 10) {
        p.status = 'closed';
        p.endDay = last;
    } else if (finished) {
        p.status = 'active';
        p.endDay = last;
    } else if (p.openEnded) {
        p.endDay = null;
    } else {
        const projected = p.type === 'maintenance' ? p.plannedEndDay : p.startDay + Math.round(p.plannedWeeks * 7 * p.stretch);
        p.endDay = Math.max(projected, endDay + 21, last + 14);
    }
    return { finished, last };
}

/** One milestone per delivery phase, its amount by the phase's weight; signed off 2–20 days after the phase's last work, in order. */
function signMilestones(rng: Rng, win: PlanWindow, p: Project): void {
    const { endDay } = win;
    const phases = p.phases.filter((ps) => ps.phase !== 'pm' && MILESTONE_NAMES[ps.phase]);
    const wsum = phases.reduce((a, ps) => a + MILESTONE_WEIGHT[ps.phase]!, 0);
    let left = p.contractCents!;
    phases.forEach((ps, i) => {
        const phaseItems = p.items.filter((it) => it.phase === ps.phase);
        const done = phaseItems.every((it) => it.done && it.eDay <= endDay);
        let lastDay = p.startDay;
        for (const it of phaseItems) if (it.lastWeek >= 0) lastDay = Math.max(lastDay, fridayOf(win, it.lastWeek));
        let signed: number | null = done ? lastDay + rng.intIn(2, 20) : null;
        // milestones are signed off in order
        const prev = p.milestones[p.milestones.length - 1];
        if (prev && signed !== null) signed = prev.signedOffDay === null ? null : Math.max(signed, prev.signedOffDay + rng.intIn(1, 5));
        if (signed !== null && signed > endDay) signed = null;
        const cents = i === phases.length - 1 ? left : Math.round((p.contractCents! * MILESTONE_WEIGHT[ps.phase]!) / wsum / 100) * 100;
        left -= cents;
        p.milestones.push({
            id: '',
            name: MILESTONE_NAMES[ps.phase]!,
            phase: ps.phase,
            cents,
            plannedDay: p.startDay + Math.round(ps.to * p.plannedWeeks * 7) - 1,
            signedOffDay: signed,
        });
    });
}
