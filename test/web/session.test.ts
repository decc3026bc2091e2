/** Which pages a role is offered and where it starts (server/roles.ts, as web/lib/api/session.ts gives it to the dashboard). */
import { describe, expect, it } from 'vitest';
import { homeFor, mayOpen, pagesFor } from '../../web/lib/api/session.ts';
import { PAGES } from '../../server/roles.ts';

describe('pages by role', () => {
    it('offers each role the pages whose data it may read', () => {
        const labels = (role: Parameters<typeof pagesFor>[0]) => pagesFor(role).map((p) => p.label);
        expect(labels('leadership')).toEqual(['Overview', 'Clients & projects', 'People & capacity', 'Closeout', 'Quotes', 'Calibration', 'Invoices', 'Rates', 'Data', 'Import', 'Suggestions', 'Timesheet', 'Review']);
        // Finance reads the audit log; an admin sees what leadership sees, the audit log and the accounts.
        expect(labels('finance')).toEqual(['Overview', 'Clients & projects', 'People & capacity', 'Closeout', 'Quotes', 'Calibration', 'Invoices', 'Rates', 'Data', 'Import', 'Suggestions', 'Timesheet', 'Audit log']);
        expect(labels('admin')).toEqual(['Overview', 'Clients & projects', 'People & capacity', 'Closeout', 'Quotes', 'Calibration', 'Invoices', 'Rates', 'Data', 'Import', 'Suggestions', 'Timesheet', 'Review', 'Audit log', 'Accounts']);
        expect(labels('project_manager')).toEqual(['People & capacity', 'Closeout', 'Quotes', 'Calibration', 'Data', 'Suggestions', 'Timesheet', 'Review']);
        // Quoting is for sales and delivery leads: the quote routes refuse engineers, so their pages are not offered.
        expect(labels('engineer')).toEqual(['People & capacity', 'Suggestions', 'Timesheet']);
        expect(labels('sales')).toEqual(['Closeout', 'Quotes', 'Calibration', 'Suggestions', 'Timesheet']);
        // Not signed in, or local mode's one user: everything.
        expect(labels(null)).toHaveLength(PAGES.length);
    });

    it('starts a role that cannot read the money on its own page', () => {
        const roles = ['leadership', 'finance', 'project_manager', 'engineer', 'sales', 'admin'] as const;
        expect(Object.fromEntries(roles.map((role) => [role, homeFor(role)]))).toEqual({ leadership: '/', finance: '/', project_manager: '/people', engineer: '/people', sales: '/quotes', admin: '/' });
    });

    it('tells whether a path belongs to the role, a project page going with clients and projects', () => {
        expect(mayOpen('project_manager', '/')).toBe(false);
        expect(mayOpen('project_manager', '/people')).toBe(true);
        expect(mayOpen('project_manager', '/projects/P001')).toBe(false);
        expect(mayOpen('finance', '/projects/P001')).toBe(true);
        expect(mayOpen('engineer', '/quotes/Q1')).toBe(false);
        expect(mayOpen('engineer', '/calibration')).toBe(false);
        expect(mayOpen('sales', '/quotes/Q1')).toBe(true);
        expect(mayOpen('engineer', '/data')).toBe(false);
        expect(mayOpen('sales', '/closeout')).toBe(true);
        expect(mayOpen(null, '/data')).toBe(true);
        expect(mayOpen('leadership', '/admin')).toBe(false);
        expect(mayOpen('finance', '/audit')).toBe(true);
        expect(mayOpen('engineer', '/audit')).toBe(false);
        expect(mayOpen('engineer', '/somewhere-else')).toBe(true);
    });
});
