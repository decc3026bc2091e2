/**
 * Calibrated quotes: a deal to quote (POST /api/quotes), the answer, saved quotes, the backtest and a
 * project's closeout. The answer's figures are the quote engine's (models/quote/engine.ts QuoteResult): the
 * check at the end of this file fails to compile when the two part.
 */
import { z } from 'zod';
import type { Quantiles, QuoteResult } from '../../models/quote/engine.ts';
import type { quoteBody } from './quote-request.ts';
import { namedProject, projectDates } from './common.ts';

export { quoteBody } from './quote-request.ts';

const num = z.number().nullable();
export const quantiles = z.object({ p10: z.number(), p50: z.number(), p80: z.number(), p90: z.number(), mean: z.number() });

/** The engine's figures (models/quote/engine.ts QuoteResult). */
export const quoteFigures = z.object({
    reference: z.object({
        level: z.string(),
        project_type: z.string().nullable(),
        billing_model: z.string().nullable(),
        projects: z.number(),
        effective_projects: z.number(),
        excluded_without_estimate: z.number(),
        // Absent on quotes saved before the engine reported them.
        of_type: z.number().optional().describe('Usable closed projects (baseline plan with hours, time logged, ended before the deal) of the deal’s type'),
        of_type_and_billing: z.number().optional().describe('The same, of the deal’s type and billing model'),
        min_class_projects: z.number().optional().describe('Projects a class needs to be quoted from on its own; below it the quote falls back to a wider class'),
    }),
    lines: z.array(z.object({ phase: z.string(), role: z.string(), estimated_hours: z.number(), ratio_level: z.string(), reference_projects_with_cell: z.number() })),
    estimated_hours: z.number(),
    hours: quantiles,
    hours_by_phase: z.array(quantiles.extend({ phase: z.string(), estimated_hours: z.number() })),
    cost: quantiles,
    price: z.object({ target_margin: z.number(), confidence: z.number(), price: z.number(), at: z.object({ p50: z.number(), p80: z.number(), p90: z.number() }) }),
    proposal: z.object({ price: z.number(), p_margin_below_target: z.number(), expected_margin: z.number(), expected_margin_amount: z.number() }).nullable(),
    histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
    price_curve: z.array(z.object({ price: z.number(), p_margin_at_least_target: z.number() })),
    simulations: z.number(),
    seed: z.number(),
    calibration_offsets: z.array(z.number()).nullable(),
});

/** A quote: the engine's figures, in the reporting currency, with the cost rates they were made with. */
export const quoteResult = quoteFigures.extend({
    currency: z.string(),
    as_of: z.string(),
    cost_rates: z.array(z.object({ role: z.string(), hourly_cost: z.number(), people: z.number() })),
    calibrated: z.boolean(),
});

export const savedMeta = z.object({
    quote_id: z.number(),
    created_at: z.string(),
    created_by: z.string().nullable().describe('Who saved it: local (local mode), <role>:<person_id>, or <role>:token-<id> for a token naming no person'),
    name: z.string().nullable(),
    project_type: z.string(),
    billing_model: z.string(),
    client_id: z.string().nullable(),
    project_id: z.string().nullable(),
    target_margin: z.number(),
    confidence: z.number(),
    price: z.number().nullable(),
    as_of: z.string(),
    currency: z.string(),
    series_id: z.number().describe('The first quote of the deal’s versions'),
    version: z.number().describe('1, 2, … in the order the deal’s versions were saved'),
    revises: z.number().nullable().describe('The version this one was edited from'),
    copied_from: z.number().nullable().describe('The quote this one duplicates'),
});

/** A version of a deal's quote, in the list of its versions. */
export const quoteVersion = z.object({
    quote_id: z.number(),
    version: z.number(),
    revises: z.number().nullable(),
    created_at: z.string(),
    created_by: z.string().nullable(),
    name: z.string().nullable(),
    quoted_price: num,
});

export const figures = z.object({
    n: z.number(),
    coverage_p10_p90: num,
    share_le_p80: num,
    below_p10: num,
    above_p90: num,
    pinball: num,
    mdre_p50: num,
    mdre_estimate: num,
});
const methods = z.object({ method: figures, global: figures, per_class: figures });
export const reliabilityFigures = z.object({ n: z.number(), method: z.array(num), global: z.array(num), per_class: z.array(num) });

export const quoteIdParam = z.strictObject({ id: z.coerce.number().int().positive().describe('quote_id') });

export const quoteAnswer = quoteResult.extend({ quote_id: z.number().nullable(), created_at: z.string().nullable(), version: z.number().nullable() });

export const savedQuotesAnswer = z.object({
    rows: z.array(savedMeta.extend({ estimated_hours: num, hours_p50: num, hours_p80: num, hours_p90: num, quoted_price: num })),
});

export const savedQuoteAnswer = savedMeta.extend({
    inputs: z.record(z.string(), z.unknown()).describe('The quote’s inputs as they were sent'),
    result: quoteResult,
    versions: z.array(quoteVersion).describe('Every version of the deal, first to last (this one among them)'),
});

export const linkBody = z.strictObject({ project_id: z.string().min(1).nullable().describe('The project (marts.dim_projects.project_id), or null to unlink') });

export const backtestAnswer = z.object({
    as_of: z.string(),
    units: z.number(),
    scored: z.number(),
    warmup: z.number(),
    excluded_without_estimate: z.number(),
    overall: methods,
    classes: z.array(methods.extend({ class: z.string(), n: z.number() })),
    reliability: z.object({
        levels: z.array(z.number()),
        overall: reliabilityFigures,
        classes: z.array(reliabilityFigures.extend({ class: z.string() })),
    }),
    calibration: z.object({
        levels: z.array(z.number()),
        offsets: z.record(z.string(), z.array(z.number())).describe('Level offsets per project type: firm-wide plus the type’s own'),
        firm: z.array(z.number()).describe('Firm-wide level offsets alone: what a quote of a type not yet scored uses'),
        p50: z
            .enum(['median', 'estimate'])
            .describe('The P50 live quotes give where the raw estimate lies outside the median’s band: the median once the backtest has shown it the better point, else the estimate'),
    }),
    runtime_ms: z.number(),
});

export const closeoutAnswer = z.object({
    project: z.object({
        ...namedProject,
        client_name: z.string().nullable(),
        project_type: z.string().nullable(),
        billing_model: z.string().nullable(),
        status: z.string().nullable(),
        ...projectDates,
    }),
    closed: z.boolean(),
    in_reference_class: z.boolean(),
    estimated_hours: z.number(),
    actual_hours: z.number(),
    lines: z.array(
        z.object({ phase: z.string(), role: z.string(), estimated_hours: num, actual_hours: z.number(), ratio: num, is_unplanned: z.boolean(), quote_estimated_hours: num }),
    ),
    phases: z.array(
        z.object({
            phase: z.string(),
            estimated_hours: z.number(),
            actual_hours: z.number(),
            ratio: num,
            quote_estimated_hours: num,
            quote_p50: num,
            quote_p80: num,
            quote_p90: num,
        }),
    ),
    quote: z
        .object({
            quote_id: z.number(),
            created_at: z.string(),
            name: z.string().nullable(),
            estimated_hours: z.number(),
            hours: quantiles,
            price: z.number(),
            target_margin: z.number(),
            confidence: z.number(),
            actual_vs: z.object({
                inside_p10_p90: z.boolean(),
                at_or_below_p50: z.boolean(),
                at_or_below_p80: z.boolean(),
                actual_over_p50: z.number(),
                actual_over_p80: z.number(),
            }),
        })
        .nullable(),
});

/** What the dashboard sends to quote a deal. */
export type QuoteRequest = z.input<typeof quoteBody>;
/** A quote's answer: as POST /api/quotes gives it (with quote_id and created_at), or as it was saved. */
export type QuoteAnswer = z.infer<typeof quoteResult> & Partial<Pick<z.infer<typeof quoteAnswer>, 'quote_id' | 'created_at' | 'version'>>;
export type QuoteVersion = z.infer<typeof quoteVersion>;
export type SavedQuote = z.infer<typeof savedMeta>;
export type SavedQuoteRow = z.infer<typeof savedQuotesAnswer>['rows'][number];
/** A saved quote with its inputs, which are a quote request as it was sent. */
export type SavedQuoteDetail = Omit<z.infer<typeof savedQuoteAnswer>, 'inputs'> & { inputs: QuoteRequest };
export type Figures = z.infer<typeof figures>;
export type ReliabilityFigures = z.infer<typeof reliabilityFigures>;
export type BacktestAnswer = z.infer<typeof backtestAnswer>;
export type CloseoutAnswer = z.infer<typeof closeoutAnswer>;
export type { Quantiles };

/**
 * True when the schema can carry every value of the engine's type (Engine is assignable to Schema) and names
 * the same fields, no more and no less: a field the engine adds or drops fails to compile here.
 */
type States<Engine, Schema> = [Engine] extends [Schema] ? ([keyof Schema] extends [keyof Engine] ? ([keyof Engine] extends [keyof Schema] ? true : false) : false) : false;
export const STATES_THE_ENGINE: States<QuoteResult, z.infer<typeof quoteFigures>> & States<Quantiles, z.infer<typeof quantiles>> = true;
