/**
 * The audit log is append-only, and readable by those who audit (server/routes/audit/audit.ts):
 *  - every route the server serves, called as local mode's user (who passes every role check) with ids of
 *    existing events and bodies, leaves every existing event exactly as it was; the log only grows;
 *  - no source file holds SQL that updates, deletes, truncates, drops or alters an audit table, and only the
 *    audit writer (capture/audit.ts) inserts into audit.events;
 *  - GET /api/audit filters by who, action, entity and day, pages newest first; the export is CSV whose
 *    formula-like cells are written as text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudits } from '../../capture/audit.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { TINY } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';
import { servedRoutes } from '../helpers/routes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let warehouse: Warehouse;
let app: FastifyInstance;

const allEvents = () => warehouse.all<Record<string, unknown>>(`select event_id::double as event_id, occurred_at::varchar as occurred_at, * exclude (event_id, occurred_at) replace (before::varchar as before, after::varchar as after) from audit.events order by event_id`);

beforeAll(async () => {
    warehouse = await buildFixture(TINY);
    app = await buildApp({ warehouse });
    // Events of several kinds, days and people; the first three on fixed days.
    await warehouse.transaction(() =>
        recordAudits(warehouse, [
            { actor: 'finance:P3', role: 'finance', person_id: 'P3', address: '10.0.0.3', action: 'approve', entity: 'time_entry', entity_id: 'E1', before: { status: 'submitted' }, after: { status: 'approved' } },
            { actor: 'project_manager:P2', role: 'project_manager', person_id: 'P2', address: '10.0.0.2', action: 'reject', entity: 'time_entry', entity_id: 'E2', reason: '=HYPERLINK("http://evil.example","fix me")' },
            { actor: 'admin:boss@tiny.example', role: 'admin', address: '10.0.0.9', action: 'create', entity: 'account', entity_id: 'acc_000000000001', after: { role: 'engineer' } },
        ]),
    );
    await warehouse.run(`update audit.events set occurred_at = case event_id when 1 then '2024-03-01 09:00:00+00' when 2 then '2024-03-02 10:00:00+00' else '2024-03-03 11:00:00+00' end`);
});
afterAll(async () => {
    await app?.close();
    warehouse?.close();
});

describe('no route changes or deletes an event', () => {
    it('every served route, with the ids of existing events and bodies, leaves them as they were', async () => {
        const before = await allEvents();
        expect(before.length).toBe(3);
        const routes = servedRoutes(app).filter((r) => r.split(' ')[1]!.startsWith('/api/'));
        // Routes by hand too: what a client might try on the log itself.
        const tries = [...routes, 'DELETE /api/audit', 'DELETE /api/audit/:id', 'PUT /api/audit/:id', 'PATCH /api/audit/:id', 'POST /api/audit', 'POST /api/audit/export'];
        for (const route of tries) {
            const [method, pattern] = route.split(' ') as [string, string];
            if (pattern === '/api/models/build') continue; // a rebuild: it appends an event, asked below once
            for (const id of ['1', '2']) {
                const url = pattern.replace(/:[a-z_]+/g, id).replace('*', id);
                const payloads = method === 'GET' || method === 'DELETE' ? [undefined] : [{}, { event_id: Number(id), actor: 'someone else', reason: null, disabled: true, project_id: null }];
                for (const payload of payloads) {
                    const res = await app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
                    expect(res.statusCode, `${route} ${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
                }
            }
        }
        expect((await app.inject({ method: 'POST', url: '/api/models/build' })).statusCode).toBe(200);
        const after = await allEvents();
        // Every event that was there is there unchanged, and what was added came after it.
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.length).toBeGreaterThan(before.length);
        expect(after.map((e) => e.action)).toContain('rebuild');
    });

    it('no source file updates, deletes, truncates, drops or alters an audit table; only the audit writer inserts events', () => {
        const files: string[] = [];
        const walk = (dir: string) => {
            for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
                const rel = path.join(dir, entry.name);
                if (entry.isDirectory()) walk(rel);
                else if (/\.(ts|sql|svelte)$/.test(entry.name)) files.push(rel);
            }
        };
        for (const dir of ['bin', 'capture', 'ingest', 'models', 'server', 'warehouse', 'web', 'bench']) if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
        expect(files.length).toBeGreaterThan(100);
        const rewrites = /\b(update|delete\s+from|truncate(\s+table)?|drop\s+(table|schema)(\s+if\s+exists)?|alter\s+table)\s+"?audit"?\./i;
        const inserts = /\binsert\s+into\s+"?audit"?\."?events\b/i;
        const offending = files.filter((f) => rewrites.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
        expect(offending).toEqual([]);
        expect(files.filter((f) => inserts.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual(['capture/audit.ts']);
        // The check finds what it looks for.
        expect(rewrites.test('delete from audit.events where event_id = 1')).toBe(true);
        expect(rewrites.test('UPDATE audit.time_entry_events SET outcome = 1')).toBe(true);
    });
});

describe('GET /api/audit', () => {
    const get = async (query: string) => {
        const res = await app.inject({ url: `/api/audit?${query}` });
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as { total: number; rows: { event_id: number; actor: string; action: string }[]; actions: string[]; entities: string[] };
    };

    it('filters by who (any part, any case), action, entity and day; newest first', async () => {
        expect((await get('actor=P2')).rows.map((r) => r.event_id)).toEqual([2]);
        expect((await get('actor=BOSS@')).rows.map((r) => r.event_id)).toEqual([3]);
        expect((await get('entity=time_entry')).rows.map((r) => r.event_id)).toEqual([2, 1]);
        expect((await get('action=approve&entity=time_entry')).rows.map((r) => r.event_id)).toEqual([1]);
        // 2024-03-02 and 2024-03-03, inclusive, by UTC day.
        expect((await get('from=2024-03-02&to=2024-03-03')).rows.map((r) => r.event_id)).toEqual([3, 2]);
        expect((await get('to=2024-03-01')).total).toBe(1);
        const all = await get('');
        expect(all.actions).toEqual(expect.arrayContaining(['approve', 'create', 'reject']));
        expect(all.entities).toEqual(expect.arrayContaining(['account', 'time_entry']));
    });

    it('pages, with the total of every match', async () => {
        const page = await get('entity=time_entry&page=2&page_size=1');
        expect(page.total).toBe(2);
        expect(page.rows.map((r) => r.event_id)).toEqual([1]);
    });

    it('refuses a bad day or an unknown parameter, naming it', async () => {
        for (const [query, parameter] of [['from=2024-02-30', 'from'], ['who=P2', 'who']]) {
            const res = await app.inject({ url: `/api/audit?${query}` });
            expect(res.statusCode).toBe(400);
            expect(res.json().parameter).toBe(parameter);
        }
    });

    it('exports the filtered events as CSV, formula-like cells written as text', async () => {
        const res = await app.inject({ url: '/api/audit/export?entity=time_entry' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/csv');
        expect(res.headers['content-disposition']).toContain('audit-log.csv');
        const lines = res.body.trimEnd().split('\r\n');
        expect(lines[0]).toBe('event_id,occurred_at,actor,actor_role,person_id,address,action,entity,entity_id,before,after,reason,detail');
        expect(lines).toHaveLength(3);
        expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""fix me"")"`);
        expect(lines[2]).toMatch(/^1,2024-03-01T09:00:00\.000Z,finance:P3,finance,P3,10\.0\.0\.3,approve,time_entry,E1,"\{""status"":""submitted""\}"/);
    });
});
