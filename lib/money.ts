/**
 * How money leaves the product: to the cent. The warehouse keeps amounts exact (decimal(18,2) in the canonical
 * tables, more places where hours × rate × fx make them); every figure the API answers and every page shows is
 * rounded to the cent once, at presentation (STYLE.md habit 11), half away from zero as DuckDB's decimals round.
 *
 * Where parts are shown beside their total, rounding each on its own can leave them a cent or two apart: the
 * parts are then apportioned by the largest-remainder method, so that the rounded parts add up to the rounded
 * total exactly. Parts that are already whole cents and already add up are left as they are.
 */

/** Money fields are answered with this many decimals (cents). */
export const MONEY_DECIMALS = 2;

/** An exact amount: a number, or the decimal text DuckDB writes for a decimal (exact to its last place). */
export type Exact = number | string;

/** An amount as whole cents below it (`cents`, rounded down) and the fraction of a cent above that, in [0, 1). */
export interface SplitCents {
    cents: number;
    rest: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * Within this much of a whole cent, an amount given as a (binary) number is that whole cent: 0.29 × 100 is
 * 28.999999999999996. Decimals of the warehouse carry at most 8 places, so a real remainder is at least 1e-6 of
 * a cent.
 */
const SNAP = 1e-7;

/** The whole cents below an amount and the fraction of a cent above them. Decimal text is split exactly. */
export function splitCents(amount: Exact): SplitCents {
    if (typeof amount === 'string') {
        const m = DECIMAL_TEXT.exec(amount.trim());
        if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(amount)}`);
        const fraction = (m[3] ?? '').padEnd(2, '0');
        const whole = Number(m[2]) * 100 + Number(fraction.slice(0, 2));
        const rest = Number(`0.${fraction.slice(2) || '0'}`);
        if (m[1] !== '-' || (whole === 0 && rest === 0)) return { cents: whole, rest };
        return rest === 0 ? { cents: -whole, rest: 0 } : { cents: -whole - 1, rest: 1 - rest };
    }
    if (!Number.isFinite(amount)) throw new Error(`not an amount: ${amount}`);
    const scaled = amount * 100;
    const nearest = Math.round(scaled);
    if (Math.abs(scaled - nearest) < SNAP * Math.max(1, Math.abs(scaled) / 1e6)) return { cents: nearest, rest: 0 };
    const below = Math.floor(scaled);
    return { cents: below, rest: scaled - below };
}

/** An amount in whole cents, rounded half away from zero (as the warehouse's decimal(18,2) rounds). */
export function toCents(amount: Exact | null | undefined): number {
    if (amount === null || amount === undefined) return 0;
    const { cents, rest } = splitCents(amount);
    if (rest === 0) return cents;
    // Half a cent goes away from zero: up for an amount at or above zero, down (cents stays) for one below.
    // A number a hair from half a cent is half a cent (1.005 × 100 is 100.49999999999999).
    const half = Math.abs(rest - 0.5) < SNAP;
    if (half) return cents < 0 ? cents : cents + 1;
    return rest > 0.5 ? cents + 1 : cents;
}

/** An amount rounded to the cent (half away from zero), as a number: what a money field of the API holds. */
export function toMoney(amount: Exact): number {
    return toCents(amount) / 100;
}

/** The same rounding in SQL, for figures the warehouse answers directly: `round((expr), 2)::double`. */
export function moneySql(expr: string): string {
    return `round((${expr}), ${MONEY_DECIMALS})::double`;
}

/**
 * The parts in whole cents, adding up exactly to `total` (cents; by default the parts' exact sum rounded): each
 * part is rounded down to the cent, then the cents still missing go one each to the parts with the largest
 * remainders (largest-remainder method). Ties go to the larger part, then to the earlier one, so the answer does
 * not depend on anything but the input. Negative parts are rounded down like any other (−1.234 is −1.24 plus a
 * remainder of 0.6 cent). When `total` is further from the parts than one cent each, the difference is shared
 * out cent by cent in the same order (taken back from the smallest remainders when the parts are too large).
 * Parts already in whole cents that add up to the total are returned as they are.
 */
export function apportionCents(parts: readonly Exact[], total?: number): number[] {
    const split = parts.map(splitCents);
    const out = split.map((s) => s.cents);
    if (parts.length === 0) return out;
    const target = total ?? exactSumCents(split);
    let missing = target - out.reduce((a, b) => a + b, 0);
    if (missing === 0) return out;
    const size = parts.map((p) => Math.abs(typeof p === 'string' ? Number(p) : p));
    // Remainders a hair apart (binary floating point: 600.3 and 399.3 leave 0.2999… and 0.3000…) are a tie.
    const byRest = (a: number, b: number) => (Math.abs(split[b]!.rest - split[a]!.rest) < SNAP ? 0 : split[b]!.rest - split[a]!.rest);
    const order = parts.map((_, i) => i).sort((a, b) => byRest(a, b) || size[b]! - size[a]! || a - b);
    if (missing > 0) {
        for (let k = 0; missing > 0; k++, missing--) bump(out, order[k % order.length]!, 1);
    } else {
        const reverse = [...order].reverse();
        for (let k = 0; missing < 0; k++, missing++) bump(out, reverse[k % reverse.length]!, -1);
    }
    return out;
}

function bump(values: number[], i: number, by: number): void {
    values[i] = values[i]! + by;
}

/** The exact sum of split amounts, rounded to the cent (half away from zero). */
function exactSumCents(split: readonly SplitCents[]): number {
    const whole = split.reduce((a, s) => a + s.cents, 0);
    const rest = split.reduce((a, s) => a + s.rest, 0);
    const extra = Math.floor(rest + SNAP);
    const left = rest - extra;
    const base = whole + extra;
    if (Math.abs(left) < SNAP) return base;
    return left > 0.5 + SNAP || (Math.abs(left - 0.5) <= SNAP && base >= 0) ? base + 1 : base;
}

/**
 * A table of amounts in whole cents whose every row adds up to its row total and every column to its column
 * total (both in cents; the two must have the same sum): each row apportioned on its own (apportionCents), then
 * a column that came out a cent too high gives it to one that came out too low, in the row where moving it
 * strays least from the exact amounts. Used where groups of parts are shown beside the whole: each group's parts
 * add up to the group, and each part over the groups to the whole's part.
 */
export function apportionTable(rows: readonly (readonly Exact[])[], rowTotals: readonly number[], columnTotals: readonly number[]): number[][] {
    const exact = rows.map((r) => r.map((v) => (typeof v === 'string' ? Number(v) * 100 : v * 100)));
    const out = rows.map((r, i) => apportionCents(r, rowTotals[i]));
    const sumRows = rowTotals.reduce((a, b) => a + b, 0);
    const sumColumns = columnTotals.reduce((a, b) => a + b, 0);
    if (sumRows !== sumColumns) throw new Error(`row totals add up to ${sumRows} cents and column totals to ${sumColumns}`);
    const off = columnTotals.map((t, j) => out.reduce((a, r) => a + r[j]!, 0) - t);
    const strays = (i: number, j: number, value: number) => Math.abs(value - exact[i]![j]!);
    for (;;) {
        const high = off.findIndex((d) => d > 0);
        if (high < 0) break;
        const low = off.findIndex((d) => d < 0);
        let best = -1;
        let bestCost = Infinity;
        for (let i = 0; i < out.length; i++) {
            const r = out[i]!;
            const cost = strays(i, high, r[high]! - 1) - strays(i, high, r[high]!) + strays(i, low, r[low]! + 1) - strays(i, low, r[low]!);
            if (cost < bestCost - 1e-9) {
                best = i;
                bestCost = cost;
            }
        }
        bump(out[best]!, high, -1);
        bump(out[best]!, low, 1);
        bump(off, high, -1);
        bump(off, low, 1);
    }
    return out;
}
