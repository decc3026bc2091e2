/**
 * The quote builder's form errors. The API's own schema (server/schemas/quote-request.ts quoteBody) checks the deal
 * before it is sent, so the form and the server refuse the same things with the same words. A field's error
 * shows once the person has left that field or tried to quote or save: an untouched form is not wrong yet.
 */
import { quoteBody } from '../../../../server/schemas/quote-request.ts';
import type { QuoteRequest } from '../../../../server/schemas/quotes.ts';
import { refusalErrors } from '../signin/fields.ts';

/** Errors by field path as the API names parameters: `target_margin`, `lines.0.role`, `lines`. */
export type QuoteFormErrors = Map<string, string>;

/** The first problem of each field of a deal, by its path; empty when the API would accept it. */
export function quoteFormErrors(body: unknown): QuoteFormErrors {
    const out: QuoteFormErrors = new Map();
    const result = quoteBody.safeParse(body);
    if (result.success) return out;
    for (const issue of result.error.issues) {
        const key = issue.path.length ? issue.path.map(String).join('.') : 'form';
        if (!out.has(key)) out.set(key, issue.message);
    }
    return out;
}

/** The errors a person should see: those of fields they touched, or all of them once they tried to send. */
export function shownErrors(errors: QuoteFormErrors, touched: ReadonlySet<string>, attempted: boolean): QuoteFormErrors {
    return attempted ? errors : new Map([...errors].filter(([key]) => touched.has(key)));
}

/** A line's error to show beside it: its phase's, role's or hours' (in that order), or the server's refusal naming the line. */
export function lineError(errors: QuoteFormErrors, i: number): string | undefined {
    return errors.get(`lines.${i}.phase`) ?? errors.get(`lines.${i}.role`) ?? errors.get(`lines.${i}.estimated_hours`) ?? errors.get(`lines.${i}`);
}

/** A refusal of the server as a form error: beside the field it names (problem+json `parameter`), else for the form. */
export function refusalError(err: unknown): QuoteFormErrors {
    return new Map(Object.entries(refusalErrors(err)));
}

/** The deal's body as the form holds it: blank hours stay null so the schema names them. */
export type DraftRequest = Omit<QuoteRequest, 'lines'> & { lines: { phase: string; role: string; estimated_hours: number | null }[] };

/** The fields left, once line `removed` is gone: its own are forgotten, those of the lines below it move up one. */
export function withoutLine(touched: ReadonlySet<string>, removed: number): Set<string> {
    const out = new Set<string>();
    for (const key of touched) {
        const m = /^lines\.(\d+)(\..*)?$/.exec(key);
        if (!m) out.add(key);
        else if (Number(m[1]) !== removed) out.add(`lines.${Number(m[1]) > removed ? Number(m[1]) - 1 : m[1]}${m[2] ?? ''}`);
    }
    return out;
}
