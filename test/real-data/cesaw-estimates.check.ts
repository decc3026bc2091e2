/**
 * Real-data check of the estimation marts on CESAW: load the dataset into a fresh warehouse file (importCesaw),
 * build every model (buildModels), and check that marts.fct_estimate_vs_actual_project_phase gives the reference
 * Σactual / Σplan by phase over the 39 projects with time logs, to two decimals.
 *
 *   node test/real-data/cesaw-estimates.check.ts       (dataset: $CESAW_DIR, else ../shared/datasets/cesaw
 *                                                        relative to the repo root)
 *
 * Exit codes: 0 all checks pass; 1 a check failed or the build failed; 2 the dataset is not there — the check
 * did not run, which is never reported as a pass.
 *
 * The reference figures were computed independently from the same files (../shared/datasets/README.md):
 * plan = Σ task_plan_time_minutes of all tasks of the project and phase, actual = Σ time_log_delta_minutes.
 * The mart's basis is the same: plan = the project's baseline plan lines (ingest/cesaw.ts writes one per
 * project × phase from all tasks), actual = its time entries. CESAW has no roles: every person and plan line
 * carries the placeholder role `engineer`, so the project × phase × role mart has one role and the
 * project × phase rollup is the same figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CESAW_FILES, CESAW_ROLE, importCesaw } from '../../ingest/cesaw.ts';
import { buildModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { LOGGED_PROJECTS, PHASE_RATIOS } from './cesaw-figures.ts';

const started = performance.now();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const datasetDir = path.resolve(repoRoot, process.env.CESAW_DIR ?? '../shared/datasets/cesaw');

if (!fs.existsSync(path.join(datasetDir, CESAW_FILES.timeLogs)) || !fs.existsSync(path.join(datasetDir, CESAW_FILES.tasks))) {
    console.error(
        `CESAW estimates check NOT RUN: ${CESAW_FILES.timeLogs} and ${CESAW_FILES.tasks} are not both in ${datasetDir}.\n` +
            `Set CESAW_DIR to the folder holding them (see ../shared/datasets/cesaw/SOURCE.md).`,
    );
    process.exit(2);
}

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${detail ? ` — ${detail}` : ''}`);
    if (!ok) failures.push(what);
}
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

interface PhaseRow {
    phase: string;
    projects: number;
    plan_hours: number;
    actual_hours: number;
    ratio: number;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-cesaw-estimates-'));
let warehouse: Warehouse | undefined;
try {
    warehouse = await Warehouse.open(path.join(tmp, 'warehouse.duckdb'));
    const t0 = performance.now();
    const imported = await importCesaw(warehouse, datasetDir);
    check(`importCesaw into a fresh warehouse (${seconds(performance.now() - t0)})`, imported.ingest.ok, imported.ingest.ok ? '' : `${imported.ingest.rejects.length} rejects`);

    const t1 = performance.now();
    const build = await buildModels(warehouse);
    const slowest = [...build.models].sort((a, b) => b.ms - a.ms).slice(0, 5);
    check(
        `buildModels: ${build.models.length} models, ${build.tests.length} tests (${seconds(performance.now() - t1)})`,
        true,
        `slowest ${slowest.map((m) => `${m.relation} ${m.ms} ms`).join(', ')}`,
    );
    const mine = build.models.filter((m) => /^marts\.(fct_estimate_vs_actual|dim_)/.test(m.relation));
    console.log(`      estimation and dimension marts: ${mine.map((m) => `${m.relation.replace('marts.', '')} ${m.ms} ms (${m.rows} rows)`).join(', ')}`);
    const warned = build.tests.filter((t) => t.failures > 0);
    for (const t of warned) console.log(`      warn  ${t.model}: ${t.test} — ${t.failures} row(s)`);

    const roles = await warehouse.all<{ role: string; rows: number }>(
        `select role, count(*)::integer as rows from marts.fct_estimate_vs_actual group by role order by role`,
    );
    check(
        `one role, CESAW's placeholder '${CESAW_ROLE}' (CESAW has no roles)`,
        roles.length === 1 && roles[0]!.role === CESAW_ROLE,
        roles.map((r) => `${r.role}: ${r.rows} project × phase rows`).join(', '),
    );

    const projects = await warehouse.one<{ all_projects: number; logged: number; planned: number }>(`
        select count(distinct project_id)::integer as all_projects,
            count(distinct project_id) filter (where project_has_entries)::integer as logged,
            count(distinct project_id) filter (where project_has_baseline)::integer as planned
        from marts.fct_estimate_vs_actual_project_phase`);
    check(
        `${LOGGED_PROJECTS} projects have time entries`,
        projects!.logged === LOGGED_PROJECTS,
        `${projects!.logged} of ${projects!.all_projects}; ${projects!.planned} have a baseline plan`,
    );

    // The figure under test, from the project × phase mart only.
    const rows = await warehouse.all<PhaseRow>(`
        select
            phase,
            count(distinct project_id) filter (where estimated_hours is not null or actual_seconds > 0)::integer as projects,
            coalesce(sum(estimated_hours), 0)::double as plan_hours,
            (sum(actual_seconds) / 3600.0)::double as actual_hours,
            (sum(actual_seconds) / 3600.0 / sum(estimated_hours))::double as ratio,
        from marts.fct_estimate_vs_actual_project_phase
        where project_has_entries
        group by phase`);

    // The same from the canonical tables, so a difference points at the mart rather than at the mapping.
    const canonical = await warehouse.all<{ phase: string; ratio: number }>(`
        with logged as (select distinct project_id from canonical.time_entries),
        actual as (select phase, sum(duration_seconds) as s from canonical.time_entries where status <> 'rejected' group by phase),
        planned as (select phase, sum(estimated_hours) as h from canonical.plan_lines
                    where baseline and project_id in (select project_id from logged) group by phase)
        select phase, (a.s / 3600.0 / p.h)::double as ratio from actual a join planned p using (phase)`);

    console.log('\nΣactual / Σplan by phase, the 39 projects with time logs (marts.fct_estimate_vs_actual_project_phase)');
    console.log(`  ${'phase'.padEnd(14)}${'projects'.padStart(9)}${'plan h'.padStart(12)}${'actual h'.padStart(12)}${'ratio'.padStart(9)}${'expected'.padStart(10)}`);
    for (const [phase, expected] of Object.entries(PHASE_RATIOS)) {
        const r = rows.find((x) => x.phase === phase);
        if (!r) {
            console.log(`  ${phase.padEnd(14)}  missing`);
            continue;
        }
        const fmt = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        console.log(
            `  ${phase.padEnd(14)}${String(r.projects).padStart(9)}${fmt(r.plan_hours).padStart(12)}${fmt(r.actual_hours).padStart(12)}` +
                `${r.ratio.toFixed(4).padStart(9)}${expected.toFixed(2).padStart(10)}`,
        );
    }
    const others = rows.filter((r) => !(r.phase in PHASE_RATIOS));
    console.log(
        `  (+ ${others.length} other phases: ${others.reduce((s, r) => s + r.plan_hours, 0).toFixed(1)} plan h, ` +
            `${others.reduce((s, r) => s + r.actual_hours, 0).toFixed(1)} actual h; not checked)`,
    );
    const total = rows.reduce((s, r) => s + r.actual_hours, 0);
    console.log(`  all phases: ${total.toFixed(2)} actual h\n`);

    for (const [phase, expected] of Object.entries(PHASE_RATIOS)) {
        const r = rows.find((x) => x.phase === phase);
        const got = r ? Math.round(r.ratio * 100) / 100 : NaN;
        check(`${phase} Σactual/Σplan = ${expected.toFixed(2)}`, got === expected, r ? r.ratio.toFixed(6) : 'phase missing from the mart');
    }
    const drift = Math.max(
        ...Object.keys(PHASE_RATIOS).map((phase) => {
            const m = rows.find((x) => x.phase === phase)?.ratio ?? NaN;
            const c = canonical.find((x) => x.phase === phase)?.ratio ?? NaN;
            return Math.abs(m - c);
        }),
    );
    check('the mart equals the same ratio from the canonical tables (to 1e-9)', drift < 1e-9, `largest difference ${drift.toExponential(2)}`);

    // Informational: the by-type distribution the quote engine will read (all CESAW projects are type tsp, closed).
    const byType = await warehouse.all<{
        phase: string;
        ratio_projects: number;
        ratio_of_sums: number;
        ratio_p10: number;
        ratio_median: number;
        ratio_p90: number;
    }>(
        `select phase, ratio_projects, ratio_of_sums, ratio_p10, ratio_median, ratio_p90
         from marts.fct_estimate_vs_actual_by_type_phase where project_type = 'tsp' order by phase`,
    );
    console.log('\nper-project phase ratios of the closed tsp projects (marts.fct_estimate_vs_actual_by_type_phase; informational)');
    console.log(`  ${'phase'.padEnd(14)}${'n'.padStart(4)}${'Σa/Σe'.padStart(8)}${'P10'.padStart(8)}${'median'.padStart(8)}${'P90'.padStart(8)}`);
    for (const r of byType.filter((x) => x.phase in PHASE_RATIOS)) {
        const f = (n: number | null) => (n == null ? '-' : n.toFixed(2)).padStart(8);
        console.log(`  ${r.phase.padEnd(14)}${String(r.ratio_projects).padStart(4)}${f(r.ratio_of_sums)}${f(r.ratio_p10)}${f(r.ratio_median)}${f(r.ratio_p90)}`);
    }
} catch (err) {
    console.error(err);
    failures.push(`error: ${err instanceof Error ? err.message : String(err)}`);
} finally {
    warehouse?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
}

const total = performance.now() - started;
if (failures.length > 0) {
    console.log(`\nCESAW estimates check FAILED (${failures.length}): ${failures.join('; ')} — ${seconds(total)}`);
    process.exit(1);
}
console.log(`\nCESAW estimates check passed — ${seconds(total)}`);
process.exit(0);
