/** The benchmarks' arithmetic on measurements: a quantile of sorted values, and ms to one decimal. */

/** The p-quantile (0–1) of values sorted ascending, by the nearest-rank method; NaN for none. */
export function quantile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)]!;
}

/** A measurement rounded to one decimal, as every benchmark reports its ms. */
export const round = (v: number): number => Math.round(v * 10) / 10;
