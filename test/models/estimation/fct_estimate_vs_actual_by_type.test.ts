/**
 * marts.fct_estimate_vs_actual_by_type (project_type × phase × role) and _by_type_phase, closed projects
 * only, both read from marts.fct_estimate_vs_actual_closed_by_type (the role rows, and the all-roles rows), on the estimation-closed fixture (the per-project rows are worked out in
 * fct_estimate_vs_actual.test.ts). W4 is active — build × developer plan 2, actual 10, ratio 5 — and must
 * not count anywhere below. W6 is closed but has no time entries at all (build × developer plan 8, actual
 * 0): a plan never tracked here, not a ratio of 0, so it does not count either. W7 is closed with 4 h of
 * build × developer but no plan at all: nothing to compare with, so it does not count (it would make
 * web_app × build × developer 5 projects and 41 h).
 *
 * Quantiles are quantile_cont (Hyndman & Fan type 7): sorted x1..xn, h = (n − 1)·p + 1,
 * q = x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
 *
 * web_app × build × developer — closed W1, W2, W3, W5 (4 projects):
 *   W1 10 → 12 (1.2), W2 20 → 16 (0.8), W3 4 → 6 (1.5), W5 0 → 3 (estimate 0: no ratio)
 *   Σestimate = 34, Σactual = 37, ratio_of_sums = 37 / 34 = 1.088235…
 *   ratio projects (estimate > 0): W1, W2, W3 → n = 3, Σactual 34 / Σestimate 34 = 1 (planned_ratio_of_sums)
 *   sorted 0.8, 1.2, 1.5:  median h = 2 → 1.2
 *                          P10 h = 1.2 → 0.8 + 0.2 × (1.2 − 0.8) = 0.88
 *                          P90 h = 2.8 → 1.2 + 0.8 × (1.5 − 1.2) = 1.44
 *   (with W4 it would be 0.8, 1.2, 1.5, 5 and Σ 47 / 36; with W6, 0, 0.8, 1.2, 1.5 and Σ 37 / 42.)
 * web_app × test × tester — W1 4 → 6 (1.5), W2 5 → 0 (0), W3 no line → 2 (unplanned phase): 3 projects
 *   Σestimate 9, Σactual 8 → 8/9; unplanned 2 h; n = 2 (W1, W2), planned Σ 6 / 9 = 2/3
 *   sorted 0, 1.5: median h = 1.5 → 0.75; P10 h = 1.1 → 0.15; P90 h = 1.9 → 1.35
 * web_app × build × project_manager — W1 only, unplanned 1 h: Σestimate 0, ratio_of_sums null, n = 0
 * web_app × pm × project_manager — W1 2 → 2: everything 1
 * web_app × support × developer — W3, unplanned 2 h
 * integration × build × developer — I1 10 → 5: 0.5; integration × (no phase) × developer — unplanned 1 h
 *
 * By type × phase (the project's phase ratio over all its roles):
 * web_app × build — W1 10 → 12 + 1 = 13 (1.3), W2 20 → 16 (0.8), W3 4 → 6 (1.5), W5 0 → 3
 *   Σestimate 34, Σactual 38 → 38/34 = 1.117647…; unplanned 1 h (W1's project manager)
 *   n = 3, planned Σ 35 / 34; sorted 0.8, 1.3, 1.5: median 1.3; P10 0.8 + 0.2 × 0.5 = 0.9;
 *   P90 1.3 + 0.8 × 0.2 = 1.46
 * web_app × test — as the tester row (one role); web_app × pm — 1; web_app × support — unplanned 2 h.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildFixture, buildOnce } from '../../helpers/models.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/estimation-closed');
/** Doubles from interpolation: 0.8 + 0.2 × 0.4 is 0.8800000000000001. 12 decimals is exact for these figures. */
const DIGITS = 12;

interface Aggregate {
    project_type: string;
    phase: string;
    role?: string;
    projects: number;
    ratio_projects: number;
    unplanned_projects: number;
    estimated_hours: number;
    actual_hours: number;
    unplanned_actual_hours: number;
    ratio_of_sums: number | null;
    planned_ratio_of_sums: number | null;
    ratio_median: number | null;
    ratio_p10: number | null;
    ratio_p90: number | null;
}

const fixture = buildOnce(async () => {
    const warehouse = await buildFixture(FIXTURE);
    return {
        warehouse,
        byType: await warehouse.all<Aggregate>('select * from marts.fct_estimate_vs_actual_by_type order by project_type, phase, role'),
        byTypePhase: await warehouse.all<Aggregate>('select * from marts.fct_estimate_vs_actual_by_type_phase order by project_type, phase'),
        closedByType: await warehouse.all<Aggregate>('select * from marts.fct_estimate_vs_actual_closed_by_type order by project_type, phase, role nulls first'),
    };
});

function row(rows: Aggregate[], type: string, phase: string, role?: string): Aggregate {
    const found = rows.find((r) => r.project_type === type && r.phase === phase && (role === undefined || r.role === role));
    if (!found) throw new Error(`no row ${type} × ${phase} × ${role ?? '*'}`);
    return found;
}

function expectQuantiles(r: Aggregate, median: number, p10: number, p90: number): void {
    expect(r.ratio_median).toBeCloseTo(median, DIGITS);
    expect(r.ratio_p10).toBeCloseTo(p10, DIGITS);
    expect(r.ratio_p90).toBeCloseTo(p90, DIGITS);
}

describe('marts.fct_estimate_vs_actual_by_type (closed projects, type × phase × role)', () => {
    it('has one row per type × phase × role of closed projects', () => {
        expect(fixture.byType.map((r) => [r.project_type, r.phase, r.role, r.projects])).toEqual([
            ['integration', '(no phase)', 'developer', 1],
            ['integration', 'build', 'developer', 1],
            ['web_app', 'build', 'developer', 4],
            ['web_app', 'build', 'project_manager', 1],
            ['web_app', 'pm', 'project_manager', 1],
            ['web_app', 'support', 'developer', 1],
            ['web_app', 'test', 'tester', 3],
        ]);
    });

    it('web_app × build × developer: three closed ratios 1.2, 0.8, 1.5; the active, the untracked and the unplanned project and the 0-hour line excluded', () => {
        const r = row(fixture.byType, 'web_app', 'build', 'developer');
        expect([r.projects, r.ratio_projects, r.unplanned_projects]).toEqual([4, 3, 0]);
        expect([r.estimated_hours, r.actual_hours, r.unplanned_actual_hours]).toEqual([34, 37, 0]);
        expect(r.ratio_of_sums).toBeCloseTo(37 / 34, DIGITS);
        expect(r.planned_ratio_of_sums).toBeCloseTo(1, DIGITS);
        expectQuantiles(r, 1.2, 0.88, 1.44);
    });

    it('web_app × test × tester: a planned role with no actuals (ratio 0) and an unplanned project', () => {
        const r = row(fixture.byType, 'web_app', 'test', 'tester');
        expect([r.projects, r.ratio_projects, r.unplanned_projects]).toEqual([3, 2, 1]);
        expect([r.estimated_hours, r.actual_hours, r.unplanned_actual_hours]).toEqual([9, 8, 2]);
        expect(r.ratio_of_sums).toBeCloseTo(8 / 9, DIGITS);
        expect(r.planned_ratio_of_sums).toBeCloseTo(6 / 9, DIGITS);
        expectQuantiles(r, 0.75, 0.15, 1.35);
    });

    it('an unplanned role has hours but no estimate, no ratio and no quantiles', () => {
        const r = row(fixture.byType, 'web_app', 'build', 'project_manager');
        expect([r.projects, r.ratio_projects, r.unplanned_projects, r.estimated_hours, r.actual_hours, r.unplanned_actual_hours]).toEqual([1, 0, 1, 0, 1, 1]);
        expect([r.ratio_of_sums, r.planned_ratio_of_sums, r.ratio_median, r.ratio_p10, r.ratio_p90]).toEqual([null, null, null, null, null]);
    });

    it('a single project: P10 = median = P90 = its ratio; types stay apart', () => {
        expectQuantiles(row(fixture.byType, 'web_app', 'pm', 'project_manager'), 1, 1, 1);
        const i = row(fixture.byType, 'integration', 'build', 'developer');
        expect([i.estimated_hours, i.actual_hours, i.ratio_of_sums]).toEqual([10, 5, 0.5]);
        expectQuantiles(i, 0.5, 0.5, 0.5);
    });
});

describe('marts.fct_estimate_vs_actual_by_type_phase (closed projects, type × phase)', () => {
    it('has one row per type × phase of closed projects', () => {
        expect(fixture.byTypePhase.map((r) => [r.project_type, r.phase, r.projects, r.ratio_projects, r.estimated_hours, r.actual_hours, r.unplanned_actual_hours])).toEqual([
            ['integration', '(no phase)', 1, 0, 0, 1, 1],
            ['integration', 'build', 1, 1, 10, 5, 0],
            ['web_app', 'build', 4, 3, 34, 38, 1],
            ['web_app', 'pm', 1, 1, 2, 2, 0],
            ['web_app', 'support', 1, 0, 0, 2, 2],
            ['web_app', 'test', 3, 2, 9, 8, 2],
        ]);
    });

    it('web_app × build: phase ratios 1.3 (an unplanned role included), 0.8, 1.5', () => {
        const r = row(fixture.byTypePhase, 'web_app', 'build');
        expect(r.ratio_of_sums).toBeCloseTo(38 / 34, DIGITS);
        expect(r.planned_ratio_of_sums).toBeCloseTo(35 / 34, DIGITS);
        expectQuantiles(r, 1.3, 0.9, 1.46);
    });

    it('web_app × test: as its single role', () => {
        const r = row(fixture.byTypePhase, 'web_app', 'test');
        expect(r.ratio_of_sums).toBeCloseTo(8 / 9, DIGITS);
        expectQuantiles(r, 0.75, 0.15, 1.35);
    });
});

describe('marts.fct_estimate_vs_actual_closed_by_type (both levels)', () => {
    it('web_app × build: the all-roles row (role null, the phase ratios) beside its developer and project-manager rows', () => {
        const rows = fixture.closedByType.filter((r) => r.project_type === 'web_app' && r.phase === 'build');
        expect(rows.map((r) => [r.role, r.projects, r.ratio_projects, r.estimated_hours, r.actual_hours, r.unplanned_actual_hours])).toEqual([
            [null, 4, 3, 34, 38, 1],
            ['developer', 4, 3, 34, 37, 0],
            ['project_manager', 1, 0, 0, 1, 1],
        ]);
        expectQuantiles(rows[0]!, 1.3, 0.9, 1.46);
        expectQuantiles(rows[1]!, 1.2, 0.88, 1.44);
    });
});
