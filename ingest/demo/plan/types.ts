/**
 * What the planning pass (../plan.ts) makes: the firm its sections build up and the entry and billing
 * passes read. Hours are floats here; the entry pass turns them into whole-second entries.
 */
import type { Calendar } from '../calendar.ts';
import type { BillingModel, InternalSpec, PhaseSpec, Role } from '../reference.ts';

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

export interface PlanOptions {
    seed: number;
    endDay: number;
    entries: number;
}

/** The 24 months the firm is planned over, their weeks and the firm's size; every section reads it. */
export interface PlanWindow {
    seed: number;
    startDay: number;
    endDay: number;
    firstMonthKey: number;
    nMonths: number;
    /** The Monday of the first week, and every week's Monday (weeks = mondays.length). */
    monday0: number;
    weeks: number;
    mondays: number[];
    cal: Calendar;
    /** 1 at full size, less for a smaller firm (see FULL_SIZE_ENTRIES). */
    scale: number;
    startYear: number;
    endYear: number;
}
