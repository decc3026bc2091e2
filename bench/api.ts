/**
 * API benchmark (issue: models and API): every dashboard endpoint under load on loopback, warm, on the
 * demo firm at N entries. A small closed-loop load generator on its own thread (C connections, each sending
 * its next request when the last answered, for D seconds per endpoint; bench/load-worker.ts) records every
 * latency; p50/p95/p99 are exact over them.
 * Beside each endpoint: the same SQL the route ran, replayed directly in DuckDB (warm p95), and the model
 * rebuild time. Target: p95 ≤ 100 ms for every endpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ingestFiles } from '../ingest/canonical.ts';
import { resolveInputs } from '../ingest/files.ts';
import { answerCache } from '../server/api/answer-cache.ts';
import { buildApp } from '../server/app.ts';
import { buildModels } from '../warehouse/models.ts';
import { Warehouse, type Params } from '../warehouse/warehouse.ts';
import { benchDemo } from './data.ts';
import { quantile, round } from './stats.ts';

export const API_ENDPOINTS = [
    '/api/health',
    '/api/funnel',
    '/api/funnel?client_id=C005&from=2026-01-01',
    '/api/realization?group_by=month',
    '/api/realization?group_by=client',
    '/api/utilization?group_by=week,role',
    '/api/margin?group_by=project',
    '/api/logging-latency?group_by=month',
    '/api/budget-burn',
    '/api/retainers?group_by=project,month',
    '/api/estimate-vs-actual?group_by=project_type,phase',
    '/api/review-flags?group_by=rule',
    '/api/drill/funnel?part=not_invoiced&page_size=100',
    '/api/drill/funnel?part=untracked&client_id=C005&page_size=100',
    '/api/drill/funnel?part=overrun&month=2026-06-01&page_size=100',
    '/api/drill/realization?part=standard_value&month=2026-06-01&page_size=100',
    '/api/drill/realization?part=billed_value&page_size=100',
    '/api/drill/margin?part=cost&project_id=PRJ-0016&page_size=100',
    '/api/drill/utilization?part=billable_hours&person_id=P0017&month=2026-06-01&page_size=100',
    '/api/drill/review-flags?rule=missing_day&page_size=100',
    '/api/drill/logging-latency?page_size=100',
];

export interface ApiBench {
    entries: number;
    rebuild_ms: number;
    /** The slowest models of the rebuild, with their time. */
    rebuild_slowest: { relation: string; ms: number }[];
    /** p95 with the server's answer cache off (every request queries) and, `cached_p95_ms`, on. */
    endpoints: { url: string; requests: number; p50_ms: number; p95_ms: number; p99_ms: number; duckdb_p95_ms: number; cached_p95_ms: number }[];
}

/** Latencies of `connections` closed loops on `url` for `seconds`, sorted, from the load tool's own thread. */
function load(url: string, connections: number, seconds: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
        const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: { url, connections, seconds } });
        worker.once('message', (m: { latencies?: number[]; error?: string }) => {
            if (m.error !== undefined) reject(new Error(m.error));
            else resolve(m.latencies!.sort((a, b) => a - b));
        });
        worker.once('error', reject);
    });
}

/** A warehouse file with the demo firm at this size loaded and built, made once and reused. */
async function benchDatabase(entries: number): Promise<{ file: string; rebuildMs: number; slowest: { relation: string; ms: number }[] }> {
    const dir = await benchDemo(entries);
    const file = path.resolve('data', 'bench', `api-${entries}.duckdb`);
    const stamp = `${file}.complete`;
    if (!fs.existsSync(stamp)) {
        for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
        const w = await Warehouse.open(file, { memoryLimit: '6GB' });
        const report = await ingestFiles(w, resolveInputs([dir]).files);
        if (!report.ok) throw new Error('the demo did not load');
        w.close();
        fs.writeFileSync(stamp, '');
    }
    const w = await Warehouse.open(file, { memoryLimit: '6GB' });
    const started = performance.now();
    const build = await buildModels(w);
    const rebuildMs = performance.now() - started;
    w.close();
    const slowest = [...build.models].sort((a, b) => b.ms - a.ms).slice(0, 8).map(({ relation, ms }) => ({ relation, ms }));
    return { file, rebuildMs, slowest };
}

export async function benchApi(entries: number, seconds = 5, connections = 4): Promise<ApiBench> {
    const { file, rebuildMs, slowest } = await benchDatabase(entries);
    const warehouse = await Warehouse.open(file, { connections: 4 });
    const app = await buildApp({ warehouse });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const endpoints: ApiBench['endpoints'] = [];
    try {
        for (const url of API_ENDPOINTS) {
            // Warm up, and capture the statements the route runs.
            const statements: { sql: string; params: Params | undefined }[] = [];
            warehouse.onQuery = (sql, params) => statements.push({ sql, params });
            await (await fetch(address + url)).arrayBuffer();
            warehouse.onQuery = undefined;
            const cache = answerCache(warehouse);
            cache.enabled = false;
            const latencies = await load(address + url, connections, seconds);
            cache.enabled = true;
            await (await fetch(address + url)).arrayBuffer();
            const cached = await load(address + url, connections, 2);
            const direct: number[] = [];
            for (let i = 0; i < 30; i++) {
                const t = performance.now();
                for (const s of statements) await warehouse.all(s.sql, s.params);
                direct.push(performance.now() - t);
            }
            direct.sort((a, b) => a - b);
            endpoints.push({
                url,
                requests: latencies.length,
                p50_ms: round(quantile(latencies, 0.5)),
                p95_ms: round(quantile(latencies, 0.95)),
                p99_ms: round(quantile(latencies, 0.99)),
                duckdb_p95_ms: round(quantile(direct, 0.95)),
                cached_p95_ms: round(quantile(cached, 0.95)),
            });
        }
    } finally {
        await app.close();
        warehouse.close();
    }
    return { entries, rebuild_ms: Math.round(rebuildMs), rebuild_slowest: slowest, endpoints };
}

