/**
 * No acknowledged capture write is lost: the real `realize serve` on a small demo firm, clients logging time
 * through the API at once (each a person with their own token: create two entries, change one, delete the
 * other, submit the week) and a leadership token approving what was submitted, then the server killed with
 * SIGKILL at a seeded random moment and started again on the same file — three times, the writes adding up.
 *
 * After each restart: /api/health says the marts are current; and, the server stopped, every write that got
 * a 2xx is in canonical.time_entries with the values and status its answer gave (a deleted entry is gone),
 * each with its audit row (audit.events: entity time_entry, the entry's id, the action), and the marts count
 * exactly the canonical entries. A write whose answer never came (the kill cut it) may have committed or not:
 * its entry may show the state before it or after it, nothing else.
 *
 * The moments are drawn with a fixed seed (FUZZ_SEED overrides it) and printed with any failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOptions, type ProjectOption } from '../../capture/time/options.ts';
import { modelsCurrent } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { runSeed, seeded } from './helpers.ts';
import { RealizeRuns, serveRealize, sleep, stopRealize } from './processes.ts';

const SEED = runSeed(29);
const ENTRIES = 10_000;
const CLIENTS = 8;
const KILLS = 3;
const LEADER = 'capture-kill-leadership-0001';

let dir: string;
let db: string;
let tokensFile: string;
let people: { person_id: string; token: string; project: ProjectOption }[] = [];
const random = seeded(SEED);
/** The CLI with a clean environment: loopback, this test's tokens, no inherited database. */
const cli = new RealizeRuns((): Record<string, string> => (tokensFile ? { REALIZE_TOKENS_FILE: tokensFile } : {}));

/** Starts `realize serve` on the database and waits until /api/health answers. */
const serve = () => serveRealize(db, cli, { authorization: `Bearer ${LEADER}` });
const stop = stopRealize;

/** What the answers said of an entry: its values, status, approver, and the audited actions behind it. */
interface Acked {
    values: { person_id: string; project_id: string; phase: string | null; activity: string; work_date: string; duration_seconds: number };
    status: string;
    approved_by: string | null;
    deleted: boolean;
    actions: string[];
}

/** Every entry an answer named, and for a write cut by the kill, the state it would have left (it may have committed). */
const acked = new Map<string, Acked>();
const unanswered = new Map<string, Acked>();
let weekCounter = 0;
/** Called on every answered write (the test counts them to choose its moment). */
let counted: () => void = () => undefined;
/** Answered writes by kind, over all rounds. */
const tally = new Map<string, number>();

/** The Monday of a week no other round uses (weeks of 2027, after the demo firm's time: nothing else is logged then). */
function nextWeek(): string {
    const monday = new Date(Date.UTC(2027, 0, 4 + 7 * weekCounter++));
    return monday.toISOString().slice(0, 10);
}
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

type Entry = { entry_id: string; person_id: string; project_id: string; phase: string | null; activity: string; work_date: string; duration_seconds: number; status: string; approved_by: string | null };

/**
 * One client's work until the server stops answering: for a new week each time, two entries, a change to the
 * first, the second deleted, the week submitted, and the first approved by leadership (6 writes).
 */
async function client(url: string, person: (typeof people)[number], stopped: () => boolean): Promise<number> {
    let writes = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const call = async (token: string, method: string, route: string, body: unknown, cut: () => void): Promise<{ status: number; body: any } | null> => {
        try {
            const res = await fetch(`${url}/api/${route}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
            const text = await res.text();
            const answer = { status: res.status, body: text ? JSON.parse(text) : null };
            if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
            writes++;
            const kind = method === 'PATCH' ? 'change' : method === 'DELETE' ? 'delete' : route === 'time/entries' ? 'create' : route === 'time/week/submit' ? 'submit' : 'approve';
            tally.set(kind, (tally.get(kind) ?? 0) + 1);
            counted();
            return answer;
        } catch (err) {
            // The kill: no answer (or a cut one). The write may have committed, or not.
            if (err instanceof Error && /^(POST|PATCH|DELETE) /.test(err.message)) throw err;
            cut();
            return null;
        }
    };
    const record = (e: Entry, action: string, from?: Acked): Acked => ({
        values: { person_id: e.person_id, project_id: e.project_id, phase: e.phase, activity: e.activity, work_date: e.work_date, duration_seconds: e.duration_seconds },
        status: e.status,
        approved_by: e.approved_by,
        deleted: false,
        actions: [...(from?.actions ?? []), action],
    });
    /** The state an entry would be in after a write whose answer never came. */
    const after = (id: string, change: Partial<Acked>, action: string) => unanswered.set(id, { ...acked.get(id)!, ...change, actions: [...acked.get(id)!.actions, action] });
    while (!stopped()) {
        const monday = nextWeek();
        const ids: string[] = [];
        for (let day = 0; day < 2; day++) {
            const body = { project_id: person.project.project_id, phase: person.project.phases[0] ?? null, activity: 'development', work_date: addDays(monday, day), duration_seconds: 1800 * (day + 1) };
            const res = await call(person.token, 'POST', 'time/entries', body, () => undefined);
            if (!res) return writes;
            acked.set(res.body.entry_id, record(res.body, 'create'));
            ids.push(res.body.entry_id);
        }
        const [kept, dropped] = ids as [string, string];
        const patch = await call(person.token, 'PATCH', `time/entries/${kept}`, { duration_seconds: 5400 }, () =>
            after(kept, { values: { ...acked.get(kept)!.values, duration_seconds: 5400 } }, 'update'),
        );
        if (!patch) return writes;
        acked.set(kept, record(patch.body, 'update', acked.get(kept)));
        if (!(await call(person.token, 'DELETE', `time/entries/${dropped}`, undefined, () => after(dropped, { deleted: true }, 'delete')))) return writes;
        acked.set(dropped, { ...acked.get(dropped)!, deleted: true, actions: [...acked.get(dropped)!.actions, 'delete'] });
        const week = await call(person.token, 'POST', 'time/week/submit', { week: monday }, () => after(kept, { status: 'submitted' }, 'submit'));
        if (!week) return writes;
        acked.set(kept, record((week.body.entries as Entry[]).find((e) => e.entry_id === kept)!, 'submit', acked.get(kept)));
        // An approval cut by the kill is recorded with the token's actor, whose id the client does not know.
        const decided = await call(LEADER, 'POST', 'review/decisions', { decision: 'approve', entry_ids: [kept] }, () => after(kept, { status: 'approved', approved_by: 'leadership:token-' }, 'approve'));
        if (!decided) return writes;
        acked.set(kept, record((decided.body.entries as Entry[])[0]!, 'approve', acked.get(kept)));
    }
    return writes;
}

/** Does the row (or its absence) and its audit actions match this expected state? The reasons it does not. */
function mismatch(want: Acked, row: Entry | undefined, actions: string[]): string[] {
    const wrong: string[] = [];
    if (want.deleted) {
        if (row) wrong.push('still there after an acknowledged delete');
    } else if (!row) {
        wrong.push('missing from canonical.time_entries');
    } else {
        for (const [k, v] of Object.entries(want.values)) if ((row as Record<string, unknown>)[k] !== v) wrong.push(`${k} ${String((row as Record<string, unknown>)[k])}, answered ${String(v)}`);
        if (row.status !== want.status) wrong.push(`status ${row.status}, answered ${want.status}`);
        // An approval cut by the kill is recorded with the token's actor, whose id the client does not know.
        if (want.approved_by !== null && !(row.approved_by === want.approved_by || (want.approved_by.endsWith(':token-') && row.approved_by?.startsWith(want.approved_by)))) {
            wrong.push(`approved_by ${row.approved_by}, answered ${want.approved_by}`);
        }
    }
    const left = [...actions];
    for (const a of want.actions) {
        const at = left.indexOf(a);
        if (at < 0) wrong.push(`no audit row for its ${a}`);
        else left.splice(at, 1);
    }
    return wrong;
}

/** Every acknowledged write is in the database with its audit row; the marts count what canonical holds. */
async function everyAckedWriteIsThere(context: string): Promise<{ entries: number; uncertain: number }> {
    const w = await Warehouse.open(db);
    try {
        const ids = JSON.stringify([...acked.keys()]);
        const rows = await w.all<Entry>(
            `select entry_id, person_id, project_id, phase, activity, work_date::varchar as work_date, duration_seconds::integer as duration_seconds, status, approved_by
             from canonical.time_entries where entry_id in (select unnest(from_json($1::json, '["VARCHAR"]')))`,
            [ids],
        );
        const events = await w.all<{ entity_id: string; action: string }>(
            `select entity_id, action from audit.events where entity = 'time_entry' and entity_id in (select unnest(from_json($1::json, '["VARCHAR"]'))) order by event_id`,
            [ids],
        );
        const byId = new Map(rows.map((r) => [r.entry_id, r]));
        const actions = new Map<string, string[]>();
        for (const e of events) actions.set(e.entity_id, [...(actions.get(e.entity_id) ?? []), e.action]);
        const lost: string[] = [];
        for (const [id, want] of acked) {
            const got = byId.get(id);
            const wrong = mismatch(want, got, actions.get(id) ?? []);
            const cut = unanswered.get(id);
            // A write the kill cut may have committed: the state after it is as good as the one before.
            if (wrong.length > 0 && !(cut && mismatch(cut, got, actions.get(id) ?? []).length === 0)) lost.push(`${id}: ${wrong.join('; ')}`);
        }
        expect(lost, `${context}: acknowledged writes lost or changed`).toEqual([]);
        const marts = (await w.one<{ canonical: number; marts: number }>(
            `select (select count(*) from canonical.time_entries)::integer as canonical, (select sum(row_count) from marts.fct_entries_daily)::integer as marts`,
        ))!;
        expect(marts.marts, `${context}: entries in marts.fct_entries_daily`).toBe(marts.canonical);
        expect(await modelsCurrent(w), `${context}: marts current`).toBe(true);
        return { entries: acked.size, uncertain: unanswered.size };
    } finally {
        w.close();
    }
}

beforeAll(async () => {
    dir = tempDir('realize-capture-kill-');
    const demo = path.join(dir, 'demo');
    await cli.completes(['demo', '--out', demo, '--entries', String(ENTRIES)]);
    db = path.join(dir, 'firm.duckdb');
    await cli.completes(['ingest', demo, '--db', db]);
    const w = await Warehouse.open(db);
    try {
        const all = await w.all<{ person_id: string }>(`select person_id from canonical.people order by person_id`);
        for (const { person_id } of all) {
            const project = (await captureOptions(w, person_id))[0];
            if (project) people.push({ person_id, token: `capture-kill-${person_id.padEnd(16, '0')}`, project });
            if (people.length === CLIENTS) break;
        }
    } finally {
        w.close();
    }
    expect(people.length, 'people with a project to log on').toBeGreaterThan(1);
    tokensFile = path.join(dir, 'tokens.json');
    fs.writeFileSync(tokensFile, JSON.stringify([...people.map((p) => ({ token: p.token, person_id: p.person_id, role: 'engineer' })), { token: LEADER, person_id: null, role: 'leadership' }]));
}, 120_000);

afterAll(() => {
    cli.killAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`capture writes while the server is killed (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`, () => {
    it(`every write answered 2xx is in the database with its audit row after ${KILLS} kills and restarts`, async () => {
        for (let kill = 1; kill <= KILLS; kill++) {
            const { run, url } = await serve();
            let killed = false;
            // The moment: once a drawn number of writes has been answered in this round, and a drawn few ms more.
            // The rounds draw from later and later stretches, so that the kills cut creates, changes, deletes,
            // submissions and approvals (a client's week is 6 writes).
            const [from, to] = [[1, 2], [2.5, 4], [5, 7]][(kill - 1) % 3]!.map((n) => n * people.length);
            const answers = Math.round(from! + random() * (to! - from!));
            const ms = Math.round(random() * 800);
            let answeredNow = 0;
            let enough: () => void = () => undefined;
            const reached = new Promise<void>((resolve) => (enough = resolve));
            counted = () => ++answeredNow >= answers && enough();
            const work = Promise.all(people.map((p) => client(url, p, () => killed)));
            await Promise.race([reached, run.exit]);
            await sleep(ms);
            killed = true;
            run.child.kill('SIGKILL');
            await run.exit;
            const writes = (await work).reduce((a, b) => a + b, 0);
            const context = `kill ${kill}, ${ms} ms once ${answers} writes were answered (seed ${SEED})`;
            // The restart: the server opens the file, brings the marts up to date and says so.
            const next = await serve();
            try {
                const health = await (await fetch(`${next.url}/api/health`, { headers: { authorization: `Bearer ${LEADER}` } })).json();
                expect(health.marts, `${context}: /api/health after the restart\n${next.run.output()}`).toMatchObject({ current: true, behind: null });
            } finally {
                await stop(next.run);
            }
            const checked = await everyAckedWriteIsThere(context);
            console.log(`${context}: ${writes} writes answered in this round; ${checked.entries} entries checked (${checked.uncertain} cut by a kill so far), all there with their audit rows; marts current (answered so far: ${[...tally].map(([k, n]) => `${n} ${k}`).join(', ')})`);
        }
    }, 240_000);
});
