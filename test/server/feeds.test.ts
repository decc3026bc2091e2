/**
 * Calendar feeds through the API, on the tiny firm, read from a local HTTP server (the app is started with
 * feeds.allowPrivate, as tests and local mode are; a read is cut off after 1 s here instead of 10 s).
 *
 * Rule: attendee domain acme.com → client C1 (its only active project PRJ1). Ada's feed, dated relative to
 * today (a read covers the 92 days to today, and only meetings that are over count):
 *   f-acme    3 days ago 10:00–11:00 UTC with bob@acme.com      → PRJ1, 3600 s
 *   f-intern  3 days ago 14:00–14:20 with grace@tiny.example    → no project, 1200 s
 *   f-stand   2 days ago 09:00–09:15 with grace@tiny.example    → no project, 900 s
 * Then the calendar changes: f-acme moves to 11:00–12:00 (a new occurrence: the old pending suggestion is
 * withdrawn, a new one made), f-intern (dismissed by Ada before) is deleted, f-stand is cancelled (withdrawn).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { TINY_TOKENS, tinyFiles } from '../helpers/fixtures.ts';
import { servedFirm, type ServedFirm } from '../helpers/server.ts';

const FILES = tinyFiles();
const TOKENS = TINY_TOKENS;
const [ADA, GRACE, LEAD, ADMIN] = TOKENS.map((t) => t.token) as [string, string, string, string];
/** The part of the address a private calendar link keeps secret. */
const SECRET = 'private-9f8e7d6c5b4a';

const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
const event = (uid: string, summary: string, daysAgo: number, start: string, end: string, other: string, extra: string[] = []) =>
    ['BEGIN:VEVENT', `UID:${uid}`, `SUMMARY:${summary}`, `DTSTART:${day(daysAgo)}T${start}00Z`, `DTEND:${day(daysAgo)}T${end}00Z`, 'ATTENDEE:mailto:ada@tiny.example', `ATTENDEE:mailto:${other}`, ...extra, 'END:VEVENT'];
const calendar = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR'].join('\r\n');
const FIRST = calendar(
    event('f-acme', 'Acme portal review', 3, '1000', '1100', 'bob@acme.com'),
    event('f-intern', 'One to one', 3, '1400', '1420', 'grace@tiny.example'),
    event('f-stand', 'Standup', 2, '0900', '0915', 'grace@tiny.example'),
);
const CHANGED = calendar(
    event('f-acme', 'Acme portal review', 3, '1100', '1200', 'bob@acme.com'),
    event('f-stand', 'Standup', 2, '0900', '0915', 'grace@tiny.example', ['STATUS:CANCELLED']),
);

let served = FIRST;
let feedServer: http.Server;
let base: string;
let firm: ServedFirm;

beforeAll(async () => {
    feedServer = http.createServer((req, res) => {
        if (req.url === `/${SECRET}/basic.ics`) return void res.writeHead(200, { 'content-type': 'text/calendar' }).end(served);
        if (req.url === '/moved.ics') return void res.writeHead(302, { location: `/${SECRET}/basic.ics` }).end();
        if (req.url === '/loop.ics') return void res.writeHead(302, { location: '/loop.ics' }).end();
        if (req.url === '/big.ics') {
            // No Content-Length: the size is counted as it arrives. 6 MB, over the 5 MB bound.
            res.writeHead(200, { 'content-type': 'text/calendar' });
            const chunk = 'X'.repeat(1024 * 1024);
            for (let i = 0; i < 6; i++) res.write(chunk);
            return void res.end();
        }
        if (req.url === '/slow.ics') return void res.writeHead(200, { 'content-type': 'text/calendar' }).write('BEGIN:VCALENDAR\r\n');
        if (req.url === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
        res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    firm = await servedFirm('feeds', FILES, TOKENS, { feeds: { allowPrivate: true, timeoutMs: 1000 } });
    const rules = await send(LEAD, 'PUT', 'suggestions/rules', { rules: [{ kind: 'domain', pattern: 'acme.com', client_id: 'C1' }] });
    expect(rules.status).toBe(200);
});
afterAll(async () => {
    await firm?.close();
    feedServer?.closeAllConnections();
    await new Promise((resolve) => feedServer?.close(resolve));
});

const send = async (token: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const app = token ? firm.app : firm.local;
    const res = await app.inject({ method, url: `/api/${url}`, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json() as any, text: res.body };
};
const save = (token: string, url: string, extra: object = {}) => send(token, 'PUT', 'suggestions/feed', { url, time_zone: 'UTC', ...extra });
const refresh = (token: string, body: object = {}) => send(token, 'POST', 'suggestions/feed/refresh', body);
const adaSuggestions = () =>
    firm.warehouse.all<{ source_key: string; status: string; seconds: number; project_id: string | null }>(
        `select source_key, status, seconds, project_id from suggest.suggestions where person_id = 'P1' order by source_key`,
    );

describe('saving a feed', () => {
    it('is the person’s own, and its address is answered to no one, masked for everyone', async () => {
        const res = await save(ADA, `${base}/${SECRET}/basic.ics`);
        expect(res.status).toBe(200);
        expect(res.body.feed).toMatchObject({ person_id: 'P1', url_masked: `http://${base.slice(7)}/….ics`, time_zone: 'UTC', last_attempt_at: null, last_error: null });
        expect(res.text).not.toContain(SECRET);
        const own = await send(ADA, 'GET', 'suggestions/feed');
        expect([own.status, own.body.feed.url_masked]).toEqual([200, res.body.feed.url_masked]);
        expect(own.text).not.toContain(SECRET);
        // Grace (another engineer's manager) and leadership may neither read it nor set it.
        expect((await send(GRACE, 'GET', 'suggestions/feed?person_id=P1')).status).toBe(403);
        expect((await save(GRACE, `${base}/other.ics`, { person_id: 'P1' })).status).toBe(403);
        expect((await send(LEAD, 'GET', 'suggestions/feed')).status).toBe(403);
        expect((await send(GRACE, 'GET', 'suggestions/feed')).body).toEqual({ feed: null });
        // An admin sees it for Ada, masked too.
        const admin = await send(ADMIN, 'GET', 'suggestions/feed?person_id=P1');
        expect([admin.status, admin.body.feed.url_masked]).toEqual([200, res.body.feed.url_masked]);
        expect(admin.text).not.toContain(SECRET);
        // The audit log records the change with the address masked.
        const audit = await firm.warehouse.all<{ action: string; actor: string; after: string }>(`select action, actor, after::varchar as after from audit.events where entity = 'calendar_feed'`);
        expect(audit.map((a) => [a.action, a.actor])).toEqual([['create', 'engineer:P1']]);
        expect(audit[0]!.after).not.toContain(SECRET);
    });

    it('refuses what is not an https address, naming the field', async () => {
        const ftp = await save(ADA, 'ftp://calendar.example/a.ics');
        expect([ftp.status, ftp.body.parameter]).toEqual([400, 'url']);
        const plain = await save(ADA, 'http://calendar.example/a.ics');
        expect([plain.status, plain.body.parameter, plain.body.detail]).toEqual([400, 'url', 'url must be https:// (or webcal://): a calendar link is a secret, and http:// would send it in the clear']);
        expect((await save(ADA, 'not a link')).status).toBe(400);
    });
});

describe('reading a feed', () => {
    it('makes suggestions as an uploaded calendar does, and reading it again changes nothing', async () => {
        const first = await refresh(ADA);
        expect(first.status).toBe(200);
        expect([first.body.ok, first.body.report.created, first.body.report.unchanged]).toEqual([true, 3, 0]);
        expect(first.body.feed.last_error).toBeNull();
        expect(first.body.feed.last_counts).toMatchObject({ read: 3, created: 3 });
        const again = await refresh(ADA);
        expect([again.body.report.created, again.body.report.updated, again.body.report.unchanged, again.body.report.withdrawn]).toEqual([0, 0, 3, 0]);
        const rows = await adaSuggestions();
        expect(rows.map((r) => [r.status, r.seconds, r.project_id])).toEqual([
            ['suggested', 3600, 'PRJ1'],
            ['suggested', 1200, null],
            ['suggested', 900, null],
        ]);
        // The very same path as an upload: uploading the same calendar as a file adds nothing.
        const upload = await send(ADA, 'POST', 'suggestions/calendar', { ics: FIRST });
        expect([upload.body.created, upload.body.unchanged]).toEqual([0, 3]);
        const audit = await firm.warehouse.all<{ action: string; detail: string }>(`select action, detail from audit.events where entity = 'suggestions' order by event_id`);
        expect(audit.map((a) => a.action)).toEqual(['refresh', 'refresh', 'upload']);
        expect(audit.map((a) => a.detail).join(' ')).not.toContain(SECRET);
    });

    it('follows a moved and a cancelled event; a dismissed suggestion stays dismissed', async () => {
        const intern = (await adaSuggestions()).find((r) => r.source_key.startsWith('f-intern@'))!;
        const id = (await firm.warehouse.one<{ suggestion_id: string }>(`select suggestion_id from suggest.suggestions where source_key = $1`, [intern.source_key]))!.suggestion_id;
        expect((await send(ADA, 'POST', `suggestions/${id}/dismiss`, {})).status).toBe(200);
        served = CHANGED;
        const res = await refresh(ADA);
        expect([res.body.ok, res.body.report.created, res.body.report.updated, res.body.report.withdrawn]).toEqual([true, 1, 0, 2]);
        const rows = await adaSuggestions();
        expect(rows.map((r) => [r.source_key.split('@')[0], r.status, r.seconds])).toEqual([
            ['f-acme', 'suggested', 3600],
            ['f-intern', 'dismissed', 1200],
        ]);
        expect(rows[0]!.source_key).toContain('T11:00:00');
    });

    it('records a failure on the feed in plain words and loses nothing', async () => {
        const before = await adaSuggestions();
        const lastSuccess = (await send(ADA, 'GET', 'suggestions/feed')).body.feed.last_success_at;
        const cases: [string, RegExp][] = [
            ['/gone.ics', /^127\.0\.0\.1:\d+ has no calendar at this address \(404 Not Found\)/],
            ['/big.ics', /^the calendar is larger than 5 MB: it was not read/],
            ['/slow.ics', /^127\.0\.0\.1:\d+ did not answer within 1 s$/],
            ['/loop.ics', /redirected more than 3 times$/],
            ['/page.html', /not a calendar \(no BEGIN:VCALENDAR\)/],
        ];
        for (const [where, reason] of cases) {
            expect((await save(ADA, `${base}${where}`)).status).toBe(200);
            const res = await refresh(ADA);
            expect([res.status, res.body.ok, res.body.report]).toEqual([200, false, null]);
            expect(res.body.feed.last_error).toMatch(reason);
            const shown = await send(ADA, 'GET', 'suggestions/feed');
            expect(shown.body.feed.last_error).toMatch(reason);
            expect(shown.body.feed.last_attempt_at).not.toBeNull();
        }
        expect(await adaSuggestions()).toEqual(before);
        // A redirect to the calendar is followed; success clears the error.
        expect((await save(ADA, `${base}/moved.ics`)).status).toBe(200);
        const back = await refresh(ADA);
        expect([back.body.ok, back.body.feed.last_error, back.body.report.unchanged]).toEqual([true, null, 1]);
        expect(back.body.feed.last_success_at >= lastSuccess).toBe(true);
    });

    it('is read by the schedule once its last read is 15 minutes old', async () => {
        const now = Date.now();
        expect(await firm.app.feeds.tick(now)).toEqual([]);
        expect(await firm.app.feeds.tick(now + 16 * 60_000)).toEqual(['P1']);
        const last = await firm.warehouse.one<{ actor: string }>(`select actor from audit.events where entity = 'suggestions' order by event_id desc limit 1`);
        expect(last!.actor).toBe('schedule:calendar-feeds');
    });

    it('without a saved feed there is nothing to read; removing one keeps its suggestions', async () => {
        const none = await refresh(GRACE);
        expect([none.status, none.body.parameter]).toEqual([404, 'person_id']);
        const before = await adaSuggestions();
        expect((await send(ADA, 'DELETE', 'suggestions/feed')).status).toBe(200);
        expect((await send(ADA, 'GET', 'suggestions/feed')).body).toEqual({ feed: null });
        expect(await adaSuggestions()).toEqual(before);
    });
});

describe('outside local mode and tests', () => {
    it('refuses loopback and private addresses', async () => {
        const strict = await servedFirm('feeds-strict', FILES, TOKENS);
        try {
            for (const url of [`${base}/${SECRET}/basic.ics`, 'https://127.0.0.1/a.ics', 'https://10.1.2.3/a.ics', 'https://[::1]/a.ics', 'https://169.254.169.254/latest', 'webcal://localhost/a.ics']) {
                const res = await strict.app.inject({ method: 'PUT', url: '/api/suggestions/feed', headers: { authorization: `Bearer ${ADA}` }, payload: { url } });
                expect([url, res.statusCode, res.json().parameter]).toEqual([url, 400, 'url']);
            }
        } finally {
            await strict.close();
        }
    });
});

describe('the server’s log', () => {
    it('never holds a feed’s address, whether its read succeeds or fails', async () => {
        const raw: string[] = [];
        const app = await buildApp({
            warehouse: firm.warehouse,
            tokensFile: path.join(firm.dir, 'tokens.json'),
            logger: { level: 'debug', stream: { write: (line: string) => void raw.push(line) } },
            feeds: { allowPrivate: true, timeoutMs: 1000 },
        });
        try {
            const call = (method: 'PUT' | 'POST' | 'GET', url: string, payload?: object) =>
                app.inject({ method, url: `/api/${url}`, headers: { authorization: `Bearer ${ADA}` }, ...(payload ? { payload } : {}) });
            served = FIRST;
            expect((await call('PUT', 'suggestions/feed', { url: `${base}/${SECRET}/basic.ics` })).statusCode).toBe(200);
            expect((await call('POST', 'suggestions/feed/refresh', {})).json().ok).toBe(true);
            expect((await call('PUT', 'suggestions/feed', { url: `${base}/${SECRET}/missing.ics` })).statusCode).toBe(200);
            expect((await call('POST', 'suggestions/feed/refresh', {})).json().ok).toBe(false);
            expect((await call('GET', 'suggestions/feed')).statusCode).toBe(200);
            expect(raw.length).toBeGreaterThanOrEqual(5);
            expect(raw.join('\n')).not.toContain(SECRET);
        } finally {
            await app.close();
        }
    });
});
