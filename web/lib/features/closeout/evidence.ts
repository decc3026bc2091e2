/**
 * Closeout evidence for one project type: actual ÷ estimate by phase × role over closed projects, as a
 * heatmap of Σ actual ÷ Σ estimate with the spread of the per-project ratios (P10, median, P90) beside it.
 */
import type { EvidenceRow } from '../../api/types.ts';
import type { HeatCell, HeatmapSpec } from '../../charts/options/heatmap.ts';
import { SPREAD_COLUMNS, type SpreadRow } from '../../charts/options/spread.ts';
import { formatHours, formatNumber, formatRatio, humanize } from '../../format.ts';
import type { TableData } from '../../table.ts';

export type { EvidenceRow };

/**
 * Delivery order of the usual phases; other phases follow alphabetically, then project management (it runs
 * alongside all of them), then "(no phase)".
 */
const PHASE_ORDER = ['discovery', 'analysis', 'design', 'build', 'development', 'integration', 'test', 'qa', 'deploy', 'deployment', 'hypercare', 'rework', 'support', 'enhancement', 'maintenance'];
const LAST = ['pm', 'project_management', 'management'];

export function phaseOrder(a: string, b: string): number {
    const rank = (p: string) => (p.startsWith('(') ? 1000 : LAST.includes(p) ? 900 : PHASE_ORDER.includes(p) ? PHASE_ORDER.indexOf(p) : 500);
    return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * The colour scale of ratios centred on 1.0 (on plan), wide enough for every value: at least 0.50× – 1.50×,
 * else 1 ± the largest distance from 1, rounded up to a tenth (1.77× → 0.20× – 1.80×; never below 0).
 */
export function ratioScale(values: (number | null)[]): { min: number; max: number } {
    const reach = Math.max(0.5, ...values.filter((v): v is number => v !== null).map((v) => Math.abs(v - 1)));
    const half = Math.ceil(Math.round(reach * 1000) / 100) / 10;
    return { min: Math.max(0, Math.round((1 - half) * 10) / 10), max: Math.round((1 + half) * 10) / 10 };
}

/** The heatmap: phases across, roles down; the colour is Σ actual ÷ Σ estimate, centred on 1.0 (on plan). */
export function evidenceHeatmap(rows: EvidenceRow[], locale: string, definition?: string): HeatmapSpec {
    const planned = rows.filter((r) => r.ratio_of_sums !== null);
    const xs = [...new Set(planned.map((r) => r.phase))].sort(phaseOrder);
    const ys = [...new Set(planned.map((r) => r.role ?? ''))].sort();
    const cells: HeatCell[] = planned.map((r) => ({
        x: r.phase,
        y: r.role ?? '',
        value: r.ratio_of_sums,
        details: [
            ['P10 of projects', formatRatio(r.ratio_p10, locale)],
            ['Median', formatRatio(r.ratio_median, locale)],
            ['P90', formatRatio(r.ratio_p90, locale)],
            ['Estimated', formatHours(r.estimated_hours, locale, 0)],
            ['Actual', formatHours(r.actual_hours, locale, 0)],
            ['Projects', formatNumber(r.ratio_projects, locale)],
        ],
    }));
    return { xs, ys, cells, format: 'ratio', scale: 'diverging', ...ratioScale(cells.map((c) => c.value)), xLabel: humanize, yLabel: humanize, definition, cellLabels: true };
}

export function evidenceTable(rows: EvidenceRow[]): TableData {
    const sorted = [...rows].sort((a, b) => phaseOrder(a.phase, b.phase) || (a.role ?? '').localeCompare(b.role ?? ''));
    return {
        columns: [{ key: 'phase', label: 'Phase', kind: 'label' }, { key: 'role', label: 'Role', kind: 'label' }, ...SPREAD_COLUMNS],
        rows: sorted.map((r) => ({ key: `${r.phase}|${r.role}`, ...r })),
    };
}

export function spreadRows(rows: EvidenceRow[]): SpreadRow[] {
    return [...rows].sort((a, b) => phaseOrder(a.phase, b.phase)).map((r) => ({ ...r }));
}
