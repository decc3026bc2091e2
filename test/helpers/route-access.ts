/**
 * The firm every route's access is checked over (test/server/route-access*.test.ts), as_of 2024-03-31: two
 * project managers, M1 and M2, each with a fixed-fee project (FIX, active, budgeted), a retainer (RET) and a
 * closed fixed-fee project with a baseline plan (CLS, the reference class of quotes); an internal project
 * without a manager; a saved quote linked to each manager's closed project. E1 logs time on every client
 * project, so M1's people include someone who also works for M2. Project ids carry their manager (PRJ-M2-…).
 * With it: a token per role, and every route Fastify serves with the calls that check it and who is answered.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../../server/plugins/auth.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { fixtureFiles } from './fixtures.ts';
import { servedFirm, type ServedFirm } from './server.ts';

/** The firm's canonical files, hand-made in test/fixtures/route-access. */
const FILES = fixtureFiles(path.resolve(import.meta.dirname, '../fixtures/route-access'));

export type Caller = Role | 'local' | 'anonymous';
export const CALLERS: readonly Caller[] = ['leadership', 'finance', 'project_manager', 'engineer', 'sales', 'admin', 'local', 'anonymous'];
export const TOKENS: Record<Role, { token: string; person_id: string }> = {
    leadership: { token: 'scope-leadership-token', person_id: 'X1' },
    finance: { token: 'scope-finance-token-00', person_id: 'F1' },
    project_manager: { token: 'scope-manager-1-token', person_id: 'M1' },
    engineer: { token: 'scope-engineer-token-0', person_id: 'E1' },
    sales: { token: 'scope-sales-token-0000', person_id: 'S1' },
    admin: { token: 'scope-admin-token-0000', person_id: 'X1' },
};

/** One manager's projects and the saved quote linked to their closed one. */
export interface Projects {
    manager: string;
    fixed: string;
    retainer: string;
    closed: string;
    quote: number;
}

export interface Call {
    method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: (p: Projects) => string;
    body?: (p: Projects) => unknown;
    /** Who is answered; the others get a 403 (anonymous a 401). */
    roles: readonly Role[] | 'anyone';
    /**
     * What the answer tells of projects:
     *  - none: nothing of any project (labels, definitions, who is calling);
     *  - firm: figures over many projects that single none out (aggregates by type, the backtest), or the
     *    firm's data quality: the same for every role answered;
     *  - project: about project p (in the URL): a project manager gets their own exactly as leadership does,
     *    and another's is a 403 or an answer without a figure of it;
     *  - list: rows of many projects: a project manager's name theirs only.
     */
    projects: 'none' | 'firm' | 'project' | 'list';
    /** Writes that change the firm (a load, a rebuild): only the refusals are checked. */
    refusalsOnly?: boolean;
    /** The status of an answer (default 200). */
    status?: number;
}

// An admin sees everything leadership sees (server/roles.ts), and manages accounts; finance reads the audit log too.
export const ANALYSTS: readonly Role[] = ['leadership', 'finance', 'project_manager', 'admin'];
export const MONEY: readonly Role[] = ['leadership', 'finance', 'admin'];
export const QUOTING: readonly Role[] = ['leadership', 'finance', 'project_manager', 'sales', 'admin'];
export const REVIEW: readonly Role[] = ['leadership', 'project_manager', 'admin'];
export const ADMIN: readonly Role[] = ['admin'];
export const AUDIT: readonly Role[] = ['admin', 'finance'];
export const RULES: readonly Role[] = ['leadership', 'admin'];
export const EVERY_ROLE: readonly Role[] = ['leadership', 'finance', 'project_manager', 'engineer', 'sales', 'admin'];
export const PERIOD = 'from=2024-01-01&to=2024-03-31';

/** Every route Fastify serves, as "METHOD path", and the calls that check it. */
export const ROUTES: Record<string, Call[]> = {
    'GET /docs': [{ url: () => '/docs', roles: 'anyone', projects: 'none' }],
    'GET /docs/': [{ url: () => '/docs/', roles: 'anyone', projects: 'none' }],
    'GET /docs/static/index.html': [{ url: () => '/docs/static/index.html', roles: 'anyone', projects: 'none', status: 302 }],
    'GET /docs/static/swagger-initializer.js': [{ url: () => '/docs/static/swagger-initializer.js', roles: 'anyone', projects: 'none' }],
    'GET /docs/*': [{ url: () => '/docs/static/swagger-ui.css', roles: 'anyone', projects: 'none' }],
    'GET /docs/json': [{ url: () => '/docs/json', roles: 'anyone', projects: 'none' }],
    'GET /docs/yaml': [{ url: () => '/docs/yaml', roles: 'anyone', projects: 'none' }],
    'GET /api/health': [{ url: () => '/api/health', roles: 'anyone', projects: 'none' }],
    'GET /api/me': [{ url: () => '/api/me', roles: 'anyone', projects: 'none' }],
    'GET /api/definitions': [{ url: () => '/api/definitions', roles: EVERY_ROLE, projects: 'none' }],
    // The labels of every project go to everyone; their terms are checked on their own below.
    'GET /api/dimensions': [{ url: () => '/api/dimensions', roles: EVERY_ROLE, projects: 'none' }],
    'GET /api/session': [{ url: () => '/api/session', roles: 'anyone', projects: 'none' }],
    'GET /api/funnel': [
        { url: (p) => `/api/funnel?project_id=${p.fixed}`, roles: MONEY, projects: 'project' },
        { url: () => `/api/funnel?${PERIOD}`, roles: MONEY, projects: 'firm' },
    ],
    'GET /api/funnel/breakdown': [{ url: () => `/api/funnel/breakdown?by=project&${PERIOD}`, roles: MONEY, projects: 'list' }],
    'GET /api/realization': [{ url: (p) => `/api/realization?project_id=${p.fixed}`, roles: MONEY, projects: 'project' }],
    'GET /api/margin': [{ url: () => '/api/margin?group_by=project', roles: MONEY, projects: 'list' }],
    'GET /api/retainers': [
        { url: (p) => `/api/retainers?project_id=${p.retainer}&group_by=month`, roles: ANALYSTS, projects: 'project' },
        { url: () => '/api/retainers?group_by=project', roles: ANALYSTS, projects: 'list' },
    ],
    'GET /api/utilization': [{ url: () => `/api/utilization?group_by=role&${PERIOD}`, roles: ANALYSTS, projects: 'firm' }],
    'GET /api/utilization/by-department': [{ url: () => `/api/utilization/by-department?group_by=none&${PERIOD}`, roles: ANALYSTS, projects: 'firm' }],
    'GET /api/logging-latency': [{ url: () => `/api/logging-latency?group_by=role&${PERIOD}`, roles: ANALYSTS, projects: 'firm' }],
    'GET /api/estimate-vs-actual': [
        { url: (p) => `/api/estimate-vs-actual?project_id=${p.closed}&group_by=phase,role`, roles: QUOTING, projects: 'project' },
        { url: () => '/api/estimate-vs-actual?group_by=project', roles: QUOTING, projects: 'list' },
    ],
    'GET /api/estimate-vs-actual/by-type': [{ url: () => '/api/estimate-vs-actual/by-type?project_type=web_app', roles: QUOTING, projects: 'firm' }],
    'GET /api/review-flags': [
        { url: (p) => `/api/review-flags?project_id=${p.fixed}&group_by=rule&${PERIOD}`, roles: REVIEW, projects: 'project' },
        { url: () => `/api/review-flags?group_by=project,rule&${PERIOD}`, roles: REVIEW, projects: 'list' },
    ],
    'GET /api/budget-burn': [
        { url: (p) => `/api/budget-burn?project_id=${p.fixed}`, roles: ANALYSTS, projects: 'project' },
        { url: () => '/api/budget-burn', roles: ANALYSTS, projects: 'list' },
    ],
    'GET /api/budget-burn/months': [{ url: (p) => `/api/budget-burn/months?project_id=${p.fixed}`, roles: ANALYSTS, projects: 'project' }],
    'GET /api/drill/:metric': [
        { url: (p) => `/api/drill/utilization?part=billable_hours&project_id=${p.fixed}&${PERIOD}`, roles: ANALYSTS, projects: 'project' },
        { url: (p) => `/api/drill/budget-burn?project_id=${p.fixed}`, roles: ANALYSTS, projects: 'project' },
        { url: () => `/api/drill/retainers?${PERIOD}`, roles: ANALYSTS, projects: 'list' },
        { url: (p) => `/api/drill/funnel?part=overrun&project_id=${p.fixed}`, roles: MONEY, projects: 'project' },
        // Grouped: a project manager's groups are those of their projects' rows.
        { url: () => `/api/drill/utilization?part=billable_hours&group_by=project&${PERIOD}`, roles: ANALYSTS, projects: 'list' },
        { url: (p) => `/api/drill/utilization?part=billable_hours&group_by=person&project_id=${p.fixed}&${PERIOD}`, roles: ANALYSTS, projects: 'project' },
        { url: (p) => `/api/drill/funnel?part=overrun&group_by=person&project_id=${p.fixed}`, roles: MONEY, projects: 'project' },
    ],
    'GET /api/projects/:id/closeout': [{ url: (p) => `/api/projects/${p.closed}/closeout`, roles: QUOTING, projects: 'project' }],
    'GET /api/quotes': [{ url: () => '/api/quotes', roles: QUOTING, projects: 'list' }],
    'GET /api/quotes/:id': [{ url: (p) => `/api/quotes/${p.quote}`, roles: QUOTING, projects: 'project' }],
    'PATCH /api/quotes/:id': [{ method: 'PATCH', url: (p) => `/api/quotes/${p.quote}`, body: (p) => ({ project_id: p.closed }), roles: QUOTING, projects: 'project' }],
    'POST /api/quotes': [{ method: 'POST', url: () => '/api/quotes', body: (p) => quoteBody(p.closed, false), roles: QUOTING, projects: 'project' }],
    'GET /api/quotes/backtest': [{ url: () => '/api/quotes/backtest', roles: QUOTING, projects: 'firm' }],
    // A file, not JSON: who is refused here; what a manager gets of their own and another's quote in route-access.test.ts.
    'GET /api/quotes/:id/document.pdf': [{ url: (p) => `/api/quotes/${p.quote}/document.pdf`, roles: QUOTING, projects: 'project', refusalsOnly: true }],
    'GET /api/quotes/:id/export.csv': [{ url: (p) => `/api/quotes/${p.quote}/export.csv`, roles: QUOTING, projects: 'project', refusalsOnly: true }],
    // Invoicing and rates are the firm's money: finance's and leadership's. The writes are checked for refusals
    // here (test/server/invoices.test.ts checks what they do); reads of an invoice the firm does not have are 404s.
    'GET /api/invoices': [{ url: () => '/api/invoices', roles: MONEY, projects: 'firm' }],
    'POST /api/invoices/runs': [{ method: 'POST', url: () => '/api/invoices/runs', body: () => ({ from: '2024-03-01', to: '2024-03-31' }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'GET /api/invoices/:id': [{ url: () => '/api/invoices/NOPE', roles: MONEY, projects: 'none', status: 404 }],
    'DELETE /api/invoices/:id': [{ method: 'DELETE', url: () => '/api/invoices/NOPE', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/invoices/:id/adjustments': [{ method: 'POST', url: () => '/api/invoices/NOPE/adjustments', body: () => ({ amount: 1, reason: 'x' }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'DELETE /api/invoices/:id/lines/:line_no': [{ method: 'DELETE', url: () => '/api/invoices/NOPE/lines/1', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/invoices/:id/issue': [{ method: 'POST', url: () => '/api/invoices/NOPE/issue', body: () => ({}), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'GET /api/invoices/:id/document.html': [{ url: () => '/api/invoices/NOPE/document.html', roles: MONEY, projects: 'none', status: 404 }],
    'GET /api/invoices/:id/document.pdf': [{ url: () => '/api/invoices/NOPE/document.pdf', roles: MONEY, projects: 'none', status: 404 }],
    'GET /api/invoices/export/:format': [{ url: () => '/api/invoices/export/xero', roles: MONEY, projects: 'firm' }],
    'GET /api/invoices/settings': [{ url: () => '/api/invoices/settings', roles: MONEY, projects: 'firm' }],
    'PUT /api/invoices/settings/firm': [{ method: 'PUT', url: () => '/api/invoices/settings/firm', body: () => ({}), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'PUT /api/invoices/settings/clients/:client_id': [
        {
            method: 'PUT',
            url: () => '/api/invoices/settings/clients/C1',
            body: () => ({ line_grouping: 'project', rounding_minutes: 0, tax_rate: 0, payment_terms_days: 30 }),
            roles: MONEY,
            projects: 'none',
            refusalsOnly: true,
        },
    ],
    'POST /api/invoices/:id/credit-notes': [{ method: 'POST', url: () => '/api/invoices/NOPE/credit-notes', body: () => ({ reason: 'error' }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/invoices/:id/payments': [{ method: 'POST', url: () => '/api/invoices/NOPE/payments', body: () => ({ amount: 1 }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'GET /api/receivables': [{ url: () => '/api/receivables', roles: MONEY, projects: 'firm' }],
    'GET /api/rates': [{ url: () => '/api/rates', roles: MONEY, projects: 'firm' }],
    'POST /api/rates': [
        {
            method: 'POST',
            url: () => '/api/rates',
            body: () => ({ scope: 'firm', effective_from: '2024-04-01', hourly_rate: 110, currency: 'EUR' }),
            roles: MONEY,
            projects: 'none',
            refusalsOnly: true,
        },
    ],
    'POST /api/rates/end': [{ method: 'POST', url: () => '/api/rates/end', body: () => ({ scope: 'firm', effective_from: '2024-01-01', effective_to: '2024-12-31' }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/rates/cost': [{ method: 'POST', url: () => '/api/rates/cost', body: () => ({ person_id: 'E1', effective_from: '2024-04-01', hourly_cost: 55, currency: 'EUR' }), roles: MONEY, projects: 'none', refusalsOnly: true }],
    'GET /api/rates/explain/:entry_id': [{ url: () => '/api/rates/explain/T06', roles: MONEY, projects: 'firm' }],
    // Ingest batches and their rejected cells are the firm's data quality, for those who review the data.
    'GET /api/batches': [{ url: () => '/api/batches', roles: ANALYSTS, projects: 'firm' }],
    'GET /api/batches/:batch_id/rejects': [{ url: () => '/api/batches/1/rejects', roles: ANALYSTS, projects: 'firm' }],
    'POST /api/ingest': [{ method: 'POST', url: () => '/api/ingest', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/models/build': [{ method: 'POST', url: () => '/api/models/build', roles: MONEY, projects: 'none', refusalsOnly: true }],
    // Signing in: open to anyone, and off (409) while the firm has no accounts, as here; changing a password
    // needs an account, which neither a token nor local mode is.
    'POST /api/session/sign-in': [{ method: 'POST', url: () => '/api/session/sign-in', body: () => SIGN_IN, roles: 'anyone', projects: 'none', status: 409 }],
    'POST /api/session/sign-out': [{ method: 'POST', url: () => '/api/session/sign-out', roles: 'anyone', projects: 'none' }],
    'POST /api/session/password': [{ method: 'POST', url: () => '/api/session/password', body: () => PASSWORD_CHANGE, roles: EVERY_ROLE, projects: 'none', status: 409 }],
    'GET /api/admin/accounts': [{ url: () => '/api/admin/accounts', roles: ADMIN, projects: 'none' }],
    'POST /api/admin/accounts': [{ method: 'POST', url: () => '/api/admin/accounts', body: () => NEW_ACCOUNT, roles: ADMIN, projects: 'none', refusalsOnly: true }],
    'PATCH /api/admin/accounts/:account_id': [
        { method: 'PATCH', url: () => `/api/admin/accounts/${NO_ACCOUNT}`, body: () => ({ disabled: true }), roles: ADMIN, projects: 'none', refusalsOnly: true },
    ],
    'POST /api/admin/accounts/:account_id/password': [
        { method: 'POST', url: () => `/api/admin/accounts/${NO_ACCOUNT}/password`, body: () => ({ password: 'a long new password' }), roles: ADMIN, projects: 'none', refusalsOnly: true },
    ],
    'GET /api/admin/tokens': [{ url: () => '/api/admin/tokens', roles: ADMIN, projects: 'none' }],
    'POST /api/admin/tokens': [{ method: 'POST', url: () => '/api/admin/tokens', body: () => ({ role: 'engineer', person_id: 'E1' }), roles: ADMIN, projects: 'none', refusalsOnly: true }],
    'POST /api/admin/tokens/:token_id/revoke': [{ method: 'POST', url: () => '/api/admin/tokens/0badc0de/revoke', roles: ADMIN, projects: 'none', refusalsOnly: true }],
    // The audit log names entities of every project: for those who audit, the same for each.
    'GET /api/audit': [{ url: () => '/api/audit?page_size=5', roles: AUDIT, projects: 'firm' }],
    'GET /api/audit/export': [{ url: () => `/api/audit/export?from=2000-01-01`, roles: AUDIT, projects: 'firm' }],
    // Time capture: everyone logs their own time (local mode names the person, so only the refusals are
    // checked here; test/server/time.test.ts checks what each does). Reopening is an admin's.
    'GET /api/time/options': [{ url: () => '/api/time/options', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'GET /api/time/week': [{ url: () => '/api/time/week?week=2024-03-04', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/entries': [{ method: 'POST', url: () => '/api/time/entries', body: () => TIME_ENTRY, roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'PATCH /api/time/entries/:entry_id': [{ method: 'PATCH', url: () => '/api/time/entries/T06', body: () => ({ notes: 'x' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'DELETE /api/time/entries/:entry_id': [{ method: 'DELETE', url: () => '/api/time/entries/NOPE', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'PUT /api/time/week': [{ method: 'PUT', url: () => '/api/time/week', body: () => ({ week: '2024-03-04', rows: [] }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/week/copy': [{ method: 'POST', url: () => '/api/time/week/copy', body: () => ({ week: '2024-03-04' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/week/submit': [{ method: 'POST', url: () => '/api/time/week/submit', body: () => ({ week: '2024-03-04' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/week/withdraw': [{ method: 'POST', url: () => '/api/time/week/withdraw', body: () => ({ week: '2024-03-04' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'GET /api/time/timer': [{ url: () => '/api/time/timer', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/timer/start': [{ method: 'POST', url: () => '/api/time/timer/start', body: () => ({ project_id: 'NOPE', phase: null, activity: 'development' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/timer/stop': [{ method: 'POST', url: () => '/api/time/timer/stop', body: () => ({}), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'DELETE /api/time/timer': [{ method: 'DELETE', url: () => '/api/time/timer', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/time/reopen': [{ method: 'POST', url: () => '/api/time/reopen', body: () => ({ entry_ids: ['NOPE'], reason: 'a reason' }), roles: ADMIN, projects: 'none', refusalsOnly: true }],
    // The weekly review: a project manager's queue holds the projects they manage only.
    'GET /api/review/queue': [{ url: () => '/api/review/queue?week=2024-03-04', roles: REVIEW, projects: 'list' }],
    'POST /api/review/decisions': [{ method: 'POST', url: () => '/api/review/decisions', body: () => ({ decision: 'approve', entry_ids: ['NOPE'] }), roles: REVIEW, projects: 'none', refusalsOnly: true }],
    'POST /api/review/flags/resolve': [
        { method: 'POST', url: () => '/api/review/flags/resolve', body: () => ({ flag_ids: ['NOPE'], resolution: 'dismissed', reason: 'a reason' }), roles: REVIEW, projects: 'none', refusalsOnly: true },
    ],
    // Imports from other tools load the firm's data, as uploads do.
    'GET /api/imports': [{ url: () => '/api/imports', roles: MONEY, projects: 'firm' }],
    'POST /api/imports': [{ method: 'POST', url: () => '/api/imports', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/imports/billing': [{ method: 'POST', url: () => '/api/imports/billing', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/imports/uploads': [{ method: 'POST', url: () => '/api/imports/uploads', roles: MONEY, projects: 'none', refusalsOnly: true }],
    'POST /api/imports/uploads/:upload_id/run': [
        { method: 'POST', url: () => `/api/imports/uploads/${'0'.repeat(32)}/run`, roles: MONEY, projects: 'none', refusalsOnly: true },
    ],
    // Suggestions are each person's own, whatever their role (test/server/suggestions.test.ts checks that no one
    // sees or decides another's); the rules that match them are leadership's and admins'.
    'GET /api/suggestions': [{ url: () => '/api/suggestions?week=2024-03-04', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/suggestions/calendar': [{ method: 'POST', url: () => '/api/suggestions/calendar', body: () => ({ ics: 'BEGIN:VCALENDAR\nEND:VCALENDAR' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/suggestions/git': [{ method: 'POST', url: () => '/api/suggestions/git', body: () => ({ repository: 'r', log: '' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/suggestions/:suggestion_id/confirm': [{ method: 'POST', url: () => '/api/suggestions/NOPE/confirm', body: () => ({}), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/suggestions/:suggestion_id/dismiss': [{ method: 'POST', url: () => '/api/suggestions/NOPE/dismiss', body: () => ({}), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    // A calendar feed is its person's own too (test/server/feeds.test.ts: others are refused, the address is masked).
    'GET /api/suggestions/feed': [{ url: () => '/api/suggestions/feed', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'PUT /api/suggestions/feed': [{ method: 'PUT', url: () => '/api/suggestions/feed', body: () => ({ url: 'https://calendar.example/a.ics' }), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'DELETE /api/suggestions/feed': [{ method: 'DELETE', url: () => '/api/suggestions/feed', roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'POST /api/suggestions/feed/refresh': [{ method: 'POST', url: () => '/api/suggestions/feed/refresh', body: () => ({}), roles: EVERY_ROLE, projects: 'none', refusalsOnly: true }],
    'GET /api/suggestions/rules': [{ url: () => '/api/suggestions/rules', roles: RULES, projects: 'firm' }],
    'PUT /api/suggestions/rules': [{ method: 'PUT', url: () => '/api/suggestions/rules', body: () => ({ rules: [] }), roles: RULES, projects: 'none', refusalsOnly: true }],
};

const TIME_ENTRY = { project_id: 'NOPE', phase: 'build', activity: 'development', work_date: '2024-03-04', duration: '1' };
const SIGN_IN = { email: 'x1@scope.example', password: 'not the password' };
const PASSWORD_CHANGE = { current_password: 'not the password', new_password: 'a long new password' };
const NEW_ACCOUNT = { email: 'new@scope.example', role: 'engineer', password: 'a long new password' };
const NO_ACCOUNT = 'acc_000000000000';

const quoteBody = (project: string | null, save: boolean) => ({
    name: 'Scope deal',
    project_type: 'web_app',
    billing_model: 'fixed_fee',
    ...(project ? { project_id: project } : {}),
    target_margin: 0.3,
    confidence: 0.8,
    lines: [{ phase: 'build', role: 'developer', estimated_hours: 30 }],
    save,
    simulations: 500,
    seed: 1,
});

/** The served firm, and each manager's projects with a saved quote linked to the closed one. */
export interface ScopeFirm {
    firm: ServedFirm;
    warehouse: Warehouse;
    app: FastifyInstance;
    local: FastifyInstance;
    OWN: Projects;
    OTHER: Projects;
}

/** Loads and serves the firm (tokens mode, and a local server) and saves its quotes; close it with firm.close(). */
export async function scopeFirm(): Promise<ScopeFirm> {
    const firm = await servedFirm('route-access', FILES, Object.entries(TOKENS).map(([role, t]) => ({ ...t, role })));
    const { warehouse, app, local } = firm;
    const saved = async (project: string) => {
        const res = await local.inject({ method: 'POST', url: '/api/quotes', payload: quoteBody(project, true) });
        expect(res.statusCode, res.body).toBe(200);
        return res.json().quote_id as number;
    };
    const OWN: Projects = { manager: 'M1', fixed: 'PRJ-M1-FIX', retainer: 'PRJ-M1-RET', closed: 'PRJ-M1-CLS', quote: await saved('PRJ-M1-CLS') };
    const OTHER: Projects = { manager: 'M2', fixed: 'PRJ-M2-FIX', retainer: 'PRJ-M2-RET', closed: 'PRJ-M2-CLS', quote: await saved('PRJ-M2-CLS') };
    // A quote linked to no project is anyone's who quotes.
    await local.inject({ method: 'POST', url: '/api/quotes', payload: quoteBody(null, true) });
    return { firm, warehouse, app, local, OWN, OTHER };
}
