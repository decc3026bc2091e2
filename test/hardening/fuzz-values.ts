/**
 * The fuzz's values (test/hardening/fuzz.test.ts): what makes each route's request valid on the tiny firm,
 * the status leadership gets for it, the odd values, bodies and headers drawn against it, the values each
 * parameter must refuse, and the routes probed lightly (heavy work, multipart uploads).
 */

import { PAGES } from '../../server/roles.ts';

/** The routes a dashboard page writes through: those it reads that are not GETs. */
const writesOf = (href: string): string[] => PAGES.find((p) => p.href === href)!.reads.filter((r) => !r.startsWith('GET '));

/** Values that make a request valid on the tiny firm (test/fixtures/tiny), by parameter name. */
export const VALID: Record<string, string> = {
    from: '2024-01-01',
    to: '2024-03-31',
    as_of: '2024-03-31',
    client_id: 'C1',
    project_id: 'PRJ1',
    person_id: 'P1',
    role: 'developer',
    phase: 'build',
    project_type: 'web_app',
    rule: 'missing_day',
    group_by: 'month',
    month: '2024-01-01',
    part: 'standard_value',
    page: '1',
    page_size: '10',
    order: 'desc',
    limit: '10',
    by: 'client',
    by_role: 'true',
    metric: 'realization',
    batch_id: '1',
    // No such account or token: their routes answer 404 after every check (BASELINE_STATUS).
    account_id: 'acc_000000000000',
    token_id: '0badc0de',
    // Well-formed, but no upload has it (BASELINE_STATUS): test/ingest/import/routes.test.ts runs real ones.
    upload_id: '0'.repeat(32),
    entry_id: 'E1',
    format: 'xero',
};

/**
 * Routes whose baseline request answers a 4xx on this firm after passing sign-in, roles and validation:
 * signing in and changing a password need accounts, which a firm in tokens mode has none of; the account and
 * token named do not exist.
 */
export const BASELINE_STATUS: Record<string, number> = {
    'POST /api/session/sign-in': 409,
    'POST /api/session/password': 409,
    'PATCH /api/admin/accounts/:account_id': 404,
    'POST /api/admin/accounts/:account_id/password': 404,
    'POST /api/admin/tokens/:token_id/revoke': 404,
    'POST /api/imports/uploads/:upload_id/run': 404,
    // Suggestions are their own person's: leadership's token names none (an engineer's and local mode's baselines pass).
    'GET /api/suggestions': 403,
    'POST /api/suggestions/calendar': 403,
    'POST /api/suggestions/git': 403,
    'POST /api/suggestions/:suggestion_id/confirm': 403,
    'POST /api/suggestions/:suggestion_id/dismiss': 403,
    'GET /api/suggestions/feed': 403,
    'PUT /api/suggestions/feed': 403,
    'DELETE /api/suggestions/feed': 403,
    'POST /api/suggestions/feed/refresh': 403,
    // Time is a person's: the fuzz's leadership names none (local mode's baselines name P1 and are served).
    'GET /api/time/options': 403,
    'GET /api/time/week': 403,
    'GET /api/time/timer': 403,
    'POST /api/time/entries': 403,
    'PATCH /api/time/entries/:entry_id': 403,
    'DELETE /api/time/entries/:entry_id': 403,
    'PUT /api/time/week': 403,
    'POST /api/time/week/copy': 403,
    'POST /api/time/week/submit': 403,
    'POST /api/time/week/withdraw': 403,
    'POST /api/time/timer/start': 403,
    'POST /api/time/timer/stop': 403,
    'DELETE /api/time/timer': 403,
    'POST /api/time/reopen': 403,
    // E1 is approved: a decision on it is a 409; no flag has this id.
    'POST /api/review/decisions': 409,
    'POST /api/review/flags/resolve': 404,
};

/** Suggestions' baselines name the tiny firm's P1 (local mode must name the person; P1's own token may). */
export const SUGGESTION_BASELINES: Record<string, { query?: Record<string, string>; body?: unknown }> = {
    'GET /api/suggestions': { query: { week: '2024-03-04', person_id: 'P1' } },
    'POST /api/suggestions/calendar': { body: { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR', from: '2024-03-01', to: '2024-03-31', person_id: 'P1' } },
    'POST /api/suggestions/git': { body: { repository: 'fuzz', log: '', person_id: 'P1' } },
    'POST /api/suggestions/:suggestion_id/confirm': { body: { person_id: 'P1' } },
    'POST /api/suggestions/:suggestion_id/dismiss': { body: { person_id: 'P1' } },
    'PUT /api/suggestions/rules': { body: { rules: [{ kind: 'domain', pattern: 'acme.example', client_id: 'C1' }] } },
    // A feed address nobody answers (a read fails in plain words, as the route says); its reads are not the fuzz's business.
    'GET /api/suggestions/feed': { query: { person_id: 'P1' } },
    'PUT /api/suggestions/feed': { body: { url: 'https://calendar.invalid/fuzz.ics', person_id: 'P1' } },
    'DELETE /api/suggestions/feed': { query: { person_id: 'P1' } },
    'POST /api/suggestions/feed/refresh': { body: { person_id: 'P1' } },
};

/** Baseline bodies of the account routes. The account made has no password, so the firm stays in tokens mode. */
export const BODIES: Record<string, unknown> = {
    'POST /api/session/sign-in': { email: 'p1@tiny.example', password: 'not the password' },
    'POST /api/session/password': { current_password: 'not the password', new_password: 'a long new password' },
    'POST /api/admin/accounts': { email: 'fuzz@tiny.example', role: 'engineer', person_id: 'P1' },
    'PATCH /api/admin/accounts/:account_id': { disabled: true },
    'POST /api/admin/accounts/:account_id/password': { password: 'a long new password' },
    'POST /api/admin/tokens': { role: 'engineer', person_id: 'P1', label: 'fuzz' },
    'POST /api/time/entries': { project_id: 'PRJ1', phase: 'build', activity: 'development', work_date: '2024-03-04', duration: '1', person_id: 'P1' },
    'PATCH /api/time/entries/:entry_id': { notes: 'fuzz' },
    'PUT /api/time/week': { week: '2024-03-04', rows: [{ project_id: 'PRJ1', phase: 'build', activity: 'qa', days: [null, null, null, null, null, null, '1'] }], person_id: 'P1' },
    'POST /api/time/week/copy': { week: '2024-03-11', person_id: 'P1' },
    'POST /api/time/week/submit': { week: '2024-03-04', person_id: 'P1' },
    'POST /api/time/week/withdraw': { week: '2024-03-04', person_id: 'P1' },
    'POST /api/time/timer/start': { project_id: 'PRJ1', phase: 'build', activity: 'development', person_id: 'P1' },
    'POST /api/time/timer/stop': { person_id: 'P1' },
    'POST /api/time/reopen': { entry_ids: ['E1'], reason: 'fuzz baseline' },
    'POST /api/review/decisions': { decision: 'approve', entry_ids: ['E1'] },
    'POST /api/review/flags/resolve': { flag_ids: ['missing_day:NOPE'], resolution: 'dismissed', reason: 'fuzz baseline' },
};

/**
 * Invoicing's routes act on one invoice each: the tiny firm's issued I1, or one of the drafts made in beforeAll
 * (a draft deleted, issued or changed by one route is not the one another route's baseline needs).
 */
export const INVOICE_BASELINES: Record<string, { params: Record<string, string>; body?: unknown }> = {
    'POST /api/invoices/runs': { params: {}, body: { from: '2024-01-01', to: '2024-01-31' } },
    'GET /api/invoices/:id': { params: { id: 'I1' } },
    'GET /api/invoices/:id/document.html': { params: { id: 'I1' } },
    'GET /api/invoices/:id/document.pdf': { params: { id: 'I1' } },
    'DELETE /api/invoices/:id': { params: { id: 'FZ-DELETE' } },
    'POST /api/invoices/:id/adjustments': { params: { id: 'FZ-ADJUST' }, body: { amount: -1, reason: 'goodwill' } },
    'DELETE /api/invoices/:id/lines/:line_no': { params: { id: 'FZ-LINE', line_no: '1' } },
    'POST /api/invoices/:id/issue': { params: { id: 'FZ-ISSUE' }, body: { issue_date: '2024-02-01' } },
    'POST /api/invoices/:id/credit-notes': { params: { id: 'I1' }, body: { amount: 1, reason: 'error', issue_date: '2024-03-01' } },
    'POST /api/invoices/:id/payments': { params: { id: 'FZ-PAY' }, body: { amount: 1, paid_date: '2024-03-01' } },
    'PUT /api/invoices/settings/firm': { params: {}, body: { date_format: 'DD/MM/YYYY' } },
    'PUT /api/invoices/settings/clients/:client_id': { params: { client_id: 'C1' }, body: { line_grouping: 'phase', rounding_minutes: 6, tax_rate: 0.2, payment_terms_days: 30 } },
    'POST /api/rates': { params: {}, body: { scope: 'role', role: 'developer', effective_from: '2024-06-01', hourly_rate: 110, currency: 'EUR' } },
    'POST /api/rates/end': { params: {}, body: { scope: 'role', role: 'project_manager', effective_from: '2024-01-01', effective_to: '2024-12-31' } },
    'POST /api/rates/cost': { params: {}, body: { person_id: 'P1', effective_from: '2024-06-01', hourly_cost: 60, currency: 'EUR' } },
};

/**
 * Odd values for a query or path parameter. The first group is tried on every parameter of every route for
 * leadership (the issue's probes: an int64 overflow, a negative, NaN, empty, a long string, a date with
 * trailing characters, a day for a month, a month 13, SQL, unicode, a NUL, an Object member's name); the
 * rest are drawn from.
 */
export const ALWAYS = [
    '1000000000000000',
    '-1',
    'NaN',
    '',
    'x'.repeat(10_000),
    '2025-02-3x',
    '2025-02-15',
    '2025-13-01',
    '1; drop table canonical.people; --',
    'ünïcødé ☃ 😀 \u202e',
    '\u0000',
    '1.5',
    'constructor',
];
export const DRAWN = [
    '-1000000000000000',
    '99999999999999999999999999',
    '0',
    'Infinity',
    '1e308',
    '0x10',
    ' 7',
    ' ',
    '2025-02-03x',
    '2025-02-30',
    '2025-2-3',
    '0000-00-00',
    '275760-09-14',
    "' or '1'='1",
    "PRJ1') or (1=1",
    '\r\nX-Injected: 1',
    '../../etc/passwd',
    'null',
    'true',
    '[]',
    '{}',
    '__proto__',
    'toString',
];
export const ODD = [...ALWAYS, ...DRAWN];

const BROKEN_DATES = ['2025-02-3x', '2025-02-03x', '2025-13-01', '2025-02-30', '2025-2-3', '0000-00-00', '275760-09-14', '', ' ', 'x'.repeat(10_000), 'NaN', '-1', '1.5'];
const NOT_WHOLE_NUMBERS = ['NaN', '1.5', '-1', 'Infinity', '1e308', '0x10', ' 7', '', ' ', '-1000000000000000', '99999999999999999999999999', 'x'.repeat(10_000), 'true', '[]'];
/**
 * Values a parameter must refuse — a 400 naming it — whoever may call the route: a date that is not a real
 * YYYY-MM-DD (every character of it), a month that is not a month, a count or page that is not a whole
 * number in range. Anything else odd may be answered (e.g. an unknown project: no rows), but never with a 5xx.
 */
export const MUST_REFUSE: Record<string, readonly string[]> = {
    from: BROKEN_DATES,
    to: BROKEN_DATES,
    as_of: BROKEN_DATES,
    month: [...BROKEN_DATES, '2025-02-15'],
    page: [...NOT_WHOLE_NUMBERS, '0', '1000000000000000'],
    page_size: [...NOT_WHOLE_NUMBERS, '0', '1000000000000000'],
    limit: [...NOT_WHOLE_NUMBERS, '0', '1000000000000000'],
    batch_id: [...NOT_WHOLE_NUMBERS, '0', '99999999999999999999999999'],
};

/** Query strings no client should send: malformed escapes, brackets, prototype keys, very many parameters. */
export const RAW_QUERIES = [
    '%ZZ=1',
    'from=%E0%A4%A',
    'from[]=2024-01-01',
    'from[a]=1',
    '&&&=&',
    'from',
    '__proto__[polluted]=1',
    'constructor[prototype][polluted]=1',
    Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join('&'),
];

/** Odd JSON values for a body property. */
export const ODD_JSON: unknown[] = [null, '', 'x'.repeat(10_000), -1, 0, 1e15, -1e15, 1.5, 1e308, true, [], {}, [null], 'NaN', "' or 1=1 --", 'ünïcødé ☃', '2025-02-3x'];

/** Whole bodies: wrong content types, broken or hostile JSON. */
export const ODD_BODIES: { type?: string; payload: string | Buffer }[] = [
    { type: 'application/json', payload: '' },
    { type: 'application/json', payload: '{' },
    { type: 'application/json', payload: 'null' },
    { type: 'application/json', payload: '[]' },
    { type: 'application/json', payload: '"text"' },
    { type: 'application/json', payload: '{"__proto__": {"polluted": 1}}' },
    { type: 'application/json', payload: '{"constructor": {"prototype": {"polluted": 1}}}' },
    { type: 'application/json', payload: '['.repeat(50_000) + ']'.repeat(50_000) },
    { type: 'application/json', payload: JSON.stringify({ lines: Array.from({ length: 100_000 }, () => ({ phase: 'build', role: 'developer', estimated_hours: 1 })) }) },
    { type: 'application/json; charset=utf-16', payload: Buffer.from('{"a":1}', 'utf16le') },
    { type: 'text/plain', payload: 'hello' },
    { type: 'application/xml', payload: '<a/>' },
    { type: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
    { type: 'multipart/form-data', payload: 'no boundary at all' },
    { type: 'multipart/form-data; boundary=x', payload: '--x\r\nbroken' },
    { type: 'application/octet-stream', payload: Buffer.from([0, 255, 1, 254, 0, 0]) },
    { type: undefined, payload: 'no content type' },
];

/** Headers worth trying on any route. */
export const ODD_HEADERS: Record<string, string>[] = [
    { accept: 'application/vnd.apache.arrow.stream' },
    { accept: 'text/csv' },
    { accept: '*/*;q=oops' },
    { origin: 'https://evil.example' },
    { host: 'evil.example' },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: `Bearer ${'x'.repeat(10_000)}` },
    { 'content-type': 'application/json' },
];

/** Parameters whose checks are relations: a 400 may name the other side. */
export const RELATED: Record<string, string[]> = { from: ['to', 'as_of'], to: ['from', 'as_of'], as_of: ['from', 'to', 'month'], month: ['as_of', 'from', 'to'], page: ['page_size'], page_size: ['page'] };

/**
 * Routes whose every 2xx does heavy work (a model build; finance's writes, each followed by a refresh of the
 * marts; printing a PDF): a few probes per caller. Their bodies are still probed property by property.
 */
export const EXPENSIVE = new Set([
    'POST /api/models/build',
    'POST /api/invoices/runs',
    'DELETE /api/invoices/:id',
    'POST /api/invoices/:id/adjustments',
    'DELETE /api/invoices/:id/lines/:line_no',
    'POST /api/invoices/:id/issue',
    'POST /api/invoices/:id/credit-notes',
    'POST /api/invoices/:id/payments',
    'GET /api/invoices/:id/document.pdf',
    'PUT /api/invoices/settings/firm',
    'PUT /api/invoices/settings/clients/:client_id',
    'POST /api/rates',
    'POST /api/rates/end',
    'POST /api/rates/cost',
    // Capture's writes (the timesheet's and the review's, as server/roles.ts lists their pages' routes), each
    // answered once the marts include it.
    ...writesOf('/time'),
    'POST /api/time/reopen',
    ...writesOf('/review'),
]);

/** Routes whose body is a multipart upload: test/hardening/uploads.test.ts probes their bodies. */
export const MULTIPART = new Set(['POST /api/ingest', 'POST /api/imports', 'POST /api/imports/uploads', 'POST /api/imports/billing']);

export const QUOTE: Record<string, unknown> = {
    project_type: 'integration',
    billing_model: 'fixed_fee',
    target_margin: 0.3,
    confidence: 0.8,
    lines: [{ phase: 'build', role: 'developer', estimated_hours: 80 }],
    save: false,
    simulations: 500,
    seed: 1,
};
