/**
 * Revenue recognized by billing model (stage 4 of the funnel) with the retainer months it comes from, and
 * the leak above it, standard − recognized, in its three parts (PRODUCT.md "Metrics", "The margin funnel").
 */
import type { Entry, Firm } from './canonical.ts';
import { addMonths, divRound, maxIso, minIso, monthOf, pico, TICKS_PER_HOUR, TICKS_PER_SECOND } from './exact.ts';
import type { RetainerMonth } from './facts.ts';
import type { ProjectMonths } from './funnel.ts';
import type { Fx } from './prices.ts';

/** Revenue recognized as of as_of, into each project-month fact; returns the retainer months it recognized. */
export function recognizeRevenue(firm: Firm, fx: Fx, facts: ProjectMonths): RetainerMonth[] {
    const billableByProjectMonth = new Map<string, number>(); // project|month → billable ticks (every status)
    const billableSoFar = new Map<string, number>(); // the same through the as-of day
    for (const e of firm.entries) {
        if (!e.billable) continue;
        const key = `${e.project}|${monthOf(e.date)}`;
        billableByProjectMonth.set(key, (billableByProjectMonth.get(key) ?? 0) + e.seconds * TICKS_PER_SECOND);
        if (firm.happened(e.date)) billableSoFar.set(key, (billableSoFar.get(key) ?? 0) + e.seconds * TICKS_PER_SECOND);
    }
    const retainerMonths: RetainerMonth[] = [];
    for (const p of firm.projects.values()) {
        const currency = firm.clientCurrency.get(p.client)!;
        const monthsWithBillable = [...billableByProjectMonth.keys()].filter((k) => k.startsWith(`${p.id}|`)).map((k) => k.slice(p.id.length + 1)).sort();
        if (p.model === 'time_and_materials') {
            // standard value of billable entries, in their work month (every status: work done is work done)
            for (const f of facts.all()) if (f.project_id === p.id && f.month <= firm.asOf) f.recognized += f.standard;
        } else if (p.model === 'fixed_fee') {
            // contract_value × min(1, cumulative billable hours / budget_hours) at the end of each work month,
            // minus the same at the end of the month before; contract (client) currency at the month's first day.
            // In the as-of month, the hours through the as-of day.
            if (p.budgetTicks === null || p.budgetTicks === 0 || p.contractValue === null) continue;
            let cumulative = 0;
            let earnedBefore = 0n;
            for (const month of monthsWithBillable) {
                cumulative += billableSoFar.get(`${p.id}|${month}`) ?? 0;
                const earned = cumulative >= p.budgetTicks ? p.contractValue : divRound(p.contractValue * BigInt(cumulative), BigInt(p.budgetTicks));
                if (month <= firm.asOf) facts.fact(p.id, month).recognized += fx.convert(earned - earnedBefore, currency, month, `fixed fee ${p.id}`);
                earnedBefore = earned;
            }
        } else if (p.model === 'milestone') {
            for (const m of firm.milestones) {
                if (m.project_id !== p.id || !m.signed_off_date || m.signed_off_date > firm.asOf) continue;
                facts.fact(p.id, monthOf(m.signed_off_date)).recognized += fx.convert(pico(m.amount!), currency, m.signed_off_date, `milestone ${m.milestone_id}`);
            }
        } else if (p.model === 'retainer') {
            const list = firm.terms.get(p.id) ?? [];
            if (list.length === 0) continue;
            // Each month from the later of start_date and the (first) term's effective_from through the
            // earlier of end_date and the as-of month. As int_retainer_usage.yml refines the clause "a term
            // runs until the next term's effective_from": a month is governed by the latest term starting in
            // or before it (one fee a month, not prorated), and its rollover window is its own term's
            // rollover_months previous calendar months.
            const first = monthOf(maxIso(p.start, list[0]!.from));
            const last = monthOf(minIso(p.end ?? firm.horizon, firm.asOf));
            const unused: { month: string; ticks: number }[] = [];
            for (let month = first; month <= last; month = addMonths(month, 1)) {
                const term = [...list].reverse().find((t) => monthOf(t.from) <= month)!;
                const billable = billableByProjectMonth.get(`${p.id}|${month}`) ?? 0;
                const own = Math.min(billable, term.includedTicks);
                let rest = billable - own;
                let rolled = 0;
                const window = addMonths(month, -term.rollover);
                for (const u of unused) {
                    if (rest === 0) break;
                    if (u.month < window) continue;
                    const take = Math.min(rest, u.ticks);
                    u.ticks -= take;
                    rest -= take;
                    rolled += take;
                }
                unused.push({ month, ticks: term.includedTicks - own });
                const fee = fx.convert(term.fee, currency, month, `retainer fee ${p.id} ${month}`);
                const overageNative = divRound(term.overageRate * BigInt(rest), BigInt(TICKS_PER_HOUR));
                const overage = fx.convert(overageNative, currency, month, `retainer overage ${p.id} ${month}`);
                retainerMonths.push({
                    client_id: p.client, project_id: p.id, project_type: p.type, month, included_ticks: term.includedTicks, billable_ticks: billable,
                    included_used_ticks: own, rollover_used_ticks: rolled, overage_ticks: rest, fee, overage_amount: overage, revenue: fee + overage,
                });
                facts.fact(p.id, month).recognized += fee + overage;
            }
        }
    }
    return retainerMonths;
}

/**
 * The leak below stage 3, standard − recognized, in three parts (PRODUCT.md "The margin funnel").
 * Overrun: the std value of billable hours beyond a fixed-fee budget, counted in work-date order, and of
 * a retainer month's overage hours — its last billable hours in work-date order — beyond what the
 * overage revenue pays (max(0, …) per month). Where a day crosses the line, its entries share the
 * excess pro rata by their hours. Price difference: the rest of a fixed-fee or retainer project's gap.
 * Awaiting sign-off: a milestone project's whole gap.
 */
export function splitTheOverrun(firm: Firm, facts: ProjectMonths, std: Map<string, bigint>, retainerMonths: RetainerMonth[]): void {
    const billableDays = new Map<string, Map<string, Entry[]>>(); // project → work date → its billable entries
    for (const e of firm.entries) {
        if (!e.billable || !firm.isClientWork(e)) continue;
        // a retainer month's overage hours are its last ones: the whole month decides which they are
        if (!firm.happened(e.date) && firm.projects.get(e.project)!.model !== 'retainer') continue;
        const days = billableDays.get(e.project) ?? new Map<string, Entry[]>();
        billableDays.set(e.project, days);
        days.set(e.date, [...(days.get(e.date) ?? []), e]);
    }
    const dayTicksOf = (dayEntries: Entry[]): number => dayEntries.reduce((sum, e) => sum + e.seconds * TICKS_PER_SECOND, 0);
    /** The std value of `beyond` ticks of a day's entries, shared pro rata by their ticks. */
    const valueBeyond = (dayEntries: Entry[], beyond: number): bigint => {
        const dayTicks = dayTicksOf(dayEntries);
        if (beyond === 0 || dayTicks === 0) return 0n;
        return dayEntries.reduce((sum, e) => sum + divRound((std.get(e.id) ?? 0n) * BigInt(beyond), BigInt(dayTicks)), 0n);
    };
    for (const p of firm.projects.values()) {
        if (p.model !== 'fixed_fee' || p.budgetTicks === null) continue;
        let through = 0;
        for (const [day, dayEntries] of [...(billableDays.get(p.id) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
            const dayTicks = dayTicksOf(dayEntries);
            through += dayTicks;
            facts.fact(p.id, monthOf(day)).budget_overrun += valueBeyond(dayEntries, Math.max(0, Math.min(dayTicks, through - p.budgetTicks)));
        }
    }
    for (const m of retainerMonths) {
        let overage = m.overage_ticks;
        let overageValue = 0n;
        const days = [...(billableDays.get(m.project_id) ?? [])].filter(([day]) => monthOf(day) === m.month).sort(([a], [b]) => b.localeCompare(a));
        let overageSoFar = 0n;
        for (const [day, dayEntries] of days) {
            const beyond = Math.min(dayTicksOf(dayEntries), overage);
            overage -= beyond;
            overageValue += valueBeyond(dayEntries, beyond);
            if (firm.happened(day)) overageSoFar += valueBeyond(dayEntries, beyond);
        }
        // a month that overruns counts its overage hours worked through the as-of day against its overage revenue
        if (overageValue > m.overage_amount) facts.fact(m.project_id, m.month).budget_overrun += overageSoFar - m.overage_amount;
    }
    for (const f of facts.all()) {
        if (f.billing_model === 'fixed_fee' || f.billing_model === 'retainer') f.price_difference = f.standard - f.budget_overrun - f.recognized;
        else if (f.billing_model === 'milestone') f.awaiting_signoff = f.standard - f.recognized;
    }
}
