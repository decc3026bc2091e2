/**
 * The recomputation's exact arithmetic (see index.ts): money as bigint pico-units, hours as integer ticks,
 * dates as ISO strings and day numbers.
 */

// ---------------------------------------------------------------- numbers

export const UNIT = 10n ** 12n;
export const TICKS_PER_HOUR = 180_000_000;
export const TICKS_PER_SECOND = TICKS_PER_HOUR / 3600;

/** An exact decimal string as an integer of 10^-scale units; more significant places than that are an error. */
function scaled(s: string, scale: number): bigint {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(s);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal: "${s}"`);
    const frac = m[3] ?? '';
    if (/[1-9]/.test(frac.slice(scale))) throw new Error(`"${s}" has more than ${scale} decimals`);
    const v = BigInt((m[2] || '0') + frac.slice(0, scale).padEnd(scale, '0'));
    return m[1] === '-' ? -v : v;
}

/** A decimal (money, a rate) in pico-units. */
export const pico = (s: string): bigint => scaled(s, 12);
/** A decimal number of hours (4 places at most, the warehouse's decimal(18,4)) in ticks. */
export const hourTicks = (s: string): number => Number(scaled(s, 4)) * (TICKS_PER_HOUR / 10_000);

/** n ÷ d rounded half away from zero (d > 0). */
export function divRound(n: bigint, d: bigint): bigint {
    if (d <= 0n) throw new Error('divRound: the divisor must be positive');
    const q = n / d;
    const r = n - q * d;
    if (2n * (r < 0n ? -r : r) >= d) return n < 0n ? q - 1n : q + 1n;
    return q;
}

/** pico-units → a JS number (for comparing with the API's JSON). */
export const money = (p: bigint): number => Number(p) / 1e12;
/** ticks → hours. */
export const hours = (t: number): number => t / TICKS_PER_HOUR;

/**
 * Whole cents split pro rata over ordered weights (equally when they sum to 0) by cumulative rounding:
 * piece k = round(A × (w1+…+wk) ÷ W) − round(A × (w1+…+wk−1) ÷ W), so the pieces add up to A exactly.
 */
export function splitCents(cents: bigint, weights: bigint[]): bigint[] {
    const w = weights.reduce((s, x) => s + x, 0n) === 0n ? weights.map(() => 1n) : weights;
    const total = w.reduce((s, x) => s + x, 0n);
    const sign = total < 0n ? -1n : 1n;
    let through = 0n;
    let before = 0n;
    return w.map((x) => {
        through += x;
        const upTo = divRound(cents * through * sign, total * sign);
        const piece = upTo - before;
        before = upTo;
        return piece;
    });
}

// ---------------------------------------------------------------- dates (ISO strings; day numbers since 1970-01-01)

const MS_PER_DAY = 86_400_000;
export const dayNumber = (iso: string): number => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / MS_PER_DAY;
export const isoDay = (n: number): string => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). Weeks start on Monday (PRODUCT.md). */
export const weekday = (n: number): number => (((n + 3) % 7) + 7) % 7;
export const mondayOf = (iso: string): string => isoDay(dayNumber(iso) - weekday(dayNumber(iso)));
export const monthOf = (iso: string): string => `${iso.slice(0, 7)}-01`;
export function monthEnd(iso: string): string {
    const y = +iso.slice(0, 4);
    const m = +iso.slice(5, 7);
    return isoDay(Date.UTC(y, m, 0) / MS_PER_DAY);
}
export function addMonths(month: string, k: number): string {
    const d = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7) - 1 + k, 1));
    return d.toISOString().slice(0, 10);
}
export const maxIso = (a: string, b: string): string => (a > b ? a : b);
export const minIso = (a: string, b: string): string => (a < b ? a : b);
