/**
 * The margin funnel's figures from the sums of its mart's columns, as its .yml declares the stages and leaks
 * (models/SEMANTIC.md). Each stage is rounded to the cent once; the leaks below a stage are each their column
 * rounded to the cent, except the last, which is what is left of the difference of the rounded stages around it;
 * a leak's parts likewise, the last being what is left of the leak. So what is on screen reconciles exactly:
 * potential − Σ leaks = collected, and a leak's parts add up to it.
 */
import type { FunnelDefinition } from './catalog.ts';

/** The columns of the funnel mart its figures are made from: the stages', then each leak's and part's. */
export function funnelColumns(funnel: FunnelDefinition): string[] {
    const columns = [...funnel.stages.map((s) => s.key), ...funnel.leaks.flatMap((l) => [l.column, ...l.parts.map((p) => p.column)])];
    return [...new Set(columns)];
}

/** The columns whose sums the figures read (the last leak below a stage and a leak's last part are differences). */
export function funnelColumnsRead(funnel: FunnelDefinition): string[] {
    const read = funnel.stages.map((s) => s.key);
    for (const [i, l] of funnel.leaks.entries()) {
        if (funnel.leaks[i + 1]?.below === l.below) read.push(l.column);
        read.push(...l.parts.slice(0, -1).map((p) => p.column));
    }
    return [...new Set(read)];
}

export interface FunnelCents {
    /** Stage key → cents. */
    stages: Record<string, number>;
    /** Leak key and part key → cents. */
    leaks: Record<string, number>;
}

const cents = (v: number | string | null | undefined) => Math.round(Number(v ?? 0) * 100);

/** The stages, leaks and parts in cents from a row of the funnel mart's sums (each rounded to the cent). */
export function funnelCents(funnel: FunnelDefinition, row: Record<string, number | string | null | undefined>): FunnelCents {
    const stages = Object.fromEntries(funnel.stages.map((s) => [s.key, cents(row[s.key])]));
    const leaks: Record<string, number> = {};
    for (const [i, stage] of funnel.stages.entries()) {
        const below = funnel.leaks.filter((l) => l.below === stage.key);
        if (below.length === 0) continue;
        let rest = stages[stage.key]! - stages[funnel.stages[i + 1]!.key]!;
        for (const [j, l] of below.entries()) {
            leaks[l.key] = j < below.length - 1 ? cents(row[l.column]) : rest;
            rest -= leaks[l.key]!;
        }
    }
    for (const l of funnel.leaks) {
        let rest = leaks[l.key]!;
        for (const [j, p] of l.parts.entries()) {
            leaks[p.key] = j < l.parts.length - 1 ? cents(row[p.column]) : rest;
            rest -= leaks[p.key]!;
        }
    }
    return { stages, leaks };
}
