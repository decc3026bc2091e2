/**
 * Scale the work to the firm's capacity: the planned hours become ~93% of the client hours the people can
 * give (without overbooking a role much: small firms round head counts), and each item gets its daily pace.
 */
import { dow } from '../calendar.ts';
import { ROLES, ROLE_SPECS, type Role } from '../reference.ts';
import { capacityAt } from './people.ts';
import type { Item, Person, PlanWindow } from './types.ts';
import { weekdaysBetween, windowShare } from './window.ts';

/** Returns the person-days with work (leave excluded) and the logged leave days, for sizing the entries. */
export function fitWorkToCapacity(win: PlanWindow, people: Person[], items: Item[]): { workDays: number; leaveDays: number } {
    const { startDay, endDay } = win;
    let supply = 0;
    const supplyByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    let workDays = 0;
    let leaveDays = 0;
    for (const p of people) {
        for (let d = Math.max(startDay, p.hireDay); d <= Math.min(endDay, p.leaveDay ?? endDay); d++) {
            if (dow(d) >= 5) continue;
            if (p.leave.has(d)) {
                if (p.logsLeave) leaveDays++;
                continue;
            }
            workDays++;
            const h = (capacityAt(p, d) / 5) * ROLE_SPECS[p.role].clientShare;
            supply += h;
            supplyByRole.set(p.role, supplyByRole.get(p.role)! + h);
        }
    }
    let demandIn = 0;
    const demandInByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    for (const it of items) {
        const v = it.actual * windowShare(win, it);
        demandIn += v;
        demandInByRole.set(it.role, demandInByRole.get(it.role)! + v);
    }
    // fill ~93% of the client capacity without overbooking a role much (small firms round head counts)
    let k = (0.93 * supply) / demandIn;
    for (const r of ROLES) {
        const dr = demandInByRole.get(r)!;
        if (dr > 0) k = Math.min(k, (1.1 * supplyByRole.get(r)!) / dr);
    }
    for (const it of items) {
        if (it.inPlan) {
            it.est = Math.max(2, Math.round(it.est * k));
            it.actual = it.est * it.ratio;
        } else it.actual *= k;
        it.perDay = it.actual / Math.max(1, weekdaysBetween(it.sDay, it.eDay));
    }
    return { workDays, leaveDays };
}
