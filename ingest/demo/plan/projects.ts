/**
 * The projects and their work: the firm's internal projects, and for each client project its code and
 * name, its overrun (actual hours per line = estimate × a lognormal ratio), its phases' dates and its
 * items (phase × role lines of work, plus unplanned hypercare on some). Dates are placed in placement.ts.
 */
import type { Rng } from '../../../lib/rng.ts';
import { addMonths, dayOf } from '../calendar.ts';
import { INTERNAL, MODEL_MU, PHASE_MU, TYPE_SPECS, type PhaseSpec, type Role, type TypeSpec } from '../reference.ts';
import type { Draft } from './project-drafts.ts';
import type { Client, Item, PlanWindow, Project } from './types.ts';

export interface PlannedProjects {
    /** The internal projects, then the client projects in draft order. */
    projects: Project[];
    internal: Record<string, Project>;
    items: Item[];
    /** Contract months of each maintenance project, by project idx: placement dates them again. */
    maintenanceMonths: Map<number, number>;
    /** The "phase 2" projects, which may only start in the window's first weeks. */
    continued: Set<Project>;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export const projectId = (idx: number): string => 'PRJ-' + String(idx + 1).padStart(4, '0');

/** `firm`: the firm's own client (C000), the client of the internal projects. */
export function planProjects(rng: Rng, win: PlanWindow, firm: Client, drafts: Draft[]): PlannedProjects {
    const { startDay, endDay } = win;
    const projects: Project[] = [];
    const internal: Record<string, Project> = {};
    const internalStart = dayOf(win.startYear - 6, 0, 1);
    for (const spec of INTERNAL) {
        const p = newProject(projects.length, {
            client: firm,
            code: spec.code,
            name: spec.name,
            model: 'non_billable',
            type: 'internal',
            internal: spec,
            startDay: internalStart,
            plannedWeeks: 0,
            plannedEndDay: endDay + 3650,
            openEnded: true,
            lastWorkDay: endDay,
        });
        projects.push(p);
        internal[spec.key] = p;
    }
    const planned: PlannedProjects = { projects, internal, items: [], maintenanceMonths: new Map(), continued: new Set() };
    const seqByClientType = new Map<string, number>();
    const nameCount = new Map<string, number>();
    for (const d of drafts) {
        const spec = TYPE_SPECS[d.type];
        const startDay0 = startDay; // placed later (see placement.ts)
        const key = d.client.short + spec.abbrev;
        const seq = (seqByClientType.get(key) ?? 0) + 1;
        seqByClientType.set(key, seq);
        const title = rng.pick(spec.titles) + (d.continuation ? ' – phase 2' : '');
        const nk = d.client.id + title;
        const nn = (nameCount.get(nk) ?? 0) + 1;
        nameCount.set(nk, nn);
        const maintenance = d.type === 'maintenance';
        const months = Math.max(6, Math.round(d.weeks / 4.345));
        const plannedEndDay = maintenance ? addMonths(startDay0, months) - 1 : startDay0 + d.weeks * 7 - 3;
        if (maintenance) planned.maintenanceMonths.set(projects.length, months);
        const p = newProject(projects.length, {
            client: d.client,
            code: `${d.client.short}-${spec.abbrev}${seq}`,
            name: nn > 1 ? `${title} ${nn}` : title,
            model: d.model,
            type: d.type,
            internal: null,
            startDay: startDay0,
            plannedWeeks: d.weeks,
            plannedEndDay,
            openEnded: d.openEnded,
            lastWorkDay: startDay0,
        });
        projects.push(p);
        if (d.continuation) planned.continued.add(p);
        const phaseRatio = overrunRatios(rng, p, d, spec);
        for (let m = 0; m < win.nMonths + 40; m++) p.monthFactor.push(maintenance ? rng.lognormal(0, 0.3) : 1);
        const deployEnd = phaseItems(rng, p, d, phaseRatio, planned.items);
        // unplanned hypercare after go-live on some projects
        if (!maintenance && d.type !== 'discovery' && rng.chance(0.14)) {
            const sDay = deployEnd + 1;
            const it = newItem(planned.items.length, p, 'hypercare', 'senior_developer', {
                est: 0,
                actual: d.estTotal * rng.range(0.02, 0.05),
                ratio: 1,
                inPlan: false,
                sDay,
                eDay: sDay + rng.intIn(10, 24),
            });
            planned.items.push(it);
            p.items.push(it);
        }
    }
    return planned;
}

type ProjectFields = Pick<Project, 'client' | 'code' | 'name' | 'model' | 'type' | 'internal' | 'startDay' | 'plannedWeeks' | 'plannedEndDay' | 'openEnded' | 'lastWorkDay'>;

/** A project before staffing: no manager, no overrun, open, with no work, money or phases yet. */
function newProject(idx: number, fields: ProjectFields): Project {
    const { client, code, name, model, type, internal, startDay, plannedWeeks, plannedEndDay, openEnded, lastWorkDay } = fields;
    return {
        idx,
        id: projectId(idx),
        client,
        code,
        name,
        model,
        type,
        internal,
        manager: null,
        startDay,
        plannedWeeks,
        plannedEndDay,
        openEnded,
        stretch: 1,
        ratio: 1,
        tail: false,
        endDay: null,
        status: 'active',
        finished: false,
        lastWorkDay,
        budgetHours: null,
        contractCents: null,
        items: [],
        replan: [],
        fees: [],
        milestones: [],
        terms: [],
        monthFactor: [],
        feeScheme: null,
        phases: [],
    };
}

type ItemFields = Pick<Item, 'est' | 'actual' | 'ratio' | 'inPlan' | 'sDay' | 'eDay'>;

/** A line of work before staffing: nothing served yet, no backlog, nobody on it. */
function newItem(idx: number, proj: Project, phase: string, role: Role, fields: ItemFields): Item {
    const { est, actual, ratio, inPlan, sDay, eDay } = fields;
    return {
        idx,
        proj,
        phase,
        role,
        est,
        actual,
        ratio,
        inPlan,
        sDay,
        eDay,
        perDay: 0,
        backlog: 0,
        served: 0,
        firstWeek: -1,
        lastWeek: -1,
        overdueWeeks: 0,
        done: false,
        sticky: [],
    };
}

/**
 * Overrun ratios: lognormal, a project effect shared by its phases, type/phase/model shifts, a heavy tail.
 * Sets the project's phases (a "phase 2" keeps build onwards), tail, ratio and stretch; returns each phase's ratio.
 */
function overrunRatios(rng: Rng, p: Project, d: Draft, spec: TypeSpec): Map<string, number> {
    const maintenance = d.type === 'maintenance';
    const base = -0.06;
    const zProj = rng.normal() * (maintenance ? 0.12 : 0.2);
    const tail = !maintenance && d.type !== 'discovery' && rng.chance(0.09);
    const tailF = tail ? rng.range(1.9, 2.7) : 1;
    p.tail = tail;
    const phaseRatio = new Map<string, number>();
    let wsum = 0;
    let rsum = 0;
    let phaseSpecs: readonly PhaseSpec[] = spec.phases;
    if (d.continuation) {
        const kept = spec.phases.filter((ps) => ps.phase !== 'discovery' && ps.phase !== 'design');
        const shift = Math.min(...kept.filter((ps) => ps.phase !== 'pm').map((ps) => ps.from));
        // mid-flight: testing and integration already run alongside the build
        const early = (ps: PhaseSpec, from: number): number => (ps.phase === 'test' || ps.phase === 'integration' ? Math.min(from, 0.05) : from);
        phaseSpecs = kept.map((ps) => (ps.phase === 'pm' ? ps : { ...ps, from: early(ps, Math.max(0, (ps.from - shift) / (1 - shift))), to: (ps.to - shift) / (1 - shift) }));
    }
    p.phases = phaseSpecs;
    for (const ps of phaseSpecs) {
        const r =
            ps.phase === 'pm'
                ? Math.exp(base + PHASE_MU.pm! + zProj + rng.normal() * 0.06) * Math.pow(tailF, 0.7)
                : Math.exp(base + spec.mu + (PHASE_MU[ps.phase] ?? 0) + MODEL_MU[d.model] + zProj + rng.normal() * 0.15) * tailF;
        phaseRatio.set(ps.phase, r);
        wsum += ps.share;
        rsum += ps.share * r;
    }
    p.ratio = rsum / wsum;
    p.stretch = maintenance ? 1 : clamp(1 + 0.6 * (p.ratio - 1), 0.85, 2.2);
    return phaseRatio;
}

/**
 * The project's planned items, phase × role, dated within its stretched schedule (test and integration
 * run longer when they overrun more than the project). Returns the day deployment ends.
 */
function phaseItems(rng: Rng, p: Project, d: Draft, phaseRatio: Map<string, number>, items: Item[]): number {
    const maintenance = d.type === 'maintenance';
    const startDay0 = p.startDay;
    const span = d.weeks * 7 * p.stretch;
    let deployEnd = startDay0;
    for (const ps of p.phases) {
        const pr = phaseRatio.get(ps.phase)!;
        let sDay: number;
        let eDay: number;
        if (maintenance) {
            sDay = startDay0;
            eDay = p.plannedEndDay;
        } else {
            sDay = startDay0 + Math.floor(ps.from * span);
            eDay = startDay0 + Math.ceil(ps.to * span) - 1;
            if ((ps.phase === 'test' || ps.phase === 'integration') && pr > p.ratio) eDay += Math.round((pr / p.ratio - 1) * 0.5 * (eDay - sDay));
            eDay = Math.max(eDay, sDay + 4);
        }
        if (ps.phase === 'deploy') deployEnd = eDay;
        for (const [role, share] of ps.roles) {
            const est = d.estTotal * ps.share * share;
            const ratio = pr * Math.exp(rng.normal() * 0.08);
            const it = newItem(items.length, p, ps.phase, role, { est, actual: est * ratio, ratio, inPlan: true, sDay, eDay });
            items.push(it);
            p.items.push(it);
        }
    }
    return deployEnd;
}
