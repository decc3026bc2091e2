/**
 * Time capture under load, on a fresh copy of the demo firm at N entries (default 400,000, the demo's size):
 * - the API: the server (as `realize serve` opens it: 4 read connections, tokens) listening on loopback, and
 *   100 clients on their own thread (bench/capture-load-worker.ts), one per person with that person's token,
 *   each POSTing its next entry to /api/time/entries as soon as the last was answered, for 30 s. Every POST
 *   is answered once committed; the marts' refreshes follow, beside the writes (coalesced). Reported: entries/s
 *   (2xx answers over the wall time), p50/p95/p99 latency, the statuses, and where the time went: the write
 *   queue's transactions (waiting for the write connection, running and committing) and the refreshes;
 * - the same number of entries inserted directly in DuckDB (the queue's own multi-row insert into
 *   canonical.time_entries, bound parameters) on another fresh copy, in transactions of the size the API's
 *   queue committed on average, and one entry per transaction — neither with the queue's batch row, marks,
 *   audit rows or a refresh;
 * - a captured entry until GET /api/funnel shows it: single entries with nothing else running, from the
 *   POST's start until the funnel's tracked value for the entry's month includes it (the overview's
 *   waterfall is that answer), and the POST's own latency.
 * Targets: 2,000 entries/s with 100 clients at p99 ≤ 50 ms; an entry in /api/funnel within 1 s.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { captureOptions, type ProjectOption } from '../capture/time/options.ts';
import { ENTRY_COLUMNS, type EntryRow } from '../capture/write-queue.ts';
import { newEntryId } from '../capture/time/entries.ts';
import { refreshMarts, type RefreshResult } from '../warehouse/models/refresh.ts';
import { buildApp } from '../server/app.ts';
import { Warehouse, type SqlValue } from '../warehouse/warehouse.ts';
import type { CaptureClient } from './capture-load-worker.ts';
import { benchCopy } from './live.ts';
import { latency, quantile, round, type Latency } from './stats.ts';

const CLIENTS = 100;
const SECONDS = 30;
const FUNNEL_ROUNDS = 9;
/** The month the entries are logged in: the demo's last (BENCH_END is 2026-10-31). */
const MONTH = '2026-10';

export interface CaptureBench {
    entries: number;
    /** `uptime`'s load averages before the load and after the last measurement. */
    load_before: string;
    load_after: string;
    api: {
        clients: number;
        seconds: number;
        requests: number;
        statuses: Record<string, number>;
        created: number;
        entries_per_s: number;
        latency: Latency;
        /** The write queue: transactions, entries per transaction, ms waiting for the write connection and ms running and committing (summed). */
        queue: { transactions: number; jobs_per_transaction: number; wait_ms: number; commit_ms: number };
        /** The refreshes the writes started (coalesced): how many, their own time, summed and per refresh. */
        refresh: { count: number; incremental: number; models: number; total_ms: number; p50_ms: number; p95_ms: number; slowest: { relation: string; ms: number }[] };
    };
    direct: {
        rows: number;
        grouped: { per_transaction: number; transactions: number; ms: number; per_s: number };
        single: { transactions: number; ms: number; per_s: number };
    };
    funnel: {
        rounds: number;
        /** The refreshes that brought the single entries to the marts: their own time, and the slowest models (summed over them). */
        refresh_ms: number[];
        refresh_slowest: { relation: string; ms: number }[];
        post_ms: number[]; visible_ms: number[]; post_p50_ms: number; post_p95_ms: number; visible_p50_ms: number; visible_p95_ms: number };
}

const loadAverage = () => {
    try {
        return execSync('uptime', { encoding: 'utf8' }).trim().replace(/^.*load average/, 'load average');
    } catch {
        return 'load average unknown';
    }
};

interface Person {
    person_id: string;
    token: string;
    projects: ProjectOption[];
}

/** CLIENTS people of the firm who have a project to log on, each with a token of their own. */
async function capturers(warehouse: Warehouse): Promise<Person[]> {
    const people = await warehouse.all<{ person_id: string }>(`select person_id from canonical.people order by person_id`);
    const found: Person[] = [];
    for (const { person_id } of people) {
        const projects = await captureOptions(warehouse, person_id);
        if (projects.length === 0) continue;
        found.push({ person_id, token: `capture-bench-token-${person_id}`, projects });
        if (found.length === CLIENTS) break;
    }
    if (found.length === 0) throw new Error('no person of the firm has a project to log time on');
    return found;
}

/** October's weekdays: the days the clients log on. */
function monthDays(): string[] {
    const days: string[] = [];
    for (let d = 1; d <= 31; d++) {
        const day = `${MONTH}-${String(d).padStart(2, '0')}`;
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        if (weekday !== 0 && weekday !== 6) days.push(day);
    }
    return days;
}

/** The entries a client cycles through: its person's projects, their first phase, development, the month's weekdays. */
function bodies(person: Person, days: string[]): object[] {
    return days.map((work_date, i) => {
        const project = person.projects[i % person.projects.length]!;
        return { project_id: project.project_id, phase: project.phases[0] ?? null, activity: 'development', work_date, duration_seconds: 1800 + (i % 4) * 900 };
    });
}

function runLoad(url: string, clients: CaptureClient[]): Promise<{ latencies: number[]; statuses: Record<string, number>; ms: number }> {
    const worker = new Worker(new URL('./capture-load-worker.ts', import.meta.url), { workerData: { url, clients, seconds: SECONDS } });
    return new Promise((resolve, reject) => {
        worker.once('message', (m: { latencies: number[]; statuses: Record<string, number>; ms: number; error?: string }) => {
            void worker.terminate();
            if (m.error !== undefined) reject(new Error(m.error));
            else resolve(m);
        });
        worker.once('error', reject);
    });
}

export async function benchCapture(entries: number): Promise<CaptureBench> {
    const loadBefore = loadAverage();
    const file = await benchCopy(entries);
    const warehouse = await Warehouse.open(file, { connections: 4 });
    // The copy was built by the models of its day: brought up to date first, so that no whole build runs during the load.
    await refreshMarts(warehouse);
    const tokensFile = path.join(path.dirname(file), 'capture-tokens.json');
    let api: CaptureBench['api'];
    let funnel: CaptureBench['funnel'];
    const days = monthDays();
    try {
        const people = await capturers(warehouse);
        const reader = { token: 'capture-bench-token-leadership', person_id: null, role: 'leadership' };
        fs.writeFileSync(tokensFile, JSON.stringify([...people.map((p) => ({ token: p.token, person_id: p.person_id, role: 'engineer' })), reader]));
        const app = await buildApp({ warehouse, tokensFile });
        // Every distinct refresh the writes started, with its own time (refreshes are coalesced: many writes share one).
        const refreshes = new Map<Promise<RefreshResult>, RefreshResult | null>();
        const refreshModels = app.refreshModels.bind(app);
        app.refreshModels = () => {
            const p = refreshModels();
            if (!refreshes.has(p)) {
                refreshes.set(p, null);
                void p.then((r) => refreshes.set(p, r), () => undefined);
            }
            return p;
        };
        try {
            const base = await app.listen({ port: 0, host: '127.0.0.1' });
            const clients = Array.from({ length: CLIENTS }, (_, i) => {
                const person = people[i % people.length]!;
                return { token: person.token, bodies: bodies(person, days.slice(i % 5).concat(days.slice(0, i % 5))) };
            });
            console.log(`  ${CLIENTS} clients (${people.length} people) posting entries for ${SECONDS} s …`);
            const load = await runLoad(`${base}/api/time/entries`, clients);
            await app.capture.queue.idle();
            // The last writes' refresh ends after their answers: counted once it has.
            await Promise.allSettled([...refreshes.keys()]);
            const created = load.statuses['201'] ?? 0;
            const stats = app.capture.queue.stats;
            const done = [...refreshes.values()].filter((r): r is RefreshResult => r !== null && r.how !== 'none');
            const refreshMs = done.map((r) => r.ms).sort((a, b) => a - b);
            api = {
                clients: CLIENTS,
                seconds: round(load.ms / 1000),
                requests: load.latencies.length,
                statuses: load.statuses,
                created,
                entries_per_s: round(created / (load.ms / 1000)),
                latency: latency(load.latencies),
                queue: {
                    transactions: stats.transactions,
                    jobs_per_transaction: round(stats.jobs / Math.max(1, stats.transactions)),
                    wait_ms: Math.round(stats.wait_ms),
                    commit_ms: Math.round(stats.commit_ms),
                },
                refresh: {
                    count: done.length,
                    incremental: done.filter((r) => r.how === 'incremental').length,
                    models: Math.max(0, ...done.map((r) => r.models.length)),
                    total_ms: refreshMs.reduce((a, b) => a + b, 0),
                    p50_ms: quantile(refreshMs, 0.5),
                    p95_ms: quantile(refreshMs, 0.95),
                    slowest: slowestModels(done),
                },
            };
            console.log(`  ${created.toLocaleString('en')} entries created, ${api.entries_per_s} entries/s, p99 ${api.latency.p99_ms} ms; single entries until /api/funnel shows them …`);
            refreshes.clear();
            funnel = await funnelRounds(base, people, reader.token);
            const single = [...refreshes.values()].filter((r): r is RefreshResult => r !== null && r.how !== 'none');
            funnel.refresh_ms = single.map((r) => r.ms);
            funnel.refresh_slowest = slowestModels(single);
        } finally {
            await app.close();
        }
    } finally {
        warehouse.close();
        for (const f of [file, `${file}.wal`, tokensFile]) fs.rmSync(f, { force: true });
    }
    console.log(`  the same ${api.created.toLocaleString('en')} entries inserted directly in DuckDB …`);
    const direct = await directInserts(entries, api.created, Math.max(1, Math.round(api.queue.jobs_per_transaction)));
    return { entries, load_before: loadBefore, load_after: loadAverage(), api, direct, funnel };
}

/** The models that took longest over these refreshes, summed. */
function slowestModels(done: RefreshResult[]): { relation: string; ms: number }[] {
    const total = new Map<string, number>();
    for (const r of done) for (const t of r.timings ?? []) total.set(t.relation, (total.get(t.relation) ?? 0) + t.ms);
    return [...total].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([relation, ms]) => ({ relation, ms: Math.round(ms) }));
}

/** Single entries, one at a time: the POST's latency, and from its start until the funnel's tracked value includes it. */
async function funnelRounds(base: string, people: Person[], readerToken: string): Promise<CaptureBench['funnel']> {
    // An entry on a client's project that bills by default: it adds standard value, which the funnel tracks.
    const pick = people.flatMap((p) => p.projects.filter((pr) => pr.client_name !== null && pr.billable_default).map((pr) => ({ person: p, project: pr })))[0];
    if (!pick) throw new Error('no person logs on a billable client project');
    const url = `${base}/api/funnel?from=${MONTH}-01&to=${MONTH}-31`;
    const tracked = async () => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${readerToken}` } });
        if (!res.ok) throw new Error(`/api/funnel: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { stages: { key: string; amount: number }[] }).stages.find((s) => s.key === 'tracked_value')!.amount;
    };
    const postMs: number[] = [];
    const visibleMs: number[] = [];
    for (let i = 0; i < FUNNEL_ROUNDS; i++) {
        const before = await tracked();
        const started = performance.now();
        const res = await fetch(`${base}/api/time/entries`, {
            method: 'POST',
            headers: { authorization: `Bearer ${pick.person.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ project_id: pick.project.project_id, phase: pick.project.phases[0] ?? null, activity: 'development', work_date: `${MONTH}-${String(5 + i).padStart(2, '0')}`, duration_seconds: 3600 }),
        });
        const answer = await res.text();
        if (res.status !== 201) throw new Error(`POST /api/time/entries: ${res.status} ${answer}`);
        postMs.push(Math.round(performance.now() - started));
        // Polled as someone else (leadership): the writer's own reads would wait for the refresh instead.
        while ((await tracked()) <= before) {
            if (performance.now() - started > 60_000) throw new Error(`the funnel's tracked value did not grow within 60 s of the entry's creation (${before})`);
            await new Promise((r) => setTimeout(r, 5));
        }
        visibleMs.push(Math.round(performance.now() - started));
    }
    const p = [...postMs].sort((a, b) => a - b);
    const v = [...visibleMs].sort((a, b) => a - b);
    return { rounds: FUNNEL_ROUNDS, refresh_ms: [], refresh_slowest: [], post_ms: postMs, visible_ms: visibleMs, post_p50_ms: quantile(p, 0.5), post_p95_ms: quantile(p, 0.95), visible_p50_ms: quantile(v, 0.5), visible_p95_ms: quantile(v, 0.95) };
}

/**
 * `rows` entries like the API's, inserted into canonical.time_entries of a fresh copy with the write queue's
 * statement (multi-row, bound): first in transactions of `group` rows, then one per transaction (as many as
 * there were rows, so both write the same number of entries). Nothing else is written: no batch row, marks, audit.
 */
async function directInserts(entries: number, rows: number, group: number): Promise<CaptureBench['direct']> {
    const file = await benchCopy(entries);
    const warehouse = await Warehouse.open(file, { connections: 4 });
    try {
        const people = await capturers(warehouse);
        const days = monthDays();
        const batch = (await warehouse.one<{ id: number }>(`select max(batch_id)::integer as id from canonical.time_entries`))!.id;
        const row = (i: number): EntryRow => {
            const person = people[i % people.length]!;
            const project = person.projects[i % person.projects.length]!;
            const now = new Date().toISOString();
            return {
                entry_id: newEntryId(),
                person_id: person.person_id,
                project_id: project.project_id,
                phase: project.phases[0] ?? null,
                task: null,
                activity: 'development',
                work_date: days[i % days.length]!,
                duration_seconds: 1800 + (i % 4) * 900,
                billable: project.billable_default,
                notes: null,
                source: 'form',
                logged_at: now,
                status: 'draft',
                approved_by: null,
                approved_at: null,
                started_at: null,
                ended_at: null,
                batch_id: batch,
            };
        };
        const insert = async (chunk: EntryRow[]) => {
            const params: SqlValue[] = [];
            const values = chunk.map((r) => {
                const at = params.length;
                for (const c of ENTRY_COLUMNS) params.push(r[c]);
                return `(${ENTRY_COLUMNS.map((_c, i) => `$${at + i + 1}`).join(', ')})`;
            });
            await warehouse.run(`insert into canonical.time_entries (${ENTRY_COLUMNS.join(', ')}) values ${values.join(', ')}`, params);
        };
        const write = async (size: number) => {
            let transactions = 0;
            const started = performance.now();
            for (let done = 0; done < rows; done += size) {
                const chunk = Array.from({ length: Math.min(size, rows - done) }, (_, i) => row(done + i));
                await warehouse.transaction(() => insert(chunk));
                transactions++;
            }
            const ms = performance.now() - started;
            return { transactions, ms: Math.round(ms), per_s: round(rows / (ms / 1000)) };
        };
        const grouped = await write(group);
        const single = await write(1);
        return { rows, grouped: { per_transaction: group, ...grouped }, single };
    } finally {
        warehouse.close();
        for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
    }
}

export function printCaptureBench(r: CaptureBench): void {
    const a = r.api;
    const d = r.direct;
    const f = r.funnel;
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\ntime capture on the demo firm at ${r.entries.toLocaleString('en')} entries (loopback; ${r.load_before} before, ${r.load_after} after)`);
    console.log(
        `  POST /api/time/entries, ${a.clients} clients for ${a.seconds} s: ${a.created.toLocaleString('en')} created, ${a.entries_per_s.toLocaleString('en')} entries/s ` +
            `(target ≥ 2,000/s: ${(a.entries_per_s / 2000).toFixed(3)}×)`,
    );
    console.log(`    latency p50 ${a.latency.p50_ms} ms, p95 ${a.latency.p95_ms} ms, p99 ${a.latency.p99_ms} ms, max ${a.latency.max_ms} ms (p99 target ≤ 50 ms: ${(a.latency.p99_ms / 50).toFixed(1)}×)`);
    console.log(`    statuses: ${Object.entries(a.statuses).map(([k, v]) => `${k === '0' ? 'no answer' : k} × ${v.toLocaleString('en')}`).join(', ')}`);
    console.log(
        `    write queue: ${a.queue.transactions} transactions, ${a.queue.jobs_per_transaction} entries each on average; ${s(a.queue.commit_ms)} running and committing, ` +
            `${s(a.queue.wait_ms)} waiting for the write connection`,
    );
    console.log(
        `    refreshes the writes started (beside them): ${a.refresh.count} (${a.refresh.incremental} incremental, up to ${a.refresh.models} models each), ${s(a.refresh.total_ms)} in all (p50 ${a.refresh.p50_ms} ms, p95 ${a.refresh.p95_ms} ms); ` +
            `slowest models over them: ${a.refresh.slowest.map((m) => `${m.relation} ${s(m.ms)}`).join(', ')}`,
    );
    console.log(`  the same ${d.rows.toLocaleString('en')} entries inserted directly in DuckDB (the queue's insert into canonical.time_entries, nothing else):`);
    console.log(
        `    ${d.grouped.per_transaction} per transaction (the API's average): ${s(d.grouped.ms)}, ${d.grouped.per_s.toLocaleString('en')} entries/s — the API ${(a.entries_per_s / d.grouped.per_s).toFixed(3)}× of it`,
    );
    console.log(`    one per transaction: ${s(d.single.ms)}, ${d.single.per_s.toLocaleString('en')} entries/s — the API ${(a.entries_per_s / d.single.per_s).toFixed(3)}× of it`);
    console.log(
        `  a captured entry until /api/funnel shows it (${f.rounds} single entries, nothing else running): p50 ${f.visible_p50_ms} ms, p95 ${f.visible_p95_ms} ms ` +
            `(target ≤ 1 s: ${(f.visible_p95_ms / 1000).toFixed(2)}×); the POST alone p50 ${f.post_p50_ms} ms, p95 ${f.post_p95_ms} ms`,
    );
    console.log(`    rounds: ${f.visible_ms.map((ms, i) => `${ms} (POST ${f.post_ms[i]})`).join(', ')} ms`);
    console.log(
        `    the refreshes that brought them to the marts: ${f.refresh_ms.join(', ')} ms; slowest models over them: ${f.refresh_slowest.map((m) => `${m.relation} ${s(m.ms)}`).join(', ')}`,
    );
}
