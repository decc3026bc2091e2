/**
 * Planning pass of the demo generator: builds the firm (people, clients, projects, plans, rates,
 * contracts), then staffs every project week by week. No time entry is made here; the entry pass
 * (entries.ts) turns the weekly allocations into entries.
 *
 * Everything draws from seeded streams that do not depend on the requested entry count, so the firm
 * is the same for every size at or above FULL_SIZE_ENTRIES.
 */
import { Rng } from '../../lib/rng.ts';
import {
    Calendar,
    addMonths,
    dayOf,
    dow,
    monthFirstDay,
    monthKey,
    monthLastDay,
    mondayOf,
    weekdayOnOrAfter,
    ymd,
} from './calendar.ts';
import {
    CLIENTS,
    FIRST_NAMES,
    INTERNAL,
    LAST_NAMES,
    MILESTONE_NAMES,
    MILESTONE_WEIGHT,
    MODEL_MU,
    PHASE_MU,
    PROJECT_TYPES,
    REPORTING_CURRENCY,
    ROLES,
    ROLE_SPECS,
    TYPE_SPECS,
    EMAIL_DOMAIN,
    type BillingModel,
    type InternalSpec,
    type PhaseSpec,
    type ProjectType,
    type Role,
} from './reference.ts';

/** At or above this many entries the firm has its full size (150 people, 120 projects). */
export const FULL_SIZE_ENTRIES = 165_000;

export type LogStyle = 'daily' | 'friday' | 'late' | 'mixed';

export interface Person {
    idx: number;
    id: string;
    name: string;
    email: string;
    role: Role;
    department: string;
    hireDay: number;
    /** Last day employed, or null. */
    leaveDay: number | null;
    caps: { from: number; hours: number }[];
    costs: { from: number; cents: number; currency: string }[];
    logStyle: LogStyle;
    source: 'timer' | 'week_grid' | 'import';
    missingRate: number;
    logsLeave: boolean;
    leave: Set<number>;
    batchPeriod: number;
    batchOffset: number;
    /** Days a project manager waits after the week before approving (PMs only). */
    reviewLag: number;
    /** Days after Friday the person submits the week (most submit on Friday). */
    submitLag: number;
}

export interface Client {
    idx: number;
    id: string;
    name: string;
    short: string;
    currency: string;
    internal: boolean;
    termsDays: number;
    payMean: number;
    paySd: number;
    unpaidP: number;
}

export interface Item {
    idx: number;
    proj: Project;
    phase: string;
    role: Role;
    /** Baseline estimate (hours), 0 for unplanned work. */
    est: number;
    /** Target actual hours (estimate × overrun ratio). */
    actual: number;
    ratio: number;
    inPlan: boolean;
    sDay: number;
    eDay: number;
    perDay: number;
    backlog: number;
    served: number;
    firstWeek: number;
    lastWeek: number;
    overdueWeeks: number;
    done: boolean;
    sticky: number[];
}

export interface Milestone {
    id: string;
    name: string;
    phase: string;
    cents: number;
    plannedDay: number;
    signedOffDay: number | null;
}

export interface RetainerTerm {
    from: number;
    feeCents: number;
    /** Included hours in ten-thousandths. */
    includedTt: number;
    overageCents: number;
    rollover: number;
}

export interface FeeInstallment {
    month: number;
    cents: number;
    periodStart: number;
    periodEnd: number;
}

export interface Project {
    idx: number;
    id: string;
    client: Client;
    code: string;
    name: string;
    model: BillingModel;
    type: string;
    internal: InternalSpec | null;
    manager: Person | null;
    startDay: number;
    plannedWeeks: number;
    plannedEndDay: number;
    openEnded: boolean;
    stretch: number;
    ratio: number;
    tail: boolean;
    /** Output end_date (null = open). */
    endDay: number | null;
    status: 'active' | 'closed';
    finished: boolean;
    lastWorkDay: number;
    budgetHours: number | null;
    contractCents: number | null;
    items: Item[];
    replan: { phase: string; role: Role; hours: number }[];
    fees: FeeInstallment[];
    milestones: Milestone[];
    terms: RetainerTerm[];
    /** Monthly demand factor (retainers, maintenance). */
    monthFactor: number[];
    feeScheme: 'split' | 'monthly' | null;
    phases: readonly PhaseSpec[];
}

export interface RateCard {
    scope: 'firm' | 'client' | 'project' | 'role' | 'person' | 'project_role';
    scopeId: string;
    role: string;
    from: number;
    to: number | null;
    cents: number;
    currency: string;
}

export interface Alloc {
    item: Item;
    hours: number;
}

export type FlagKind =
    | 'over12h'
    | 'future'
    | 'before-start'
    | 'after-close'
    | 'billable-admin'
    | 'billable-internal'
    | 'unplanned-phase'
    | 'unplanned-role'
    | 'no-phase'
    | 'duplicate'
    | 'overlap'
    | 'zero'
    | 'weekend';

export interface FlagSpec {
    kind: FlagKind;
    person: Person;
    day: number;
    proj: Project;
    phase: string;
}

export interface Run {
    month: number;
    day: number;
}

export interface Firm {
    seed: number;
    startDay: number;
    endDay: number;
    cal: Calendar;
    mondays: number[];
    nMonths: number;
    firstMonthKey: number;
    scale: number;
    people: Person[];
    clients: Client[];
    projects: Project[];
    internal: Record<string, Project>;
    rateCards: RateCard[];
    rateIndex: Map<string, RateCard[]>;
    allocs: (Alloc[] | undefined)[][];
    runs: Run[];
    /** Index of the first run after each day in [startDay, endDay + 1] (runs.length = none). */
    runAfter: Int32Array;
    flags: Map<string, FlagSpec[]>;
    futureFlags: FlagSpec[];
    headPm: Person;
    deputyPm: Person;
    /** Expected person-days with work (excluding leave) and leave days, for sizing the entries. */
    workDays: number;
    leaveDays: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function capacityAt(p: Person, day: number): number {
    let h = p.caps[0]?.hours ?? 40;
    for (const c of p.caps) if (c.from <= day) h = c.hours;
    return h;
}

export function employed(p: Person, day: number): boolean {
    return day >= p.hireDay && (p.leaveDay === null || day <= p.leaveDay);
}

function weekdaysBetween(a: number, b: number): number {
    let n = 0;
    for (let d = a; d <= b; d++) if (dow(d) < 5) n++;
    return n;
}

function asciiFold(s: string): string {
    return s
        .replaceAll('ł', 'l')
        .replaceAll('Ł', 'L')
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase();
}

export interface PlanOptions {
    seed: number;
    endDay: number;
    entries: number;
}

export function planFirm(opts: PlanOptions): Firm {
    const { seed, endDay } = opts;
    const startDay = addMonths(endDay, -24) + 1;
    const firstMonthKey = monthKey(startDay);
    const nMonths = monthKey(endDay) - firstMonthKey + 1;
    const monday0 = mondayOf(startDay);
    const W = Math.floor((endDay - monday0) / 7) + 1;
    const mondays: number[] = [];
    for (let w = 0; w < W; w++) mondays.push(monday0 + 7 * w);
    const cal = new Calendar(monday0 - 14, endDay + 200, firstMonthKey);
    const scale = Math.min(1, opts.entries / FULL_SIZE_ENTRIES);
    const startYear = ymd(startDay).y;
    const endYear = ymd(endDay).y;

    const rng = new Rng(seed, 1);
    const staffRng = new Rng(seed, 2);
    const flagRng = new Rng(seed, 3);

    // ---------------- clients ----------------
    const nClients = scale >= 1 ? CLIENTS.length : Math.max(6, Math.round(CLIENTS.length * scale));
    const clients: Client[] = [
        { idx: 0, id: 'C000', name: 'Northwind Digital (internal)', short: 'NWD', currency: REPORTING_CURRENCY, internal: true, termsDays: 30, payMean: 0, paySd: 0, unpaidP: 0 },
    ];
    for (let i = 0; i < nClients; i++) {
        const spec = CLIENTS[i]!;
        const kind = rng.weighted([0.5, 0.3, 0.15, 0.05]);
        const [payMean, paySd, unpaidP] = kind === 0 ? [-2, 4, 0.005] : kind === 1 ? [12, 8, 0.01] : kind === 2 ? [35, 15, 0.03] : [25, 20, 0.3];
        clients.push({
            idx: i + 1,
            id: 'C' + String(i + 1).padStart(3, '0'),
            name: spec.name,
            short: spec.short,
            currency: spec.currency,
            internal: false,
            termsDays: rng.pick([14, 30, 30, 30, 45, 60]),
            payMean,
            paySd,
            unpaidP,
        });
    }
    // at least one client that pays badly
    if (!clients.some((c) => c.unpaidP >= 0.3)) {
        const c = clients[1 + rng.int(nClients)]!;
        c.payMean = 25;
        c.paySd = 20;
        c.unpaidP = 0.3;
    }
    const external = clients.slice(1);

    // ---------------- client projects (relative sizes) ----------------
    const nClientProjects = scale >= 1 ? 112 : Math.max(20, Math.round(112 * scale));
    const typeCounts = PROJECT_TYPES.map((t) => Math.max(2, Math.round((TYPE_SPECS[t].count * nClientProjects) / 112)));
    let totalTyped = typeCounts.reduce((a, b) => a + b, 0);
    for (let i = 0; totalTyped !== nClientProjects; i = (i + 1) % typeCounts.length) {
        const j = (i * 3 + 1) % typeCounts.length;
        if (totalTyped > nClientProjects && typeCounts[j]! > 2) {
            typeCounts[j]!--;
            totalTyped--;
        } else if (totalTyped < nClientProjects) {
            typeCounts[j]!++;
            totalTyped++;
        }
    }
    interface Draft {
        type: ProjectType;
        model: BillingModel;
        client: Client;
        continuation: boolean;
        weeks: number;
        estTotal: number;
        openEnded: boolean;
    }
    const drafts: Draft[] = [];
    const clientWeights = external.map((_, i) => 1 / Math.pow(i + 2, 0.7));
    rng.shuffle(clientWeights);
    PROJECT_TYPES.forEach((type, ti) => {
        const spec = TYPE_SPECS[type];
        for (let n = 0; n < typeCounts[ti]!; n++) {
            const model = spec.models[rng.weighted(spec.models.map((m) => m[1]))]![0];
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

    // ---------------- projects ----------------
    const projects: Project[] = [];
    const internal: Record<string, Project> = {};
    const internalStart = dayOf(startYear - 6, 0, 1);
    for (const spec of INTERNAL) {
        const p: Project = {
            idx: projects.length,
            id: 'PRJ-' + String(projects.length + 1).padStart(4, '0'),
            client: clients[0]!,
            code: spec.code,
            name: spec.name,
            model: 'non_billable',
            type: 'internal',
            internal: spec,
            manager: null,
            startDay: internalStart,
            plannedWeeks: 0,
            plannedEndDay: endDay + 3650,
            openEnded: true,
            stretch: 1,
            ratio: 1,
            tail: false,
            endDay: null,
            status: 'active',
            finished: false,
            lastWorkDay: endDay,
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
        projects.push(p);
        internal[spec.key] = p;
    }
    const items: Item[] = [];
    const maintenanceMonths = new Map<number, number>();
    const continued = new Set<Project>();
    const seqByClientType = new Map<string, number>();
    const nameCount = new Map<string, number>();
    for (const d of drafts) {
        const spec = TYPE_SPECS[d.type];
        const startDay0 = startDay; // placed later (see placement below)
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
        if (maintenance) maintenanceMonths.set(projects.length, months);
        const p: Project = {
            idx: projects.length,
            id: 'PRJ-' + String(projects.length + 1).padStart(4, '0'),
            client: d.client,
            code: `${d.client.short}-${spec.abbrev}${seq}`,
            name: nn > 1 ? `${title} ${nn}` : title,
            model: d.model,
            type: d.type,
            internal: null,
            manager: null,
            startDay: startDay0,
            plannedWeeks: d.weeks,
            plannedEndDay,
            openEnded: d.openEnded,
            stretch: 1,
            ratio: 1,
            tail: false,
            endDay: null,
            status: 'active',
            finished: false,
            lastWorkDay: startDay0,
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
        projects.push(p);
        if (d.continuation) continued.add(p);

        // overrun ratios: lognormal, project effect shared by its phases, type/phase/model shifts, a heavy tail
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
        const span = d.weeks * 7 * p.stretch;
        for (let m = 0; m < nMonths + 40; m++) p.monthFactor.push(maintenance ? rng.lognormal(0, 0.3) : 1);
        let deployEnd = startDay0;
        for (const ps of phaseSpecs) {
            const pr = phaseRatio.get(ps.phase)!;
            let sDay: number;
            let eDay: number;
            if (maintenance) {
                sDay = startDay0;
                eDay = plannedEndDay;
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
                const it: Item = {
                    idx: items.length,
                    proj: p,
                    phase: ps.phase,
                    role,
                    est,
                    actual: est * ratio,
                    ratio,
                    inPlan: true,
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
                items.push(it);
                p.items.push(it);
            }
        }
        // unplanned hypercare after go-live on some projects
        if (!maintenance && d.type !== 'discovery' && rng.chance(0.14)) {
            const sDay = deployEnd + 1;
            const it: Item = {
                idx: items.length,
                proj: p,
                phase: 'hypercare',
                role: 'senior_developer',
                est: 0,
                actual: d.estTotal * rng.range(0.02, 0.05),
                ratio: 1,
                inPlan: false,
                sDay,
                eDay: sDay + rng.intIn(10, 24),
                perDay: 0,
                backlog: 0,
                served: 0,
                firstWeek: -1,
                lastWeek: -1,
                overdueWeeks: 0,
                done: false,
                sticky: [],
            };
            items.push(it);
            p.items.push(it);
        }
    }

    // ---------------- placement: start weeks that keep every role's load level ----------------
    {
        const roleIdx = new Map<Role, number>(ROLES.map((r, i) => [r, i]));
        const load = ROLES.map(() => new Float64Array(W));
        const totalByRole = new Float64Array(ROLES.length);
        const profiles = new Map<Project, { r: number; off: number; h: number }[]>();
        const size = new Map<Project, number>();
        const cps = projects.filter((p) => !p.internal);
        for (const p of cps) {
            const agg = new Map<number, number>();
            let total = 0;
            for (const it of p.items) {
                const per = it.actual / Math.max(1, weekdaysBetween(it.sDay, it.eDay));
                const ri = roleIdx.get(it.role)!;
                for (let d = it.sDay; d <= it.eDay; d++) {
                    if (dow(d) >= 5) continue;
                    const key = ri * 100000 + Math.floor((d - monday0) / 7);
                    agg.set(key, (agg.get(key) ?? 0) + per);
                }
                totalByRole[ri]! += it.actual;
                total += it.actual;
            }
            profiles.set(p, [...agg].map(([k, h]) => ({ r: Math.floor(k / 100000), off: k % 100000, h })));
            size.set(p, total);
        }
        const order = [...cps].sort((a, b) => size.get(b)! - size.get(a)! || a.idx - b.idx);
        // one milestone project runs past the end, so some milestones are not signed off yet
        const byLength = cps.filter((p) => p.model === 'milestone').sort((a, b) => Number(continued.has(a)) - Number(continued.has(b)) || b.plannedWeeks - a.plannedWeeks || a.idx - b.idx);
        const lateMilestone = byLength[0] ?? null;
        if (lateMilestone) continued.delete(lateMilestone);
        for (const p of order) {
            const prof = profiles.get(p)!;
            const maxStart = continued.has(p) ? 3 : p.type === 'maintenance' ? W - 20 : W - 2;
            const minStart = p === lateMilestone ? W - 8 : 0;
            // beyond the window, assume the load goes on at its recent level
            const tailLoad = load.map((l) => {
                let x = 0;
                for (let w = W - 8; w < W; w++) x += l[w]!;
                return x / 8;
            });
            let best = 0;
            let bestCost = Infinity;
            for (let s0 = minStart; s0 <= maxStart; s0++) {
                let c = 0;
                for (const x of prof) {
                    const w = x.off + s0;
                    const l = w < W ? load[x.r]![w]! : tailLoad[x.r]!;
                    c += (2 * l * x.h + x.h * x.h) / totalByRole[x.r]!;
                }
                c *= rng.lognormal(0, 0.2);
                if (c < bestCost) {
                    bestCost = c;
                    best = s0;
                }
            }
            for (const x of prof) if (x.off + best < W) load[x.r]![x.off + best]! += x.h;
            const newStart = Math.max(startDay, mondays[best]!);
            const delta = newStart - p.startDay;
            p.startDay = newStart;
            const months = maintenanceMonths.get(p.idx);
            p.plannedEndDay = months !== undefined ? addMonths(newStart, months) - 1 : p.plannedEndDay + delta;
            for (const it of p.items) {
                it.sDay += delta;
                it.eDay = months !== undefined ? p.plannedEndDay : it.eDay + delta;
            }
        }
        cps.sort((a, b) => a.startDay - b.startDay || a.idx - b.idx);
        projects.splice(INTERNAL.length, cps.length, ...cps);
        projects.forEach((p, i) => {
            p.idx = i;
            p.id = 'PRJ-' + String(i + 1).padStart(4, '0');
        });
        items.sort((a, b) => a.proj.idx - b.proj.idx || a.idx - b.idx);
        items.forEach((it, i) => (it.idx = i));
    }
    const clientProjects = projects.filter((p) => !p.internal);

    // ---------------- head count from demand ----------------
    const windowShare = (it: Item): number => {
        const total = weekdaysBetween(it.sDay, it.eDay);
        const inside = weekdaysBetween(Math.max(it.sDay, startDay), Math.min(it.eDay, endDay));
        return total > 0 ? inside / total : 0;
    };
    const demandByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    let demandTotal = 0;
    for (const it of items) {
        const v = it.actual * windowShare(it);
        demandByRole.set(it.role, demandByRole.get(it.role)! + v / ROLE_SPECS[it.role].clientShare);
        demandTotal += v / ROLE_SPECS[it.role].clientShare;
    }
    const nPeople = scale >= 1 ? 150 : Math.max(20, Math.round(150 * scale));
    const minByRole = (r: Role): number => (r === 'project_manager' ? (nPeople >= 60 ? 4 : 2) : 1);
    const exact = ROLES.map((r) => Math.max(minByRole(r), (nPeople * demandByRole.get(r)!) / demandTotal));
    const headcount = exact.map((x) => Math.floor(x));
    let hcSum = headcount.reduce((a, b) => a + b, 0);
    const order = ROLES.map((_, i) => i).sort((a, b) => exact[b]! - headcount[b]! - (exact[a]! - headcount[a]!) || a - b);
    for (let i = 0; hcSum < nPeople; i = (i + 1) % order.length) {
        headcount[order[i]!]!++;
        hcSum++;
    }
    while (hcSum > nPeople) {
        const j = headcount.indexOf(Math.max(...headcount));
        headcount[j]!--;
        hcSum--;
    }

    // ---------------- people ----------------
    interface PDraft {
        role: Role;
        hireDay: number;
        leaveDay: number | null;
    }
    const pdrafts: PDraft[] = [];
    // the biggest role always has a leaver and a joiner, even in the smallest firm
    const biggest = ROLES.reduce((b, r, i) => (r !== 'project_manager' && headcount[i]! > headcount[b]! ? i : b), 0);
    ROLES.forEach((role, ri) => {
        const n = headcount[ri]!;
        const joiners = n >= 4 ? Math.max(1, Math.round(n * 0.16)) : ri === biggest && n >= 2 ? 1 : 0;
        const leavers = role === 'project_manager' ? 0 : Math.min(joiners, Math.max(ri === biggest ? 1 : 0, Math.round(n * 0.12)));
        const initial = n - joiners;
        const leaveDays: number[] = [];
        for (let i = 0; i < initial; i++) {
            const hire = weekdayOnOrAfter(startDay - rng.intIn(20, 3200));
            let leave: number | null = null;
            if (i < leavers) {
                leave = monthLastDay(monthKey(startDay + rng.intIn(60, endDay - startDay - 90)));
                leaveDays.push(leave);
            }
            pdrafts.push({ role, hireDay: hire, leaveDay: leave });
        }
        for (let j = 0; j < joiners; j++) {
            let hire: number;
            if (j < leaveDays.length) hire = leaveDays[j]! + rng.intIn(5, 50);
            else hire = startDay + rng.intIn(30, endDay - startDay - 60);
            hire = Math.min(hire, endDay - 30);
            hire = weekdayOnOrAfter(monthFirstDay(monthKey(hire)) + (rng.chance(0.6) ? 0 : 14));
            pdrafts.push({ role, hireDay: hire, leaveDay: null });
        }
    });
    rng.shuffle(pdrafts);
    pdrafts.sort((a, b) => a.hireDay - b.hireDay);
    const usedNames = new Set<string>();
    const people: Person[] = pdrafts.map((pd, idx) => {
        let name = '';
        for (;;) {
            name = rng.pick(FIRST_NAMES) + ' ' + rng.pick(LAST_NAMES);
            if (!usedNames.has(name)) break;
        }
        usedNames.add(name);
        const [first, ...rest] = name.split(' ');
        const spec = ROLE_SPECS[pd.role];
        const from0 = Math.max(pd.hireDay, startDay);
        // capacity
        const h0 = rng.chance(0.85) ? 40 : rng.chance(0.67) ? 32 : 24;
        const caps = [{ from: from0, hours: h0 }];
        if (rng.chance(0.11)) {
            const lastDay = pd.leaveDay ?? endDay;
            if (lastDay - from0 > 120) {
                const when = monthFirstDay(monthKey(from0 + rng.intIn(60, lastDay - from0 - 30)));
                if (when > from0) caps.push({ from: when, hours: h0 === 40 ? rng.pick([32, 32, 24]) : h0 === 32 ? 40 : 32 });
            }
        }
        // cost rates
        const currency = 'EUR';
        const costs = [{ from: from0, cents: Math.round(spec.cost * rng.lognormal(0, 0.09) * 2) * 50, currency }];
        const raises = rng.chance(0.75);
        let promotion = rng.chance(0.1) ? startDay + rng.intIn(90, endDay - startDay - 60) : -1;
        if (promotion >= 0) promotion = monthFirstDay(monthKey(promotion));
        for (let y = startYear + 1; y <= endYear; y++) {
            const jan1 = dayOf(y, 0, 1);
            if (raises && jan1 > from0 && (pd.leaveDay === null || jan1 <= pd.leaveDay) && jan1 <= endDay) {
                const last = costs[costs.length - 1]!;
                costs.push({ from: jan1, cents: Math.round((last.cents * rng.range(1.02, 1.06)) / 50) * 50, currency });
            }
        }
        if (promotion > from0 && (pd.leaveDay === null || promotion <= pd.leaveDay) && !costs.some((c) => c.from === promotion)) {
            costs.push({ from: promotion, cents: 0, currency });
            costs.sort((a, b) => a.from - b.from);
            for (let i = 1; i < costs.length; i++) if (costs[i]!.cents === 0) costs[i]!.cents = Math.round((costs[i - 1]!.cents * rng.range(1.07, 1.1)) / 50) * 50;
            for (let i = 1; i < costs.length; i++) if (costs[i]!.cents <= costs[i - 1]!.cents) costs[i]!.cents = costs[i - 1]!.cents + 50;
        }
        const logStyle: LogStyle = pd.role === 'project_manager' ? 'daily' : (['daily', 'friday', 'late', 'mixed'] as const)[rng.weighted([0.52, 0.26, 0.1, 0.12])]!;
        const source = logStyle === 'daily' ? (['timer', 'week_grid', 'import'] as const)[rng.weighted([0.45, 0.45, 0.1])]! : rng.chance(0.8) ? 'week_grid' : 'import';
        return {
            idx,
            id: 'P' + String(idx + 1).padStart(4, '0'),
            name,
            email: `${asciiFold(first!)}.${asciiFold(rest.join(''))}@${EMAIL_DOMAIN}`,
            role: pd.role,
            department: spec.department,
            hireDay: pd.hireDay,
            leaveDay: pd.leaveDay,
            caps,
            costs,
            logStyle,
            source,
            missingRate: rng.chance(0.1) ? rng.range(0.05, 0.09) : rng.range(0.005, 0.03),
            logsLeave: rng.chance(0.88),
            leave: new Set<number>(),
            batchPeriod: rng.intIn(12, 26),
            batchOffset: rng.int(28),
            reviewLag: rng.intIn(0, 2),
            submitLag: rng.chance(0.2) ? rng.intIn(3, 5) : 0,
        };
    });
    // every logging behaviour is present, even in the smallest firm
    const staff = people.filter((p) => p.role !== 'project_manager');
    for (const [i, style] of (['late', 'friday', 'mixed'] as const).entries()) {
        if (!staff.some((p) => p.logStyle === style) && staff.length > 3) {
            const p = staff[(i * 5 + 1) % staff.length]!;
            p.logStyle = style;
            p.source = 'week_grid';
        }
    }
    if (!people.some((p) => p.source === 'timer')) {
        const p = people.find((x) => x.logStyle === 'daily')!;
        p.source = 'timer';
    }
    // at least one capacity change (a switch to part time)
    if (!people.some((p) => p.caps.length > 1)) {
        const p = people.find((x) => x.leaveDay === null && x.hireDay <= startDay && x.role !== 'project_manager') ?? people[0]!;
        p.caps.push({ from: monthFirstDay(monthKey(startDay) + 10), hours: p.caps[0]!.hours === 40 ? 32 : 40 });
    }
    // a few cost rates in other currencies (contractors abroad)
    const foreign = people.filter((p) => p.role === 'developer' || p.role === 'senior_developer');
    for (let i = 0; i < Math.min(scale >= 1 ? 3 : 1, foreign.length); i++) {
        const p = foreign[(i * 7 + 3) % foreign.length]!;
        const cur = i === 2 ? 'USD' : 'GBP';
        for (const c of p.costs) {
            c.currency = cur;
            c.cents = Math.round(c.cents / FXS[cur]! / 50) * 50;
        }
    }
    // leave: vacation blocks, single days, Christmas, sick days
    for (const p of people) {
        for (let y = startYear; y <= endYear; y++) {
            const add = (d: number): void => {
                if (dow(d) < 5 && d >= startDay && d <= endDay && employed(p, d)) p.leave.add(d);
            };
            const summer = mondayOf(dayOf(y, 5, 1) + rng.int(80));
            const len = rng.pick([5, 10, 10, 15]);
            for (let k = 0, d = summer; k < len; d++) if (dow(d) < 5) (add(d), k++);
            const other = mondayOf(dayOf(y, rng.pick([2, 3, 9, 10]), 1) + rng.int(25));
            for (let k = 0; k < 5; k++) add(other + k);
            if (rng.chance(0.7)) for (let d = dayOf(y, 11, 24); d <= dayOf(y, 11, 31); d++) add(d);
            const singles = rng.intIn(3, 7) + Math.floor(rng.lognormal(1, 0.7));
            for (let k = 0; k < singles; k++) add(dayOf(y, 0, 1) + rng.int(365));
        }
    }
    const pms = people.filter((p) => p.role === 'project_manager');
    const stablePms = pms.filter((p) => p.hireDay <= startDay);
    const headPm = stablePms[0] ?? pms[0]!;
    const deputyPm = stablePms[1] ?? pms.find((p) => p !== headPm) ?? headPm;
    // one slow approver
    const slow = pms.find((p) => p !== headPm);
    if (slow) slow.reviewLag = rng.intIn(8, 11);

    // ---------------- scale the work to the firm's capacity ----------------
    let supply = 0;
    const supplyByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    let workDays = 0;
    let leaveDays = 0;
    for (const p of people) {
        for (let d = Math.max(startDay, p.hireDay); d <= Math.min(endDay, p.leaveDay ?? endDay); d++) {
            if (dow(d) >= 5) continue;
            if (p.leave.has(d)) {
                if (p.logsLeave) leaveDays++;
                continue;
            }
            workDays++;
            const h = (capacityAt(p, d) / 5) * ROLE_SPECS[p.role].clientShare;
            supply += h;
            supplyByRole.set(p.role, supplyByRole.get(p.role)! + h);
        }
    }
    let demandIn = 0;
    const demandInByRole = new Map<Role, number>(ROLES.map((r) => [r, 0]));
    for (const it of items) {
        const v = it.actual * windowShare(it);
        demandIn += v;
        demandInByRole.set(it.role, demandInByRole.get(it.role)! + v);
    }
    // fill ~93% of the client capacity without overbooking a role much (small firms round head counts)
    let k = (0.93 * supply) / demandIn;
    for (const r of ROLES) {
        const dr = demandInByRole.get(r)!;
        if (dr > 0) k = Math.min(k, (1.1 * supplyByRole.get(r)!) / dr);
    }
    for (const it of items) {
        if (it.inPlan) {
            it.est = Math.max(2, Math.round(it.est * k));
            it.actual = it.est * it.ratio;
        } else it.actual *= k;
        it.perDay = it.actual / Math.max(1, weekdaysBetween(it.sDay, it.eDay));
    }

    // ---------------- managers ----------------
    const managed = new Map<Person, number[]>(pms.map((p) => [p, []]));
    for (const p of clientProjects) {
        const end = p.startDay + Math.round(p.plannedWeeks * 7 * p.stretch);
        const ok = pms.filter((m) => m.hireDay <= p.startDay - 7 && m.leaveDay === null);
        const pool = ok.length > 0 ? ok : [headPm];
        let best = pool[0]!;
        let bestLoad = Infinity;
        for (const m of pool) {
            const load = managed.get(m)!.filter((e) => e >= p.startDay).length + rng.next() * 0.5;
            if (load < bestLoad) {
                bestLoad = load;
                best = m;
            }
        }
        managed.get(best)!.push(end);
        p.manager = best;
        for (const it of p.items) if (it.phase === 'pm') it.sticky.push(best.idx);
    }
    for (const p of Object.values(internal)) p.manager = headPm;

    // ---------------- rate cards ----------------
    const rateCards: RateCard[] = [];
    const jan1 = (y: number): number => dayOf(y, 0, 1);
    rateCards.push({ scope: 'firm', scopeId: '', role: '', from: jan1(startYear - 1), to: null, cents: 11000, currency: REPORTING_CURRENCY });
    const roleRate = new Map<Role, { from: number; cents: number }[]>();
    for (const role of ROLES) {
        const list: { from: number; cents: number }[] = [];
        let cents = ROLE_SPECS[role].rate * 100;
        for (let y = startYear; y <= endYear; y++) {
            if (y > startYear) cents = Math.round((cents * rng.range(1.03, 1.05)) / 100) * 100;
            if (jan1(y) > endDay) break;
            list.push({ from: jan1(y), cents });
            rateCards.push({ scope: 'role', scopeId: '', role, from: jan1(y), to: null, cents, currency: REPORTING_CURRENCY });
        }
        roleRate.set(role, list);
    }
    const clientRate = new Map<Client, number>();
    for (const c of external) {
        const foreignC = c.currency !== REPORTING_CURRENCY;
        if (!foreignC && !rng.chance(0.2)) continue;
        let cents = foreignC ? Math.round((rng.range(112, 128) / FXS[c.currency]!) * 1) * 100 : Math.round(rng.range(102, 122)) * 100;
        clientRate.set(c, cents);
        rateCards.push({ scope: 'client', scopeId: c.id, role: '', from: jan1(startYear), to: null, cents, currency: c.currency });
        if (rng.chance(0.5) && jan1(startYear + 1) <= endDay) {
            cents = Math.round(cents * 1.04 / 100) * 100;
            rateCards.push({ scope: 'client', scopeId: c.id, role: '', from: jan1(startYear + 1), to: null, cents, currency: c.currency });
        }
    }
    const tm = clientProjects.filter((p) => p.model === 'time_and_materials');
    const tmPlain = tm.filter((p) => p.client.currency === REPORTING_CURRENCY && !clientRate.has(p.client));
    const tmEur = tmPlain.length > 0 ? tmPlain : tm;
    // project cards: a blended project rate, one of them a launch rate that ends (effective_to)
    for (let i = 0; i < Math.min(2, tmEur.length); i++) {
        const p = tmEur[(i * 5 + 2) % tmEur.length]!;
        if (rateCards.some((r) => r.scope === 'project' && r.scopeId === p.id)) continue;
        const cents = Math.round(rng.range(100, 115) / FXS[p.client.currency]!) * 100;
        const to = i === 0 ? Math.min(endDay - 30, p.startDay + 120) : null;
        rateCards.push({ scope: 'project', scopeId: p.id, role: '', from: p.startDay, to: to !== null && to > p.startDay ? to : null, cents, currency: p.client.currency });
    }
    if (!rateCards.some((r) => r.to !== null) && tmEur.length > 0) {
        const p = tmEur[0]!;
        const card = rateCards.find((r) => r.scope === 'project' && r.scopeId === p.id);
        if (card) card.to = p.startDay + 60;
    }
    // project_role cards: specialist rates, one in a foreign currency
    const prCandidates = tm.filter((p) => p.items.some((it) => it.role === 'architect' || it.role === 'senior_developer' || it.role === 'data_engineer'));
    const tmForeign = prCandidates.filter((p) => p.client.currency !== REPORTING_CURRENCY);
    const prProjects = [...(tmForeign.length > 0 ? [tmForeign[0]!] : []), ...prCandidates.filter((p) => p.client.currency === REPORTING_CURRENCY).slice(0, 3)];
    for (const p of prProjects) {
        const it = p.items.find((x) => x.role === 'architect' || x.role === 'data_engineer') ?? p.items.find((x) => x.role === 'senior_developer')!;
        const baseRate = clientRate.get(p.client) ?? ROLE_SPECS[it.role].rate * 100;
        rateCards.push({ scope: 'project_role', scopeId: p.id, role: it.role, from: p.startDay, to: null, cents: Math.round((baseRate * rng.range(1.08, 1.2)) / 100) * 100, currency: p.client.currency });
    }
    // person cards: two specialists with personal rates, raised once mid-period
    const personCard = [people.find((p) => p.role === 'architect' && p.hireDay < startDay), people.find((p) => p.role === 'consultant' && p.hireDay < startDay)];
    for (const p of personCard) {
        if (!p) continue;
        const cents = (ROLE_SPECS[p.role].rate + 20) * 100;
        rateCards.push({ scope: 'person', scopeId: p.id, role: '', from: jan1(startYear), to: null, cents, currency: REPORTING_CURRENCY });
        const mid = monthFirstDay(monthKey(startDay + Math.floor((endDay - startDay) * 0.55)));
        rateCards.push({ scope: 'person', scopeId: p.id, role: '', from: mid, to: null, cents: cents + 1000, currency: REPORTING_CURRENCY });
    }
    const rateIndex = new Map<string, RateCard[]>();
    for (const r of rateCards) {
        const key = `${r.scope}|${r.scopeId}|${r.role}`;
        const list = rateIndex.get(key) ?? [];
        list.push(r);
        rateIndex.set(key, list);
    }
    for (const list of rateIndex.values()) list.sort((a, b) => a.from - b.from);

    // ---------------- contracts ----------------
    const blendedRate = (p: Project): number => {
        const cr = clientRate.get(p.client);
        if (cr !== undefined) return cr;
        let h = 0;
        let v = 0;
        for (const it of p.items) {
            if (!it.inPlan) continue;
            const list = roleRate.get(it.role)!;
            let c = list[0]!.cents;
            for (const r of list) if (r.from <= p.startDay) c = r.cents;
            h += it.est;
            v += it.est * c;
        }
        return h > 0 ? v / h : 11000;
    };
    for (const p of clientProjects) {
        const estSum = p.items.reduce((a, it) => a + it.est, 0);
        const rate = blendedRate(p);
        const startMonth = cal.month(p.startDay);
        if (p.model === 'fixed_fee' || p.model === 'milestone') {
            p.budgetHours = estSum;
            p.contractCents = Math.round((estSum * rate * rng.range(0.97, 1.12)) / 50000) * 50000;
        } else if (p.model === 'time_and_materials') {
            if (!p.openEnded && rng.chance(0.5)) p.budgetHours = estSum;
        }
        if (p.model === 'fixed_fee') {
            p.feeScheme = rng.chance(0.5) ? 'split' : 'monthly';
            const c = p.contractCents!;
            if (p.feeScheme === 'split') {
                const mid = cal.month(p.startDay + Math.round(p.plannedWeeks * 3.5));
                const a = Math.round((c * 0.3) / 100) * 100;
                const b = Math.round((c * 0.4) / 100) * 100;
                p.fees.push({ month: startMonth, cents: a, periodStart: 0, periodEnd: 0 });
                p.fees.push({ month: mid, cents: b, periodStart: 0, periodEnd: 0 });
                p.fees.push({ month: -1, cents: c - a - b, periodStart: 0, periodEnd: 0 }); // on completion
            } else {
                const n = Math.max(1, cal.month(p.plannedEndDay) - startMonth + 1);
                const each = Math.floor(c / n / 100) * 100;
                for (let i = 0; i < n; i++) p.fees.push({ month: startMonth + i, cents: i === n - 1 ? c - each * (n - 1) : each, periodStart: 0, periodEnd: 0 });
            }
        }
        if (p.model === 'retainer') {
            const months = Math.max(1, monthKey(p.plannedEndDay) - monthKey(p.startDay) + 1);
            // the first retainer is sold tight, so overage months exist in every firm
            const tight = !clientProjects.some((x) => x.model === 'retainer' && x.terms.length > 0);
            const included = Math.max(10, Math.round((estSum * (tight ? 0.7 : 1)) / months / 5) * 5);
            const fee = Math.round((included * rate * 0.92) / 1000) * 1000;
            const overage = Math.round((rate * 1.05) / 100) * 100;
            const rollover = rng.intIn(0, 3);
            p.terms.push({ from: p.startDay, feeCents: fee, includedTt: included * 10000, overageCents: overage, rollover: tight ? 0 : rollover });
            p.budgetHours = included * months;
        }
    }
    // at least one retainer term change (and about half of the retainers change)
    const retainers = clientProjects.filter((p) => p.model === 'retainer');
    retainers.forEach((p, i) => {
        const first = p.terms[0]!;
        const months = monthKey(Math.min(p.plannedEndDay, endDay)) - monthKey(p.startDay);
        if (months < 2) return;
        if (i !== 0 && !rng.chance(0.5)) return;
        const after = months >= 13 ? 12 : Math.max(1, Math.floor(months / 2));
        const from = monthFirstDay(monthKey(p.startDay) + after);
        p.terms.push({
            from,
            feeCents: Math.round((first.feeCents * rng.range(1.03, 1.08)) / 1000) * 1000,
            includedTt: first.includedTt + (rng.chance(0.5) ? 100000 : 0),
            overageCents: Math.round((first.overageCents * 1.04) / 100) * 100,
            rollover: rng.chance(0.5) || i === 0 ? first.rollover : rng.intIn(0, 3),
        });
    });
    for (const p of retainers) {
        if (p.openEnded) continue;
        let total = 0;
        for (let m = monthKey(p.startDay); m <= monthKey(p.plannedEndDay); m++) {
            let fee = p.terms[0]!.feeCents;
            for (const t of p.terms) if (t.from <= monthLastDay(m)) fee = t.feeCents;
            total += fee;
        }
        p.contractCents = total;
    }

    // ---------------- staffing, week by week ----------------
    const allocs: (Alloc[] | undefined)[][] = people.map(() => new Array<Alloc[] | undefined>(W));
    const byRole = new Map<Role, Person[]>(ROLES.map((r) => [r, people.filter((p) => p.role === r)]));
    // support contracts are served first, then projects in order of their start
    const itemsByRole = new Map<Role, Item[]>(
        ROLES.map((r) => [r, items.filter((it) => it.role === r).sort((a, b) => Number(b.proj.type === 'maintenance') - Number(a.proj.type === 'maintenance') || a.idx - b.idx)]),
    );
    const room = new Float64Array(people.length);
    const maxH = new Float64Array(people.length);
    const used = new Float64Array(people.length);
    const give = (p: number, w: number, it: Item, h: number): void => {
        const list = (allocs[p]![w] ??= []);
        list.push({ item: it, hours: h });
        used[p]! += h;
        it.served += h;
        if (it.firstWeek < 0) it.firstWeek = w;
        it.lastWeek = w;
    };
    for (let w = 0; w < W; w++) {
        const mon = mondays[w]!;
        for (const p of people) {
            let avail = 0;
            for (let d = mon; d < mon + 5; d++) if (d >= startDay && d <= endDay && employed(p, d) && !p.leave.has(d)) avail++;
            const cap = capacityAt(p, mon) / 5;
            room[p.idx] = cap * avail * ROLE_SPECS[p.role].clientShare;
            maxH[p.idx] = cap * avail * 1.12;
            used[p.idx] = 0;
        }
        for (const role of ROLES) {
            const team = byRole.get(role)!;
            for (const it of itemsByRole.get(role)!) {
                if (it.done || it.sDay > mon + 4) continue;
                let d = it.backlog;
                if (it.eDay >= mon) {
                    const a = Math.max(it.sDay, mon, startDay);
                    const b = Math.min(it.eDay, mon + 4, endDay);
                    const days = b >= a ? weekdaysBetween(a, b) : 0;
                    d += it.perDay * days * staffRng.range(0.8, 1.2) * (it.proj.monthFactor[cal.month(mon)] ?? 1);
                } else if (++it.overdueWeeks > 10) {
                    it.done = true;
                    continue;
                }
                if (d < 0.5) {
                    it.backlog = d;
                    if (it.eDay < mon + 7) it.done = true;
                    continue;
                }
                // a backlog drains gradually: at most 1.5 times the item's normal weekly pace
                const pace = Math.max(it.perDay * 5 * 1.5, 4);
                const over = d > pace ? d - pace : 0;
                d -= over;
                for (const p of it.sticky) {
                    const g = Math.min(d, room[p]! - used[p]!);
                    if (g >= 0.5) {
                        give(p, w, it, g);
                        d -= g;
                    }
                    if (d < 0.5) break;
                }
                while (d >= 0.5) {
                    let best = -1;
                    let bestRoom = 1;
                    for (const p of team) {
                        const r = room[p.idx]! - used[p.idx]!;
                        if (r > bestRoom && !it.sticky.includes(p.idx)) {
                            best = p.idx;
                            bestRoom = r;
                        }
                    }
                    if (best < 0) break;
                    it.sticky.push(best);
                    const g = Math.min(d, bestRoom);
                    give(best, w, it, g);
                    d -= g;
                }
                for (const p of it.sticky) {
                    if (d < 0.5) break;
                    const g = Math.min(d, maxH[p]! - used[p]!);
                    if (g >= 0.5) {
                        give(p, w, it, g);
                        d -= g;
                    }
                }
                // support work that finds nobody is not caught up later; project work is
                it.backlog = it.proj.type === 'maintenance' ? 0 : d + over;
                if (it.eDay < mon + 7 && it.backlog < 0.5) it.done = true;
            }
        }
    }

    // ---------------- outcomes: dates, status, milestones, re-plans ----------------
    const friday = (w: number): number => Math.min(mondays[w]! + 4, endDay);
    for (const p of clientProjects) {
        const finished = p.items.every((it) => it.done && it.eDay <= endDay);
        let last = p.startDay;
        for (const it of p.items) if (it.lastWeek >= 0) last = Math.max(last, friday(it.lastWeek));
        p.finished = finished;
        p.lastWorkDay = last;
        if (finished && last < endDay - 10) {
            p.status = 'closed';
            p.endDay = last;
        } else if (finished) {
            p.status = 'active';
            p.endDay = last;
        } else if (p.openEnded) {
            p.endDay = null;
        } else {
            const projected = p.type === 'maintenance' ? p.plannedEndDay : p.startDay + Math.round(p.plannedWeeks * 7 * p.stretch);
            p.endDay = Math.max(projected, endDay + 21, last + 14);
        }
        if (p.model === 'fixed_fee') {
            for (const f of p.fees) {
                if (f.month === -1) f.month = finished ? cal.month(last) : 100000;
                const mk = firstMonthKey + f.month;
                f.periodStart = Math.max(monthFirstDay(mk), p.startDay);
                f.periodEnd = Math.min(monthLastDay(mk), p.endDay ?? Infinity);
                if (f.periodEnd < f.periodStart) f.periodEnd = f.periodStart;
            }
        }
        if (p.model === 'milestone') {
            const phases = p.phases.filter((ps) => ps.phase !== 'pm' && MILESTONE_NAMES[ps.phase]);
            const wsum = phases.reduce((a, ps) => a + MILESTONE_WEIGHT[ps.phase]!, 0);
            let left = p.contractCents!;
            phases.forEach((ps, i) => {
                const phaseItems = p.items.filter((it) => it.phase === ps.phase);
                const done = phaseItems.every((it) => it.done && it.eDay <= endDay);
                let lastDay = p.startDay;
                for (const it of phaseItems) if (it.lastWeek >= 0) lastDay = Math.max(lastDay, friday(it.lastWeek));
                let signed: number | null = done ? lastDay + rng.intIn(2, 20) : null;
                // milestones are signed off in order
                const prev = p.milestones[p.milestones.length - 1];
                if (prev && signed !== null) signed = prev.signedOffDay === null ? null : Math.max(signed, prev.signedOffDay + rng.intIn(1, 5));
                if (signed !== null && signed > endDay) signed = null;
                const cents = i === phases.length - 1 ? left : Math.round((p.contractCents! * MILESTONE_WEIGHT[ps.phase]!) / wsum / 100) * 100;
                left -= cents;
                p.milestones.push({
                    id: '',
                    name: MILESTONE_NAMES[ps.phase]!,
                    phase: ps.phase,
                    cents,
                    plannedDay: p.startDay + Math.round(ps.to * p.plannedWeeks * 7) - 1,
                    signedOffDay: signed,
                });
            });
        }
        // re-plan of over-running projects (non-baseline plan lines)
        if (p.type !== 'maintenance' && p.ratio > 1.2 && rng.chance(0.5)) {
            for (const it of p.items) if (it.inPlan) p.replan.push({ phase: it.phase, role: it.role, hours: Math.round(it.est * (1 + 0.8 * (it.ratio - 1))) });
        }
    }
    let msSeq = 0;
    for (const p of clientProjects) for (const m of p.milestones) m.id = 'MS-' + String(++msSeq).padStart(4, '0');

    // ---------------- invoice runs: the 5th (or next weekday) of the following month ----------------
    const runs: Run[] = [];
    for (let m = 0; m < nMonths; m++) {
        const day = weekdayOnOrAfter(monthFirstDay(firstMonthKey + m + 1) + 4);
        if (day <= endDay) runs.push({ month: m, day });
    }
    const runAfter = new Int32Array(endDay - startDay + 2);
    for (let d = startDay, k = 0; d <= endDay + 1; d++) {
        while (k < runs.length && runs[k]!.day <= d) k++;
        runAfter[d - startDay] = k;
    }

    // ---------------- review-flag cases ----------------
    const flags = new Map<string, FlagSpec[]>();
    const futureFlags: FlagSpec[] = [];
    const nFlag = scale >= 1 ? 12 : 6;
    const addFlag = (f: FlagSpec): void => {
        const key = `${f.person.idx}|${f.day}`;
        const list = flags.get(key) ?? [];
        list.push(f);
        flags.set(key, list);
    };
    const flagDayTaken = (p: Person, day: number): boolean => flags.has(`${p.idx}|${day}`);
    const safeEnd = endDay - 45; // every logging style has logged by the end
    /** A (person, weekday, client allocation) with the person at work that day. */
    const pickWorkDay = (accept: (p: Person, a: Alloc, day: number) => boolean): { p: Person; a: Alloc; day: number } | null => {
        for (let tries = 0; tries < 4000; tries++) {
            const p = people[flagRng.int(people.length)]!;
            const w = flagRng.int(W);
            const list = allocs[p.idx]![w];
            if (!list || list.length === 0) continue;
            const a = list[flagRng.int(list.length)]!;
            const day = mondays[w]! + flagRng.int(5);
            if (day < startDay + 7 || day > safeEnd || !employed(p, day) || p.leave.has(day) || flagDayTaken(p, day)) continue;
            const pr = a.item.proj;
            if (day < pr.startDay || (pr.endDay !== null && day > pr.endDay)) continue;
            if (!a.item.inPlan) continue;
            if (accept(p, a, day)) return { p, a, day };
        }
        return null;
    };
    const simple: FlagKind[] = ['over12h', 'billable-admin', 'duplicate', 'overlap', 'zero', 'unplanned-phase'];
    for (const kind of simple) {
        for (let i = 0; i < nFlag; i++) {
            const hit = pickWorkDay(() => true);
            if (hit) addFlag({ kind, person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: kind === 'unplanned-phase' ? 'rework' : hit.a.item.phase });
        }
    }
    for (let i = 0; i < Math.ceil(nFlag / 3); i++) {
        const hit = pickWorkDay(() => true);
        if (hit) addFlag({ kind: 'no-phase', person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: '' });
    }
    const planned = (pr: Project, phase: string, role: Role): boolean => pr.items.some((it) => it.inPlan && it.phase === phase && it.role === role);
    for (let i = 0; i < nFlag; i++) {
        const hit = pickWorkDay((p, a) => a.item.proj.items.some((it) => it.inPlan && !planned(a.item.proj, it.phase, p.role)));
        if (!hit) continue;
        const phases = hit.a.item.proj.items.filter((it) => it.inPlan && !planned(hit.a.item.proj, it.phase, hit.p.role));
        addFlag({ kind: 'unplanned-role', person: hit.p, day: hit.day, proj: hit.a.item.proj, phase: phases[flagRng.int(phases.length)]!.phase });
    }
    for (let i = 0; i < nFlag; i++) {
        const hit = pickWorkDay(() => true);
        if (!hit) continue;
        addFlag({ kind: 'billable-internal', person: hit.p, day: hit.day, proj: flagRng.chance(0.5) ? internal.training! : internal.admin!, phase: '' });
    }
    // weekend work (go-live support): a Saturday or Sunday after a week on the project
    for (let i = 0, tries = 0; i < nFlag && tries < 4000; tries++) {
        const hit = pickWorkDay(() => true);
        if (!hit) break;
        const day = mondayOf(hit.day) + 5 + flagRng.int(2);
        const pr = hit.a.item.proj;
        if (day > safeEnd || !employed(hit.p, day) || (pr.endDay !== null && day > pr.endDay) || flagDayTaken(hit.p, day)) continue;
        addFlag({ kind: 'weekend', person: hit.p, day, proj: pr, phase: hit.a.item.phase });
        i++;
    }
    // before the project's start: the manager preparing the kick-off
    const startable = clientProjects.filter((p) => p.startDay >= startDay + 21 && p.startDay <= safeEnd && p.manager);
    for (let i = 0; i < Math.min(nFlag, startable.length); i++) {
        const pr = startable[(i * 7) % startable.length]!;
        const day = pr.startDay - 1 - flagRng.intIn(1, 6);
        const m = pr.manager!;
        if (dow(day) >= 5 || !employed(m, day) || flagDayTaken(m, day) || futureFlags.some(() => false)) continue;
        addFlag({ kind: 'before-start', person: m, day, proj: pr, phase: 'pm' });
    }
    // after a closed project's end: someone who worked on it in its last weeks
    const closed = clientProjects.filter((p) => p.status === 'closed' && p.endDay !== null && p.endDay <= safeEnd - 14);
    for (let i = 0; i < Math.min(nFlag, closed.length); i++) {
        const pr = closed[(i * 5) % closed.length]!;
        const it = pr.items.filter((x) => x.inPlan && x.lastWeek >= 0).sort((a, b) => b.lastWeek - a.lastWeek || a.idx - b.idx)[0];
        if (!it || it.sticky.length === 0) continue;
        const person = people[it.sticky[0]!]!;
        const day = weekdayOnOrAfter(pr.endDay! + flagRng.intIn(3, 14));
        if (!employed(person, day) || person.leave.has(day) || flagDayTaken(person, day) || day > safeEnd) continue;
        addFlag({ kind: 'after-close', person, day, proj: pr, phase: it.phase });
    }
    // in the future: pre-logged workshops after the end of the data
    const futureProjects = clientProjects.filter((p) => p.status === 'active' && (p.endDay === null || p.endDay >= endDay + 70));
    for (let i = 0; i < Math.min(nFlag, futureProjects.length * 2); i++) {
        const pr = futureProjects[(i * 3) % futureProjects.length]!;
        const it = pr.items.filter((x) => x.inPlan && x.lastWeek >= W - 4 && x.sticky.length > 0)[0];
        if (!it) continue;
        const person = people[it.sticky[flagRng.int(it.sticky.length)]!]!;
        if (person.leaveDay !== null) continue;
        const day = weekdayOnOrAfter(endDay + flagRng.intIn(40, 60));
        futureFlags.push({ kind: 'future', person, day, proj: pr, phase: it.phase });
    }

    return {
        seed,
        startDay,
        endDay,
        cal,
        mondays,
        nMonths,
        firstMonthKey,
        scale,
        people,
        clients,
        projects,
        internal,
        rateCards,
        rateIndex,
        allocs,
        runs,
        runAfter,
        flags,
        futureFlags,
        headPm,
        deputyPm,
        workDays,
        leaveDays,
    };
}

/** Units of reporting currency per unit of each currency (start of the window). */
const FXS: Record<string, number> = { EUR: 1, GBP: 1.16, USD: 0.92 };

/** The bill rate of the most specific matching card (project_role, project, client, person, role, firm). */
export function resolveRate(firm: Firm, proj: Project, person: Person, day: number): RateCard | null {
    const keys = [
        `project_role|${proj.id}|${person.role}`,
        `project|${proj.id}|`,
        `client|${proj.client.id}|`,
        `person|${person.id}|`,
        `role||${person.role}`,
        `firm||`,
    ];
    for (const key of keys) {
        const list = firm.rateIndex.get(key);
        if (!list) continue;
        let found: RateCard | null = null;
        for (const r of list) if (r.from <= day && (r.to === null || r.to >= day)) found = r;
        if (found) return found;
    }
    return null;
}
