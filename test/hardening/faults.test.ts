/**
 * Fault injection: the real command line and server, killed with SIGKILL at seeded random moments — during
 * `realize ingest` of a medium file, during `realize models build`, and during an upload to a running
 * `realize serve` — and then started again. The next start must be consistent: the database opens (a
 * killed process leaves no lock that stops it), the canonical data is the old batch or the new one entirely
 * (all or nothing), the marts are current with it (the start rebuilds what is behind without being asked),
 * /api/health answers, and no upload scratch or spill file is left.
 *
 * Three kills are placed, not drawn, at the moment that used to leave the marts behind for good — a write
 * committed, its refresh not: right after `realize ingest` reports the load, and in a server once an
 * upload's or a rate card's commit has been written to DuckDB's write-ahead log (the refresh it started
 * running); the next start refreshes what the write touched, and gives what a full rebuild gives.
 *
 * The moments are drawn with a fixed seed (FUZZ_SEED overrides it) and printed with any failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModels, modelsCurrent } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { csvRecords } from '../helpers/csv.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { runSeed, seeded } from './helpers.ts';
import { RealizeRuns, type Run, serveRealize, sleep, stopRealize } from './processes.ts';

const SEED = runSeed(13);
/** Entries of the demo firm (the old batch), and entries the new batch adds to them. */
const ENTRIES = 10_000;
const ADDED = 10_000;
const ADDED_PREFIX = 'K-';

let dir: string;
/** A database holding the demo firm, its marts built. */
let base: string;
/** The same, with the new batch loaded and no rebuild since (`ingest --no-models`). */
let loadedNotBuilt: string;
/** The new batch: the demo's time entries and ADDED more. */
let newEntries: string;
let oldCount: number;
const random = seeded(SEED);
let trial = 0;

/** The CLI with a clean environment: local mode, loopback, no inherited database or tokens. */
const cli = new RealizeRuns();

/**
 * Kills the run with SIGKILL after `ms`, as soon as its output matches `when`, or as soon as `until` holds
 * (polled) — unless the work ends first: the process exits, or `settled` (a server's answer) arrives. Says
 * which; a server whose work ended first is left running.
 */
async function killAt(run: Run, moment: { ms: number } | { when: RegExp } | { until: () => boolean; what: string }, settled?: Promise<unknown>): Promise<string> {
    const what = 'ms' in moment ? `after ${moment.ms} ms` : 'when' in moment ? `once the output said ${moment.when}` : moment.what;
    let poll: NodeJS.Timeout | undefined;
    const said = await new Promise<string>((resolve) => {
        const kill = () => {
            if (run.child.exitCode !== null || run.child.signalCode !== null) return resolve(`finished before ${what}`);
            run.child.kill('SIGKILL');
            resolve(`killed ${what}`);
        };
        void run.exit.then(() => resolve(`finished before ${what}`));
        void settled?.then(() => resolve(`finished before ${what}`));
        if ('ms' in moment) poll = setTimeout(kill, moment.ms);
        else if ('until' in moment) poll = setInterval(() => moment.until() && kill(), 5);
        else {
            const check = () => moment.when.test(run.output()) && kill();
            run.child.stdout!.on('data', check);
            run.child.stderr!.on('data', check);
        }
    });
    clearTimeout(poll);
    clearInterval(poll);
    if (said.startsWith('killed')) await run.exit;
    return said;
}

/** Starts `realize serve` and waits until /api/health answers; the server and its URL. */
const serve = (db: string) => serveRealize(db, cli);
const stop = stopRealize;

/** The folder a server keeps upload scratch files in, beside its database. */
const scratchFolder = (db: string) => `${db}.uploads`;

function copyDb(from: string): string {
    const to = path.join(dir, `trial-${++trial}.duckdb`);
    fs.copyFileSync(from, to);
    if (fs.existsSync(`${from}.wal`)) fs.copyFileSync(`${from}.wal`, `${to}.wal`);
    return to;
}

/**
 * The next start after a kill, and what it must find: the server starts on the database, answers
 * /api/health, leaves no scratch file; stopped, the database holds the old or the new batch entirely and
 * marts built from exactly that.
 */
async function nextStartIsConsistent(db: string, what: string): Promise<{ said: string; batch: 'old' | 'new' }> {
    const context = `${what} (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`;
    const { run, url } = await serve(db);
    try {
        const health = await fetch(`${url}/api/health`);
        expect(health.status, context).toBe(200);
        expect((await health.json()).status, context).toBe('ok');
        const scratch = scratchFolder(db);
        expect(fs.existsSync(scratch) ? fs.readdirSync(scratch) : [], `${context}: upload scratch files left`).toEqual([]);
    } finally {
        await stop(run);
    }
    // What a killed process spilled is gone once a server has opened the database and closed it.
    const spill = `${db}.tmp`;
    expect(fs.existsSync(spill) ? fs.readdirSync(spill) : [], `${context}: DuckDB spill files left`).toEqual([]);
    const warehouse = await Warehouse.open(db);
    try {
        const row = (await warehouse.one<{ entries: number; added: number; mart_entries: number | null; hours: number; mart_hours: number | null }>(
            `select (select count(*) from canonical.time_entries)::integer as entries,
                    (select count(*) from canonical.time_entries where starts_with(entry_id, $1))::integer as added,
                    (select sum(row_count) from marts.fct_entries_daily)::integer as mart_entries,
                    (select sum(duration_seconds) / 3600 from canonical.time_entries)::double as hours,
                    (select sum(hours) from marts.fct_entries_daily)::double as mart_hours`,
            [ADDED_PREFIX],
        ))!;
        // All or nothing: the old batch, or the old and every added entry.
        expect([oldCount, oldCount + ADDED], `${context}: canonical entries`).toContain(row.entries);
        expect(row.added, `${context}: added entries`).toBe(row.entries - oldCount);
        // The marts are built from exactly these entries.
        expect(row.mart_entries, `${context}: entries in marts.fct_entries_daily`).toBe(row.entries);
        expect(row.mart_hours, `${context}: hours in marts.fct_entries_daily`).toBeCloseTo(row.hours, 6);
        expect(await modelsCurrent(warehouse), context).toBe(true);
        const batch = row.added > 0 ? 'new' : 'old';
        console.log(`${what}: the next start found the ${batch} batch, marts current`);
        return { said: run.output(), batch };
    } finally {
        warehouse.close();
    }
}

/** A moment in [from, to) ms, drawn from the seed. */
const moment = (from: number, to: number) => Math.round(from + random() * (to - from));

beforeAll(async () => {
    dir = tempDir('realize-faults-');
    const demo = path.join(dir, 'demo');
    await cli.completes(['demo', '--out', demo, '--entries', String(ENTRIES)]);
    base = path.join(dir, 'base.duckdb');
    await cli.completes(['ingest', demo, '--db', base]);

    // The new batch: every entry of the demo again (unchanged) and ADDED copies under new ids.
    const records = csvRecords(fs.readFileSync(path.join(demo, 'time_entries.csv'), 'utf8'));
    const [header, ...rows] = records as [string[], ...string[][]];
    oldCount = rows.length;
    const id = header.indexOf('entry_id');
    const added = Array.from({ length: ADDED }, (_, i) => {
        const copy = [...rows[i % rows.length]!];
        copy[id] = `${ADDED_PREFIX}${i}`;
        return copy;
    });
    const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
    fs.mkdirSync(path.join(dir, 'new'));
    newEntries = path.join(dir, 'new', 'time_entries.csv');
    fs.writeFileSync(newEntries, [header, ...rows, ...added].map((r) => r.map(field).join(',')).join('\n') + '\n');

    loadedNotBuilt = copyDb(base);
    await cli.completes(['ingest', newEntries, '--db', loadedNotBuilt, '--no-models']);
}, 300_000);

afterAll(() => {
    cli.killAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`a process killed mid-work, then started again (seed ${SEED})`, () => {
    it('realize ingest: killed after its load committed, before its rebuild', async () => {
        const db = copyDb(base);
        const run = cli.spawn(['ingest', newEntries, '--db', db]);
        const said = await killAt(run, { when: /^loaded \(/m });
        expect(said, run.output()).toMatch(/^killed/);
        const next = await nextStartIsConsistent(db, `ingest ${said}`);
        // The load had committed: the next start found the marts behind it and rebuilt them.
        expect(next.batch).toBe('new');
        expect(next.said).toMatch(/(building the models|refreshing the marts) \(data was loaded after the last build/);
    }, 240_000);

    it('realize ingest: killed at a random moment', async () => {
        const db = copyDb(base);
        const said = await killAt(cli.spawn(['ingest', newEntries, '--db', db]), { ms: moment(300, 3_500) });
        await nextStartIsConsistent(db, `ingest ${said}`);
    }, 240_000);

    it('realize models build: killed at random moments', async () => {
        for (let i = 0; i < 2; i++) {
            const db = copyDb(loadedNotBuilt);
            const said = await killAt(cli.spawn(['models', 'build', '--db', db]), { ms: moment(300, 3_000) });
            await nextStartIsConsistent(db, `models build ${said}`);
        }
    }, 300_000);

    it('realize serve: killed during the refresh of an upload and of a rate card, after the write committed, and at a random moment', async () => {
        const send = async (url: string) => {
            const form = new FormData();
            form.append('file', await fs.openAsBlob(newEntries), 'time_entries.csv');
            return fetch(`${url}/api/ingest`, { method: 'POST', body: form }).then(
                (r) => `answered ${r.status}`,
                (err: Error) => `failed: ${err.message}`,
            );
        };
        // A commit writes DuckDB's write-ahead log (<db>.wal; the server wrote nothing since its start): the
        // first bytes in it after the upload began are the load's commit, and once they stop growing the
        // load has committed — and the rebuild, seconds long, has begun and not committed yet.
        const walSize = (db: string) => (fs.existsSync(`${db}.wal`) ? fs.statSync(`${db}.wal`).size : 0);
        const committed = (db: string) => {
            let size = 0;
            let since = 0;
            return () => {
                const now = walSize(db);
                if (now !== size) [size, since] = [now, performance.now()];
                return size > 0 && performance.now() - since > 200;
            };
        };
        {
            const db = copyDb(base);
            const { run, url } = await serve(db);
            expect(walSize(db), 'the server wrote to the database on start').toBe(0);
            const answer = send(url);
            const said = await killAt(run, { until: committed(db), what: 'once the load had committed, during the rebuild' }, answer);
            if (!said.startsWith('killed')) await stop(run);
            expect(said, `${await answer}\n${run.output()}`).toMatch(/^killed/);
            const next = await nextStartIsConsistent(db, `serve ${said} (the client: ${await answer})`);
            expect(next.batch).toBe('new');
            expect(next.said).toMatch(/(building the models|refreshing the marts) \(data was loaded after the last build/);
        }
        {
            // A form's write rather than a load: a rate card (it re-prices every month from its date), answered once
            // committed, then the server killed while the refresh it started runs.
            const db = copyDb(base);
            const target = await Warehouse.open(db);
            const { role, from } = (await target.one<{ role: string; from: string }>(
                `select (select min(role) from canonical.people) as role, (select max(work_date) - 60 from canonical.time_entries)::varchar as from`,
            ))!;
            target.close();
            const { run, url } = await serve(db);
            const card = { scope: 'role', role, effective_from: from, hourly_rate: 987.65, currency: 'EUR' };
            let answered = false;
            const answer = fetch(`${url}/api/rates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(card) }).then(
                (r) => {
                    answered = true;
                    return `answered ${r.status}`;
                },
                (err: Error) => `failed: ${err.message}`,
            );
            const said = await killAt(run, { until: () => answered, what: "once the rate card's write was answered, during its refresh" });
            if (!said.startsWith('killed')) await stop(run);
            expect(said, `${await answer}\n${run.output()}`).toMatch(/^killed/);
            expect(await answer).toBe('answered 200');
            const next = await nextStartIsConsistent(db, `serve ${said} (the client: ${await answer})`);
            // A rate card is recorded as a batch of its own: behind by the batch, refreshed by what it touched.
            expect(next.said).toMatch(/refreshing the marts \(data was (loaded|written) after the last build/);
            // The card is in, and the marts priced with it are those a full rebuild gives.
            const w = await Warehouse.open(db);
            try {
                const value = async () => (await w.one<{ v: number }>(`select sum(std_value)::double as v from marts.fct_entries_daily`))!.v;
                expect(await w.one(`select hourly_rate::double as rate from canonical.rate_cards where scope = 'role' and role = $1 and effective_from = $2::date`, [role, from])).toEqual({
                    rate: 987.65,
                });
                const refreshed = await value();
                await buildModels(w);
                expect(refreshed).toBeCloseTo(await value(), 2);
            } finally {
                w.close();
            }
        }
        {
            const db = copyDb(base);
            const { run, url } = await serve(db);
            const answer = send(url);
            const said = await killAt(run, { ms: moment(50, 3_000) }, answer);
            if (!said.startsWith('killed')) await stop(run);
            await nextStartIsConsistent(db, `serve ${said} of an upload (the client: ${await answer})`);
        }
    }, 500_000);
});
