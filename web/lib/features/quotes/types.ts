/** The quote API's shapes (server/schemas/quotes.ts) and the POST/PATCH helpers the quote pages use. */
import { invalidate, sendJson } from '../../api/client.ts';
import type { CloseoutAnswer, QuoteAnswer, QuoteRequest, SavedQuote } from '../../../../server/schemas/quotes.ts';

/** The phase of hours on cells the baseline did not plan (models/quote/engine.ts UNPLANNED_PHASE). */
export const UNPLANNED_PHASE = '(unplanned)';

/** The quote API's shapes: the z.infer types of its schemas (server/schemas/quotes.ts), imported as types only. */
export type {
    BacktestAnswer,
    CloseoutAnswer,
    Figures,
    Quantiles,
    QuoteAnswer,
    QuoteRequest,
    ReliabilityFigures,
    SavedQuote,
    SavedQuoteDetail,
    SavedQuoteRow,
} from '../../../../server/schemas/quotes.ts';

/** A line of a deal: hours of a role in a phase. */
export type QuoteLine = QuoteRequest['lines'][number];

/** POSTs (or PATCHes) JSON to /api/<path>; problem+json errors become ApiError (title, detail). */
export function postJson<T>(path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<T> {
    return sendJson<T>(method, path, body);
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
