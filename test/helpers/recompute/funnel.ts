/**
 * The margin funnel's facts by client × project × month, and its first stages: tracked and billable value
 * (stages 2 and 3, with the unbilled leaks between them) and untracked value (the leak before stage 2).
 */
import type { Firm } from './canonical.ts';
import { dayNumber, divRound, isoDay, mondayOf, monthOf, TICKS_PER_SECOND } from './exact.ts';
import { factOf, type ProjectMonthFact } from './facts.ts';
import type { PersonDays } from './utilization.ts';

/** The facts by client × project × month, each made at zero when first asked for. */
export class ProjectMonths {
    private readonly facts = new Map<string, ProjectMonthFact>();
    private readonly firm: Firm;

    constructor(firm: Firm) {
        this.firm = firm;
    }

    fact(projectId: string, month: string): ProjectMonthFact {
        return factOf(this.facts, `${projectId}|${month}`, () => {
            const p = this.firm.projects.get(projectId)!;
            return {
                client_id: p.client, project_id: p.id, project_type: p.type, billing_model: p.model, month,
                tracked: 0n, standard: 0n, unbilled_meetings: 0n, unbilled_other: 0n, untracked: 0n, recognized: 0n,
                budget_overrun: 0n, price_difference: 0n, awaiting_signoff: 0n, billed_at_recognition: 0n,
                billed: 0n, credited: 0n, collected: 0n, cost: 0n, client_ticks: 0, billable_ticks: 0,
            };
        });
    }

    all(): ProjectMonthFact[] {
        return [...this.facts.values()];
    }
}

/** Tracked value, standard value and the unbilled leaks, cost and hours, of the client entries through as_of. */
export function addTrackedValue(firm: Firm, facts: ProjectMonths, std: Map<string, bigint>, cost: Map<string, bigint>): void {
    for (const e of firm.entries) {
        if (!firm.isClientWork(e) || !firm.happened(e.date)) continue;
        const f = facts.fact(e.project, monthOf(e.date));
        const value = std.get(e.id) ?? 0n; // an entry without a rate card has no value to add
        const ticks = e.seconds * TICKS_PER_SECOND;
        f.tracked += value;
        f.client_ticks += ticks;
        f.cost += cost.get(e.id) ?? 0n;
        if (e.billable) {
            f.standard += value;
            f.billable_ticks += ticks;
        } else if (e.activity === 'meeting') f.unbilled_meetings += value;
        else f.unbilled_other += value;
    }
}

/**
 * Untracked value (funnel, stage 1 leak): per person-week, gap = max(0, capacity − all hours logged,
 * internal included); value = gap × the week's client std ÷ its client hours, shared among projects and
 * months in proportion to std. Capacity counts the working days through as_of (PRODUCT.md: "Accruals (…
 * untracked time) run through the as-of date"); logged hours are all the week's entries, of every status (the
 * same hours the tracked value counts).
 */
export function addUntrackedValue(firm: Firm, facts: ProjectMonths, std: Map<string, bigint>, capacity: PersonDays): void {
    const weeks = new Map<string, { person: string; all: number; clientTicks: number; pieces: Map<string, bigint> }>();
    for (const e of firm.entries) {
        const key = `${e.person}|${mondayOf(e.date)}`;
        const w = weeks.get(key) ?? { person: e.person, all: 0, clientTicks: 0, pieces: new Map<string, bigint>() };
        weeks.set(key, w);
        const ticks = e.seconds * TICKS_PER_SECOND;
        w.all += ticks;
        if (firm.isClientWork(e)) {
            w.clientTicks += ticks;
            const piece = `${e.project}|${monthOf(e.date)}`;
            w.pieces.set(piece, (w.pieces.get(piece) ?? 0n) + (std.get(e.id) ?? 0n));
        }
    }
    for (const [key, w] of weeks) {
        if (w.clientTicks === 0) continue;
        const monday = dayNumber(key.slice(key.indexOf('|') + 1));
        const days = capacity.get(w.person)!;
        let cap = 0;
        for (let d = monday; d < monday + 7; d++) if (isoDay(d) <= firm.asOf) cap += days.get(isoDay(d)) ?? 0;
        const gap = cap - w.all;
        if (gap <= 0) continue;
        for (const [piece, value] of w.pieces) {
            const [projectId, month] = piece.split('|') as [string, string];
            facts.fact(projectId, month).untracked += divRound(BigInt(gap) * value, BigInt(w.clientTicks));
        }
    }
}
