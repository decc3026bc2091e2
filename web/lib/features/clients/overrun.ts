/**
 * A budgeted project's overrun so far beside what its estimate at completion says is coming, so the overrun
 * card and the estimate-at-completion tile of the project page tell one story: to date the overrun may still
 * be a gain (revenue recognized ahead of the standard value of the hours), while hours forecast beyond the
 * budget will earn no revenue.
 */
import type { BurnRow } from '../../api/types.ts';
import type { OverrunMonth } from '../../charts/options/project.ts';
import { formatHours, formatMoney, formatMoneyCompact } from '../../format.ts';

export interface OverrunOutlook {
    /** Billable value − revenue recognized over the months given (below zero a gain). */
    to_date: number;
    /** Estimate at completion − budget, hours (≤ 0: within budget); null without a forecast. */
    hours_beyond: number | null;
    /** Standard value of the hours beyond the budget at the project's standard value per billable hour so far. */
    value_beyond: number | null;
    text: string;
}

export function overrunOutlook(rows: OverrunMonth[], burn: Pick<BurnRow, 'budget_hours' | 'eac_hours' | 'billable_hours_used'> | undefined, ctx: { currency: string; locale: string }): OverrunOutlook {
    const cents = (v: number | null) => Math.round((v ?? 0) * 100);
    const to_date = rows.reduce((s, r) => s + cents(r.overrun), 0) / 100;
    const billable = rows.reduce((s, r) => s + cents(r.billable_value), 0) / 100;
    const money = (v: number) => formatMoney(v, ctx.currency, ctx.locale);
    const so_far = to_date > 0 ? `So far an overrun of ${money(to_date)}` : to_date < 0 ? `So far a gain of ${money(-to_date)} (revenue recognized ahead of the hours’ standard value)` : 'So far no overrun';
    if (!burn || burn.eac_hours === null || burn.budget_hours === null) return { to_date, hours_beyond: null, value_beyond: null, text: `${so_far}.` };
    const hours_beyond = burn.eac_hours - burn.budget_hours;
    const eac = formatHours(burn.eac_hours, ctx.locale, 0);
    const budget = formatHours(burn.budget_hours, ctx.locale, 0);
    if (hours_beyond <= 0) return { to_date, hours_beyond, value_beyond: 0, text: `${so_far}; the estimate at completion, ${eac}, stays within the budget of ${budget}.` };
    const rate = burn.billable_hours_used > 0 ? billable / burn.billable_hours_used : null;
    const value_beyond = rate === null ? null : Math.round(hours_beyond * rate * 100) / 100;
    const worth = value_beyond === null ? '' : ` (about ${formatMoneyCompact(value_beyond, ctx.currency, ctx.locale)} at its standard value per hour so far)`;
    return {
        to_date,
        hours_beyond,
        value_beyond,
        text: `${so_far}; but the estimate at completion, ${eac}, is ${formatHours(hours_beyond, ctx.locale, 0)} over the budget of ${budget}: hours beyond the budget earn no revenue${worth}.`,
    };
}
