/**
 * Monthly realization and utilization side by side, one row for every month of the period (a month without
 * activity is a row of gaps, so the calendar stays continuous).
 *
 * Realization is over the trailing three months: invoices land in other months than the work they bill (a
 * month's work is invoiced after it ends, a milestone when it is signed off), so one month's billed ÷ standard
 * jumps between 0 and several hundred percent while three months together say how much of the work is billed.
 * Each month's ratio is the sums of it and the two months before it (from the answer, which covers the period
 * before too), never an average of monthly ratios. The month of the as-of date is still open: its work is
 * invoiced after it ends and collected later still, so it is marked.
 */
import type { MetricResult } from '../../api/types.ts';
import { addMonths, eachMonth, monthStart, type Filters, type Period } from '../../filters.ts';
import { loadMonths, monthsIn } from './data.ts';

export const TRAILING_MONTHS = 3;

export interface RatioMonth {
    month: string;
    billing_realization: number | null;
    overall_realization: number | null;
    utilization: number | null;
    /** The month of the as-of date: not all of its work is invoiced or collected yet. */
    open: boolean;
    [key: string]: string | number | boolean | null;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * The period's months: realization over each month and the TRAILING_MONTHS − 1 before it (null when those
 * months have no standard value), utilization of the month itself.
 */
export function ratioMonths(realization: MetricResult, utilization: MetricResult, period: Pick<Period, 'from' | 'to'>, asOf: string): RatioMonth[] {
    const sums = new Map<string, { standard: number; billed: number; collected: number }>();
    for (const r of realization.rows) sums.set(String(r.month), { standard: num(r.standard_value), billed: num(r.billed_value), collected: num(r.collected_value) });
    const util = new Map(utilization.rows.map((r) => [String(r.month), typeof r.utilization === 'number' ? r.utilization : null]));
    const open = monthStart(asOf);
    return eachMonth(period.from, period.to).map((month) => {
        let standard = 0;
        let billed = 0;
        let collected = 0;
        for (let i = 0; i < TRAILING_MONTHS; i++) {
            const s = sums.get(addMonths(month, -i));
            standard += s?.standard ?? 0;
            billed += s?.billed ?? 0;
            collected += s?.collected ?? 0;
        }
        return {
            month,
            billing_realization: standard ? billed / standard : null,
            overall_realization: standard ? collected / standard : null,
            utilization: util.get(month) ?? null,
            open: month === open,
        };
    });
}

/** The period's months; the answers cover the period before it too (for the KPIs and the trailing months). */
export async function loadRatioMonths(filters: Filters, period: Period, asOf: string): Promise<RatioMonth[]> {
    const [realization, utilization] = await Promise.all([loadMonths('realization', filters, period), loadMonths('utilization', filters, period)]);
    return ratioMonths(realization, utilization, period, asOf);
}

/** Revenue, cost and margin for every month of the period (a month without any is a row of gaps). */
export function continuousMonths(result: MetricResult, period: Pick<Period, 'from' | 'to'>): MetricResult {
    const byMonth = new Map(result.rows.map((r) => [String(r.month), r]));
    return { ...result, rows: eachMonth(period.from, period.to).map((month) => byMonth.get(month) ?? { month }) };
}

export async function loadMarginMonths(filters: Filters, period: Period): Promise<MetricResult> {
    return continuousMonths(monthsIn(await loadMonths('margin', filters, period), period), period);
}
