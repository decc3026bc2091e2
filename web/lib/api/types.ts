/**
 * The shapes the API answers with: the z.infer types of the server's zod schemas (server/schemas/, one module
 * per resource; why types and not a client generated from the OpenAPI document: server/schemas/rows.ts),
 * imported as types only, so none of the server's code reaches the dashboard's build.
 */
export type { Batch, IngestReport, Reject } from '../../../server/schemas/data.ts';
export type { ClientDim, Dimensions, PersonDim, ProjectDim } from '../../../server/schemas/dimensions.ts';
export type { Drill } from '../../../server/schemas/drill.ts';
export type { FxMissing } from '../../../server/schemas/health.ts';
export type { MetricResult } from '../../../server/schemas/metrics.ts';
export type { BurnMonth, BurnRow } from '../../../server/schemas/projects.ts';
export type { Cell } from '../../../server/schemas/rows.ts';

/** The funnel's stages, leaks and a leak's parts, as its mart's .yml declares them (server/schemas/funnel.ts). */
export type { FunnelAnswer as Funnel, FunnelLeakDefinition, FunnelStageDefinition } from '../../../server/schemas/funnel.ts';

/** A group's funnel: its stages (rounded to the cent), cost and margin, and a figure per leak and part the definitions name. */
export interface BreakdownRow {
    key: string;
    label: string;
    potential_value: number;
    tracked_value: number;
    billable_value: number;
    recognized_revenue: number;
    billed_value: number;
    net_billed_value: number;
    collected_value: number;
    total_leaks: number;
    cost: number;
    realized_margin: number;
    client_hours: number;
    /** Leak or part key (definitions.leaks) → its amount. */
    [leak: string]: string | number;
}

export interface Breakdown {
    by: string;
    currency: string;
    as_of: string;
    rows: BreakdownRow[];
}

export type { Definitions } from '../../../server/schemas/definitions.ts';
