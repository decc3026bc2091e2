import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import {
    addMonths,
    apiParams,
    ignoredFilters,
    learnRouteFilters,
    monthEnd,
    monthsBetween,
    pageFilters,
    parseFilters,
    previousPeriod,
    resolvePeriod,
    sourceFilters,
    writeFilters,
} from '../../web/lib/filters.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

/** The filters each route takes, as the API's definitions give them to the dashboard. */
async function apiRouteFilters(): Promise<Record<string, string[]>> {
    const warehouse = await Warehouse.open(':memory:');
    const app = await buildApp({ warehouse });
    try {
        return (await app.inject({ method: 'GET', url: '/api/definitions' })).json().filters;
    } finally {
        await app.close();
        warehouse.close();
    }
}

const AS_OF = '2026-11-26';

describe('filters in the URL', () => {
    it('reads presets, explicit months and the dimension filters; ignores what it does not know', () => {
        expect(parseFilters(new URLSearchParams(''))).toEqual({ period: '12m' });
        expect(parseFilters(new URLSearchParams('period=3m&client_id=C004&role=developer&colour=red'))).toEqual({ period: '3m', client_id: 'C004', role: 'developer' });
        expect(parseFilters(new URLSearchParams('from=2026-02-14&to=2026-05-03'))).toEqual({ period: 'custom', from: '2026-02-01', to: '2026-05-31' });
        expect(parseFilters(new URLSearchParams('from=2026-06-01&to=2026-01-31'))).toEqual({ period: '12m' });
        expect(parseFilters(new URLSearchParams('period=forever'))).toEqual({ period: '12m' });
    });

    it('writes them back, keeping other parameters (an open drill-down) and leaving defaults out', () => {
        const base = new URLSearchParams('drill=funnel:untracked&period=6m&client_id=C1');
        expect(writeFilters({ period: '12m', project_type: 'web_app' }, base).toString()).toBe('drill=funnel%3Auntracked&project_type=web_app');
        expect(writeFilters({ period: 'custom', from: '2026-01-01', to: '2026-03-31', client_id: 'C4' }).toString()).toBe('from=2026-01-01&to=2026-03-31&client_id=C4');
        const roundTrip = parseFilters(writeFilters({ period: 'ytd', project_id: 'PRJ-0039' }));
        expect(roundTrip).toEqual({ period: 'ytd', project_id: 'PRJ-0039' });
    });
});

describe('periods', () => {
    it('ends relative periods with the last complete month before the as-of date', () => {
        expect(resolvePeriod({ period: '12m' }, AS_OF, '2024-11-01')).toEqual({ from: '2025-11-01', to: '2026-10-31', months: 12 });
        expect(resolvePeriod({ period: '3m' }, AS_OF, null)).toEqual({ from: '2026-08-01', to: '2026-10-31', months: 3 });
        // As of a month's last day, that month is complete and ends the period.
        expect(resolvePeriod({ period: '12m' }, '2026-10-31', null)).toEqual({ from: '2025-11-01', to: '2026-10-31', months: 12 });
        expect(resolvePeriod({ period: '3m' }, '2026-10-30', null)).toEqual({ from: '2026-07-01', to: '2026-09-30', months: 3 });
        expect(resolvePeriod({ period: 'ytd' }, AS_OF, null)).toEqual({ from: '2026-01-01', to: '2026-10-31', months: 10 });
        expect(resolvePeriod({ period: 'ytd' }, '2027-01-15', null)).toEqual({ from: '2026-01-01', to: '2026-12-31', months: 12 });
        expect(resolvePeriod({ period: 'last-year' }, AS_OF, null)).toEqual({ from: '2025-01-01', to: '2025-12-31', months: 12 });
        // As of 26 Nov 2026 the last full month is October: the quarter to date is October alone
        // (Q4 began with it), the last quarter July–September.
        expect(resolvePeriod({ period: 'qtd' }, AS_OF, null)).toEqual({ from: '2026-10-01', to: '2026-10-31', months: 1 });
        expect(resolvePeriod({ period: 'last-quarter' }, AS_OF, null)).toEqual({ from: '2026-07-01', to: '2026-09-30', months: 3 });
        // As of 30 Sep, September is complete: Q3 is both the quarter to date and the last quarter.
        expect(resolvePeriod({ period: 'qtd' }, '2026-09-30', null)).toEqual({ from: '2026-07-01', to: '2026-09-30', months: 3 });
        expect(resolvePeriod({ period: 'last-quarter' }, '2026-09-30', null)).toEqual({ from: '2026-07-01', to: '2026-09-30', months: 3 });
        // As of 10 Jan 2027 the last full month is December: Q4 2026 either way.
        expect(resolvePeriod({ period: 'qtd' }, '2027-01-10', null)).toEqual({ from: '2026-10-01', to: '2026-12-31', months: 3 });
        expect(resolvePeriod({ period: 'last-quarter' }, '2027-01-10', null)).toEqual({ from: '2026-10-01', to: '2026-12-31', months: 3 });
        expect(resolvePeriod({ period: 'all' }, AS_OF, '2024-11-01')).toEqual({ from: '2024-11-01', to: '2026-11-30', months: 25 });
        expect(resolvePeriod({ period: 'custom', from: '2026-02-01', to: '2026-04-30' }, AS_OF, null)).toEqual({ from: '2026-02-01', to: '2026-04-30', months: 3 });
    });

    it('compares with the period of the same length just before', () => {
        expect(previousPeriod({ from: '2025-11-01', to: '2026-10-31', months: 12 })).toEqual({ from: '2024-11-01', to: '2025-10-31', months: 12 });
        expect(previousPeriod({ from: '2026-01-01', to: '2026-03-31', months: 3 })).toEqual({ from: '2025-10-01', to: '2025-12-31', months: 3 });
    });

    it('does month arithmetic across years and leap days', () => {
        expect(addMonths('2026-01-31', -2)).toBe('2025-11-01');
        expect(addMonths('2025-12-15', 1)).toBe('2026-01-01');
        expect(monthEnd('2028-02-10')).toBe('2028-02-29');
        expect(monthsBetween('2024-11-01', '2026-10-31')).toBe(24);
    });
});

describe('which filters reach which route', () => {
    const filters = { period: '12m' as const, client_id: 'C4', role: 'developer', project_type: 'web_app' };
    const period = { from: '2025-11-01', to: '2026-10-31', months: 12 };
    let fromApi: Record<string, string[]>;
    beforeAll(async () => {
        fromApi = await apiRouteFilters();
        learnRouteFilters(fromApi);
    });

    it('takes what each route accepts from the API, not from a list of its own', () => {
        try {
            learnRouteFilters({ ...fromApi, funnel: ['from', 'to', 'client_id', 'role'] });
            expect(sourceFilters('funnel')).toEqual(['period', 'client_id', 'role']);
            expect(apiParams('funnel', filters, period)).toEqual({ from: '2025-11-01', to: '2026-10-31', client_id: 'C4', role: 'developer' });
            learnRouteFilters({});
            expect(() => apiParams('funnel', filters, period)).toThrow(/the filters \/api\/funnel takes are not known yet/);
        } finally {
            learnRouteFilters(fromApi);
        }
    });

    it('sends each route only the parameters its grain has', () => {
        expect(apiParams('funnel', filters, period, { by: 'client' })).toEqual({ from: '2025-11-01', to: '2026-10-31', client_id: 'C4', project_type: 'web_app', by: 'client' });
        expect(apiParams('people', filters, period, { group_by: 'week,role' })).toEqual({ from: '2025-11-01', to: '2026-10-31', role: 'developer', group_by: 'week,role' });
        expect(apiParams('closeout', filters, period)).toEqual({ role: 'developer', project_type: 'web_app' });
    });

    it('offers on a page only the filters its figures take: closeout has no period, client or project', () => {
        expect(pageFilters('/closeout')).toEqual(['role', 'project_type']);
        expect(pageFilters('/closeout/')).toEqual(['role', 'project_type']);
        expect(pageFilters('/')).toBeNull();
        expect(pageFilters('/clients')).toBeNull();
    });

    it('names the filters a card ignores', () => {
        expect(ignoredFilters('people', filters)).toEqual(['client_id', 'project_type']);
        expect(ignoredFilters('funnel', filters)).toEqual(['role']);
        expect(ignoredFilters('estimates', filters)).toEqual([]);
    });
});
