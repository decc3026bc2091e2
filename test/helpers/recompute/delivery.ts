/**
 * The delivery figures that need no money: estimate vs actual by project × phase, and budget burn at the
 * as-of day.
 */
import { bool, type Firm } from './canonical.ts';
import { addMonths, hourTicks, maxIso, minIso, monthOf, TICKS_PER_SECOND } from './exact.ts';
import { type BurnRow, factOf, type PhaseFact } from './facts.ts';

/**
 * Estimate vs actual by project × phase: baseline estimated hours vs hours of the entries. As
 * fct_estimate_vs_actual.yml refines "actual hours": every status but rejected (sent back as wrong), and an
 * entry without a phase counts under "(no phase)".
 */
export function phaseFacts(firm: Firm): PhaseFact[] {
    const phases = new Map<string, PhaseFact>();
    const phaseFact = (projectId: string, phase: string): PhaseFact =>
        factOf(phases, `${projectId}|${phase}`, () => {
            const p = firm.projects.get(projectId)!;
            return { client_id: p.client, project_id: p.id, project_type: p.type, project_start: p.start, phase, estimated_ticks: null, actual_ticks: 0 };
        });
    for (const r of firm.planLines) {
        if (!bool(r.baseline!)) continue;
        const f = phaseFact(r.project_id!, r.phase!);
        f.estimated_ticks = (f.estimated_ticks ?? 0) + hourTicks(r.estimated_hours!);
    }
    for (const e of firm.entries) {
        if (e.status === 'rejected') continue;
        phaseFact(e.project, e.phase === '' ? '(no phase)' : e.phase).actual_ticks += e.seconds * TICKS_PER_SECOND;
    }
    return [...phases.values()];
}

/**
 * Budget burn (fixed fee, milestone, retainer) at the as-of day, which is what GET /api/budget-burn reports
 * ("Accruals … run through the as-of date"): hours used = every entry on or before that day, billable or not,
 * every status (fct_budget_burn.yml: burn measures the effort the budget has to cover). A project is listed
 * from the month it starts, or of its first entry if earlier (fct_budget_burn_daily.yml).
 */
export function budgetBurn(firm: Firm): BurnRow[] {
    const asOfMonth = monthOf(firm.asOf);
    return [...firm.projects.values()]
        .filter((p) => ['fixed_fee', 'milestone', 'retainer'].includes(p.model))
        .filter((p) => monthOf(p.start) <= asOfMonth || firm.entries.some((e) => e.project === p.id && monthOf(e.date) <= asOfMonth))
        .map((p) => {
            let used = 0;
            let billableUsed = 0;
            for (const e of firm.entries) {
                if (e.project !== p.id || e.date > firm.asOf) continue;
                used += e.seconds * TICKS_PER_SECOND;
                if (e.billable) billableUsed += e.seconds * TICKS_PER_SECOND;
            }
            let budget = p.budgetTicks;
            if (budget === null && p.model === 'retainer') {
                // fct_budget_burn.yml: a retainer without budget_hours budgets its terms' included hours to date.
                const list = firm.terms.get(p.id) ?? [];
                if (list.length > 0) {
                    budget = 0;
                    // every month through the as-of month (counted in full), or the end date's if earlier
                    const last = monthOf(minIso(p.end ?? firm.asOf, firm.asOf));
                    for (let month = monthOf(maxIso(p.start, list[0]!.from)); month <= last; month = addMonths(month, 1)) {
                        budget += [...list].reverse().find((t) => monthOf(t.from) <= month)!.includedTicks;
                    }
                }
            }
            return { project_id: p.id, client_id: p.client, budget_ticks: budget, hours_used_ticks: used, billable_hours_used_ticks: billableUsed };
        });
}
