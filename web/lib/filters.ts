/**
 * The global filters live in the URL (shareable, bookmarkable, the back button works): period, client,
 * project, role and project type. Parameter names are the API's, so a view's URL reads like its requests.
 * A period is a preset relative to the firm's as-of date (period=12m…) or explicit months (from, to).
 */

export const PERIODS = [
    { key: '12m', label: 'Last 12 months' },
    { key: '6m', label: 'Last 6 months' },
    { key: '3m', label: 'Last 3 months' },
    { key: 'qtd', label: 'Quarter to date' },
    { key: 'last-quarter', label: 'Last quarter' },
    { key: 'ytd', label: 'Year to date' },
    { key: 'last-year', label: 'Last calendar year' },
    { key: 'all', label: 'All time' },
    { key: 'custom', label: 'Custom months' },
] as const;
export type PeriodKey = (typeof PERIODS)[number]['key'];
export const DEFAULT_PERIOD: PeriodKey = '12m';

export const FILTER_PARAMS = ['client_id', 'project_id', 'role', 'project_type'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

export interface Filters {
    period: PeriodKey;
    /** Only for period = custom: first day of the first month, last day of the last month. */
    from?: string;
    to?: string;
    client_id?: string;
    project_id?: string;
    role?: string;
    project_type?: string;
}

export interface Period {
    from: string;
    to: string;
    /** Whole months in the period. */
    months: number;
}

const isMonthStart = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-01$/.test(s);
const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Reads the filters from a query string; unknown or malformed values fall back to the defaults. */
export function parseFilters(params: URLSearchParams): Filters {
    const f: Filters = { period: DEFAULT_PERIOD };
    const p = params.get('period');
    const from = params.get('from');
    const to = params.get('to');
    if (isDate(from) && isDate(to) && from <= to) {
        f.period = 'custom';
        f.from = monthStart(from);
        f.to = monthEnd(to);
    } else if (p && PERIODS.some((x) => x.key === p && x.key !== 'custom')) {
        f.period = p as PeriodKey;
    }
    for (const key of FILTER_PARAMS) {
        const v = params.get(key);
        if (v) f[key] = v;
    }
    return f;
}

/** Writes the filters into a query string, keeping parameters that are not filters (e.g. an open drill-down). */
export function writeFilters(filters: Filters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
    const out = new URLSearchParams(base);
    for (const k of ['period', 'from', 'to', ...FILTER_PARAMS]) out.delete(k);
    if (filters.period === 'custom' && filters.from && filters.to) {
        out.set('from', filters.from);
        out.set('to', filters.to);
    } else if (filters.period !== DEFAULT_PERIOD && filters.period !== 'custom') {
        out.set('period', filters.period);
    }
    for (const key of FILTER_PARAMS) if (filters[key]) out.set(key, filters[key]!);
    return out;
}

export function monthStart(iso: string): string {
    return `${iso.slice(0, 7)}-01`;
}

export function monthEnd(iso: string): string {
    const y = Number(iso.slice(0, 4));
    const m = Number(iso.slice(5, 7));
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The first day of the month `n` months after the month of `iso` (n may be negative). */
export function addMonths(iso: string, n: number): string {
    const y = Number(iso.slice(0, 4));
    const m = Number(iso.slice(5, 7)) - 1 + n;
    return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** The first day of the calendar quarter of `iso`'s month. */
export function quarterStart(iso: string): string {
    const m = Number(iso.slice(5, 7));
    return `${iso.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
}

/** The first days of every month from the month of `from` through the month of `to`: a continuous calendar. */
export function eachMonth(from: string, to: string): string[] {
    const out: string[] = [];
    for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m);
    return out;
}

export function monthsBetween(from: string, to: string): number {
    return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
}

/**
 * The concrete months of a filter. Relative periods end with the last complete month on or before the
 * as-of date: its own month when it is the month's last day, else the month before (still being logged
 * and invoiced). "All" starts at the firm's first month.
 */
export function resolvePeriod(filters: Filters, asOf: string, firstMonth: string | null): Period {
    const lastFull = monthEnd(asOf) === asOf ? monthStart(asOf) : addMonths(asOf, -1);
    const end = monthEnd(lastFull);
    const span = (months: number): Period => ({ from: addMonths(lastFull, -(months - 1)), to: end, months });
    switch (filters.period) {
        case 'custom':
            if (filters.from && filters.to) return { from: filters.from, to: filters.to, months: monthsBetween(filters.from, filters.to) };
            return span(12);
        case '6m':
            return span(6);
        case '3m':
            return span(3);
        case 'qtd': {
            // The calendar quarter of the last full month, through it (its first month alone, early in a quarter).
            const from = quarterStart(lastFull);
            return { from, to: end, months: monthsBetween(from, end) };
        }
        case 'last-quarter': {
            // The last calendar quarter whose months are all complete.
            const next = addMonths(lastFull, 1);
            const to = quarterStart(next) === next ? lastFull : addMonths(quarterStart(lastFull), -1);
            const from = quarterStart(to);
            return { from, to: monthEnd(to), months: 3 };
        }
        case 'ytd': {
            // January through the last full month; in January itself, the whole previous year.
            const from = `${lastFull.slice(0, 4)}-01-01`;
            return { from, to: end, months: monthsBetween(from, end) };
        }
        case 'last-year': {
            const year = Number(asOf.slice(0, 4)) - 1;
            return { from: `${year}-01-01`, to: `${year}-12-31`, months: 12 };
        }
        case 'all': {
            const from = firstMonth ? monthStart(firstMonth) : addMonths(lastFull, -23);
            const to = monthEnd(asOf);
            return { from, to, months: monthsBetween(from, to) };
        }
        default:
            return span(12);
    }
}

/** The period of the same length just before: what KPI changes compare against. */
export function previousPeriod(period: Period): Period {
    const from = addMonths(period.from, -period.months);
    const to = monthEnd(addMonths(period.from, -1));
    return { from, to, months: period.months };
}

/** The API route each source's cards read; which filters it takes, the API says (learnRouteFilters). */
export type Source = 'funnel' | 'finance' | 'people' | 'estimates' | 'closeout' | 'burn' | 'flags';
export const SOURCE_ROUTES: Record<Source, string> = {
    funnel: 'funnel',
    finance: 'realization',
    people: 'utilization',
    estimates: 'estimate-vs-actual',
    closeout: 'estimate-vs-actual/by-type',
    burn: 'budget-burn',
    flags: 'review-flags',
};

let routeFilters: Readonly<Record<string, readonly string[]>> | null = null;

/**
 * The period and filter parameters each route takes, as the API's definitions give them (GET /api/session):
 * the root layout passes them once, before any card asks for data.
 */
export function learnRouteFilters(filters: Readonly<Record<string, readonly string[]>>): void {
    routeFilters = filters;
}

/** What a source accepts — the period (its route takes from and to) and filters — so a card can say which apply. */
export function sourceFilters(source: Source): readonly (FilterParam | 'period')[] {
    const route = SOURCE_ROUTES[source];
    const taken = routeFilters?.[route];
    if (!taken) throw new Error(`the filters /api/${route} takes are not known yet (the API's definitions give them)`);
    return [...(taken.includes('from') && taken.includes('to') ? (['period'] as const) : []), ...FILTER_PARAMS.filter((k) => taken.includes(k))];
}

/** The API query parameters of a source for the filters: only those it accepts. */
export function apiParams(source: Source, filters: Filters, period: Period, extra: Record<string, string | number | undefined> = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of sourceFilters(source)) {
        if (key === 'period') {
            out.from = period.from;
            out.to = period.to;
        } else if (filters[key]) {
            out[key] = filters[key]!;
        }
    }
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = String(v);
    return out;
}

/** The filters set by the user that a source ignores (the card says so). */
export function ignoredFilters(source: Source, filters: Filters): FilterParam[] {
    const accepted = sourceFilters(source);
    return FILTER_PARAMS.filter((k) => filters[k] && !accepted.includes(k));
}

/**
 * Pages whose figures all come from sources that take only some filters: the filter bar shows only those (a
 * filter the page would ignore is not offered). Pages not listed take every filter.
 */
const PAGE_SOURCES: Record<string, readonly Source[]> = {
    '/closeout': ['closeout'],
};

/** The filters a page applies, or null when it applies them all. */
export function pageFilters(pathname: string): (FilterParam | 'period')[] | null {
    const sources = PAGE_SOURCES[pathname.replace(/\/+$/, '') || '/'];
    if (!sources) return null;
    const taken = new Set(sources.flatMap((s) => sourceFilters(s)));
    return (['period', ...FILTER_PARAMS] as const).filter((k) => taken.has(k));
}

export const FILTER_LABELS: Record<FilterParam | 'period', string> = {
    period: 'period',
    client_id: 'client',
    project_id: 'project',
    role: 'role',
    project_type: 'project type',
};
