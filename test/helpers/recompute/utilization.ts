/**
 * Capacity and utilization: capacity by person-day, and the person × week × month slices of capacity and
 * logged hours that utilization and timesheet completeness are ratios of.
 */
import type { Firm } from './canonical.ts';
import { dayNumber, isoDay, maxIso, minIso, mondayOf, monthOf, TICKS_PER_SECOND, weekday } from './exact.ts';
import { factOf, type UtilizationFact } from './facts.ts';

/** person → day (ISO) → capacity ticks, working days only. */
export type PersonDays = Map<string, Map<string, number>>;

/**
 * Capacity by person-day (PRODUCT.md: weekly_hours effective each day ÷ 5, Monday–Friday). As
 * int_person_days.yml refines: days of employment (start_date … end_date), from the first capacity row on,
 * through the horizon.
 */
export function personDays(firm: Firm): PersonDays {
    const out: PersonDays = new Map();
    for (const person of firm.people.values()) {
        const caps = firm.capacity.get(person.id) ?? [];
        const days = new Map<string, number>();
        out.set(person.id, days);
        if (caps.length === 0) continue;
        const first = maxIso(person.start ?? caps[0]!.from, caps[0]!.from);
        const last = minIso(person.end ?? firm.horizon, firm.horizon);
        let k = 0;
        for (let d = dayNumber(first); d <= dayNumber(last); d++) {
            const iso = isoDay(d);
            while (k + 1 < caps.length && caps[k + 1]!.from <= iso) k++;
            if (weekday(d) < 5) days.set(iso, caps[k]!.dayTicks);
        }
    }
    return out;
}

/** Utilization slices: person × week × month (a week across a month end has a slice in each month). */
export function utilizationSlices(firm: Firm, capacity: PersonDays): UtilizationFact[] {
    const slices = new Map<string, UtilizationFact>();
    const slice = (personId: string, date: string): UtilizationFact => {
        const week = mondayOf(date);
        const month = monthOf(date);
        return factOf(slices, `${personId}|${week}|${month}`, () => ({
            person_id: personId, role: firm.people.get(personId)!.role, week, month,
            capacity_ticks: 0, billable_ticks: 0, client_ticks: 0, internal_ticks: 0, all_ticks: 0, completeness_credit_ticks: 0,
        }));
    };
    // Capacity, like every accrual, stops at the as-of date, and entries dated after it do not count.
    for (const [personId, days] of capacity) for (const [day, ticks] of days) if (firm.happened(day)) slice(personId, day).capacity_ticks += ticks;
    for (const e of firm.entries) {
        if (!firm.happened(e.date)) continue;
        const s = slice(e.person, e.date);
        const ticks = e.seconds * TICKS_PER_SECOND;
        s.all_ticks += ticks;
        if (firm.isClientWork(e)) {
            s.client_ticks += ticks;
            if (e.billable) s.billable_ticks += ticks;
        } else s.internal_ticks += ticks;
    }
    // Timesheet completeness (person-week) = min(1, logged ÷ capacity); a group's is Σ min(logged, capacity)
    // ÷ Σ capacity, a week's credit shared among its month slices by capacity (fct_utilization.yml).
    const weekTotals = new Map<string, { cap: number; all: number }>();
    for (const s of slices.values()) {
        const t = weekTotals.get(`${s.person_id}|${s.week}`) ?? { cap: 0, all: 0 };
        t.cap += s.capacity_ticks;
        t.all += s.all_ticks;
        weekTotals.set(`${s.person_id}|${s.week}`, t);
    }
    for (const s of slices.values()) {
        const t = weekTotals.get(`${s.person_id}|${s.week}`)!;
        s.completeness_credit_ticks = t.cap === 0 ? 0 : (Math.min(t.all, t.cap) * s.capacity_ticks) / t.cap;
    }
    // The week running at the as-of date is judged on its days through it (the slices above hold only those):
    // its completeness is min(1, logged ÷ capacity so far), and each of its month slices is weighted by the
    // slice's capacity so far — the same rule as an ended week, on the days that have happened.
    return [...slices.values()];
}
