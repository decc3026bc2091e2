/**
 * Who may use what, stated once: the roles, the groups of them the API's routes serve, and the dashboard's
 * pages with the routes each one reads. Routes take their `config.roles` from ROLE_GROUPS (the metric
 * catalog and the drill-downs too); GET /api/me answers the pages the caller may open (pagesFor) and the
 * dashboard offers exactly those. test/server/roles.test.ts checks every page's roles against the routes it
 * reads as Fastify serves them, so no page is offered to a role the API refuses.
 *
 * Plain data with no imports: the dashboard imports it as it is (web/lib/api/session.ts).
 */

export const ROLES = ['leadership', 'finance', 'project_manager', 'engineer', 'sales', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
    leadership: 'Leadership',
    finance: 'Finance',
    project_manager: 'Project manager',
    engineer: 'Engineer',
    sales: 'Sales',
    admin: 'Admin',
};

/**
 * The groups of roles routes serve (PRODUCT.md "Users"); a route names one of them. An admin (who manages
 * people, accounts, projects and rate cards) sees everything leadership sees, so every group with leadership
 * has admin too.
 */
const groups = {
    /** The firm's money: the funnel and its breakdowns, margin, realization, the rows behind them, loads. */
    money: ['leadership', 'finance', 'admin'],
    /** Delivery figures: budgets, retainers, the people directory, ingest batches (managers: their projects). */
    analysts: ['leadership', 'finance', 'project_manager', 'admin'],
    /** The firm's history in hours (estimate vs actual, closeouts) that quotes are made from. */
    history: ['leadership', 'finance', 'project_manager', 'sales', 'admin'],
    /** Quoting a deal, its saved quotes and their backtest: sales and delivery leads (PRODUCT.md), not engineers. */
    quoting: ['sales', 'leadership', 'finance', 'project_manager', 'admin'],
    /** The weekly review of flagged entries: the managers' pass, and leadership's. */
    review: ['leadership', 'project_manager', 'admin'],
    /** The firm's rules that match calendars' meetings and git repositories to clients and projects. */
    rules: ['leadership', 'admin'],
    /** Accounts, tokens and the firm's master data (people, projects, rate cards): admins only. */
    admin: ['admin'],
    /** The audit log: who changed what, read and exported by admins and finance. */
    audit: ['admin', 'finance'],
    /** Labels and definitions, and each person's own figures. */
    everyone: ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** The groups by name, each a list any role can be looked up in. */
export const ROLE_GROUPS: { readonly [G in keyof typeof groups]: readonly Role[] } = groups;

export interface Page {
    href: string;
    label: string;
    /** The roles offered the page. */
    roles: readonly Role[];
    /**
     * The API routes (method and path as Fastify registers them) the page needs for every role it is offered
     * to: each must serve all of those roles. Routes it reads for some roles only (the people page's
     * department aggregates) are not listed.
     */
    reads: readonly string[];
    /** Paths besides its own (and below it) that belong to the page. */
    also?: readonly string[];
}

/** The dashboard's pages, in the navigation's order. */
export const PAGES: readonly Page[] = [
    { href: '/', label: 'Overview', roles: ROLE_GROUPS.money, reads: ['GET /api/funnel', 'GET /api/funnel/breakdown', 'GET /api/margin', 'GET /api/realization', 'GET /api/utilization'] },
    {
        href: '/clients',
        label: 'Clients & projects',
        roles: ROLE_GROUPS.money,
        reads: ['GET /api/margin', 'GET /api/realization', 'GET /api/budget-burn', 'GET /api/budget-burn/months', 'GET /api/retainers', 'GET /api/funnel/breakdown'],
        also: ['/projects'],
    },
    {
        href: '/people',
        label: 'People & capacity',
        roles: ['leadership', 'finance', 'project_manager', 'engineer', 'admin'],
        reads: ['GET /api/utilization', 'GET /api/logging-latency'],
    },
    {
        href: '/closeout',
        label: 'Closeout',
        roles: ROLE_GROUPS.history,
        reads: ['GET /api/estimate-vs-actual/by-type', 'GET /api/projects/:id/closeout'],
    },
    {
        href: '/quotes',
        label: 'Quotes',
        roles: ROLE_GROUPS.quoting,
        reads: ['POST /api/quotes', 'GET /api/quotes', 'GET /api/quotes/:id', 'PATCH /api/quotes/:id', 'GET /api/quotes/:id/document.pdf', 'GET /api/quotes/:id/export.csv', 'GET /api/projects/:id/closeout'],
    },
    { href: '/calibration', label: 'Calibration', roles: ROLE_GROUPS.quoting, reads: ['GET /api/quotes/backtest'] },
    {
        href: '/invoices',
        label: 'Invoices',
        roles: ROLE_GROUPS.money,
        reads: ['GET /api/invoices', 'POST /api/invoices/runs', 'GET /api/invoices/:id', 'GET /api/receivables', 'GET /api/invoices/settings', 'GET /api/invoices/export/:format'],
    },
    { href: '/rates', label: 'Rates', roles: ROLE_GROUPS.money, reads: ['GET /api/rates', 'GET /api/rates/explain/:entry_id'] },
    { href: '/data', label: 'Data', roles: ROLE_GROUPS.analysts, reads: ['GET /api/batches', 'GET /api/batches/:batch_id/rejects'] },
    { href: '/import', label: 'Import', roles: ROLE_GROUPS.money, reads: ['POST /api/imports/uploads', 'POST /api/imports/uploads/:upload_id/run', 'GET /api/imports'] },
    {
        href: '/suggestions',
        label: 'Suggestions',
        roles: ROLE_GROUPS.everyone,
        reads: ['GET /api/suggestions', 'POST /api/suggestions/calendar', 'POST /api/suggestions/git', 'POST /api/suggestions/:suggestion_id/confirm', 'POST /api/suggestions/:suggestion_id/dismiss'],
    },
    {
        href: '/time',
        label: 'Timesheet',
        roles: ROLE_GROUPS.everyone,
        reads: [
            'GET /api/time/options',
            'GET /api/time/week',
            'POST /api/time/entries',
            'PATCH /api/time/entries/:entry_id',
            'DELETE /api/time/entries/:entry_id',
            'PUT /api/time/week',
            'POST /api/time/week/copy',
            'POST /api/time/week/submit',
            'POST /api/time/week/withdraw',
            'GET /api/time/timer',
            'POST /api/time/timer/start',
            'POST /api/time/timer/stop',
            'DELETE /api/time/timer',
        ],
    },
    { href: '/review', label: 'Review', roles: ROLE_GROUPS.review, reads: ['GET /api/review/queue', 'POST /api/review/decisions', 'POST /api/review/flags/resolve', 'GET /api/time/week'] },
    { href: '/audit', label: 'Audit log', roles: ROLE_GROUPS.audit, reads: ['GET /api/audit', 'GET /api/audit/export'] },
    {
        href: '/admin',
        label: 'Accounts',
        roles: ROLE_GROUPS.admin,
        reads: ['GET /api/admin/accounts', 'POST /api/admin/accounts', 'PATCH /api/admin/accounts/:account_id', 'POST /api/admin/accounts/:account_id/password'],
    },
];

/** The pages a role may open, in order; every page when no one is signed in (the sign-in page shows them). */
export function pagesFor(role: Role | null): readonly Page[] {
    return role ? PAGES.filter((p) => p.roles.includes(role)) : PAGES;
}

/** The page a path belongs to: its own href or one below it, or a path the page also holds. */
export function pageOf(pathname: string): Page | undefined {
    const under = (path: string, base: string) => path === base || path.startsWith(`${base}/`);
    if (pathname === '/') return PAGES.find((p) => p.href === '/');
    return PAGES.find((p) => p.href !== '/' && (under(pathname, p.href) || (p.also ?? []).some((a) => under(pathname, a))));
}

/** Whether a path's page is the role's (unknown paths: yes, the API decides). */
export function mayOpen(role: Role | null, pathname: string): boolean {
    if (!role) return true;
    const page = pageOf(pathname);
    return !page || page.roles.includes(role);
}

/** Where each role starts: the overview (the money) for those who read it, else the page of their work. */
const HOME: Record<Role, string> = {
    leadership: '/',
    finance: '/',
    project_manager: '/people',
    engineer: '/people',
    sales: '/quotes',
    admin: '/',
};

export function homeFor(role: Role | null): string {
    return role ? HOME[role] : '/';
}
