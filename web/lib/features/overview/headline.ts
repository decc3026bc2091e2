/**
 * What the overview says first: the period's largest leak in one sentence, and the leak tiles ranked from
 * the largest down (a leak's parts stay under it, ranked among themselves). The funnel chart keeps the
 * funnel's own order; the tiles are where a reader looks for "what costs us most".
 */
import type { Funnel } from '../../api/types.ts';
import { formatMoneyCompactParts, formatPercent } from '../../format.ts';

type Leak = Funnel['leaks'][number];
type Part = NonNullable<Leak['parts']>[number];

export interface RankedLeak {
    leak: Leak;
    parts: Part[];
}

const byAmount = <T extends { amount: number }>(a: T, b: T) => b.amount - a.amount;

/** Leaks from the largest to the smallest (a gain, below 0, last), each with its parts in the same order. */
export function rankLeaks(funnel: Funnel): RankedLeak[] {
    return [...funnel.leaks].sort(byAmount).map((leak) => ({ leak, parts: [...(leak.parts ?? [])].sort(byAmount) }));
}

export interface Headline {
    key: string;
    /** "Not yet invoiced is the largest leak of Dec 2025 – Nov 2026: €2.33M, 10.1% of the potential value." */
    text: string;
    /** The exact amount, for the hover. */
    amount: number;
}

/**
 * The largest leak as a sentence; with parts, the largest part named after it ("mostly overrun, €642K").
 * Null when nothing leaked (every leak 0 or a gain).
 */
export function headline(funnel: Funnel, periodLabel: string, locale: string): Headline | null {
    const [top] = rankLeaks(funnel);
    if (!top || !(top.leak.amount > 0)) return null;
    // As the tiles show them: the parts add up to the leak as shown.
    const shown = formatMoneyCompactParts(top.leak.amount, top.parts.map((p) => p.amount), funnel.currency, locale);
    const potential = funnel.stages[0]?.amount ?? 0;
    const share = potential > 0 ? `, ${formatPercent(top.leak.amount / potential, locale)} of the potential value` : '';
    const part = top.parts[0];
    const mostly = part && part.amount > top.leak.amount / 2 ? `; mostly ${part.label.toLowerCase()}, ${shown.parts[0]}` : '';
    return { key: top.leak.key, amount: top.leak.amount, text: `${top.leak.label} is the largest leak of ${periodLabel}: ${shown.total}${share}${mostly}.` };
}
