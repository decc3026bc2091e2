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
export type { BurnMonth, BurnRow, EvidenceRow } from '../../../server/schemas/projects.ts';
export type { Cell } from '../../../server/schemas/rows.ts';

/** The funnel, a group's funnel (breakdown), its stages, leaks and a leak's parts, as its mart's .yml declares them. */
export type {
    FunnelAnswer as Funnel,
    FunnelBreakdown as Breakdown,
    FunnelBreakdownRow as BreakdownRow,
    FunnelLeakDefinition,
    FunnelStageDefinition,
} from '../../../server/schemas/funnel.ts';

export type { Definitions } from '../../../server/schemas/definitions.ts';
export type { ImportRun, ImportReportAnswer as ImportReport, UploadAnswer } from '../../../server/schemas/imports.ts';
