/**
 * Contracts: budgets and contract values from the estimate at a blended rate; fixed fees billed 30/40/30 or
 * monthly; retainers (the first one sold tight, so overage months exist in every firm) with included hours,
 * rollover and, for about half, a change of terms.
 */
import type { Rng } from '../../../lib/rng.ts';
import { monthFirstDay, monthKey, monthLastDay } from '../calendar.ts';
import type { RatePlan } from './rates.ts';
import type { PlanWindow, Project } from './types.ts';

export function planContracts(rng: Rng, win: PlanWindow, clientProjects: Project[], rates: RatePlan): void {
    const { cal } = win;
    for (const p of clientProjects) {
        const estSum = p.items.reduce((a, it) => a + it.est, 0);
        const rate = blendedRate(p, rates);
        const startMonth = cal.month(p.startDay);
        if (p.model === 'fixed_fee' || p.model === 'milestone') {
            p.budgetHours = estSum;
            p.contractCents = Math.round((estSum * rate * rng.range(0.97, 1.12)) / 50000) * 50000;
        } else if (p.model === 'time_and_materials') {
            if (!p.openEnded && rng.chance(0.5)) p.budgetHours = estSum;
        }
        if (p.model === 'fixed_fee') {
            p.feeScheme = rng.chance(0.5) ? 'split' : 'monthly';
            const c = p.contractCents!;
            if (p.feeScheme === 'split') {
                const mid = cal.month(p.startDay + Math.round(p.plannedWeeks * 3.5));
                const a = Math.round((c * 0.3) / 100) * 100;
                const b = Math.round((c * 0.4) / 100) * 100;
                p.fees.push({ month: startMonth, cents: a, periodStart: 0, periodEnd: 0 });
                p.fees.push({ month: mid, cents: b, periodStart: 0, periodEnd: 0 });
                p.fees.push({ month: -1, cents: c - a - b, periodStart: 0, periodEnd: 0 }); // on completion
            } else {
                const n = Math.max(1, cal.month(p.plannedEndDay) - startMonth + 1);
                const each = Math.floor(c / n / 100) * 100;
                for (let i = 0; i < n; i++) p.fees.push({ month: startMonth + i, cents: i === n - 1 ? c - each * (n - 1) : each, periodStart: 0, periodEnd: 0 });
            }
        }
        if (p.model === 'retainer') {
            const months = Math.max(1, monthKey(p.plannedEndDay) - monthKey(p.startDay) + 1);
            // the first retainer is sold tight, so overage months exist in every firm
            const tight = !clientProjects.some((x) => x.model === 'retainer' && x.terms.length > 0);
            const included = Math.max(10, Math.round((estSum * (tight ? 0.7 : 1)) / months / 5) * 5);
            const fee = Math.round((included * rate * 0.92) / 1000) * 1000;
            const overage = Math.round((rate * 1.05) / 100) * 100;
            const rollover = rng.intIn(0, 3);
            p.terms.push({ from: p.startDay, feeCents: fee, includedTt: included * 10000, overageCents: overage, rollover: tight ? 0 : rollover });
            p.budgetHours = included * months;
        }
    }
    const retainers = clientProjects.filter((p) => p.model === 'retainer');
    changeRetainerTerms(rng, win, retainers);
    for (const p of retainers) {
        if (p.openEnded) continue;
        let total = 0;
        for (let m = monthKey(p.startDay); m <= monthKey(p.plannedEndDay); m++) {
            let fee = p.terms[0]!.feeCents;
            for (const t of p.terms) if (t.from <= monthLastDay(m)) fee = t.feeCents;
            total += fee;
        }
        p.contractCents = total;
    }
}

/** The client's rate if it has a card, else the role rates at the start weighted by the plan's hours. */
function blendedRate(p: Project, rates: RatePlan): number {
    const cr = rates.clientRate.get(p.client);
    if (cr !== undefined) return cr;
    let h = 0;
    let v = 0;
    for (const it of p.items) {
        if (!it.inPlan) continue;
        const list = rates.roleRate.get(it.role)!;
        let c = list[0]!.cents;
        for (const r of list) if (r.from <= p.startDay) c = r.cents;
        h += it.est;
        v += it.est * c;
    }
    return h > 0 ? v / h : 11000;
}

/** At least one retainer term change (and about half of the retainers change). */
function changeRetainerTerms(rng: Rng, win: PlanWindow, retainers: Project[]): void {
    retainers.forEach((p, i) => {
        const first = p.terms[0]!;
        const months = monthKey(Math.min(p.plannedEndDay, win.endDay)) - monthKey(p.startDay);
        if (months < 2) return;
        if (i !== 0 && !rng.chance(0.5)) return;
        const after = months >= 13 ? 12 : Math.max(1, Math.floor(months / 2));
        const from = monthFirstDay(monthKey(p.startDay) + after);
        p.terms.push({
            from,
            feeCents: Math.round((first.feeCents * rng.range(1.03, 1.08)) / 1000) * 1000,
            includedTt: first.includedTt + (rng.chance(0.5) ? 100000 : 0),
            overageCents: Math.round((first.overageCents * 1.04) / 100) * 100,
            rollover: rng.chance(0.5) || i === 0 ? first.rollover : rng.intIn(0, 3),
        });
    });
}
