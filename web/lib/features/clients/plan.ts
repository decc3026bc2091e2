/**
 * A project's plan against actual, phase × role: the baseline estimate, the hours logged (rejected ones
 * excluded, as the estimate-vs-actual model counts them), the variance and the ratio, with a subtotal per
 * phase and the project total.
 */
import type { Row, TableData } from '../../table.ts';
import { phaseOrder } from '../closeout/evidence.ts';

export interface PlanCell {
    phase: string;
    role: string;
    estimated_hours: number | null;
    actual_hours: number | null;
    unplanned_hours: number | null;
}

const n = (v: number | null | undefined) => (typeof v === 'number' ? v : 0);
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function planRows(cells: PlanCell[]): Row[] {
    const phases = [...new Set(cells.map((c) => c.phase))].sort(phaseOrder);
    const out: Row[] = [];
    const line = (phase: string, role: string, est: number, act: number, unplanned: number, level: 'line' | 'phase' | 'total'): Row => ({
        key: `${phase}|${role}`,
        phase,
        role,
        estimated_hours: r6(est),
        actual_hours: r6(act),
        unplanned_hours: r6(unplanned),
        variance_hours: r6(act - est),
        ratio: est > 0 ? act / est : null,
        level,
    });
    let te = 0;
    let ta = 0;
    let tu = 0;
    for (const phase of phases) {
        const inPhase = cells.filter((c) => c.phase === phase).sort((a, b) => a.role.localeCompare(b.role));
        let pe = 0;
        let pa = 0;
        let pu = 0;
        for (const c of inPhase) {
            out.push(line(phase, c.role, n(c.estimated_hours), n(c.actual_hours), n(c.unplanned_hours), 'line'));
            pe += n(c.estimated_hours);
            pa += n(c.actual_hours);
            pu += n(c.unplanned_hours);
        }
        if (inPhase.length > 1) out.push(line(phase, 'All roles', pe, pa, pu, 'phase'));
        te += pe;
        ta += pa;
        tu += pu;
    }
    if (cells.length > 0) out.push(line('All phases', 'All roles', te, ta, tu, 'total'));
    return out;
}

export function planTable(cells: PlanCell[]): TableData {
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'role', label: 'Role', kind: 'label' },
            { key: 'estimated_hours', label: 'Planned (baseline)', kind: 'hours' },
            { key: 'actual_hours', label: 'Actual', kind: 'hours' },
            { key: 'variance_hours', label: 'Actual − plan', kind: 'hours', plainSign: true },
            { key: 'ratio', label: 'Actual ÷ plan', kind: 'ratio' },
            { key: 'unplanned_hours', label: 'Of which unplanned', kind: 'hours' },
        ],
        rows: planRows(cells),
    };
}
