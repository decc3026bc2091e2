/**
 * The margin funnel's figures in cents from the exact sums of its mart's columns, as its .yml declares the stages
 * and leaks (models/SEMANTIC.md), rounded the way every money figure leaves the API (lib/money.ts). Each stage is
 * its sum rounded to the cent; the leaks below a stage are apportioned to the difference of the rounded stages
 * around it, and a leak's parts to the leak, by the largest-remainder method. So what is on screen reconciles
 * exactly: potential − Σ leaks = collected, a leak's parts add up to it, and collected − cost = realized margin.
 *
 * A breakdown (by client, project, project type, month) is apportioned both ways: each group reconciles on its
 * own as above, and every stage, leak, part and cost adds up over the groups to the whole funnel's figure.
 */
import { apportionCents, apportionTable, toCents, type Exact } from '../../lib/money.ts';
import type { FunnelDefinition } from './catalog.ts';

/** The money columns of the funnel mart its figures are made from: the stages', then each leak's and part's, and cost. */
export function funnelColumns(funnel: FunnelDefinition): string[] {
    const columns = [...funnel.stages.map((s) => s.key), ...funnel.leaks.flatMap((l) => [l.column, ...l.parts.map((p) => p.column)]), 'cost'];
    return [...new Set(columns)];
}

export interface FunnelCents {
    /** Stage key → cents. */
    stages: Record<string, number>;
    /** Leak key and part key → cents. */
    leaks: Record<string, number>;
    cost: number;
    /** The last stage (collected) − cost. */
    realized_margin: number;
}

/** Exact sums of the funnel mart's columns (decimal text, as the queries read them), by column. */
export type FunnelSums = Record<string, Exact | null | undefined>;

const exact = (row: FunnelSums, column: string): Exact => row[column] ?? 0;

/** The stages, leaks, parts, cost and realized margin in cents of one scope's sums. */
export function funnelCents(funnel: FunnelDefinition, row: FunnelSums): FunnelCents {
    const [whole] = funnelCentsByGroup(funnel, [row], row);
    return whole!;
}

/**
 * Each group's figures in cents, from the groups' sums and the whole's (the sums over every group): every group
 * reconciles on its own, and each figure adds up over the groups to the whole's.
 */
export function funnelCentsByGroup(funnel: FunnelDefinition, groups: readonly FunnelSums[], whole: FunnelSums): FunnelCents[] {
    const total = wholeCents(funnel, whole);
    const out: FunnelCents[] = groups.map(() => ({ stages: {}, leaks: {}, cost: 0, realized_margin: 0 }));
    const column = (key: string, totalCents: number, set: (g: FunnelCents, v: number) => void) =>
        apportionCents(
            groups.map((g) => exact(g, key)),
            totalCents,
        ).forEach((v, i) => set(out[i]!, v));
    for (const s of funnel.stages) column(s.key, total.stages[s.key]!, (g, v) => (g.stages[s.key] = v));
    column('cost', total.cost, (g, v) => (g.cost = v));
    const lastStage = funnel.stages.at(-1)!.key;
    for (const g of out) g.realized_margin = g.stages[lastStage]! - g.cost;
    for (const [i, stage] of funnel.stages.entries()) {
        const below = funnel.leaks.filter((l) => l.below === stage.key);
        if (below.length === 0) continue;
        const next = funnel.stages[i + 1]!.key;
        const table = apportionTable(
            groups.map((g) => below.map((l) => exact(g, l.column))),
            out.map((g) => g.stages[stage.key]! - g.stages[next]!),
            below.map((l) => total.leaks[l.key]!),
        );
        table.forEach((r, gi) => below.forEach((l, j) => (out[gi]!.leaks[l.key] = r[j]!)));
    }
    for (const l of funnel.leaks.filter((x) => x.parts.length > 0)) {
        const table = apportionTable(
            groups.map((g) => l.parts.map((p) => exact(g, p.column))),
            out.map((g) => g.leaks[l.key]!),
            l.parts.map((p) => total.leaks[p.key]!),
        );
        table.forEach((r, gi) => l.parts.forEach((p, j) => (out[gi]!.leaks[p.key] = r[j]!)));
    }
    return out;
}

/** The whole's figures: stages and cost rounded, leaks apportioned to the stages around them, parts to their leak. */
function wholeCents(funnel: FunnelDefinition, row: FunnelSums): FunnelCents {
    const stages = Object.fromEntries(funnel.stages.map((s) => [s.key, toCents(exact(row, s.key))]));
    const leaks: Record<string, number> = {};
    for (const [i, stage] of funnel.stages.entries()) {
        const below = funnel.leaks.filter((l) => l.below === stage.key);
        if (below.length === 0) continue;
        const gap = stages[stage.key]! - stages[funnel.stages[i + 1]!.key]!;
        apportionCents(
            below.map((l) => exact(row, l.column)),
            gap,
        ).forEach((v, j) => (leaks[below[j]!.key] = v));
    }
    for (const l of funnel.leaks) {
        apportionCents(
            l.parts.map((p) => exact(row, p.column)),
            leaks[l.key],
        ).forEach((v, j) => (leaks[l.parts[j]!.key] = v));
    }
    const cost = toCents(exact(row, 'cost'));
    return { stages, leaks, cost, realized_margin: stages[funnel.stages.at(-1)!.key]! - cost };
}
