/**
 * Staffing, week by week: each (project, phase, role) item's demand goes to the people already on it when
 * they have room, then to the least loaded of the role, then to its people as overtime. Unserved project
 * work carries over (and delays the project); unserved support work is lost. Support contracts are served
 * first, then projects in order of their start.
 */
import type { Rng } from '../../../lib/rng.ts';
import { ROLES, ROLE_SPECS, type Role } from '../reference.ts';
import { capacityAt, employed } from './people.ts';
import type { Alloc, Item, Person, PlanWindow } from './types.ts';
import { weekdaysBetween } from './window.ts';

/** One week's booking: each person's room for client work, their ceiling with overtime, the hours given so far. */
interface Week {
    mon: number;
    room: Float64Array;
    maxH: Float64Array;
    used: Float64Array;
    give: (p: number, it: Item, h: number) => void;
}

/** Each person's allocations by week (allocs[person idx][week]). */
export function staffWeeks(staffRng: Rng, win: PlanWindow, people: Person[], items: Item[]): (Alloc[] | undefined)[][] {
    const { startDay, endDay, mondays, weeks: W } = win;
    const allocs: (Alloc[] | undefined)[][] = people.map(() => new Array<Alloc[] | undefined>(W));
    const byRole = new Map<Role, Person[]>(ROLES.map((r) => [r, people.filter((p) => p.role === r)]));
    // support contracts are served first, then projects in order of their start
    const itemsByRole = new Map<Role, Item[]>(
        ROLES.map((r) => [r, items.filter((it) => it.role === r).sort((a, b) => Number(b.proj.type === 'maintenance') - Number(a.proj.type === 'maintenance') || a.idx - b.idx)]),
    );
    const room = new Float64Array(people.length);
    const maxH = new Float64Array(people.length);
    const used = new Float64Array(people.length);
    for (let w = 0; w < W; w++) {
        const mon = mondays[w]!;
        for (const p of people) {
            let avail = 0;
            for (let d = mon; d < mon + 5; d++) if (d >= startDay && d <= endDay && employed(p, d) && !p.leave.has(d)) avail++;
            const cap = capacityAt(p, mon) / 5;
            room[p.idx] = cap * avail * ROLE_SPECS[p.role].clientShare;
            maxH[p.idx] = cap * avail * 1.12;
            used[p.idx] = 0;
        }
        const give = (p: number, it: Item, h: number): void => {
            const list = (allocs[p]![w] ??= []);
            list.push({ item: it, hours: h });
            used[p]! += h;
            it.served += h;
            if (it.firstWeek < 0) it.firstWeek = w;
            it.lastWeek = w;
        };
        const week: Week = { mon, room, maxH, used, give };
        for (const role of ROLES) {
            const team = byRole.get(role)!;
            for (const it of itemsByRole.get(role)!) serveItem(staffRng, win, week, it, team);
        }
    }
    return allocs;
}

/** This week's demand of one item (its pace plus its backlog), given out; what is left becomes its backlog. */
function serveItem(staffRng: Rng, win: PlanWindow, week: Week, it: Item, team: Person[]): void {
    const { startDay, endDay, cal } = win;
    const { mon, room, maxH, used, give } = week;
    if (it.done || it.sDay > mon + 4) return;
    let d = it.backlog;
    if (it.eDay >= mon) {
        const a = Math.max(it.sDay, mon, startDay);
        const b = Math.min(it.eDay, mon + 4, endDay);
        const days = b >= a ? weekdaysBetween(a, b) : 0;
        d += it.perDay * days * staffRng.range(0.8, 1.2) * (it.proj.monthFactor[cal.month(mon)] ?? 1);
    } else if (++it.overdueWeeks > 10) {
        it.done = true;
        return;
    }
    if (d < 0.5) {
        it.backlog = d;
        if (it.eDay < mon + 7) it.done = true;
        return;
    }
    // a backlog drains gradually: at most 1.5 times the item's normal weekly pace
    const pace = Math.max(it.perDay * 5 * 1.5, 4);
    const over = d > pace ? d - pace : 0;
    d -= over;
    for (const p of it.sticky) {
        const g = Math.min(d, room[p]! - used[p]!);
        if (g >= 0.5) {
            give(p, it, g);
            d -= g;
        }
        if (d < 0.5) break;
    }
    while (d >= 0.5) {
        let best = -1;
        let bestRoom = 1;
        for (const p of team) {
            const r = room[p.idx]! - used[p.idx]!;
            if (r > bestRoom && !it.sticky.includes(p.idx)) {
                best = p.idx;
                bestRoom = r;
            }
        }
        if (best < 0) break;
        it.sticky.push(best);
        const g = Math.min(d, bestRoom);
        give(best, it, g);
        d -= g;
    }
    for (const p of it.sticky) {
        if (d < 0.5) break;
        const g = Math.min(d, maxH[p]! - used[p]!);
        if (g >= 0.5) {
            give(p, it, g);
            d -= g;
        }
    }
    // support work that finds nobody is not caught up later; project work is
    it.backlog = it.proj.type === 'maintenance' ? 0 : d + over;
    if (it.eDay < mon + 7 && it.backlog < 0.5) it.done = true;
}
