/** The entry pass's shapes: what it hands the billing pass, and the state its steps share. */
import type { Rng } from '../../../lib/rng.ts';
import type { CsvWriter } from '../csv.ts';
import type { Role } from '../reference.ts';
import type { Client, Firm, Item, Project, RateCard } from '../plan/types.ts';

export interface TimeLine {
    invoice: InvoiceAcc;
    lineNo: number;
    proj: Project;
    role: Role;
    rateCents: number;
    secs: number;
    minDay: number;
    maxDay: number;
}

export interface InvoiceAcc {
    id: string;
    client: Client;
    run: number;
    lines: TimeLine[];
    lineMap: Map<string, TimeLine>;
}

export interface EntryStats {
    entries: number;
    billedEntries: number;
    byStatus: Record<string, number>;
}

export interface BillingState {
    /** key `${client.idx}|${run}` */
    invoices: Map<string, InvoiceAcc>;
    /** Billable seconds per project and month index (all statuses). */
    billSecs: Float64Array[];
    stats: EntryStats;
}

export interface ActTable {
    names: string[];
    cum: number[];
}

/** A work stream of a person in a week: a client allocation or internal filler. */
export interface WA {
    proj: Project;
    item: Item | null;
    phase: string;
    role: Role;
    rem: number;
    acts: ActTable;
    tasks: readonly string[];
    tm: boolean;
    rateDay: number;
    rate: RateCard | null;
    lineRun: number;
    lineRate: number;
    line: TimeLine | null;
}

/**
 * One run of the entry pass: the firm, its random stream, where rows go, and the counters its steps
 * move on. The steps draw from one stream, so the order they are called in is part of the output.
 */
export interface EntryPass {
    readonly firm: Firm;
    readonly rng: Rng;
    readonly target: number;
    readonly monday0: number;
    readonly entriesOut: CsvWriter;
    readonly ileOut: CsvWriter;
    readonly state: BillingState;
    readonly actCache: Map<string, ActTable>;
    seq: number;
    avgPerDay: number;
    carry: number;
    coarse: boolean;
    processedWorkDays: number;
    processedLeave: number;
}
