/** Head count per role from the demand inside the window: people follow the work (project managers have a floor). */
import { ROLES, ROLE_SPECS, type Role } from '../reference.ts';
import type { Item, PlanWindow } from './types.ts';
import { windowShare } from './window.ts';

/** People per role, in ROLES order, summing to the firm's size (150 at full size). */
export function headcountFromDemand(win: PlanWindow, items: Item[]): number[] {
    const { scale } = win;
    const demandByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    let demandTotal = 0;
    for (const it of items) {
        const v = it.actual * windowShare(win, it);
        demandByRole.set(it.role, demandByRole.get(it.role)! + v / ROLE_SPECS[it.role].clientShare);
        demandTotal += v / ROLE_SPECS[it.role].clientShare;
    }
    const nPeople = scale >= 1 ? 150 : Math.max(20, Math.round(150 * scale));
    const minByRole = (r: Role): number => (r === 'project_manager' ? (nPeople >= 60 ? 4 : 2) : 1);
    const exact = ROLES.map((r) => Math.max(minByRole(r), (nPeople * demandByRole.get(r)!) / demandTotal));
    const headcount = exact.map((x) => Math.floor(x));
    let hcSum = headcount.reduce((a, b) => a + b, 0);
    const order = ROLES.map((_, i) => i).sort((a, b) => exact[b]! - headcount[b]! - (exact[a]! - headcount[a]!) || a - b);
    for (let i = 0; hcSum < nPeople; i = (i + 1) % order.length) {
        headcount[order[i]!]!++;
        hcSum++;
    }
    while (hcSum > nPeople) {
        const j = headcount.indexOf(Math.max(...headcount));
        headcount[j]!--;
        hcSum--;
    }
    return headcount;
}
