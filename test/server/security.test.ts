/**
 * What a browser may do with the server (server/plugins/security.ts), failed sign-ins (plugins/rate-limit.ts,
 * plugins/auth.ts), the headers of every answer, what /api/health tells whom, and the refusal to serve the
 * network in local mode (bin/commands/serve.ts).
 *
 * The attacks, as a page the person visits would mount them against a server on their workstation:
 *  - a form or fetch from https://evil.example posting a file to /api/ingest (a "simple" cross-site request:
 *    the browser sends it without asking, with `Origin: https://evil.example`);
 *  - DNS rebinding: evil.example made to resolve to 127.0.0.1, so the page's requests are same-origin to the
 *    browser but arrive with `Host: evil.example:<port>`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSettings } from '../../bin/commands/serve.ts';
import { buildApp } from '../../server/app.ts';
import { FailureLimiter } from '../../server/plugins/rate-limit.ts';
import { dashboardPolicy, inlineScriptHashes, isLoopbackHost, parseAllowedOrigins } from '../../server/plugins/security.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';

const TOKENS = {
    leadership: 'lead-token-0123456789abcdef',
    engineer: 'engi-token-0123456789abcdef',
};

let dir: string;
let warehouse: Warehouse;
let local: FastifyInstance;
let tokens: FastifyInstance;
let webDir: string;
const SHELL_SCRIPT = `\n            window.__boot = fetch('/api/session');\n        `;

beforeAll(async () => {
    dir = tempDir('realize-security-');
    warehouse = await Warehouse.open(path.join(dir, 'firm.duckdb'));
    const tokensFile = path.join(dir, 'tokens.json');
    fs.writeFileSync(
        tokensFile,
        JSON.stringify([
            { token: TOKENS.leadership, person_id: null, role: 'leadership' },
            { token: TOKENS.engineer, person_id: 'E1', role: 'engineer' },
        ]),
    );
    // A dashboard build of one shell page with an inline script, as SvelteKit's adapter-static writes it.
    webDir = path.join(dir, 'build');
    fs.mkdirSync(webDir);
    fs.writeFileSync(path.join(webDir, '200.html'), `<!doctype html><html><head><script>${SHELL_SCRIPT}</script><script type="module" src="/_app/x.js"></script></head><body></body></html>`);
    local = await buildApp({ warehouse, webDir });
    tokens = await buildApp({ warehouse, tokensFile, webDir });
});
afterAll(async () => {
    await local?.close();
    await tokens?.close();
    warehouse?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A multipart body with one canonical file, as the dashboard's upload form sends it. */
function upload(file: string): { payload: Buffer; headers: Record<string, string> } {
    const boundary = '----realize-test-boundary';
    const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`),
        fs.readFileSync(file),
        Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The status of GET /api/health sent over a real socket to address:port with the given Host header. */
function statusOn(address: string, port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
        http.get({ host: address, port, path: '/api/health', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
        }).on('error', reject);
    });
}

const batches = async () => (await warehouse.one<{ n: number }>(`select count(*)::integer as n from ingest.batches`))!.n;

describe('local mode: Host and Origin', () => {
    it('refuses a cross-site upload and loads nothing', async () => {
        const before = await batches();
        const { payload, headers } = upload(path.join(TINY, 'clients.csv'));
        const res = await local.inject({ method: 'POST', url: '/api/ingest', payload, headers: { ...headers, origin: 'https://evil.example' } });
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json()).toMatchObject({ status: 403, title: 'Cross-site request refused' });
        expect(res.json().detail).toContain('https://evil.example');
        expect(await batches()).toBe(before);
    });

    it('refuses a cross-site read too: every caller is leadership', async () => {
        const res = await local.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example' } });
        expect(res.statusCode).toBe(403);
        expect(res.json().title).toBe('Cross-site request refused');
        // An opaque origin (a sandboxed frame, a file:// page) is not this server's either.
        expect((await local.inject({ method: 'GET', url: '/api/health', headers: { origin: 'null' } })).statusCode).toBe(403);
    });

    it('answers its own origin and requests without one (CLI, curl)', async () => {
        expect((await local.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
        expect((await local.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://localhost' } })).statusCode).toBe(200);
        expect((await local.inject({ method: 'GET', url: '/api/health', headers: { host: '127.0.0.1:80', origin: 'http://127.0.0.1' } })).statusCode).toBe(200);
        // Same host, another port: another origin.
        expect((await local.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://localhost:8080' } })).statusCode).toBe(403);
    });

    it('refuses a request to another host name (DNS rebinding), whatever the route', async () => {
        for (const url of ['/api/health', '/api/me', '/', '/docs']) {
            const res = await local.inject({ method: 'GET', url, headers: { host: 'evil.example' } });
            expect(res.statusCode, url).toBe(403);
            expect(res.headers['content-type'], url).toContain('application/problem+json');
            expect(res.json().title).toBe('Host not allowed');
        }
        for (const host of ['localhost', '127.0.0.1', '[::1]', 'LOCALHOST:80']) {
            expect((await local.inject({ method: 'GET', url: '/api/health', headers: { host } })).statusCode, host).toBe(200);
        }
    });

    it('on a real socket, wants the port it listens on', async () => {
        const app = await buildApp({ warehouse });
        try {
            await app.listen({ port: 0, host: '127.0.0.1' });
            const port = (app.server.address() as { port: number }).port;
            const status = (host: string) => statusOn('127.0.0.1', port, host);
            expect(await status(`localhost:${port}`)).toBe(200);
            expect(await status(`127.0.0.1:${port}`)).toBe(200);
            expect(await status(`evil.example:${port}`)).toBe(403);
            expect(await status(`localhost:${port + 1}`)).toBe(403);
            expect(await status('localhost')).toBe(403);
        } finally {
            await app.close();
        }
        // Bound to another loopback address, the server is reached by that address.
        const other = await buildApp({ warehouse });
        try {
            await other.listen({ port: 0, host: '127.0.0.2' });
            const port = (other.server.address() as { port: number }).port;
            expect(await statusOn('127.0.0.2', port, `127.0.0.2:${port}`)).toBe(200);
            expect(await statusOn('127.0.0.2', port, `evil.example:${port}`)).toBe(403);
        } finally {
            await other.close();
        }
    });

    it('accepts the origins REALIZE_ALLOWED_ORIGINS names (a dev server or proxy in front), and their host', async () => {
        const app = await buildApp({ warehouse, allowedOrigins: parseAllowedOrigins('http://localhost:5173, https://realize.firm.example') });
        try {
            const dev = await app.inject({ method: 'PATCH', url: '/api/quotes/1', headers: { origin: 'http://localhost:5173' }, payload: { project_id: null } });
            expect(dev.json().title).not.toBe('Cross-site request refused');
            expect((await app.inject({ method: 'GET', url: '/api/health', headers: { host: 'realize.firm.example', origin: 'https://realize.firm.example' } })).statusCode).toBe(200);
            expect((await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://localhost:5174' } })).statusCode).toBe(403);
        } finally {
            await app.close();
        }
        expect(() => parseAllowedOrigins('realize.firm.example')).toThrow(/REALIZE_ALLOWED_ORIGINS: "realize.firm.example" is not an origin/);
        expect(() => parseAllowedOrigins('https://realize.firm.example/app')).toThrow(/not an origin/);
    });
});

describe('tokens mode: Origin on writes', () => {
    const lead = { authorization: `Bearer ${TOKENS.leadership}` };

    it('refuses a cross-site write (POST, PUT, PATCH, DELETE) before anything else', async () => {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
            const res = await tokens.inject({ method, url: '/api/quotes/1', headers: { ...lead, origin: 'https://evil.example' }, payload: { project_id: null } });
            expect(res.statusCode, method).toBe(403);
            expect(res.json().title, method).toBe('Cross-site request refused');
        }
        const before = await batches();
        const { payload, headers } = upload(path.join(TINY, 'clients.csv'));
        const res = await tokens.inject({ method: 'POST', url: '/api/ingest', payload, headers: { ...headers, ...lead, origin: 'https://evil.example' } });
        expect(res.statusCode).toBe(403);
        expect(await batches()).toBe(before);
    });

    it('lets a write from its own origin or with no Origin through to the route', async () => {
        for (const headers of [{ ...lead, origin: 'http://localhost' }, lead]) {
            const res = await tokens.inject({ method: 'PATCH', url: '/api/quotes/1', headers, payload: { project_id: null } });
            expect(res.json().title).not.toBe('Cross-site request refused');
        }
        // Behind a TLS proxy: Origin https://host, Host without a port.
        const res = await tokens.inject({ method: 'PATCH', url: '/api/quotes/1', headers: { ...lead, host: 'realize.firm.example', origin: 'https://realize.firm.example' }, payload: { project_id: null } });
        expect(res.json().title).not.toBe('Cross-site request refused');
    });

    it('does not check reads or Host: the token decides (a browser cannot read another site’s answers)', async () => {
        expect((await tokens.inject({ method: 'GET', url: '/api/health', headers: { ...lead, origin: 'https://evil.example' } })).statusCode).toBe(200);
        expect((await tokens.inject({ method: 'GET', url: '/api/health', headers: { host: 'realize.firm.example' } })).statusCode).toBe(200);
    });
});

describe('failed sign-ins', () => {
    it('answers 429 with Retry-After after 20 unknown tokens from one address, for any token, and only to that address', async () => {
        const app = await buildApp({ warehouse, tokensFile: path.join(dir, 'tokens.json') });
        try {
            const from = (remoteAddress: string, token: string) => app.inject({ method: 'GET', url: '/api/me', remoteAddress, headers: { authorization: `Bearer ${token}` } });
            for (let i = 0; i < 20; i++) {
                const res = await from('203.0.113.7', `guess-${i}-0123456789abcdef`);
                expect(res.statusCode).toBe(200); // /api/me answers anyone: signed_in false
                expect(res.json().signed_in).toBe(false);
            }
            const limited = await from('203.0.113.7', 'guess-20-0123456789abcdef');
            expect(limited.statusCode).toBe(429);
            expect(limited.headers['content-type']).toContain('application/problem+json');
            expect(limited.json().title).toBe('Too many failed sign-ins');
            const wait = Number(limited.headers['retry-after']);
            expect(wait).toBeGreaterThanOrEqual(1);
            expect(wait).toBeLessThanOrEqual(60);
            // A right guess now is not told apart from a wrong one.
            expect((await from('203.0.113.7', TOKENS.leadership)).statusCode).toBe(429);
            // Without a token the address is only anonymous; other addresses sign in as usual.
            expect((await app.inject({ method: 'GET', url: '/api/health', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
            expect((await from('203.0.113.8', TOKENS.leadership)).json()).toMatchObject({ signed_in: true, role: 'leadership' });
        } finally {
            await app.close();
        }
    });

    it('forgets an address when its window ends, and remembers a bounded number of addresses', () => {
        let now = 0;
        const limiter = new FailureLimiter({ limit: 3, windowMs: 60_000, maxAddresses: 1000, now: () => now });
        for (let i = 0; i < 3; i++) limiter.fail('a');
        expect(limiter.retryAfter('a')).toBe(60);
        now = 59_001;
        expect(limiter.retryAfter('a')).toBe(1);
        now = 60_000;
        expect(limiter.retryAfter('a')).toBe(0);
        expect(limiter.fail('a')).toBe(1);
        for (let i = 0; i < 50_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
        expect(limiter.size).toBe(1000);
    });
});

describe('headers', () => {
    it('every /api answer: no-store, nosniff, no framing, no referrer, a policy that renders nothing', async () => {
        for (const [app, url, status] of [
            [local, '/api/health', 200],
            [local, '/api/nothing-here', 404],
            [tokens, '/api/funnel', 401],
        ] as const) {
            const res = await app.inject({ method: 'GET', url });
            expect(res.statusCode, url).toBe(status);
            expect(res.headers['cache-control'], url).toBe('no-store');
            expect(res.headers['x-content-type-options'], url).toBe('nosniff');
            expect(res.headers['x-frame-options'], url).toBe('DENY');
            expect(res.headers['referrer-policy'], url).toBe('no-referrer');
            expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
        }
    });

    it('the dashboard: scripts from its own files and its inline scripts by hash; deep links get the same shell and policy', async () => {
        const hash = `'sha256-${createHash('sha256').update(SHELL_SCRIPT).digest('base64')}'`;
        expect(inlineScriptHashes(webDir)).toEqual([hash]);
        for (const url of ['/', '/clients?view=clients']) {
            const res = await local.inject({ method: 'GET', url });
            expect(res.statusCode, url).toBe(200);
            const csp = res.headers['content-security-policy'] as string;
            expect(csp).toBe(dashboardPolicy([hash]));
            expect(csp).toContain(`script-src 'self' ${hash};`);
            expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
            expect(csp).toContain("frame-ancestors 'none'");
            expect(res.headers['x-frame-options']).toBe('DENY');
            expect(res.headers['cache-control'] ?? '').not.toBe('no-store');
        }
    });

    it('/docs: its own policy (swagger-ui: script files only)', async () => {
        const res = await local.inject({ method: 'GET', url: '/docs' });
        expect(res.statusCode).toBe(200);
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toContain("script-src 'self';");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
});

describe('GET /api/health', () => {
    it('names the database file, never its folder, except to leadership signed in with a token', async () => {
        const file = path.join(dir, 'firm.duckdb');
        expect((await local.inject({ method: 'GET', url: '/api/health' })).json().warehouse).toBe('firm.duckdb');
        expect((await tokens.inject({ method: 'GET', url: '/api/health' })).json().warehouse).toBe('firm.duckdb');
        expect((await tokens.inject({ method: 'GET', url: '/api/health', headers: { authorization: `Bearer ${TOKENS.engineer}` } })).json().warehouse).toBe('firm.duckdb');
        expect((await tokens.inject({ method: 'GET', url: '/api/health', headers: { authorization: `Bearer ${TOKENS.leadership}` } })).json().warehouse).toBe(file);
    });
});

describe('serving the network', () => {
    it('knows a loopback address', () => {
        for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
        for (const h of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', 'example.com', '128.0.0.1', '']) expect(isLoopbackHost(h), h).toBe(false);
    });

    it('refuses a non-loopback bind without tokens, and says what to do', () => {
        expect(() => serverSettings({}, { HOST: '0.0.0.0' })).toThrow(/will not listen on 0\.0\.0\.0 without REALIZE_TOKENS_FILE/);
        expect(() => serverSettings({ host: '::' }, {})).toThrow(/REALIZE_TOKENS_FILE/);
        expect(serverSettings({}, {})).toMatchObject({ host: '127.0.0.1', port: 3000, tokensFile: undefined, allowedOrigins: [], logLevel: 'info' });
        expect(serverSettings({}, { HOST: '0.0.0.0', REALIZE_TOKENS_FILE: path.join(dir, 'tokens.json') })).toMatchObject({ host: '0.0.0.0' });
        expect(() => serverSettings({}, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL "loud" is not a level/);
    });

    it('`HOST=0.0.0.0 realize serve` exits with code 2 and that message, before opening the database', () => {
        const db = path.join(dir, 'not-a-database.duckdb');
        fs.writeFileSync(db, '');
        const env = { ...process.env, HOST: '0.0.0.0', REALIZE_TOKENS_FILE: '' };
        const run = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/realize.ts'), 'serve', '--db', db], { env, encoding: 'utf8', timeout: 60_000 });
        expect(run.status, run.stderr).toBe(2);
        expect(run.stderr).toContain('realize serve: will not listen on 0.0.0.0 without REALIZE_TOKENS_FILE');
        expect(fs.statSync(db).size).toBe(0);
    });
});
