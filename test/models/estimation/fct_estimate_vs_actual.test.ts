/**
 * marts.fct_estimate_vs_actual (project × phase × role) and its project × phase rollup, on the
 * estimation-closed fixture. Baseline plan lines (baseline = true) against time entries, the role being
 * the person's role (P1, P2 developer; P3 project_manager; P4 tester):
 *
 *   W1 build × developer   plan 10 (the baseline=false re-plan of 14 is ignored)
 *                          E101 P1 8 h approved + E102 P2 4 h submitted = 12 h; E106 P1 5 h rejected: out
 *                          → ratio 12 / 10 = 1.2
 *   W1 build × project_manager   no baseline line; E103 P3 1 h → unplanned role, estimate null, ratio null
 *   W1 test × tester       plan 4, E104 6 h → 1.5
 *   W1 pm × project_manager      plan 2, E105 2 h → 1.0
 *   W2 build × developer   plan 20, E201 + E202 = 8 + 8 = 16 h → 0.8
 *   W2 test × tester       plan 5, no entries → actual 0, ratio 0 (a role with estimate but no actuals)
 *   W3 build × developer   plan 4, E301 6 h draft (counts: only rejected entries are left out) → 1.5
 *   W3 support × developer no line; E302 2 h → unplanned phase
 *   W3 test × tester       no line; E303 2 h → unplanned phase
 *   W4 build × developer   plan 2, E401 10 h → 5 (W4 is active: here, but not in the by-type marts)
 *   W5 build × developer   plan 0, E501 3 h → ratio null (estimate 0), but planned
 *   I1 build × developer   plan 10, E601 5 h → 0.5
 *   I1 (no phase) × developer    E602 1 h has no phase → "(no phase)", unplanned
 *   W6 build × developer   plan 8, and W6 has no entries at all → actual 0, ratio 0, project_has_entries false
 *   W7 build × developer   W7 has no plan lines at all; E701 4 h → no estimate, but not "unplanned" either:
 *                          there is no baseline to be outside of (project_has_baseline false)
 *   = 15 rows.
 *
 * Project × phase (roles summed): W1 build = plan 10 vs 12 + 1 = 13 h → 1.3, of which 1 h unplanned (the
 * project manager's); the other 13 phases are as above with one role each → 14 rows.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildFixture, buildOnce } from '../../helpers/models.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/estimation-closed');

interface Line {
    project_id: string;
    phase: string;
    role: string;
    project_type: string;
    billing_model: string;
    client_id: string;
    project_status: string;
    project_start_date: string;
    project_end_date: string | null;
    estimated_hours: number | null;
    actual_seconds: number;
    actual_hours: number;
    ratio: number | null;
    variance_hours: number;
    is_planned: boolean;
    is_unplanned: boolean;
    project_has_baseline: boolean;
    project_has_entries: boolean;
    entries: number;
    people: number;
}

const fixture = buildOnce(async () => {
    const warehouse = await buildFixture(FIXTURE);
    return { warehouse, lines: await warehouse.all<Line>('select * from marts.fct_estimate_vs_actual order by project_id, phase, role') };
});

const line = (project: string, phase: string, role: string): Line => {
    const found = fixture.lines.find((l) => l.project_id === project && l.phase === phase && l.role === role);
    if (!found) throw new Error(`no row ${project} × ${phase} × ${role}`);
    return found;
};

describe('marts.fct_estimate_vs_actual (project × phase × role)', () => {
    it('has one row per planned line or logged phase × role: 15', () => {
        expect(fixture.lines.map((l) => [l.project_id, l.phase, l.role, l.estimated_hours, l.actual_hours, l.ratio, l.is_unplanned])).toEqual([
            ['I1', '(no phase)', 'developer', null, 1, null, true],
            ['I1', 'build', 'developer', 10, 5, 0.5, false],
            ['W1', 'build', 'developer', 10, 12, 1.2, false],
            ['W1', 'build', 'project_manager', null, 1, null, true],
            ['W1', 'pm', 'project_manager', 2, 2, 1, false],
            ['W1', 'test', 'tester', 4, 6, 1.5, false],
            ['W2', 'build', 'developer', 20, 16, 0.8, false],
            ['W2', 'test', 'tester', 5, 0, 0, false],
            ['W3', 'build', 'developer', 4, 6, 1.5, false],
            ['W3', 'support', 'developer', null, 2, null, true],
            ['W3', 'test', 'tester', null, 2, null, true],
            ['W4', 'build', 'developer', 2, 10, 5, false],
            ['W5', 'build', 'developer', 0, 3, null, false],
            ['W6', 'build', 'developer', 8, 0, 0, false],
            ['W7', 'build', 'developer', null, 4, null, false],
        ]);
    });

    it('uses the baseline line only and leaves rejected entries out', () => {
        // W1 build × developer: baseline 10, not 14 (re-plan) nor 24; 8 h + 4 h, not + 5 h rejected.
        const l = line('W1', 'build', 'developer');
        expect(l.estimated_hours).toBe(10);
        expect(l.actual_seconds).toBe(43_200); // 12 h
        expect(l.entries).toBe(2);
        expect(l.people).toBe(2);
        expect(l.variance_hours).toBe(2);
    });

    it('keeps a planned role without actuals: actual 0, ratio 0', () => {
        const l = line('W2', 'test', 'tester');
        expect([l.estimated_hours, l.actual_seconds, l.ratio, l.variance_hours, l.entries, l.is_planned]).toEqual([5, 0, 0, -5, 0, true]);
        expect(l.project_has_entries).toBe(true);
        // W6 never logged anything: its line is here, marked as a project without entries.
        const w6 = line('W6', 'build', 'developer');
        expect([w6.estimated_hours, w6.actual_seconds, w6.ratio, w6.project_has_entries]).toEqual([8, 0, 0, false]);
    });

    it('flags an unplanned phase: estimate null, ratio null, variance = all its hours', () => {
        const l = line('W3', 'support', 'developer');
        expect([l.estimated_hours, l.actual_hours, l.ratio, l.variance_hours, l.is_planned, l.is_unplanned]).toEqual([null, 2, null, 2, false, true]);
    });

    it('does not call the hours of a project without any baseline unplanned', () => {
        const l = line('W7', 'build', 'developer');
        expect([l.estimated_hours, l.actual_hours, l.ratio, l.is_planned, l.is_unplanned, l.project_has_baseline]).toEqual([null, 4, null, false, false, false]);
        expect(line('W3', 'support', 'developer').project_has_baseline).toBe(true);
    });

    it('gives no ratio for a 0-hour baseline line, which is still planned', () => {
        const l = line('W5', 'build', 'developer');
        expect([l.estimated_hours, l.actual_hours, l.ratio, l.is_planned]).toEqual([0, 3, null, true]);
    });

    it('carries the project attributes', () => {
        expect(line('W2', 'build', 'developer')).toMatchObject({
            project_type: 'web_app',
            billing_model: 'fixed_fee',
            client_id: 'C1',
            project_status: 'closed',
            project_start_date: '2024-02-01',
            project_end_date: '2024-03-31',
        });
        expect(line('W4', 'build', 'developer')).toMatchObject({ project_status: 'active', project_end_date: null, ratio: 5 });
    });

    it('accounts for every counted second: Σ actual = all entries but the rejected one', () => {
        // Entries total 8+4+1+6+2+5+8+8+6+2+2+10+3+5+1+4 = 75 h; less E106's 5 h rejected = 70 h.
        expect(fixture.lines.reduce((s, l) => s + l.actual_seconds, 0)).toBe(70 * 3600);
    });
});

describe('marts.fct_estimate_vs_actual_project_phase (project × phase, all roles)', () => {
    it('sums the roles of a phase and keeps the unplanned role hours apart', async () => {
        const rows = await fixture.warehouse.all<Record<string, unknown>>(
            `select project_id, phase, estimated_hours, actual_hours, ratio, unplanned_hours, is_unplanned, planned_roles, unplanned_roles, entries, people
             from marts.fct_estimate_vs_actual_project_phase order by project_id, phase`,
        );
        expect(rows.map((r) => [r.project_id, r.phase, r.estimated_hours, r.actual_hours, r.ratio, r.unplanned_hours, r.is_unplanned])).toEqual([
            ['I1', '(no phase)', null, 1, null, 1, true],
            ['I1', 'build', 10, 5, 0.5, 0, false],
            ['W1', 'build', 10, 13, 1.3, 1, false], // 12 h developers + 1 h project manager (unplanned role)
            ['W1', 'pm', 2, 2, 1, 0, false],
            ['W1', 'test', 4, 6, 1.5, 0, false],
            ['W2', 'build', 20, 16, 0.8, 0, false],
            ['W2', 'test', 5, 0, 0, 0, false],
            ['W3', 'build', 4, 6, 1.5, 0, false],
            ['W3', 'support', null, 2, null, 2, true],
            ['W3', 'test', null, 2, null, 2, true],
            ['W4', 'build', 2, 10, 5, 0, false],
            ['W5', 'build', 0, 3, null, 0, false],
            ['W6', 'build', 8, 0, 0, 0, false],
            ['W7', 'build', null, 4, null, 0, false],
        ]);
        const w1 = rows.find((r) => r.project_id === 'W1' && r.phase === 'build')!;
        expect([w1.planned_roles, w1.unplanned_roles, w1.entries, w1.people]).toEqual([1, 1, 3, 3]);
    });
});
