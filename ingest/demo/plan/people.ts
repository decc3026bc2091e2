/**
 * The people: hires and leavers per role (the biggest role always has both), names and e-mails, capacity
 * (40/32/24 h, some change), cost rates with yearly raises and promotions (a few contractors paid in GBP
 * or USD), logging habits, vacations and sick days, and the project managers (the head PM, a deputy and
 * one slow approver).
 */
import type { Rng } from '../../../lib/rng.ts';
import { dayOf, dow, monthFirstDay, monthKey, monthLastDay, mondayOf, weekdayOnOrAfter } from '../calendar.ts';
import { EMAIL_DOMAIN, FIRST_NAMES, LAST_NAMES, ROLES, ROLE_SPECS, type Role } from '../reference.ts';
import { FXS } from './rates.ts';
import type { LogStyle, Person, PlanWindow } from './types.ts';

export interface Staff {
    people: Person[];
    pms: Person[];
    /** Approves internal projects and the project managers' own time. */
    headPm: Person;
    deputyPm: Person;
}

interface Hire {
    role: Role;
    hireDay: number;
    leaveDay: number | null;
}

export function capacityAt(p: Person, day: number): number {
    let h = p.caps[0]?.hours ?? 40;
    for (const c of p.caps) if (c.from <= day) h = c.hours;
    return h;
}

export function employed(p: Person, day: number): boolean {
    return day >= p.hireDay && (p.leaveDay === null || day <= p.leaveDay);
}

/** `headcount`: people per role, in ROLES order. */
export function planPeople(rng: Rng, win: PlanWindow, headcount: number[]): Staff {
    const hires = planHires(rng, win, headcount);
    rng.shuffle(hires);
    hires.sort((a, b) => a.hireDay - b.hireDay);
    const usedNames = new Set<string>();
    const people = hires.map((pd, idx) => newPerson(rng, win, pd, idx, usedNames));
    ensureEveryHabit(win, people);
    foreignCostRates(win, people);
    planLeave(rng, win, people);
    const pms = people.filter((p) => p.role === 'project_manager');
    const stablePms = pms.filter((p) => p.hireDay <= win.startDay);
    const headPm = stablePms[0] ?? pms[0]!;
    const deputyPm = stablePms[1] ?? pms.find((p) => p !== headPm) ?? headPm;
    // one slow approver
    const slow = pms.find((p) => p !== headPm);
    if (slow) slow.reviewLag = rng.intIn(8, 11);
    return { people, pms, headPm, deputyPm };
}

/** Who is on staff at the window start and who joins or leaves during it, per role. */
function planHires(rng: Rng, win: PlanWindow, headcount: number[]): Hire[] {
    const { startDay, endDay } = win;
    const pdrafts: Hire[] = [];
    // the biggest role always has a leaver and a joiner, even in the smallest firm
    const biggest = ROLES.reduce((b, r, i) => (r !== 'project_manager' && headcount[i]! > headcount[b]! ? i : b), 0);
    ROLES.forEach((role, ri) => {
        const n = headcount[ri]!;
        const joiners = n >= 4 ? Math.max(1, Math.round(n * 0.16)) : ri === biggest && n >= 2 ? 1 : 0;
        const leavers = role === 'project_manager' ? 0 : Math.min(joiners, Math.max(ri === biggest ? 1 : 0, Math.round(n * 0.12)));
        const initial = n - joiners;
        const leaveDays: number[] = [];
        for (let i = 0; i < initial; i++) {
            const hire = weekdayOnOrAfter(startDay - rng.intIn(20, 3200));
            let leave: number | null = null;
            if (i < leavers) {
                leave = monthLastDay(monthKey(startDay + rng.intIn(60, endDay - startDay - 90)));
                leaveDays.push(leave);
            }
            pdrafts.push({ role, hireDay: hire, leaveDay: leave });
        }
        for (let j = 0; j < joiners; j++) {
            let hire: number;
            if (j < leaveDays.length) hire = leaveDays[j]! + rng.intIn(5, 50);
            else hire = startDay + rng.intIn(30, endDay - startDay - 60);
            hire = Math.min(hire, endDay - 30);
            hire = weekdayOnOrAfter(monthFirstDay(monthKey(hire)) + (rng.chance(0.6) ? 0 : 14));
            pdrafts.push({ role, hireDay: hire, leaveDay: null });
        }
    });
    return pdrafts;
}

function newPerson(rng: Rng, win: PlanWindow, pd: Hire, idx: number, usedNames: Set<string>): Person {
    let name = '';
    for (;;) {
        name = rng.pick(FIRST_NAMES) + ' ' + rng.pick(LAST_NAMES);
        if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    const [first, ...rest] = name.split(' ');
    const spec = ROLE_SPECS[pd.role];
    const from0 = Math.max(pd.hireDay, win.startDay);
    const caps = capacities(rng, win, pd, from0);
    const costs = costRates(rng, win, pd, from0);
    const logStyle: LogStyle = pd.role === 'project_manager' ? 'daily' : (['daily', 'friday', 'late', 'mixed'] as const)[rng.weighted([0.52, 0.26, 0.1, 0.12])]!;
    const source = logStyle === 'daily' ? (['timer', 'week_grid', 'import'] as const)[rng.weighted([0.45, 0.45, 0.1])]! : rng.chance(0.8) ? 'week_grid' : 'import';
    return {
        idx,
        id: 'P' + String(idx + 1).padStart(4, '0'),
        name,
        email: `${asciiFold(first!)}.${asciiFold(rest.join(''))}@${EMAIL_DOMAIN}`,
        role: pd.role,
        department: spec.department,
        hireDay: pd.hireDay,
        leaveDay: pd.leaveDay,
        caps,
        costs,
        logStyle,
        source,
        missingRate: rng.chance(0.1) ? rng.range(0.05, 0.09) : rng.range(0.005, 0.03),
        logsLeave: rng.chance(0.88),
        leave: new Set<number>(),
        batchPeriod: rng.intIn(12, 26),
        batchOffset: rng.int(28),
        reviewLag: rng.intIn(0, 2),
        submitLag: rng.chance(0.2) ? rng.intIn(3, 5) : 0,
    };
}

/** Weekly hours from the first day in the window; about one in nine changes once (to or from part time). */
function capacities(rng: Rng, win: PlanWindow, pd: Hire, from0: number): Person['caps'] {
    const h0 = rng.chance(0.85) ? 40 : rng.chance(0.67) ? 32 : 24;
    const caps = [{ from: from0, hours: h0 }];
    if (rng.chance(0.11)) {
        const lastDay = pd.leaveDay ?? win.endDay;
        if (lastDay - from0 > 120) {
            const when = monthFirstDay(monthKey(from0 + rng.intIn(60, lastDay - from0 - 30)));
            if (when > from0) caps.push({ from: when, hours: h0 === 40 ? rng.pick([32, 32, 24]) : h0 === 32 ? 40 : 32 });
        }
    }
    return caps;
}

/** Cost rates in EUR: a start rate, raises every January for most, and for some a promotion. */
function costRates(rng: Rng, win: PlanWindow, pd: Hire, from0: number): Person['costs'] {
    const { startDay, endDay } = win;
    const spec = ROLE_SPECS[pd.role];
    const currency = 'EUR';
    const costs = [{ from: from0, cents: Math.round(spec.cost * rng.lognormal(0, 0.09) * 2) * 50, currency }];
    const raises = rng.chance(0.75);
    let promotion = rng.chance(0.1) ? startDay + rng.intIn(90, endDay - startDay - 60) : -1;
    if (promotion >= 0) promotion = monthFirstDay(monthKey(promotion));
    for (let y = win.startYear + 1; y <= win.endYear; y++) {
        const jan1 = dayOf(y, 0, 1);
        if (raises && jan1 > from0 && (pd.leaveDay === null || jan1 <= pd.leaveDay) && jan1 <= endDay) {
            const last = costs[costs.length - 1]!;
            costs.push({ from: jan1, cents: Math.round((last.cents * rng.range(1.02, 1.06)) / 50) * 50, currency });
        }
    }
    if (promotion > from0 && (pd.leaveDay === null || promotion <= pd.leaveDay) && !costs.some((c) => c.from === promotion)) {
        costs.push({ from: promotion, cents: 0, currency });
        costs.sort((a, b) => a.from - b.from);
        for (let i = 1; i < costs.length; i++) if (costs[i]!.cents === 0) costs[i]!.cents = Math.round((costs[i - 1]!.cents * rng.range(1.07, 1.1)) / 50) * 50;
        for (let i = 1; i < costs.length; i++) if (costs[i]!.cents <= costs[i - 1]!.cents) costs[i]!.cents = costs[i - 1]!.cents + 50;
    }
    return costs;
}

/** Every logging behaviour, a timer user and a capacity change are present, even in the smallest firm. */
function ensureEveryHabit(win: PlanWindow, people: Person[]): void {
    const staff = people.filter((p) => p.role !== 'project_manager');
    for (const [i, style] of (['late', 'friday', 'mixed'] as const).entries()) {
        if (!staff.some((p) => p.logStyle === style) && staff.length > 3) {
            const p = staff[(i * 5 + 1) % staff.length]!;
            p.logStyle = style;
            p.source = 'week_grid';
        }
    }
    if (!people.some((p) => p.source === 'timer')) {
        const p = people.find((x) => x.logStyle === 'daily')!;
        p.source = 'timer';
    }
    // at least one capacity change (a switch to part time)
    if (!people.some((p) => p.caps.length > 1)) {
        const p = people.find((x) => x.leaveDay === null && x.hireDay <= win.startDay && x.role !== 'project_manager') ?? people[0]!;
        p.caps.push({ from: monthFirstDay(monthKey(win.startDay) + 10), hours: p.caps[0]!.hours === 40 ? 32 : 40 });
    }
}

/** A few cost rates in other currencies (contractors abroad). */
function foreignCostRates(win: PlanWindow, people: Person[]): void {
    const foreign = people.filter((p) => p.role === 'developer' || p.role === 'senior_developer');
    for (let i = 0; i < Math.min(win.scale >= 1 ? 3 : 1, foreign.length); i++) {
        const p = foreign[(i * 7 + 3) % foreign.length]!;
        const cur = i === 2 ? 'USD' : 'GBP';
        for (const c of p.costs) {
            c.currency = cur;
            c.cents = Math.round(c.cents / FXS[cur]! / 50) * 50;
        }
    }
}

/** Leave: vacation blocks, single days, Christmas, sick days. */
function planLeave(rng: Rng, win: PlanWindow, people: Person[]): void {
    const { startDay, endDay } = win;
    for (const p of people) {
        for (let y = win.startYear; y <= win.endYear; y++) {
            const add = (d: number): void => {
                if (dow(d) < 5 && d >= startDay && d <= endDay && employed(p, d)) p.leave.add(d);
            };
            const summer = mondayOf(dayOf(y, 5, 1) + rng.int(80));
            const len = rng.pick([5, 10, 10, 15]);
            for (let k = 0, d = summer; k < len; d++) if (dow(d) < 5) (add(d), k++);
            const other = mondayOf(dayOf(y, rng.pick([2, 3, 9, 10]), 1) + rng.int(25));
            for (let k = 0; k < 5; k++) add(other + k);
            if (rng.chance(0.7)) for (let d = dayOf(y, 11, 24); d <= dayOf(y, 11, 31); d++) add(d);
            const singles = rng.intIn(3, 7) + Math.floor(rng.lognormal(1, 0.7));
            for (let k = 0; k < singles; k++) add(dayOf(y, 0, 1) + rng.int(365));
        }
    }
}

function asciiFold(s: string): string {
    return s
        .replaceAll('ł', 'l')
        .replaceAll('Ł', 'L')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
}
