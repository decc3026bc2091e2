/**
 * Acceptance of the quote backtest on the demo firm at project level, phase × role lines, pooled over
 * many generated firms:
 *
 *   node test/real-data/quote-demo.check.ts        (QUOTE_DEMO_SEEDS=N for seeds 1…N, default 20)
 *
 * One demo firm has about 85 closed projects of which about 50 can be scored (the others start before ten
 * projects have ended): a share of 50 has a standard error of about 6 pp, so one firm cannot show a ±3 pp band
 * (one firm's share at or below P80 lies anywhere from about 70 to 90 %). The bands are checked on seeds 1…20
 * pooled (about 1,000 scored projects), each a complete firm (`realize demo --seed N --entries 165000 --end
 * 2024-06-30`: 165,000 entries is the smallest size at which the firm no longer shrinks, README of ingest/demo;
 * the end date is fixed so that the check does not change with the calendar).
 *
 * Each firm goes through the real path, trimmed to what the estimation mart reads: the demo's CSVs for the
 * canonical entities that marts.fct_estimate_vs_actual needs (and those they reference) are ingested
 * (ingest/canonical.ts), the mart and the models it depends on are built with their SQL from models/ (a
 * temporary models folder holding just that closure, found by the model builder's own dependency reading), and
 * its rows for closed projects with a baseline and time go through projectsFromRows and backtestProjects as in
 * GET /api/quotes/backtest (asOf = the demo's end). The rows are the ones a full ingest and `realize models build`
 * give (the mart's SQL is the same; its tests are left out, they read other marts).
 *
 * Pooled figures: each firm's figure weighted by its scored projects (the firms are independent; a median
 * relative error is the weighted mean of the firms' medians). Bands (checkBands): [P10, P90] coverage and the
 * share ≤ P80 within 80 ± 3 pp; [P10, P90] coverage within 80 ± 6 pp for every project type with ≥ 300 pooled
 * scored projects; mean pinball loss at most the better baseline's; the P50's median relative error at most the
 * raw estimate's. Seed 42 (the default demo) is printed on its own, without bands.
 *
 * Exit codes: 0 every band holds; 1 a figure left its band (or the run failed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBand } from '../../bin/commands/quote.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { writeDemo } from '../../ingest/demo/index.ts';
import { ENTITIES, type EntityName } from '../../ingest/entities.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { backtestProjects, checkBands, type ClassFigures, type Method, type ProjectBacktestReport } from '../../models/quote/backtest.ts';
import type { Figures } from '../../models/quote/metrics.ts';
import { closedProjectHistory } from '../../server/queries/quotes.ts';
import { buildModels, MODELS_DIR, readModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { finishCheck, recordError } from '../helpers/check.ts';

const END = '2024-06-30';
const ENTRIES = 165_000;
const MART = 'marts.fct_estimate_vs_actual';
const SEEDS = Array.from({ length: Number(process.env.QUOTE_DEMO_SEEDS ?? 20) }, (_, i) => i + 1);
const SINGLE = 42;
const RELIABILITY_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

const started = performance.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-quote-demo-'));

/** The mart and the models it reads, copied (SQL only) into a models folder of their own; and the canonical entities they read. */
function martClosure(): { dir: string; entities: EntityName[] } {
    const models = readModels(MODELS_DIR);
    const by = new Map(models.map((m) => [m.relation, m]));
    const need = new Set<string>();
    const visit = (relation: string) => {
        if (need.has(relation)) return;
        need.add(relation);
        for (const d of by.get(relation)!.dependsOn) visit(d);
    };
    visit(MART);
    const dir = path.join(tmp, 'models');
    const canonical = new Set<string>();
    for (const relation of need) {
        const m = by.get(relation)!;
        const to = path.join(dir, path.relative(MODELS_DIR, m.file));
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.copyFileSync(m.file, to);
        for (const match of m.sql.matchAll(/\bcanonical\.([a-z_][a-z0-9_]*)\b/g)) canonical.add(match[1]!);
    }
    // The entities read, and those they reference (a batch must hold every row a reference points to).
    const entities = new Set<EntityName>();
    const add = (name: EntityName) => {
        if (entities.has(name)) return;
        entities.add(name);
        for (const d of ENTITIES.find((e) => e.name === name)!.dependsOn) add(d);
    };
    for (const name of canonical) if (ENTITIES.some((e) => e.name === name)) add(name as EntityName);
    return { dir, entities: [...entities] };
}

async function backtestSeed(seed: number, closure: { dir: string; entities: EntityName[] }): Promise<{ report: ProjectBacktestReport; closed: number }> {
    const out = path.join(tmp, `demo-${seed}`);
    const demo = await writeDemo({ outDir: out, seed, end: END, entries: ENTRIES });
    const warehouse = await Warehouse.open(':memory:');
    try {
        const report = await ingestFiles(warehouse, resolveInputs(closure.entities.map((e) => demo.files[e]!)).files);
        if (!report.ok) throw new Error(`seed ${seed}: the demo did not load: ${report.rejects.slice(0, 3).map((r) => `${r.file}:${r.line} ${r.reason}`).join('; ')}`);
        await buildModels(warehouse, { dir: closure.dir });
        // The history GET /api/quotes/backtest reads.
        const history = await closedProjectHistory(warehouse);
        return { report: backtestProjects(history, { reliabilityLevels: RELIABILITY_LEVELS, asOf: END }), closed: history.length };
    } finally {
        warehouse.close();
        fs.rmSync(out, { recursive: true, force: true });
    }
}

const METHODS: Method[] = ['method', 'global', 'per_class'];
const KEYS = ['coverage_p10_p90', 'share_le_p80', 'below_p10', 'above_p90', 'pinball', 'mdre_p50', 'mdre_estimate'] as const;

/** Figures of several firms, each weighted by its scored projects (medians: the weighted mean of the firms' medians). */
function pool(parts: Figures[]): Figures {
    const n = parts.reduce((a, f) => a + f.n, 0);
    const out = { n } as Figures;
    for (const k of KEYS) out[k] = n ? parts.reduce((a, f) => a + (f.n ? f[k] * f.n : 0), 0) / n : NaN;
    return out;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const line = (label: string, f: Record<Method, Figures>) =>
    `${label.padEnd(14)} n ${String(f.method.n).padStart(5)}  [P10, P90] ${pct(f.method.coverage_p10_p90).padStart(7)}  ≤ P80 ${pct(f.method.share_le_p80).padStart(7)}  ` +
    `below P10 ${pct(f.method.below_p10).padStart(7)}  above P90 ${pct(f.method.above_p90).padStart(7)}  pinball ${f.method.pinball.toFixed(4)} (global ${f.global.pinball.toFixed(4)}, per type ${f.per_class.pinball.toFixed(4)})`;

const failures: string[] = [];
try {
    const closure = martClosure();
    console.log(`demo firms: seeds ${SEEDS[0]}…${SEEDS.at(-1)} pooled, and seed ${SINGLE} alone; ${ENTRIES.toLocaleString('en-US')} entries, end ${END}`);
    console.log(`path: ingest ${closure.entities.join(', ')} → build ${MART} and what it reads → backtestProjects (asOf ${END})\n`);
    const reports: ProjectBacktestReport[] = [];
    for (const seed of SEEDS) {
        const t0 = performance.now();
        const { report, closed } = await backtestSeed(seed, closure);
        reports.push(report);
        console.log(`${line(`seed ${seed}`, report.overall)}  (${closed} closed, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    const overall = Object.fromEntries(METHODS.map((m) => [m, pool(reports.map((r) => r.overall[m]))])) as Record<Method, Figures>;
    const classNames = [...new Set(reports.flatMap((r) => r.classes.map((c) => c.class)))];
    const classes: ClassFigures[] = classNames
        .map((name) => {
            const parts = reports.flatMap((r) => r.classes.filter((c) => c.class === name));
            const figs = Object.fromEntries(METHODS.map((m) => [m, pool(parts.map((c) => c[m]))])) as Record<Method, Figures>;
            return { class: name, n: figs.method.n, ...figs };
        })
        .sort((a, b) => b.n - a.n);
    const relOverall = RELIABILITY_LEVELS.map((_, k) => reports.reduce((a, r) => a + r.reliability!.overall.method[k]! * r.scored, 0) / overall.method.n);

    console.log(`\npooled over ${SEEDS.length} firms:`);
    console.log(line('all types', overall));
    for (const [m, label] of [['global', 'one global distribution'], ['per_class', 'plain per-type quantiles']] as const) {
        console.log(`  baseline, ${label}: [P10, P90] ${pct(overall[m].coverage_p10_p90)}  ≤ P80 ${pct(overall[m].share_le_p80)}  pinball ${overall[m].pinball.toFixed(4)}`);
    }
    for (const c of classes) console.log(line(c.class, c));
    console.log(`reliability (nominal → observed share at or below): ${RELIABILITY_LEVELS.map((l, k) => `${l * 100}→${(relOverall[k]! * 100).toFixed(1)}`).join('  ')}`);
    console.log(`median relative error of P50 ${pct(overall.method.mdre_p50)}, of the raw estimate ${pct(overall.method.mdre_estimate)} (mean of the firms' medians)`);

    console.log('bands:');
    for (const b of checkBands({ overall, classes })) {
        console.log(`  ${formatBand(b)}`);
        if (!b.ok) failures.push(b.what);
    }

    const single = await backtestSeed(SINGLE, closure);
    console.log(`\nseed ${SINGLE} alone (the default demo's seed; no bands: n is too small): ${line('', single.report.overall).trim()}  (${single.closed} closed)`);
} catch (err) {
    recordError(failures, err);
} finally {
    fs.rmSync(tmp, { recursive: true, force: true });
}

finishCheck('quote demo check', failures, started);
