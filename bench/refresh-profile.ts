/**
 * Where one write's refresh spends its time: a copy of the demo firm (built with the current models) takes
 * writes the way time capture makes them (the write queue, insertEntry: one transaction, markWritten), each
 * followed by the server's refresh (refreshMarts); printed per round and as medians: the phases (recompute,
 * compare, tests, commit, and what comes before them), the slowest models and the slowest models' tests.
 *
 *   node bench/refresh-profile.ts [--entries 400000] [--rounds 5] [--week] [--dir /tmp/refreshperf] [--source file]
 *
 * The built database is read from data/bench/live-<entries>.duckdb (bench/live.ts makes it; --source names
 * another) and never written: it is copied into --dir, rebuilt there once per version of models/ (cached by
 * its fingerprint), and that copy copied again for the run. --week writes a person-week of entries (~40) per round instead of one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { insertEntry } from '../capture/time/entries.ts';
import { WriteQueue } from '../capture/write-queue.ts';
import { Rng } from '../lib/rng.ts';
import { buildModels } from '../warehouse/models.ts';
import type { IncrementalResult } from '../warehouse/models/incremental.ts';
import { refreshMarts } from '../warehouse/models/refresh.ts';
import { modelsFingerprint, refreshableIncrementally } from '../warehouse/models/state.ts';
import { Warehouse } from '../warehouse/warehouse.ts';

const { values: args } = parseArgs({
    options: {
        entries: { type: 'string', default: '400000' },
        rounds: { type: 'string', default: '5' },
        week: { type: 'boolean', default: false },
        dir: { type: 'string', default: '/tmp/refreshperf' },
        source: { type: 'string' },
    },
});
const entries = Number(args.entries);
const rounds = Number(args.rounds);
const MEMORY = '4GB';

/** A copy of the built demo firm, rebuilt with the current models once (kept in --dir by their fingerprint). */
async function builtCopy(): Promise<string> {
    fs.mkdirSync(args.dir, { recursive: true });
    const source = args.source ?? path.resolve('data', 'bench', `live-${entries}.duckdb`);
    if (!fs.existsSync(source)) throw new Error(`no built demo firm at ${source} (bench/live.ts makes one; --source names another)`);
    const base = path.join(args.dir, `base-${entries}-${modelsFingerprint().slice(0, 12)}.duckdb`);
    if (!fs.existsSync(`${base}.complete`)) {
        fs.copyFileSync(source, base);
        const w = await Warehouse.open(base, { memoryLimit: MEMORY });
        if (!(await refreshableIncrementally(w))) {
            const t0 = performance.now();
            const built = await buildModels(w);
            console.log(`full build with these models: ${((performance.now() - t0) / 1000).toFixed(1)} s (tests ${built.tests.length})`);
        }
        await w.run('checkpoint');
        w.close();
        fs.writeFileSync(`${base}.complete`, '');
    }
    const copy = path.join(args.dir, `run-${entries}.duckdb`);
    for (const f of [copy, `${copy}.wal`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(base, copy);
    return copy;
}

interface Template {
    person_id: string;
    project_id: string;
    phase: string | null;
    activity: string;
    work_date: string;
    billable: boolean;
}

/** Existing entries to copy: a random one (or a random person-week's), so the new rows look like capture's. */
async function templates(w: Warehouse, rng: Rng): Promise<Template[]> {
    const n = (await w.one<{ n: number }>(`select count(*)::bigint as n from canonical.time_entries`))!.n;
    const [one] = await w.all<Template>(
        `select person_id, project_id, phase, activity, work_date::varchar as work_date, billable from canonical.time_entries limit 1 offset $1`,
        [rng.int(n)],
    );
    if (!args.week) return [one!];
    return w.all<Template>(
        `select person_id, project_id, phase, activity, work_date::varchar as work_date, billable from canonical.time_entries
         where person_id = $1 and date_trunc('week', work_date) = date_trunc('week', $2::date) order by entry_id limit 40`,
        [one!.person_id, one!.work_date],
    );
}

const median = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    return s.length === 0 ? 0 : s[Math.floor((s.length - 1) / 2)]!;
};

async function main(): Promise<void> {
    const file = await builtCopy();
    const w = await Warehouse.open(file, { memoryLimit: MEMORY });
    const queue = new WriteQueue(w);
    const rng = new Rng(20261206);
    const actor = { actor: 'cli:refresh-profile', role: 'admin', person_id: null, address: 'cli' };
    const results: { write_ms: number; rows: number; ms: number; phases: IncrementalResult['phases']; models: IncrementalResult['models']; tests: IncrementalResult['tests'] }[] = [];
    try {
        for (let i = 0; i < rounds; i++) {
            const rows = await templates(w, rng);
            const t0 = performance.now();
            await queue.write(async (ctx) => {
                for (const t of rows) {
                    await insertEntry(ctx, actor, t.person_id, { ...t, duration_seconds: 3600, source: 'form', notes: `refresh profile ${i}` }, t.billable);
                }
            });
            const write_ms = Math.round(performance.now() - t0);
            // As the server does after a write: whether the marts are behind, then the refresh (its models read again).
            const result = await refreshMarts(w);
            if (result.how !== 'incremental') throw new Error(`the refresh was not incremental (${result.how}: ${result.reason})`);
            const p = result.phases!;
            results.push({ write_ms, rows: rows.length, ms: result.ms, phases: p, models: result.timings!, tests: result.tests! });
            console.log(
                `round ${i + 1}: ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'} (${rows[0]!.person_id}, ${rows[0]!.work_date}): write ${write_ms} ms, refresh ${result.ms} ms` +
                    ` = before ${result.ms - p.prepare_ms - p.recompute_ms - p.tests_ms - p.commit_ms} + prepare ${p.prepare_ms} + recompute ${p.recompute_ms}` +
                    ` (compare ${p.compare_ms}) + tests ${p.tests_ms} (${result.tests!.length}) + commit ${p.commit_ms}; ${result.timings!.length} models`,
            );
        }
    } finally {
        w.close();
    }
    const phase = (k: keyof IncrementalResult['phases']) => median(results.map((r) => r.phases[k]));
    console.log(
        `\nmedian of ${results.length}: write ${median(results.map((r) => r.write_ms))} ms, refresh ${median(results.map((r) => r.ms))} ms ` +
            `(before: whether the marts are current ${median(results.map((r) => r.ms - r.phases.prepare_ms - r.phases.recompute_ms - r.phases.tests_ms - r.phases.commit_ms))}; ` +
            `prepare ${phase('prepare_ms')}; recompute ${phase('recompute_ms')}, of which compare ${phase('compare_ms')}; tests ${phase('tests_ms')}; commit ${phase('commit_ms')}); ` +
            `models ${median(results.map((r) => r.models.length))}, tests ${median(results.map((r) => r.tests.length))}`,
    );
    const byModel = new Map<string, { how: string; ms: number[]; compare: number[] }>();
    for (const r of results) {
        for (const m of r.models) {
            const e = byModel.get(m.relation) ?? { how: m.how, ms: [], compare: [] };
            e.ms.push(m.ms);
            e.compare.push(m.compare_ms ?? 0);
            byModel.set(m.relation, e);
        }
    }
    console.log('\nslowest models (median ms; whole: of which compare):');
    for (const [relation, e] of [...byModel].sort((a, b) => median(b[1].ms) - median(a[1].ms)).slice(0, 15)) {
        console.log(`  ${String(median(e.ms)).padStart(6)}  ${e.how.padEnd(10)} ${relation}${e.how === 'whole' ? ` (compare ${median(e.compare)})` : ''}`);
    }
    // A model's tests run in one statement: their time is the model's.
    const byModelTests = new Map<string, number[]>();
    for (const r of results) {
        const seen = new Map<string, number>();
        for (const t of r.tests) seen.set(t.model, t.ms);
        for (const [model, ms] of seen) byModelTests.set(model, [...(byModelTests.get(model) ?? []), ms]);
    }
    console.log('\nslowest models\' tests (median ms):');
    for (const [model, ms] of [...byModelTests].sort((a, b) => median(b[1]) - median(a[1])).slice(0, 10)) console.log(`  ${String(median(ms)).padStart(6)}  ${model}`);
}

await main();
