/**
 * The client projects before they are dated: how many of each type, each one's billing model, length,
 * size and client. Sizes are relative here; the capacity section scales them to the firm.
 */
import type { Rng } from '../../../lib/rng.ts';
import { PROJECT_TYPES, TYPE_SPECS, type BillingModel, type ProjectType } from '../reference.ts';
import type { Client } from './types.ts';

export interface Draft {
    type: ProjectType;
    model: BillingModel;
    client: Client;
    continuation: boolean;
    weeks: number;
    estTotal: number;
    openEnded: boolean;
}

/** `external`: the clients other than the firm itself. */
export function draftClientProjects(rng: Rng, scale: number, external: Client[]): Draft[] {
    const nClientProjects = scale >= 1 ? 112 : Math.max(20, Math.round(112 * scale));
    const typeCounts = countsByType(nClientProjects);
    const drafts: Draft[] = [];
    const clientWeights = external.map((_, i) => 1 / Math.pow(i + 2, 0.7));
    rng.shuffle(clientWeights);
    PROJECT_TYPES.forEach((type, ti) => {
        const spec = TYPE_SPECS[type];
        const mix = Object.entries(spec.models) as [BillingModel, number][];
        for (let n = 0; n < typeCounts[ti]!; n++) {
            const model = mix[rng.weighted(mix.map(([, share]) => share))]![0];
            const weeks = Math.round(rng.range(spec.weeks[0], spec.weeks[1]));
            // "phase 2" contracts of engagements that began before the window start straight in build
            const continuation = type !== 'maintenance' && type !== 'discovery' && rng.chance(0.16);
            const fte = rng.range(spec.fte[0], spec.fte[1]);
            const estTotal = weeks * fte * 34 * rng.lognormal(0, 0.15);
            drafts.push({ type, model, client: external[0]!, continuation, weeks: continuation ? Math.max(6, Math.round(weeks * 0.75)) : weeks, estTotal: continuation ? estTotal * 0.75 : estTotal, openEnded: false });
        }
    });
    // every billing model is present
    const needModels: BillingModel[] = ['time_and_materials', 'fixed_fee', 'retainer', 'milestone'];
    for (const m of needModels) {
        const have = drafts.filter((d) => d.model === m).length;
        const want = m === 'retainer' ? 3 : m === 'milestone' ? 3 : 2;
        for (let i = have; i < want; i++) {
            const candidates = drafts.filter((d) => (m === 'retainer' ? d.type === 'maintenance' : d.type !== 'maintenance') && drafts.filter((x) => x.model === d.model).length > 3);
            if (candidates.length > 0) rng.pick(candidates).model = m;
        }
    }
    // some open-ended T&M maintenance
    for (const d of drafts) if (d.type === 'maintenance' && d.model === 'time_and_materials' && rng.chance(0.35)) d.openEnded = true;
    // clients: each gets at least one project, then weighted
    rng.shuffle(drafts);
    drafts.forEach((d, i) => {
        d.client = i < external.length ? external[i]! : external[rng.weighted(clientWeights)]!;
    });
    return drafts;
}

/** Projects per type (in PROJECT_TYPES order): the full firm's mix scaled, at least two of each, summing to `n`. */
function countsByType(n: number): number[] {
    const typeCounts = PROJECT_TYPES.map((t) => Math.max(2, Math.round((TYPE_SPECS[t].count * n) / 112)));
    let totalTyped = typeCounts.reduce((a, b) => a + b, 0);
    for (let i = 0; totalTyped !== n; i = (i + 1) % typeCounts.length) {
        const j = (i * 3 + 1) % typeCounts.length;
        if (totalTyped > n && typeCounts[j]! > 2) {
            typeCounts[j]!--;
            totalTyped--;
        } else if (totalTyped < n) {
            typeCounts[j]!++;
            totalTyped++;
        }
    }
    return typeCounts;
}
