/**
 * Work streams: what a person works on in a week (a client allocation or internal filler), with the
 * activities, tasks and notes its entries draw from (pre-escaped for the CSV once).
 */
import { esc } from '../csv.ts';
import { INTERNAL, MEETING_NONBILLABLE_NOTES, NOTES, TASKS, activityDist, fillerWeights, type Dist, type InternalSpec, type Role } from '../reference.ts';
import type { Item, Project } from '../plan/types.ts';
import type { ActTable, EntryPass, WA } from './types.ts';

const escAll = (a: readonly string[]): string[] => a.map(esc);
export const TASKS_ESC: Record<string, string[]> = Object.fromEntries(Object.entries(TASKS).map(([k, v]) => [k, escAll(v)]));
export const NOTES_ESC: Record<string, string[]> = Object.fromEntries(Object.entries(NOTES).map(([k, v]) => [k, escAll(v)]));
export const NB_NOTES_ESC = escAll(MEETING_NONBILLABLE_NOTES);
export const INTERNAL_TASKS_ESC = new Map<string, string[]>(INTERNAL.map((s) => [s.key, escAll(s.tasks)]));
export const q = (x: number, unit: number): number => Math.floor(x / unit) * unit;

export function acts(pass: EntryPass, key: string, dist: Dist): ActTable {
    let t = pass.actCache.get(key);
    if (!t) {
        let c = 0;
        const names: string[] = [];
        const cum: number[] = [];
        for (const [n, wgt] of dist) {
            c += wgt;
            names.push(n);
            cum.push(c);
        }
        for (let i = 0; i < cum.length; i++) cum[i]! /= c;
        t = { names, cum };
        pass.actCache.set(key, t);
    }
    return t;
}

export function pickAct(pass: EntryPass, t: ActTable): string {
    const x = pass.rng.next();
    for (let i = 0; i < t.cum.length; i++) if (x < t.cum[i]!) return t.names[i]!;
    return t.names[t.names.length - 1]!;
}

export function clientWA(pass: EntryPass, proj: Project, item: Item | null, phase: string, role: Role, hours: number): WA {
    return {
        proj,
        item,
        phase,
        role,
        rem: hours,
        acts: acts(pass, phase + '|' + role, activityDist(phase, role)),
        tasks: TASKS_ESC[phase] ?? TASKS_ESC.build!,
        tm: proj.model === 'time_and_materials',
        rateDay: -1,
        rate: null,
        lineRun: -1,
        lineRate: -1,
        line: null,
    };
}

export function internalWA(pass: EntryPass, spec: InternalSpec, role: Role, hours: number): WA {
    return {
        proj: pass.firm.internal[spec.key]!,
        item: null,
        phase: spec.phase,
        role,
        rem: hours,
        acts: acts(pass, 'internal|' + spec.key, spec.activities),
        tasks: INTERNAL_TASKS_ESC.get(spec.key)!,
        tm: false,
        rateDay: -1,
        rate: null,
        lineRun: -1,
        lineRate: -1,
        line: null,
    };
}

const fillerCache = new Map<Role, number[]>();
export function fillerKinds(role: Role): number[] {
    let w = fillerCache.get(role);
    if (!w) {
        w = fillerWeights(role);
        fillerCache.set(role, w);
    }
    return w;
}
