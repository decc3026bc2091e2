/**
 * What a backtest reports (per method, overall and per class; reliability shares) and the acceptance bands
 * it is checked against. Both units, items (item-backtest.ts) and projects (backtest.ts), report alike.
 */
import { quantileSorted } from 'simple-statistics';
import type { Calibration } from './types.ts';
import { LEVELS, figures, type Figures, type Scored } from './metrics.ts';

/** Levels recalibrated: the bounds and P80; the P50 is read as the plain median (item-backtest.ts step 7). */
export const TRACKED = LEVELS.map((tau) => tau !== 0.5);

/** Observed share of actuals at or below the forecast at each nominal level, per method. */
export interface ReliabilityFigures {
    n: number;
    method: number[];
    global: number[];
    per_class: number[];
}

export interface Reliability {
    levels: number[];
    overall: ReliabilityFigures;
    classes: (ReliabilityFigures & { class: string })[];
}

export type Method = 'method' | 'global' | 'per_class';

export interface ClassFigures {
    class: string;
    n: number;
    method: Figures;
    global: Figures;
    per_class: Figures;
}

export interface BacktestReport {
    unit: 'item' | 'project';
    /** Units given, scored, and not scored for lack of history (warm-up). */
    units: number;
    scored: number;
    warmup: number;
    overall: Record<Method, Figures>;
    /** Per class (full class; project_type for projects), largest first. */
    classes: ClassFigures[];
    options: Record<string, number | boolean | string>;
    runtime_ms: number;
    /**
     * With keepForecasts: each scored unit's forecast hours at P10/P50/P80/P90 (index = position in the input;
     * projects: `id`), in scoring order.
     */
    forecasts?: { index: number; id?: string; hours: number[]; actual: number; estimate: number; weight?: number }[];
}

export interface ProjectBacktestReport extends BacktestReport {
    /** The recalibration offsets after the last outcome (per type: firm-wide + the type's; firm: firm-wide): pass to quoteDeal for live quotes. */
    calibration: Calibration & { firm: number[]; p50: 'median' | 'estimate' };
    /** Closed projects without a baseline estimate (not usable). */
    excluded_without_estimate: number;
    /** With reliabilityLevels: nominal vs observed share at or below each level. */
    reliability?: Reliability;
}

export const SEP = ' / ';

/** Per class, largest first (then by name): `of` the positions of the scored units of that class. */
function byClass<T extends { n: number }>(keys: readonly string[], of: (idx: number[]) => T): (T & { class: string })[] {
    const by = new Map<string, number[]>();
    keys.forEach((k, i) => (by.get(k) ?? by.set(k, []).get(k)!).push(i));
    return [...by].map(([k, idx]) => ({ class: k, ...of(idx) })).sort((a, b) => b.n - a.n || (a.class < b.class ? -1 : 1));
}

export function perClass(keys: readonly string[], scored: Record<Method, Scored[]>): ClassFigures[] {
    const pick = (m: Method, idx: number[]) => figures(idx.map((i) => scored[m][i]!));
    return byClass(keys, (idx) => ({ n: idx.length, method: pick('method', idx), global: pick('global', idx), per_class: pick('per_class', idx) }));
}

/** Log-space baseline quantiles from a sorted sample of past log ratios, shifted by the log estimate. */
export function empirical(sorted: Float64Array, e: number): number[] {
    const x = sorted as unknown as number[];
    return LEVELS.map((tau) => e + quantileSorted(x, tau));
}

export function reliability(levels: number[], keys: readonly string[], hits: Record<Method, Uint8Array[]>, weights: readonly number[]): Reliability {
    const share = (m: Method, idx: readonly number[]) => {
        const total = idx.reduce((a, i) => a + weights[i]!, 0);
        return levels.map((_, k) => (idx.length ? idx.reduce((a, i) => a + weights[i]! * hits[m][i]![k]!, 0) / total : NaN));
    };
    const of = (idx: readonly number[]): ReliabilityFigures => ({ n: idx.length, method: share('method', idx), global: share('global', idx), per_class: share('per_class', idx) });
    return { levels, overall: of(keys.map((_, i) => i)), classes: byClass(keys, of) };
}

export interface BandCheck {
    /** What the band checks, in words. */
    what: string;
    value: number;
    low: number;
    high: number;
    /** 'share': a share of items (shown as a percentage); 'loss': a mean pinball loss. */
    unit: 'share' | 'loss';
    ok: boolean;
}

/**
 * The acceptance bands: [P10, P90] coverage and the share at or below P80 within 80 ± 3 pp over all items;
 * [P10, P90] coverage within 80 ± 6 pp for every class with at least minClassItems scored items; mean pinball
 * loss at most the better baseline's; the P50's median relative error at most the raw estimate's.
 */
export function checkBands(report: Pick<BacktestReport, 'overall' | 'classes'>, minClassItems = 300): BandCheck[] {
    const m = report.overall.method;
    const band = (what: string, value: number, low: number, high: number, unit: BandCheck['unit'] = 'share'): BandCheck => ({
        what,
        value,
        low,
        high,
        unit,
        ok: value >= low && value <= high,
    });
    const out: BandCheck[] = [band('[P10, P90] coverage, all items', m.coverage_p10_p90, 0.77, 0.83), band('share at or below P80, all items', m.share_le_p80, 0.77, 0.83)];
    for (const c of report.classes.filter((x) => x.n >= minClassItems)) {
        out.push(band(`[P10, P90] coverage, class "${c.class}" (n=${c.n})`, c.method.coverage_p10_p90, 0.74, 0.86));
    }
    const better = Math.min(report.overall.global.pinball, report.overall.per_class.pinball);
    out.push(band('mean pinball loss at most the better baseline’s', m.pinball, -Infinity, better, 'loss'));
    out.push(band('median relative error of P50 at most the raw estimate’s', m.mdre_p50, -Infinity, m.mdre_estimate));
    return out;
}
