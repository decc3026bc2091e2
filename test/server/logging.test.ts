/**
 * What the server records (server/plugins/logging.ts, plugins/problem.ts, plugins/auth.ts actorOf): a JSON
 * line per request with no credential in it, every 500 with its stack, the level it is told; and who made
 * each change of a saved quote (migration 005: created_by, and links, every link and unlink in order), on the
 * closed projects of test/fixtures/estimation-closed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { actorOf, tokenId } from '../../server/plugins/auth.ts';
import { logLevel, type LoggingOptions } from '../../server/plugins/logging.ts';
import { applyMigrations, MIGRATIONS_DIR } from '../../warehouse/migrate.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';

const SECRET_TOKEN = 'lead-token-must-never-be-logged';
const SECRET_COOKIE = 'cookie-value-must-never-be-logged';

/** An app whose log lines land in `lines`, with a route that fails as a bug would. */
async function loggedApp(warehouse: Warehouse, options: Omit<LoggingOptions, 'stream'> & { tokensFile?: string } = {}) {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const stream = {
        write(line: string) {
            raw.push(line);
            lines.push(JSON.parse(line) as Record<string, unknown>);
        },
    };
    const app = await buildApp({ warehouse, tokensFile: options.tokensFile, logger: { level: options.level, stream } });
    app.get('/api/fails', async () => {
        throw new TypeError('the figure could not be computed');
    });
    return { app, lines, raw };
}

let dir: string;
let warehouse: Warehouse;
let tokensFile: string;
const TOKENS = { sales: 'sales-token-0123456789abcdef', leadership: 'lead-token-0123456789abcdef' };

beforeAll(async () => {
    dir = tempDir('realize-logging-');
    warehouse = await buildFixture('test/fixtures/estimation-closed');
    tokensFile = path.join(dir, 'tokens.json');
    fs.writeFileSync(
        tokensFile,
        JSON.stringify([
            { token: TOKENS.sales, person_id: 'P3', role: 'sales' },
            { token: TOKENS.leadership, person_id: null, role: 'leadership' },
            { token: SECRET_TOKEN, person_id: null, role: 'leadership' },
        ]),
    );
});
afterAll(() => {
    warehouse?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the request log', () => {
    let app: FastifyInstance;
    afterAll(async () => app?.close());

    it('writes one JSON line per request, with who asked and no credential', async () => {
        const logged = await loggedApp(warehouse, { tokensFile });
        app = logged.app;
        const res = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${SECRET_TOKEN}`, cookie: `session=${SECRET_COOKIE}`, 'user-agent': 'probe/1.0' } });
        expect(res.statusCode).toBe(200);
        const requests = logged.lines.filter((l) => l.msg === 'request completed');
        expect(requests).toHaveLength(1);
        const line = requests[0] as { level: number; req: { method: string; url: string; headers: Record<string, string> }; res: { statusCode: number }; responseTime: number; caller: string };
        expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: '/api/me' }, res: { statusCode: 200 }, caller: `leadership:token-${tokenId(SECRET_TOKEN)}` });
        expect(line.responseTime).toBeGreaterThanOrEqual(0);
        expect(line.req.headers['user-agent']).toBe('probe/1.0');
        expect(line.req.headers.authorization).toBe('[redacted]');
        expect(line.req.headers.cookie).toBe('[redacted]');
        for (const text of logged.raw) {
            expect(text).not.toContain(SECRET_TOKEN);
            expect(text).not.toContain(SECRET_COOKIE);
        }
    });

    it('logs a 500 at error level with its stack; the answer says only that it failed', async () => {
        const logged = await loggedApp(warehouse);
        try {
            const res = await logged.app.inject({ method: 'GET', url: '/api/fails', headers: { authorization: `Bearer ${SECRET_TOKEN}` } });
            expect(res.statusCode).toBe(500);
            expect(res.headers['content-type']).toContain('application/problem+json');
            expect(res.body).not.toContain('could not be computed');
            const error = logged.lines.find((l) => l.level === 50) as { msg: string; err: { type: string; message: string; stack: string }; req: { url: string; headers: Record<string, string> } };
            expect(error).toBeDefined();
            expect(error.msg).toContain('the figure could not be computed');
            expect(error.err).toMatchObject({ type: 'TypeError', message: 'the figure could not be computed' });
            expect(error.err.stack).toContain('logging.test.ts');
            expect(error.req.url).toBe('/api/fails');
            expect(error.req.headers.authorization).toBe('[redacted]');
            expect(logged.lines.find((l) => l.msg === 'request completed')).toMatchObject({ res: { statusCode: 500 }, caller: 'local' });
            expect(logged.raw.join('')).not.toContain(SECRET_TOKEN);
        } finally {
            await logged.app.close();
        }
    });

    it('logs at the level it is given: warn keeps errors and drops the request lines', async () => {
        const logged = await loggedApp(warehouse, { level: 'warn' });
        try {
            await logged.app.inject({ method: 'GET', url: '/api/health' });
            await logged.app.inject({ method: 'GET', url: '/api/fails' });
            expect(logged.lines.map((l) => l.level)).toEqual([50]);
        } finally {
            await logged.app.close();
        }
        expect(logLevel(undefined)).toBe('info');
        expect(logLevel('DEBUG')).toBe('debug');
        expect(() => logLevel('verbose')).toThrow('LOG_LEVEL "verbose" is not a level; one of fatal, error, warn, info, debug, trace, silent');
    });

    it('records a burst of unknown tokens: each request, and a warning when the address is made to wait', async () => {
        const logged = await loggedApp(warehouse, { tokensFile });
        try {
            for (let i = 0; i < 22; i++) await logged.app.inject({ method: 'GET', url: '/api/funnel', remoteAddress: '198.51.100.4', headers: { authorization: `Bearer wrong-${i}-0123456789abcdef` } });
            const statuses = logged.lines.filter((l) => l.msg === 'request completed').map((l) => (l.res as { statusCode: number }).statusCode);
            expect(statuses).toEqual([...Array<number>(20).fill(401), 429, 429]);
            expect(logged.lines.filter((l) => l.level === 40)).toMatchObject([{ address: '198.51.100.4', failures: 20 }]);
        } finally {
            await logged.app.close();
        }
    });
});

describe('who changed a saved quote', () => {
    const quote = {
        project_type: 'web_app',
        billing_model: 'time_and_materials',
        target_margin: 0.3,
        confidence: 0.8,
        lines: [{ phase: 'build', role: 'developer', estimated_hours: 20 }],
        simulations: 500,
        seed: 1,
    };

    it('records the caller who saved it and every link and unlink, in order', async () => {
        const app = await buildApp({ warehouse, tokensFile });
        try {
            const as = (token: string) => ({ authorization: `Bearer ${token}` });
            const saved = await app.inject({ method: 'POST', url: '/api/quotes', headers: as(TOKENS.sales), payload: quote });
            expect(saved.statusCode, saved.body).toBe(200);
            const id = saved.json().quote_id as number;
            const linked = await app.inject({ method: 'PATCH', url: `/api/quotes/${id}`, headers: as(TOKENS.leadership), payload: { project_id: 'W4' } });
            expect(linked.statusCode, linked.body).toBe(200);
            expect(linked.json()).toMatchObject({ project_id: 'W4', created_by: 'sales:P3' });
            expect((await app.inject({ method: 'PATCH', url: `/api/quotes/${id}`, headers: as(TOKENS.sales), payload: { project_id: null } })).statusCode).toBe(200);
            // A refused change records nothing.
            expect((await app.inject({ method: 'PATCH', url: `/api/quotes/${id}`, headers: as(TOKENS.sales), payload: { project_id: 'NOPE' } })).statusCode).toBe(400);

            const got = await app.inject({ method: 'GET', url: `/api/quotes/${id}`, headers: as(TOKENS.sales) });
            expect(got.statusCode).toBe(200);
            expect(got.json().created_by).toBe('sales:P3');
            const links = await warehouse.all<{ changed_at: string; changed_by: string; project_id: string | null }>(
                `select l.changed_at::varchar as changed_at, l.changed_by, l.project_id from (select unnest(links) as l from quotes.quotes where quote_id = $id)`,
                { id },
            );
            expect(links.map(({ changed_by, project_id }) => ({ changed_by, project_id }))).toEqual([
                { changed_by: `leadership:token-${tokenId(TOKENS.leadership)}`, project_id: 'W4' },
                { changed_by: 'sales:P3', project_id: null },
            ]);
            expect(links[0]!.changed_at <= links[1]!.changed_at).toBe(true);
            const listed = await app.inject({ method: 'GET', url: '/api/quotes', headers: as(TOKENS.sales) });
            expect(listed.json().rows.find((r: { quote_id: number }) => r.quote_id === id)).toMatchObject({ created_by: 'sales:P3' });
        } finally {
            await app.close();
        }
    });

    it('in local mode the caller is "local"', async () => {
        const app = await buildApp({ warehouse });
        try {
            const saved = await app.inject({ method: 'POST', url: '/api/quotes', payload: quote });
            const id = saved.json().quote_id as number;
            expect((await app.inject({ method: 'PATCH', url: `/api/quotes/${id}`, payload: { project_id: 'W4' } })).json()).toMatchObject({ created_by: 'local' });
            expect(await warehouse.one(`select created_by, list_transform(links, l -> l.changed_by) as by from quotes.quotes where quote_id = $id`, { id })).toEqual({
                created_by: 'local',
                by: ['local'],
            });
        } finally {
            await app.close();
        }
    });

    it('names callers without keeping their token', () => {
        expect(actorOf({ role: 'leadership', person_id: null })).toBe('local');
        expect(actorOf({ role: 'engineer', person_id: 'E1', token_id: 'abcd1234' })).toBe('engineer:E1');
        expect(actorOf({ role: 'finance', person_id: null, token_id: tokenId('finance-token-0123456789') })).toBe(`finance:token-${tokenId('finance-token-0123456789')}`);
        expect(actorOf(null)).toBe('anonymous');
        expect(tokenId('finance-token-0123456789')).toMatch(/^[0-9a-f]{8}$/);
    });

    it('a database with quotes saved before the change keeps them: no creator, no links, and links them from then on', async () => {
        const before = path.join(dir, 'migrations-003');
        fs.mkdirSync(before);
        for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => Number(f.slice(0, 3)) <= 3)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(before, f));
        const old = await Warehouse.open(':memory:', { migrate: false });
        try {
            await applyMigrations(old, before);
            await old.run(
                `insert into quotes.quotes (project_type, billing_model, target_margin, confidence, as_of, currency, inputs, result) values ('web_app', 'fixed_fee', 0.3, 0.8, '2024-06-30', 'EUR', '{}', '{}')`,
            );
            expect(await applyMigrations(old)).toContain(5);
            expect(await old.one(`select created_by, links from quotes.quotes`)).toEqual({ created_by: null, links: [] });
        } finally {
            old.close();
        }
    });
});
