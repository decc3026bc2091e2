/**
 * The review-flag cases the entry pass injects (a dozen of each kind at full size, six in a smaller firm):
 * each names a person, a day, a project and a phase. Days are picked where the person works on the project,
 * at most one case a person-day, and early enough that every logging style has logged them by the end.
 */
import type { Rng } from '../../../lib/rng.ts';
import { dow, mondayOf, weekdayOnOrAfter } from '../calendar.ts';
import type { Role } from '../reference.ts';
import { employed } from './people.ts';
import type { Alloc, FlagKind, FlagSpec, Person, PlanWindow, Project } from './types.ts';

export interface FlagCases {
    /** Cases by `person idx|day`. */
    flags: Map<string, FlagSpec[]>;
    /** Work logged ahead for days after the end. */
    futureFlags: FlagSpec[];
}

interface Context {
    rng: Rng;
    win: PlanWindow;
    people: Person[];
    allocs: (Alloc[] | undefined)[][];
    cases: FlagCases;
    /** Cases of each kind to place. */
    n: number;
    /** The last day a case may fall on: every logging style has logged by the end. */
    safeEnd: number;
}

interface WorkDay {
    p: Person;
    a: Alloc;
    day: number;
}

export function planFlagCases(
    flagRng: Rng,
    win: PlanWindow,
    people: Person[],
    allocs: (Alloc[] | undefined)[][],
    clientProjects: Project[],
    internal: Record<string, Project>,
): FlagCases {
    const cx: Context = { rng: flagRng, win, people, allocs, cases: { flags: new Map(), futureFlags: [] }, n: win.scale >= 1 ? 12 : 6, safeEnd: win.endDay - 45 };
    workDayCases(cx, internal);
    weekendCases(cx);
    beforeStartCases(cx, clientProjects);
    afterCloseCases(cx, clientProjects);
    futureCases(cx, clientProjects);
    return cx.cases;
}

function addFlag(cx: Context, f: FlagSpec): void {
    const key = `${f.person.idx}|${f.day}`;
    const list = cx.cases.flags.get(key) ?? [];
    list.push(f);
    cx.cases.flags.set(key, list);
}

const flagDayTaken = (cx: Context, p: Person, day: number): boolean => cx.cases.flags.has(`${p.idx}|${day}`);

/** A (person, weekday, client allocation) with the person at work that day. */
function pickWorkDay(cx: Context, accept: (p: Person, a: Alloc, day: number) => boolean): WorkDay | null {
    const { rng, win, people, allocs } = cx;
    for (let tries = 0; tries < 4000; tries++) {
        const p = people[rng.int(people.length)]!;
        const w = rng.int(win.weeks);
        const list = allocs[p.idx]![w];
        if (!list || list.length === 0) continue;
        const a = list[rng.int(list.length)]!;
        const day = win.mondays[w]! + rng.int(5);
        if (day < win.startDay + 7 || day > cx.safeEnd || !employed(p, day) || p.leave.has(day) || flagDayTaken(cx, p, day)) continue;
        const pr = a.item.proj;
        if (day < pr.startDay || (pr.endDay !== null && day > pr.endDay)) continue;
        if (!a.item.inPlan) continue;
        if (accept(p, a, day)) return { p, a, day };
    }
    return null;
}

/** The cases on an ordinary working day: too long, misbooked, duplicated, overlapping, zero, unplanned, no phase. */
function workDayCases(cx: Context, internal: Record<string, Project>): void {
    const { rng, n: nFlag } = cx;
    const simple: FlagKind[] = ['over12h', 'billable-admin', 'duplicate', 'overlap', 'zero', 'unplanned-phase'];
    for (const kind of simple) {
        for (let i = 0; i < nFlag; i++) {
            const hit = pickWorkDay(cx, () => true);
            if (hit) addFlag(cx, { kind, person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: kind === 'unplanned-phase' ? 'rework' : hit.a.item.phase });
        }
    }
    for (let i = 0; i < Math.ceil(nFlag / 3); i++) {
        const hit = pickWorkDay(cx, () => true);
        if (hit) addFlag(cx, { kind: 'no-phase', person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: '' });
    }
    const planned = (pr: Project, phase: string, role: Role): boolean => pr.items.some((it) => it.inPlan && it.phase === phase && it.role === role);
    for (let i = 0; i < nFlag; i++) {
        const hit = pickWorkDay(cx, (p, a) => a.item.proj.items.some((it) => it.inPlan && !planned(a.item.proj, it.phase, p.role)));
        if (!hit) continue;
        const phases = hit.a.item.proj.items.filter((it) => it.inPlan && !planned(hit.a.item.proj, it.phase, hit.p.role));
        addFlag(cx, { kind: 'unplanned-role', person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: phases[rng.int(phases.length)]!.phase });
    }
    for (let i = 0; i < nFlag; i++) {
        const hit = pickWorkDay(cx, () => true);
        if (!hit) continue;
        addFlag(cx, { kind: 'billable-internal', person: hit.p, day: hit.day, proj: rng.chance(0.5) ? internal.training! : internal.admin!, phase: '' });
    }
}

/** Weekend work (go-live support): a Saturday or Sunday after a week on the project. */
function weekendCases(cx: Context): void {
    const { rng, n: nFlag, safeEnd } = cx;
    for (let i = 0, tries = 0; i < nFlag && tries < 4000; tries++) {
        const hit = pickWorkDay(cx, () => true);
        if (!hit) break;
        const day = mondayOf(hit.day) + 5 + rng.int(2);
        const pr = hit.a.item.proj;
        if (day > safeEnd || !employed(hit.p, day) || (pr.endDay !== null && day > pr.endDay) || flagDayTaken(cx, hit.p, day)) continue;
        addFlag(cx, { kind: 'weekend', person: hit.p, day, proj: pr, phase: hit.a.item.phase });
        i++;
    }
}

/** Before the project's start: the manager preparing the kick-off. */
function beforeStartCases(cx: Context, clientProjects: Project[]): void {
    const { rng, n: nFlag, safeEnd, win } = cx;
    const startable = clientProjects.filter((p) => p.startDay >= win.startDay + 21 && p.startDay <= safeEnd && p.manager);
    for (let i = 0; i < Math.min(nFlag, startable.length); i++) {
        const pr = startable[(i * 7) % startable.length]!;
        const day = pr.startDay - 1 - rng.intIn(1, 6);
        const m = pr.manager!;
        if (dow(day) >= 5 || !employed(m, day) || flagDayTaken(cx, m, day)) continue;
        addFlag(cx, { kind: 'before-start', person: m, day, proj: pr, phase: 'pm' });
    }
}

/** After a closed project's end: someone who worked on it in its last weeks. */
function afterCloseCases(cx: Context, clientProjects: Project[]): void {
    const { rng, n: nFlag, safeEnd, people } = cx;
    const closed = clientProjects.filter((p) => p.status === 'closed' && p.endDay !== null && p.endDay <= safeEnd - 14);
    for (let i = 0; i < Math.min(nFlag, closed.length); i++) {
        const pr = closed[(i * 5) % closed.length]!;
        const it = pr.items.filter((x) => x.inPlan && x.lastWeek >= 0).sort((a, b) => b.lastWeek - a.lastWeek || a.idx - b.idx)[0];
        if (!it || it.sticky.length === 0) continue;
        const person = people[it.sticky[0]!]!;
        const day = weekdayOnOrAfter(pr.endDay! + rng.intIn(3, 14));
        if (!employed(person, day) || person.leave.has(day) || flagDayTaken(cx, person, day) || day > safeEnd) continue;
        addFlag(cx, { kind: 'after-close', person, day, proj: pr, phase: it.phase });
    }
}

/** In the future: workshops logged ahead, 40–60 days after the end of the data. */
function futureCases(cx: Context, clientProjects: Project[]): void {
    const { rng, n: nFlag, win, people } = cx;
    const { endDay } = win;
    const futureProjects = clientProjects.filter((p) => p.status === 'active' && (p.endDay === null || p.endDay >= endDay + 70));
    for (let i = 0; i < Math.min(nFlag, futureProjects.length * 2); i++) {
        const pr = futureProjects[(i * 3) % futureProjects.length]!;
        const it = pr.items.filter((x) => x.inPlan && x.lastWeek >= win.weeks - 4 && x.sticky.length > 0)[0];
        if (!it) continue;
        const person = people[it.sticky[rng.int(it.sticky.length)]!]!;
        if (person.leaveDay !== null) continue;
        const day = weekdayOnOrAfter(endDay + rng.intIn(40, 60));
        cx.cases.futureFlags.push({ kind: 'future', person, day, proj: pr, phase: it.phase });
    }
}
