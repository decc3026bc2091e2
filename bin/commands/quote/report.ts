/** The readable report of a backtest: the figures beside the baselines, per class, and the bands. */
import type { BandCheck } from '../../../models/quote/backtest.ts';
import type { Figures } from '../../../models/quote/metrics.ts';
import type { BacktestCsvResult } from './backtest-csv.ts';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');

function figureRow(label: string, f: Figures): string {
    return `  ${label.padEnd(34)}${String(f.n).padStart(7)}${pct(f.coverage_p10_p90).padStart(10)}${pct(f.share_le_p80).padStart(8)}${num(f.pinball).padStart(9)}${pct(f.mdre_p50).padStart(9)}`;
}

/** One band as a line: ok or MISS, what it checks, the value and the band. */
export function formatBand(b: BandCheck): string {
    const show = (x: number) => (!Number.isFinite(x) ? '-' : b.unit === 'share' ? `${(100 * x).toFixed(2)}%` : num(x));
    const band = Number.isFinite(b.low) ? `${show(b.low)}…${show(b.high)}` : `≤ ${show(b.high)}`;
    return `${b.ok ? 'ok  ' : 'MISS'} ${b.what}: ${show(b.value)} (band ${band})`;
}

/** The readable report of a backtest (also printed by the real-data check). */
export function formatReport(result: Pick<BacktestCsvResult, 'report' | 'bands'> & { seconds?: number }, minClass = 300): string {
    const r = result.report;
    const head = `  ${''.padEnd(34)}${'n'.padStart(7)}${'[P10,P90]'.padStart(10)}${'≤P80'.padStart(8)}${'pinball'.padStart(9)}${'MdRE P50'.padStart(9)}`;
    const lines = [
        `${r.scored} ${r.unit}s scored (${r.warmup} warm-up ${r.unit}s without enough history not scored), ${(result.seconds ?? r.runtime_ms / 1000).toFixed(2)} s`,
        head,
        figureRow('method', r.overall.method),
        figureRow('baseline: one global distribution', r.overall.global),
        figureRow('baseline: plain per-class', r.overall.per_class),
        `  median relative error of the raw estimate: ${pct(r.overall.method.mdre_estimate)}`,
    ];
    const big = r.classes.filter((c) => c.n >= minClass);
    if (big.length) {
        lines.push(`per class with ≥ ${minClass} scored ${r.unit}s: [P10, P90] coverage (method / global / per-class), pinball (method / global / per-class)`);
        for (const c of big) {
            lines.push(
                `  ${c.class.slice(0, 40).padEnd(41)}${String(c.n).padStart(6)}  ${pct(c.method.coverage_p10_p90).padStart(6)} ${pct(c.global.coverage_p10_p90).padStart(6)} ${pct(c.per_class.coverage_p10_p90).padStart(6)}` +
                    `   ${num(c.method.pinball)} ${num(c.global.pinball)} ${num(c.per_class.pinball)}`,
            );
        }
    }
    lines.push('bands:');
    for (const b of result.bands) lines.push(`  ${formatBand(b)}`);
    return lines.join('\n');
}
