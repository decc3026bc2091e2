/**
 * The quote service behind /api/quotes: reads the firm's history and cost rates from the warehouse, runs the
 * engine (models/quote) and stores saved quotes (warehouse/migrations/003_quotes.sql).
 *
 * - History: marts.fct_estimate_vs_actual rows of closed projects that have a baseline plan and time logged
 *   (what the by-type marts keep), reshaped by projectsFromRows and prepared once per warehouse generation.
 * - Cost rates: per role, the mean of marts.dim_people.current_hourly_cost (the rate in force on the firm's
 *   as_of) over the people of that role who are employed on as_of (all people of the role when none is),
 *   each converted into the reporting currency at the latest canonical.fx_rates rate on or before as_of
 *   (rate_to_reporting; 1 for the reporting currency itself). A rate whose currency has no fx row is left out
 *   and counted in `unconverted`.
 * - Calibration: backtestProjects over the same history (with reliability levels 10…90 %, censoring weights up to
 *   the firm's as_of), run once per warehouse generation; its level offsets (firm-wide plus per project type)
 *   recalibrate live quotes and its figures are GET /api/quotes/backtest.
 * Saving or linking a quote is one transaction with its audit event (capture/audit.ts) that leaves `generation`
 * as it was: quotes are not model inputs, so a save must not invalidate the caches keyed on it.
 */
import { backtestProjects, type ProjectBacktestReport } from '../../models/quote/backtest.ts';
import { prepareHistory, quoteDeal, type HistoryProject, type PlanLine, type PreparedHistory, type QuoteResult } from '../../models/quote/engine.ts';
import { recordAudit, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { closedProjectHistory } from '../queries/quotes.ts';
import { firmContext } from './metric.ts';
import { moneySql, toMoney } from '../../lib/money.ts';

export const RELIABILITY_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

export interface RoleRate {
    role: string;
    hourly_cost: number;
    people: number;
}

export interface QuoteContext {
    generation: number;
    currency: string;
    as_of: string;
    history: HistoryProject[];
    prepared: PreparedHistory;
    rates: RoleRate[];
    unconverted: number;
    project_types: string[];
    billing_models: string[];
    backtest: ProjectBacktestReport | null;
}

const contexts = new WeakMap<Warehouse, Promise<QuoteContext>>();

/** History, rates and calibration of the current warehouse generation (computed once per generation). */
export async function quoteContext(warehouse: Warehouse): Promise<QuoteContext> {
    const cached = contexts.get(warehouse);
    if (cached) {
        const c = await cached.catch(() => null);
        if (c && c.generation === warehouse.generation) return c;
    }
    const p = loadContext(warehouse);
    contexts.set(warehouse, p);
    p.catch(() => contexts.delete(warehouse));
    return p;
}

async function loadContext(warehouse: Warehouse): Promise<QuoteContext> {
    const generation = warehouse.generation;
    const firm = await firmContext(warehouse);
    const history = await closedProjectHistory(warehouse);
    const rateRows = await warehouse.all<{ role: string; hourly_cost: number | null; people: number; unconverted: number }>(
        `with fx as (
             select currency, arg_max(rate_to_reporting, date)::double as rate from canonical.fx_rates where date <= $as_of::date group by currency
         ), p as (
             select role, is_active, current_hourly_cost::double * case when current_cost_currency = $currency then 1 else fx.rate end as cost
             from marts.dim_people left join fx on fx.currency = current_cost_currency
             where current_hourly_cost is not null
         ), pick as (
             select *, bool_or(is_active) over (partition by role) as role_has_active from p
         )
         select role, avg(cost) filter (where cost is not null)::double as hourly_cost, count(cost)::integer as people,
                count(*) filter (where cost is null)::integer as unconverted
         from pick where is_active or not role_has_active group by role order by role`,
        { as_of: firm.as_of, currency: firm.currency },
    );
    const rates = rateRows.filter((r) => r.hourly_cost !== null).map((r) => ({ role: r.role, hourly_cost: toMoney(r.hourly_cost!), people: r.people }));
    const dims = await warehouse.one<{ types: string[]; billing: string[] }>(
        `select list(distinct project_type order by project_type) filter (where project_type is not null) as types,
                list(distinct billing_model order by billing_model) filter (where billing_model is not null) as billing
         from marts.dim_projects`,
    );
    let backtest: ProjectBacktestReport | null = null;
    // The data was taken on the firm's as_of: projects still running then are what the censoring weights make up for.
    if (history.length > 0) backtest = backtestProjects(history, { reliabilityLevels: RELIABILITY_LEVELS, asOf: firm.as_of });
    return {
        generation,
        currency: firm.currency,
        as_of: firm.as_of,
        history,
        prepared: prepareHistory(history),
        rates,
        unconverted: rateRows.reduce((a, r) => a + r.unconverted, 0),
        project_types: dims?.types ?? [],
        billing_models: dims?.billing ?? [],
        backtest,
    };
}

export interface QuoteInput {
    name?: string | null;
    project_type: string;
    billing_model: string;
    client_id?: string | null;
    project_id?: string | null;
    target_margin: number;
    confidence: number;
    price?: number | null;
    lines: PlanLine[];
    simulations?: number;
    seed?: number;
    /** The saved quote this one is a new version of (same series, next version). */
    revises?: number | null;
    /** The saved quote a duplicate started from (a series of its own). */
    copied_from?: number | null;
}

export interface QuoteAnswer extends QuoteResult {
    currency: string;
    as_of: string;
    cost_rates: RoleRate[];
    calibrated: boolean;
}

/** Why a quote cannot be made, with the parameter at fault. */
export class QuoteInputError extends Error {
    readonly parameter: string;
    constructor(parameter: string, message: string) {
        super(message);
        this.parameter = parameter;
    }
}

export function runQuote(ctx: QuoteContext, input: QuoteInput): QuoteAnswer {
    if (!ctx.project_types.includes(input.project_type)) {
        throw new QuoteInputError('project_type', `unknown project type "${input.project_type}"; one of: ${ctx.project_types.join(', ')}`);
    }
    if (!ctx.billing_models.includes(input.billing_model)) {
        throw new QuoteInputError('billing_model', `unknown billing model "${input.billing_model}"; one of: ${ctx.billing_models.join(', ')}`);
    }
    const rateBy = new Map(ctx.rates.map((r) => [r.role, r]));
    input.lines.forEach((l, i) => {
        if (!rateBy.has(l.role)) {
            throw new QuoteInputError(`lines.${i}.role`, `no current cost rate for role "${l.role}"; roles with one: ${ctx.rates.map((r) => r.role).join(', ')}`);
        }
    });
    if (ctx.prepared.projects.length === 0) throw new QuoteInputError('project_type', 'the warehouse has no closed project with a baseline plan and time logged to quote from');
    const used = [...new Set(input.lines.map((l) => l.role))].sort();
    const cost_rates = used.map((r) => rateBy.get(r)!);
    const result = quoteDeal(
        {
            project_type: input.project_type,
            billing_model: input.billing_model,
            lines: input.lines,
            cost_rates: Object.fromEntries(cost_rates.map((r) => [r.role, r.hourly_cost])),
            target_margin: input.target_margin,
            confidence: input.confidence,
            price: input.price ?? null,
            as_of: ctx.as_of,
        },
        ctx.prepared,
        {
            calibration: ctx.backtest?.calibration ?? null,
            ...(input.simulations !== undefined ? { simulations: input.simulations } : {}),
            ...(input.seed !== undefined ? { seed: input.seed } : {}),
        },
    );
    return { ...result, currency: ctx.currency, as_of: ctx.as_of, cost_rates, calibrated: result.calibration_offsets !== null };
}

export interface SavedQuoteRow {
    quote_id: number;
    created_at: string;
    /** Who saved it (plugins/auth.ts actorOf); null for quotes saved before it was recorded. */
    created_by: string | null;
    name: string | null;
    project_type: string;
    billing_model: string;
    client_id: string | null;
    project_id: string | null;
    target_margin: number;
    confidence: number;
    price: number | null;
    as_of: string;
    currency: string;
    inputs: string;
    result: string;
    /** The first quote of the deal's versions (warehouse/migrations/013_quote_versions.sql). */
    series_id: number;
    /** 1, 2, … in the order the deal's versions were saved. */
    version: number;
    /** The version this one was edited from; null for a first version. */
    revises: number | null;
    /** The quote a duplicate started from; null when it was not duplicated. */
    copied_from: number | null;
}

const SAVED_COLUMNS = `quote_id, created_at, created_by, name, project_type, billing_model, client_id, project_id, target_margin, confidence, price, as_of::varchar as as_of, currency,
    series_id, version, revises, copied_from`;

/** Where a saved quote sits among its deal's versions. */
interface Placement {
    series_id: number | null;
    version: number;
    revises: number | null;
    copied_from: number | null;
}

/**
 * Saves a quote; `who` is who saved it (plugins/auth.ts auditActor), recorded on the quote and in the audit log.
 * A quote that revises a saved one is the next version of that one's series (the revised quote is not touched);
 * any other quote starts a series of its own. A QuoteInputError naming `revises` or `copied_from` when the quote it
 * revises or copies does not exist (nothing is saved).
 */
export async function saveQuote(warehouse: Warehouse, input: QuoteInput, answer: QuoteAnswer, who: AuditWho): Promise<{ quote_id: number; created_at: string; series_id: number; version: number }> {
    return warehouse.transaction(async () => {
        const placement = await placeQuote(warehouse, input);
        const row = await insertQuote(warehouse, input, answer, who.actor, placement);
        await recordAudit(warehouse, {
            ...who,
            action: 'create',
            entity: 'quote',
            entity_id: String(row.quote_id),
            after: { ...input, price: answer.price, currency: answer.currency, as_of: answer.as_of, series_id: row.series_id, version: row.version },
            detail: placement.revises !== null ? `version ${row.version} of quote #${row.series_id}, edited from #${placement.revises}` : placement.copied_from !== null ? `duplicate of quote #${placement.copied_from}` : null,
        });
        return row;
    }, { modelInputs: false });
}

async function placeQuote(warehouse: Warehouse, input: QuoteInput): Promise<Placement> {
    const from = input.revises ?? input.copied_from ?? null;
    if (from === null) return { series_id: null, version: 1, revises: null, copied_from: null };
    const origin = await warehouse.one<{ series_id: number }>(`select series_id from quotes.quotes where quote_id = $id`, { id: from });
    if (!origin) throw new QuoteInputError(input.revises != null ? 'revises' : 'copied_from', `no saved quote ${from}`);
    if (input.revises == null) return { series_id: null, version: 1, revises: null, copied_from: from };
    const last = await warehouse.one<{ version: number }>(`select max(version)::integer as version from quotes.quotes where series_id = $series`, { series: origin.series_id });
    return { series_id: origin.series_id, version: (last?.version ?? 0) + 1, revises: from, copied_from: null };
}

async function insertQuote(warehouse: Warehouse, input: QuoteInput, answer: QuoteAnswer, actor: string, at: Placement): Promise<{ quote_id: number; created_at: string; series_id: number; version: number }> {
    const row = await warehouse.one<{ quote_id: number; created_at: string; series_id: number; version: number }>(
        `insert into quotes.quotes (quote_id, series_id, version, revises, copied_from, name, project_type, billing_model, client_id, project_id, target_margin, confidence, price, as_of, currency, inputs, result, created_by)
         select quote_id, coalesce($series_id, quote_id), $version, $revises, $copied_from, $name, $project_type, $billing_model, $client_id, $project_id, $target_margin, $confidence, $price, $as_of::date, $currency, $inputs, $result, $created_by
         from (select nextval('quotes.quote_seq') as quote_id) as id
         returning quote_id, created_at, series_id, version`,
        {
            series_id: at.series_id,
            version: at.version,
            revises: at.revises,
            copied_from: at.copied_from,
            created_by: actor,
            name: input.name ?? null,
            project_type: input.project_type,
            billing_model: input.billing_model,
            client_id: input.client_id ?? null,
            project_id: input.project_id ?? null,
            target_margin: input.target_margin,
            confidence: input.confidence,
            price: input.price ?? null,
            as_of: answer.as_of,
            currency: answer.currency,
            inputs: JSON.stringify(input),
            result: JSON.stringify(answer),
        },
    );
    return row!;
}

/**
 * Links a saved quote to the project it became, or unlinks it (null): the one thing about a saved quote that
 * may change, since the project is only known after the deal is won. The update also appends the change, with
 * who made it, to the quote's links, and is recorded in the audit log in the same transaction.
 * Returns the updated row, or null when there is no such quote. The caller checks that the project exists.
 */
export async function linkQuote(warehouse: Warehouse, id: number, projectId: string | null, who: AuditWho): Promise<Omit<SavedQuoteRow, 'inputs' | 'result'> | null> {
    return warehouse.transaction(async () => {
        const before = await warehouse.one<{ project_id: string | null }>(`select project_id from quotes.quotes where quote_id = $id`, { id });
        if (!before) return null;
        const row = await setQuoteProject(warehouse, id, projectId, who.actor);
        await recordAudit(warehouse, { ...who, action: 'update', entity: 'quote', entity_id: String(id), before, after: { project_id: projectId } });
        return row;
    }, { modelInputs: false });
}

async function setQuoteProject(warehouse: Warehouse, id: number, projectId: string | null, actor: string): Promise<Omit<SavedQuoteRow, 'inputs' | 'result'> | null> {
    const row = await warehouse.one<Omit<SavedQuoteRow, 'inputs' | 'result'>>(
        `update quotes.quotes
         set project_id = $project_id,
             links = list_append(coalesce(links, []), {'changed_at': now(), 'changed_by': $actor, 'project_id': $project_id})
         where quote_id = $id returning ${SAVED_COLUMNS}`,
        { id, project_id: projectId, actor },
    );
    return row ?? null;
}

export async function listQuotes(warehouse: Warehouse, filter: { project_id?: string; project_type?: string } = {}) {
    const where: string[] = [];
    const params: Record<string, string> = {};
    for (const k of ['project_id', 'project_type'] as const) {
        if (filter[k] === undefined) continue;
        params[k] = filter[k]!;
        where.push(`${k} = $${k}`);
    }
    return warehouse.all<Omit<SavedQuoteRow, 'inputs' | 'result'> & { estimated_hours: number; hours_p50: number; hours_p80: number; hours_p90: number; quoted_price: number }>(
        `select ${SAVED_COLUMNS}, (result::json->>'$.estimated_hours')::double as estimated_hours,
                (result::json->>'$.hours.p50')::double as hours_p50, (result::json->>'$.hours.p80')::double as hours_p80,
                (result::json->>'$.hours.p90')::double as hours_p90, ${moneySql(`(result::json->>'$.price.price')::double`)} as quoted_price
         from quotes.quotes ${where.length ? `where ${where.join(' and ')}` : ''} order by created_at desc, quote_id desc`,
        params,
    );
}

/** The versions of a saved quote's deal, first to last, with who saved each and its price. */
export async function quoteVersions(warehouse: Warehouse, seriesId: number) {
    return warehouse.all<{ quote_id: number; version: number; revises: number | null; created_at: string; created_by: string | null; name: string | null; quoted_price: number | null }>(
        `select quote_id, version, revises, created_at, created_by, name, (result::json->>'$.price.price')::double as quoted_price
         from quotes.quotes where series_id = $series order by version, quote_id`,
        { series: seriesId },
    );
}

export async function getQuote(warehouse: Warehouse, id: number): Promise<{ row: Omit<SavedQuoteRow, 'inputs' | 'result'>; inputs: QuoteInput; result: QuoteAnswer } | null> {
    const row = await warehouse.one<SavedQuoteRow>(`select ${SAVED_COLUMNS}, inputs, result from quotes.quotes where quote_id = $id`, { id });
    if (!row) return null;
    const { inputs, result, ...rest } = row;
    return { row: rest, inputs: JSON.parse(inputs) as QuoteInput, result: quoteMoney(JSON.parse(result) as QuoteAnswer) };
}

/**
 * A quote as the API answers it: its money (cost quantiles, prices, the proposal's margin amount, the price
 * curve's prices, cost rates) to the cent (lib/money.ts); hours, shares and probabilities as the engine gives
 * them. The saved quote keeps the engine's figures.
 */
export function quoteMoney<T extends QuoteAnswer>(q: T): T {
    const m = (v: number) => (Number.isFinite(v) ? toMoney(v) : v);
    const { p10, p50, p80, p90, mean } = q.cost;
    return {
        ...q,
        cost: { ...q.cost, p10: m(p10), p50: m(p50), p80: m(p80), p90: m(p90), mean: m(mean) },
        price: { ...q.price, price: m(q.price.price), at: { p50: m(q.price.at.p50), p80: m(q.price.at.p80), p90: m(q.price.at.p90) } },
        proposal: q.proposal ? { ...q.proposal, price: m(q.proposal.price), expected_margin_amount: m(q.proposal.expected_margin_amount) } : null,
        price_curve: q.price_curve.map((c) => ({ ...c, price: m(c.price) })),
        cost_rates: q.cost_rates.map((r) => ({ ...r, hourly_cost: m(r.hourly_cost) })),
    };
}

/** Figures with NaN (nothing scored) as null, so they travel as JSON. */
export function finite<T>(value: T): T {
    return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as T;
}
