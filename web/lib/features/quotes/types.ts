/** Shapes of the quote API (server/routes/quotes.ts) and the POST/PATCH helpers the quote pages use. */
import { ApiError, apiUrl, invalidate } from '../../api/client.ts';
import { authHeaders } from '../../api/session.ts';

/** The phase of hours on cells the baseline did not plan (models/quote/engine.ts UNPLANNED_PHASE). */
export const UNPLANNED_PHASE = '(unplanned)';

export interface Quantiles {
    p10: number;
    p50: number;
    p80: number;
    p90: number;
    mean: number;
}

export interface QuoteLine {
    phase: string;
    role: string;
    estimated_hours: number;
}

export interface QuoteAnswer {
    reference: { level: string; project_type: string | null; billing_model: string | null; projects: number; effective_projects: number; excluded_without_estimate: number };
    lines: (QuoteLine & { ratio_level: string; reference_projects_with_cell: number })[];
    estimated_hours: number;
    hours: Quantiles;
    hours_by_phase: (Quantiles & { phase: string; estimated_hours: number })[];
    cost: Quantiles;
    price: { target_margin: number; confidence: number; price: number; at: { p50: number; p80: number; p90: number } };
    proposal: null | { price: number; p_margin_below_target: number; expected_margin: number; expected_margin_amount: number };
    histogram: { from: number; to: number; count: number }[];
    price_curve: { price: number; p_margin_at_least_target: number }[];
    simulations: number;
    seed: number;
    calibration_offsets: number[] | null;
    currency: string;
    as_of: string;
    cost_rates: { role: string; hourly_cost: number; people: number }[];
    calibrated: boolean;
    quote_id?: number | null;
    created_at?: string | null;
}

export interface QuoteRequest {
    name?: string | null;
    project_type: string;
    billing_model: string;
    client_id?: string | null;
    project_id?: string | null;
    target_margin: number;
    confidence: number;
    price?: number | null;
    lines: QuoteLine[];
    save: boolean;
}

export interface SavedQuote {
    quote_id: number;
    created_at: string;
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
}

export interface SavedQuoteDetail extends SavedQuote {
    inputs: QuoteRequest;
    result: QuoteAnswer;
}

export interface Figures {
    n: number;
    coverage_p10_p90: number | null;
    share_le_p80: number | null;
    below_p10: number | null;
    above_p90: number | null;
    pinball: number | null;
    mdre_p50: number | null;
    mdre_estimate: number | null;
}

export interface ReliabilityFigures {
    n: number;
    method: (number | null)[];
    global: (number | null)[];
    per_class: (number | null)[];
}

export interface BacktestAnswer {
    as_of: string;
    units: number;
    scored: number;
    warmup: number;
    excluded_without_estimate: number;
    overall: { method: Figures; global: Figures; per_class: Figures };
    classes: { class: string; n: number; method: Figures; global: Figures; per_class: Figures }[];
    reliability: { levels: number[]; overall: ReliabilityFigures; classes: (ReliabilityFigures & { class: string })[] };
    runtime_ms: number;
}

export interface CloseoutAnswer {
    project: { project_id: string; project_name: string | null; client_name: string | null; project_type: string | null; billing_model: string | null; status: string | null; start_date: string | null; end_date: string | null };
    closed: boolean;
    in_reference_class: boolean;
    estimated_hours: number;
    actual_hours: number;
    lines: { phase: string; role: string; estimated_hours: number | null; actual_hours: number; ratio: number | null; is_unplanned: boolean; quote_estimated_hours: number | null }[];
    phases: {
        phase: string;
        estimated_hours: number;
        actual_hours: number;
        ratio: number | null;
        quote_estimated_hours: number | null;
        quote_p50: number | null;
        quote_p80: number | null;
        quote_p90: number | null;
    }[];
    quote: null | {
        quote_id: number;
        created_at: string;
        name: string | null;
        estimated_hours: number;
        hours: Quantiles;
        price: number;
        target_margin: number;
        confidence: number;
        actual_vs: { inside_p10_p90: boolean; at_or_below_p50: boolean; at_or_below_p80: boolean; actual_over_p50: number; actual_over_p80: number };
    };
}

/** POSTs (or PATCHes) JSON to /api/<path>; problem+json errors become ApiError (title, detail). */
export async function postJson<T>(path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<T> {
    let res: Response;
    try {
        res = await fetch(apiUrl(path), { method, headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() }, body: JSON.stringify(body) });
    } catch {
        throw new ApiError(0, 'The server cannot be reached', 'Check that `npm start` (or `realize serve`) is still running, then retry.');
    }
    if (!res.ok) {
        const p = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
        throw new ApiError(res.status, p.title ?? `HTTP ${res.status}`, p.detail ?? res.statusText);
    }
    return (await res.json()) as T;
}

/** A saved quote changes the list: cached GETs are dropped. */
export async function saveQuote(body: QuoteRequest): Promise<QuoteAnswer> {
    const answer = await postJson<QuoteAnswer>('quotes', body);
    if (body.save) invalidate();
    return answer;
}

/** Links a saved quote to the project it became (null unlinks it); cached GETs (the list, closeouts) are dropped. */
export async function linkQuote(quoteId: number, projectId: string | null): Promise<SavedQuote> {
    const saved = await postJson<SavedQuote>(`quotes/${quoteId}`, { project_id: projectId }, 'PATCH');
    invalidate();
    return saved;
}

/**
 * The projects a quote may be linked to, for a select: those of the quote's project type first (the deal most
 * likely became one of them), then the others; within each, the latest started first.
 */
export function linkCandidates<P extends { project_id: string; project_type: string; start_date: string | null; is_client_work?: boolean }>(projects: readonly P[], projectType: string): { sameType: P[]; others: P[] } {
    const order = (a: P, b: P) => (b.start_date ?? '').localeCompare(a.start_date ?? '') || a.project_id.localeCompare(b.project_id);
    const client = projects.filter((p) => p.is_client_work !== false);
    return { sameType: client.filter((p) => p.project_type === projectType).sort(order), others: client.filter((p) => p.project_type !== projectType).sort(order) };
}

/** The baseline plan of a past project as deal lines (its planned phase × role cells with hours). */
export function planLines(closeout: Pick<CloseoutAnswer, 'lines'>): QuoteLine[] {
    return closeout.lines.filter((l) => !l.is_unplanned && (l.estimated_hours ?? 0) > 0).map((l) => ({ phase: l.phase, role: l.role, estimated_hours: l.estimated_hours! }));
}

/** Lines a person typed: problems by line index (an empty map when all are fine). */
export function lineProblems(lines: { phase: string; role: string; estimated_hours: number | null }[], roles: readonly string[]): Map<number, string> {
    const out = new Map<number, string>();
    lines.forEach((l, i) => {
        if (!l.phase.trim()) out.set(i, 'a phase is needed');
        else if (!l.role) out.set(i, 'a role is needed');
        else if (!roles.includes(l.role)) out.set(i, `no cost rate for ${l.role}`);
        else if (!(typeof l.estimated_hours === 'number' && l.estimated_hours > 0)) out.set(i, 'hours must be above 0');
    });
    return out;
}
