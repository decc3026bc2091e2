/**
 * Step 1 of the quote engine (engine.ts): each closed project with a baseline plan reduced to its ratios, per
 * phase × role line, per phase and for the project, plus its unplanned uplift; and the mart's rows
 * (marts.fct_estimate_vs_actual) reshaped into closed projects.
 */
import { QuoteError, type ClosedLine, type HistoryProject, type PlanLine, type PreparedHistory, type PreparedProject } from './types.ts';

export const cellKey = (phase: string, role: string): string => `${phase}\u0000${role}`;

export function isoDay(date: string, what: string): number {
    const ms = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
    if (Number.isNaN(ms)) throw new QuoteError(`${what}: not a date: "${date}"`);
    return ms / 86_400_000;
}

/** Step 1 for one project; null when it has no baseline estimate. */
export function prepareProject(p: {
    id: string;
    type: string;
    billing: string;
    start: number;
    end: number;
    lines: readonly ClosedLine[];
}): PreparedProject | null {
    let estimate = 0;
    let planned = 0;
    let unplanned = 0;
    const cellE = new Map<string, number>();
    const cellA = new Map<string, number>();
    const phaseE = new Map<string, number>();
    const phaseA = new Map<string, number>();
    const plan: PlanLine[] = [];
    for (const l of p.lines) {
        const e = l.estimated_hours ?? 0;
        const a = l.actual_hours ?? 0;
        if (e > 0) {
            plan.push({ phase: l.phase, role: l.role, estimated_hours: e });
            estimate += e;
            planned += a;
            const k = cellKey(l.phase, l.role);
            cellE.set(k, (cellE.get(k) ?? 0) + e);
            cellA.set(k, (cellA.get(k) ?? 0) + a);
            phaseE.set(l.phase, (phaseE.get(l.phase) ?? 0) + e);
            phaseA.set(l.phase, (phaseA.get(l.phase) ?? 0) + a);
        } else {
            unplanned += a;
        }
    }
    if (!(estimate > 0)) return null;
    const cell = new Map<string, number>();
    for (const [k, e] of cellE) cell.set(k, cellA.get(k)! / e);
    const phase = new Map<string, number>();
    for (const [k, e] of phaseE) phase.set(k, phaseA.get(k)! / e);
    return {
        id: p.id,
        type: p.type,
        billing: p.billing,
        start: p.start,
        end: p.end,
        estimate,
        actual: planned + unplanned,
        total: planned / estimate,
        uplift: unplanned / estimate,
        phase,
        cell,
        plan,
    };
}

export function prepareHistory(history: readonly HistoryProject[]): PreparedHistory {
    const projects: PreparedProject[] = [];
    let excluded = 0;
    for (const h of history) {
        const p = prepareProject({
            id: h.project_id,
            type: h.project_type,
            billing: h.billing_model ?? '',
            start: isoDay(h.start_date, `project ${h.project_id} start_date`),
            end: isoDay(h.end_date, `project ${h.project_id} end_date`),
            lines: h.lines,
        });
        if (p) projects.push(p);
        else excluded++;
    }
    return { projects, excluded };
}

/** A row of marts.fct_estimate_vs_actual as the engine reads it (one per project × phase × role). */
export interface EstimateVsActualRow {
    project_id: string;
    project_type: string;
    billing_model?: string | null;
    project_start_date: string;
    project_end_date: string;
    phase: string;
    role: string;
    /** null = unplanned. */
    estimated_hours: number | null;
    actual_hours: number;
}

/**
 * Reshapes rows of marts.fct_estimate_vs_actual (one row per project × phase × role) into closed projects.
 * Give it the closed projects' rows; estimated_hours null = unplanned.
 */
export function projectsFromRows(rows: readonly EstimateVsActualRow[]): HistoryProject[] {
    const by = new Map<string, HistoryProject>();
    for (const r of rows) {
        let p = by.get(r.project_id);
        if (!p) {
            p = {
                project_id: r.project_id,
                project_type: r.project_type,
                billing_model: r.billing_model ?? null,
                start_date: r.project_start_date,
                end_date: r.project_end_date,
                lines: [],
            };
            by.set(r.project_id, p);
        }
        p.lines.push({ phase: r.phase, role: r.role, estimated_hours: r.estimated_hours, actual_hours: r.actual_hours });
    }
    return [...by.values()];
}
