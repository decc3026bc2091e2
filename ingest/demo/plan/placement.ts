/**
 * Placement: each client project's start week, chosen to keep every role's load level (biggest projects
 * first, each where it adds the least to the load already placed). "Phase 2" projects start in the
 * window's first weeks; one milestone project starts late so that some milestones are not signed off yet.
 * Then projects and items are numbered in start order.
 */
import type { Rng } from '../../../lib/rng.ts';
import { addMonths, dow } from '../calendar.ts';
import { INTERNAL, ROLES, type Role } from '../reference.ts';
import { projectId, type PlannedProjects } from './projects.ts';
import type { PlanWindow, Project } from './types.ts';
import { weekdaysBetween } from './window.ts';

/** A project's weekly hours by role if it started in week 0: hours `h` of role `r` in week `off`. */
type Profile = { r: number; off: number; h: number }[];

export function placeProjects(rng: Rng, win: PlanWindow, planned: PlannedProjects): void {
    const { startDay, mondays, weeks: W } = win;
    const { projects, items, maintenanceMonths, continued } = planned;
    const load = ROLES.map(() => new Float64Array(W));
    const cps = projects.filter((p) => !p.internal);
    const { profiles, size, totalByRole } = loadProfiles(win, cps);
    const order = [...cps].sort((a, b) => size.get(b)! - size.get(a)! || a.idx - b.idx);
    // one milestone project runs past the end, so some milestones are not signed off yet
    const byLength = cps.filter((p) => p.model === 'milestone').sort((a, b) => Number(continued.has(a)) - Number(continued.has(b)) || b.plannedWeeks - a.plannedWeeks || a.idx - b.idx);
    const lateMilestone = byLength[0] ?? null;
    if (lateMilestone) continued.delete(lateMilestone);
    for (const p of order) {
        const prof = profiles.get(p)!;
        const maxStart = continued.has(p) ? 3 : p.type === 'maintenance' ? W - 20 : W - 2;
        const minStart = p === lateMilestone ? W - 8 : 0;
        // beyond the window, assume the load goes on at its recent level
        const tailLoad = load.map((l) => {
            let x = 0;
            for (let w = W - 8; w < W; w++) x += l[w]!;
            return x / 8;
        });
        let best = 0;
        let bestCost = Infinity;
        for (let s0 = minStart; s0 <= maxStart; s0++) {
            let c = 0;
            for (const x of prof) {
                const w = x.off + s0;
                const l = w < W ? load[x.r]![w]! : tailLoad[x.r]!;
                c += (2 * l * x.h + x.h * x.h) / totalByRole[x.r]!;
            }
            c *= rng.lognormal(0, 0.2);
            if (c < bestCost) {
                bestCost = c;
                best = s0;
            }
        }
        for (const x of prof) if (x.off + best < W) load[x.r]![x.off + best]! += x.h;
        const newStart = Math.max(startDay, mondays[best]!);
        const delta = newStart - p.startDay;
        p.startDay = newStart;
        const months = maintenanceMonths.get(p.idx);
        p.plannedEndDay = months !== undefined ? addMonths(newStart, months) - 1 : p.plannedEndDay + delta;
        for (const it of p.items) {
            it.sDay += delta;
            it.eDay = months !== undefined ? p.plannedEndDay : it.eDay + delta;
        }
    }
    cps.sort((a, b) => a.startDay - b.startDay || a.idx - b.idx);
    projects.splice(INTERNAL.length, cps.length, ...cps);
    projects.forEach((p, i) => {
        p.idx = i;
        p.id = projectId(i);
    });
    items.sort((a, b) => a.proj.idx - b.proj.idx || a.idx - b.idx);
    items.forEach((it, i) => (it.idx = i));
}

/** Each project's load profile from week 0, its total hours, and the total hours of each role. */
function loadProfiles(win: PlanWindow, cps: Project[]): { profiles: Map<Project, Profile>; size: Map<Project, number>; totalByRole: Float64Array } {
    const roleIdx = new Map<Role, number>(ROLES.map((r, i) => [r, i]));
    const totalByRole = new Float64Array(ROLES.length);
    const profiles = new Map<Project, Profile>();
    const size = new Map<Project, number>();
    for (const p of cps) {
        const agg = new Map<number, number>();
        let total = 0;
        for (const it of p.items) {
            const per = it.actual / Math.max(1, weekdaysBetween(it.sDay, it.eDay));
            const ri = roleIdx.get(it.role)!;
            for (let d = it.sDay; d <= it.eDay; d++) {
                if (dow(d) >= 5) continue;
                const key = ri * 100000 + Math.floor((d - win.monday0) / 7);
                agg.set(key, (agg.get(key) ?? 0) + per);
            }
            totalByRole[ri]! += it.actual;
            total += it.actual;
        }
        profiles.set(p, [...agg].map(([k, h]) => ({ r: Math.floor(k / 100000), off: k % 100000, h })));
        size.set(p, total);
    }
    return { profiles, size, totalByRole };
}
