/**
 * The lines an invoice run bills by contract rather than by the hour:
 * - fixed fee: the fee schedule, never the hours. A project with milestones is billed by them, each signed off
 *   on or before the period's end and not yet invoiced; one without is billed in percent-complete instalments:
 *   contract_value × min(1, approved billable hours to the period's end ÷ budget_hours), less what its
 *   invoices (drafts included, void ones not) already bill as fixed fee; one instalment per month.
 * - retainer: each month of the period within the project's dates, once: the monthly fee of the term in force
 *   at the month's end, and the overage beyond the included hours at the term's overage rate, where a month's
 *   approved billable hours use its included hours first, then the unused included hours of the previous
 *   rollover_months months, oldest first (PRODUCT.md).
 * - milestone: the milestones signed off on or before the period's end and not yet invoiced.
 * What was billed is claimed (invoicing.billed_items), so a second run, or a concurrent one, cannot bill it
 * again; what an invoice loaded from files bills counts as billed too.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { RunScope } from './time-lines.ts';
import { cents } from './write.ts';

export type ContractKind = 'fixed_fee' | 'milestone' | 'retainer_fee' | 'overage';

export interface ContractLine {
    client_id: string;
    project_id: string;
    kind: ContractKind;
    hours: number | null;
    rate: number | null;
    amount: number;
    period_start: string;
    period_end: string;
    milestone_id: string | null;
    description: string;
    /** The claim that keeps it from being billed twice (invoicing.billed_items). */
    item: string;
}

interface Project {
    project_id: string;
    client_id: string;
    name: string;
    billing_model: string;
    start_date: string;
    end_date: string | null;
    budget_hours: number | null;
    contract_value: number | null;
}

/** Months (first days, YYYY-MM-DD) from `from`'s month through `to`'s. */
export function monthsBetween(from: string, to: string): string[] {
    const out: string[] = [];
    let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
    const [ty, tm] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
    while (y < ty || (y === ty && m <= tm)) {
        out.push(`${y}-${String(m).padStart(2, '0')}-01`);
        if (++m > 12) [y, m] = [y + 1, 1];
    }
    return out;
}

export function monthEnd(month: string): string {
    const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export interface RetainerTerm {
    effective_from: string;
    monthly_fee: number;
    included_hours: number;
    overage_rate: number;
    rollover_months: number;
}

/**
 * Overage hours per month (first day → hours) of a retainer from its first month on, by PRODUCT.md's rule.
 * `hours` holds each month's approved billable hours; `months` every month from the project's first.
 */
export function retainerOverage(months: string[], hours: Map<string, number>, termAt: (month: string) => RetainerTerm | null): Map<string, number> {
    const unused: number[] = [];
    const out = new Map<string, number>();
    months.forEach((month, i) => {
        const term = termAt(month);
        const included = term?.included_hours ?? 0;
        const h = hours.get(month) ?? 0;
        const use = Math.min(h, included);
        unused[i] = included - use;
        let rest = h - use;
        for (let j = Math.max(0, i - (term?.rollover_months ?? 0)); j < i && rest > 1e-9; j++) {
            const take = Math.min(rest, unused[j]!);
            unused[j] = unused[j]! - take;
            rest -= take;
        }
        out.set(month, Math.round(rest * 10000) / 10000);
    });
    return out;
}

/** The scope's projects billed by contract, as a subquery over $1 (the client, or null for all). */
const SCOPE_PROJECTS = `select project_id from canonical.projects where billing_model in ('fixed_fee', 'retainer', 'milestone') and ($1::varchar is null or client_id = $1)`;

async function projectsOf(warehouse: Warehouse, scope: RunScope): Promise<Project[]> {
    return warehouse.all<Project>(
        `select project_id, client_id, name, billing_model, start_date, end_date, budget_hours::double as budget_hours, contract_value::double as contract_value
        from canonical.projects
        where billing_model in ('fixed_fee', 'retainer', 'milestone')
            and ($1::varchar is null or client_id = $1)
            and start_date <= $2::date
        order by client_id, project_id`,
        [scope.client_id, scope.to],
    );
}

/** Claims taken, and what loaded invoices bill, as claim names. */
async function billedItems(warehouse: Warehouse, scope: RunScope): Promise<Set<string>> {
    const rows = await warehouse.all<{ item: string }>(
        `select item from invoicing.billed_items
        union all
        select case
                when l.milestone_id is not null and l.milestone_id <> '' then 'milestone:' || l.milestone_id
                else 'retainer:' || l.project_id || ':' || strftime(l.period_start, '%Y-%m')
            end as item
        from canonical.invoice_lines l
        join canonical.invoices i using (invoice_id)
        join canonical.projects p using (project_id)
        where i.status <> 'void'
            and ($1::varchar is null or p.client_id = $1)
            and (l.kind = 'retainer_fee' and l.period_start is not null or l.milestone_id is not null and l.milestone_id <> '')`,
        [scope.client_id],
    );
    return new Set(rows.map((r) => r.item));
}

export async function contractLines(warehouse: Warehouse, scope: RunScope): Promise<ContractLine[]> {
    const projects = await projectsOf(warehouse, scope);
    if (projects.length === 0) return [];
    const billed = await billedItems(warehouse, scope);
    const milestones = await warehouse.all<{ milestone_id: string; project_id: string; name: string; amount: number; signed_off_date: string }>(
        `select milestone_id, project_id, name, amount::double as amount, signed_off_date
        from canonical.milestones
        where project_id in (${SCOPE_PROJECTS}) and signed_off_date <= $2::date
        order by signed_off_date, milestone_id`,
        [scope.client_id, scope.to],
    );
    const hasMilestones = new Set(
        (await warehouse.all<{ project_id: string }>(`select distinct project_id from canonical.milestones where project_id in (${SCOPE_PROJECTS})`, [scope.client_id])).map(
            (r) => r.project_id,
        ),
    );
    const monthly = await warehouse.all<{ project_id: string; month: string; hours: number }>(
        `select project_id, date_trunc('month', work_date)::date as month, (sum(duration_seconds) / 3600.0)::double as hours
        from canonical.time_entries
        where project_id in (${SCOPE_PROJECTS}) and status = 'approved' and billable and work_date <= $2::date
        group by all`,
        [scope.client_id, scope.to],
    );
    const feeBilled = new Map(
        (
            await warehouse.all<{ project_id: string; amount: number }>(
                `select l.project_id, sum(l.amount)::double as amount
                from canonical.invoice_lines l join canonical.invoices i using (invoice_id)
                where i.status <> 'void' and l.kind = 'fixed_fee' and l.project_id in (${SCOPE_PROJECTS})
                group by all`,
                [scope.client_id],
            )
        ).map((r) => [r.project_id, r.amount]),
    );
    const terms = await warehouse.all<RetainerTerm & { project_id: string }>(
        `select project_id, effective_from, monthly_fee::double as monthly_fee, included_hours::double as included_hours,
            overage_rate::double as overage_rate, rollover_months
        from canonical.retainer_terms where project_id in (${SCOPE_PROJECTS})
        order by project_id, effective_from`,
        [scope.client_id],
    );

    const lines: ContractLine[] = [];
    const periodMonths = monthsBetween(scope.from, scope.to);
    for (const p of projects) {
        const hoursOf = new Map(monthly.filter((r) => r.project_id === p.project_id).map((r) => [r.month, r.hours]));
        const base = { client_id: p.client_id, project_id: p.project_id, milestone_id: null, hours: null, rate: null };
        if (p.billing_model === 'milestone' || (p.billing_model === 'fixed_fee' && hasMilestones.has(p.project_id))) {
            for (const m of milestones.filter((x) => x.project_id === p.project_id && !billed.has(`milestone:${x.milestone_id}`))) {
                lines.push({
                    ...base,
                    kind: p.billing_model === 'milestone' ? 'milestone' : 'fixed_fee',
                    amount: m.amount,
                    period_start: m.signed_off_date,
                    period_end: m.signed_off_date,
                    milestone_id: m.milestone_id,
                    description: `${p.name} — milestone ${m.name} (signed off ${m.signed_off_date})`,
                    item: `milestone:${m.milestone_id}`,
                });
            }
        } else if (p.billing_model === 'fixed_fee') {
            const item = `fixed_fee:${p.project_id}:${scope.to.slice(0, 7)}`;
            if (billed.has(item) || !p.budget_hours || !p.contract_value) continue;
            const hours = [...hoursOf.values()].reduce((a, b) => a + b, 0);
            const share = Math.min(1, hours / p.budget_hours);
            const due = cents(cents(p.contract_value * share) - (feeBilled.get(p.project_id) ?? 0));
            if (due <= 0) continue;
            lines.push({
                ...base,
                kind: 'fixed_fee',
                amount: due,
                period_start: scope.from,
                period_end: scope.to,
                description: `${p.name} — fixed fee instalment, ${(share * 100).toFixed(1)} % complete to ${scope.to}`,
                item,
            });
        } else {
            const own = terms.filter((t) => t.project_id === p.project_id);
            const termAt = (month: string) => own.filter((t) => t.effective_from <= monthEnd(month)).at(-1) ?? null;
            const all = monthsBetween(p.start_date, scope.to);
            const overage = retainerOverage(all, hoursOf, termAt);
            for (const month of periodMonths) {
                const item = `retainer:${p.project_id}:${month.slice(0, 7)}`;
                const term = termAt(month);
                if (billed.has(item) || !term || month < p.start_date.slice(0, 8) + '01' || (p.end_date && month > p.end_date)) continue;
                const end = monthEnd(month);
                const label = month.slice(0, 7);
                lines.push({ ...base, kind: 'retainer_fee', amount: term.monthly_fee, period_start: month, period_end: end, description: `${p.name} — retainer ${label}`, item });
                const over = overage.get(month) ?? 0;
                if (over > 0) {
                    lines.push({
                        ...base,
                        kind: 'overage',
                        hours: over,
                        rate: term.overage_rate,
                        amount: cents(over * term.overage_rate),
                        period_start: month,
                        period_end: end,
                        description: `${p.name} — overage ${label} beyond ${term.included_hours} included hours`,
                        item: `overage:${p.project_id}:${label}`,
                    });
                }
            }
        }
    }
    return lines;
}
