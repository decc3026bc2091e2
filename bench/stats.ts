/** The benchmarks' arithmetic on measurements: a quantile of sorted values, ms to one decimal, a latency distribution. */

/** The p-quantile (0–1) of values sorted ascending, by the nearest-rank method; NaN for none. */
export function quantile(sorted: number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)]!;
}

/** A measurement rounded to one decimal, as every benchmark reports its ms. */
export const round = (v: number): number => Math.round(v * 10) / 10;

/** A latency distribution in ms, to one decimal: its median, 95th and 99th percentiles and its longest. */
export interface Latency {
    p50_ms: number;
    p95_ms: number;
    p99_ms: number;
    max_ms: number;
}

/** The Latency of measurements in ms, in any order. */
export function latency(values: number[]): Latency {
    const s = [...values].sort((a, b) => a - b);
    return { p50_ms: round(quantile(s, 0.5)), p95_ms: round(quantile(s, 0.95)), p99_ms: round(quantile(s, 0.99)), max_ms: round(s.at(-1) ?? NaN) };
}
