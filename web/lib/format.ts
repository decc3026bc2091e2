/**
 * Presentation of numbers: the only place figures are rounded (STYLE.md: money-safe until shown). Every
 * function takes the locale so tests pin it; the app passes the browser's. Null (no denominator, no data)
 * shows as an en dash, never as 0.
 */

import { apportionCents } from '../../lib/money.ts';

export const DASH = '–';

/** Building an Intl formatter costs far more than formatting with one: each is built once per locale and options. */
function cached<F, O>(build: (locale: string, options: O) => F): (locale: string, options: O) => F {
    const cache = new Map<string, F>();
    return (locale, options) => {
        const key = `${locale}|${JSON.stringify(options)}`;
        let f = cache.get(key);
        if (!f) {
            f = build(locale, options);
            cache.set(key, f);
        }
        return f;
    };
}

const nf = cached((locale, options: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options));
const df = cached((locale, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options));

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Money to the cent: €1,234,567.89. */
export function formatMoney(value: number | null | undefined, currency: string, locale: string): string {
    if (!isNum(value)) return DASH;
    return nf(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
}

/**
 * Money for tiles and axis labels, three significant digits from a thousand up: €2.28M, €642K, €45.6K, €980.
 * Where it stands for a figure, the exact amount goes beside it on hover (formatMoney).
 */
export function formatMoneyCompact(value: number | null | undefined, currency: string, locale: string): string {
    if (!isNum(value)) return DASH;
    const digits: Intl.NumberFormatOptions = Math.abs(value) >= 1000 ? { maximumSignificantDigits: 3 } : { maximumFractionDigits: 0, minimumFractionDigits: 0 };
    return nf(locale, { style: 'currency', currency, notation: 'compact', ...digits }).format(value);
}

/**
 * A total and its parts in compact money (formatMoneyCompact), the parts adding up to the total as shown: the
 * total keeps its three significant digits, and the parts are shown to the same last digit (€10K for €2.28M),
 * apportioned by the largest remainder (lib/money.ts) so that €1.64M + €642K = €2.28M on the page. The exact
 * amounts (formatMoney) go beside them on hover.
 */
export function formatMoneyCompactParts(total: number, parts: readonly number[], currency: string, locale: string): { total: string; parts: string[] } {
    if (!isNum(total) || !parts.every(isNum)) return { total: formatMoneyCompact(total, currency, locale), parts: parts.map((p) => formatMoneyCompact(p, currency, locale)) };
    // The unit of the total's last shown digit: three significant digits from a thousand up, whole units below.
    const step = Math.abs(total) >= 1000 ? 10 ** (Math.floor(Math.log10(Math.abs(total))) - 2) : 1;
    // In units of that digit (cents of it, for lib/money's apportioning), the parts meet the total as rounded.
    const shownTotal = Math.sign(total) * Math.round(Math.abs(total) / step);
    const shown = apportionCents(
        parts.map((p) => p / step / 100),
        shownTotal,
    );
    const exact = (units: number) => nf(locale, { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 6 }).format(units * step);
    return { total: exact(shownTotal), parts: shown.map(exact) };
}

/** Hours with two decimals (entries are exact to the second; hundredths are what people read): 1,234.50 h. */
export function formatHours(value: number | null | undefined, locale: string, digits = 2): string {
    if (!isNum(value)) return DASH;
    return `${nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)} h`;
}

/** A ratio as a percentage with one decimal: 0.8734 → 87.3%. */
export function formatPercent(ratio: number | null | undefined, locale: string, digits = 1): string {
    if (!isNum(ratio)) return DASH;
    return nf(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ratio);
}

/** A plain number: 1,234 or 1,234.5 with the given decimals. */
export function formatNumber(value: number | null | undefined, locale: string, digits = 0): string {
    if (!isNum(value)) return DASH;
    return nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A rate per hour: €112.40/h. */
export function formatRate(value: number | null | undefined, currency: string, locale: string): string {
    if (!isNum(value)) return DASH;
    return `${formatMoney(value, currency, locale)}/h`;
}

/** A ratio such as actual ÷ estimate: 1.23×. */
export function formatRatio(value: number | null | undefined, locale: string, digits = 2): string {
    if (!isNum(value)) return DASH;
    return `${nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value)}×`;
}

/** "2026-03-09" → "9 Mar" in the locale (a week's Monday, a day on an axis), in UTC. */
export function formatDayMonth(iso: string, locale: string): string {
    return df(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));
}

/** "2026-03-01" → "Mar 2026" (en-US) — months are labelled in the locale, in UTC so no zone shifts them. */
export function formatMonth(iso: string | null | undefined, locale: string): string {
    if (!iso) return DASH;
    const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
    return df(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** "2026-03-09" → "Mar 9, 2026" (en-US). */
export function formatDate(iso: string | null | undefined, locale: string): string {
    if (!iso) return DASH;
    const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
    return df(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** The change of a KPI against the previous period, as the tile shows it. */
export interface Change {
    /** Text such as "+2.4 pp", "−3.1%"; "–" when either side is missing. */
    text: string;
    direction: 'up' | 'down' | 'flat' | 'none';
}

/**
 * Ratios (realization, utilization, margin %) change in percentage points; amounts and rates change
 * relative to the previous value. Flat means the shown digits would not move.
 */
export function formatChange(current: number | null | undefined, previous: number | null | undefined, kind: 'points' | 'relative', locale: string): Change {
    if (!isNum(current) || !isNum(previous)) return { text: DASH, direction: 'none' };
    if (kind === 'points') {
        const pp = Math.round((current - previous) * 1000) / 10;
        if (pp === 0) return { text: `±${nf(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(0)} pp`, direction: 'flat' };
        const digits = nf(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(pp));
        return { text: `${pp > 0 ? '+' : '−'}${digits} pp`, direction: pp > 0 ? 'up' : 'down' };
    }
    if (previous === 0) return { text: DASH, direction: 'none' };
    const rel = Math.round(((current - previous) / Math.abs(previous)) * 1000) / 10;
    if (rel === 0) return { text: `±${nf(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(0)}%`, direction: 'flat' };
    const digits = nf(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.abs(rel));
    return { text: `${rel > 0 ? '+' : '−'}${digits}%`, direction: rel > 0 ? 'up' : 'down' };
}

const ACRONYMS = new Set(['qa', 'pm', 'ui', 'ux', 'api', 'erp', 'crm', 'it', 'hr', 'devops']);
const SPELLING: Record<string, string> = { devops: 'DevOps' };

/** snake_case identifiers as words: "data_engineer" → "Data engineer", "qa_engineer" → "QA engineer". */
export function humanize(id: string | null | undefined): string {
    if (!id) return DASH;
    const words = id.split('_').map((w) => (SPELLING[w] ?? (ACRONYMS.has(w) ? w.toUpperCase() : w)));
    const s = words.join(' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
}
