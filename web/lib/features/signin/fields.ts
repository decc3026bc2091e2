/**
 * Form errors by field: the server's zod schemas check a form before it is sent (the same rules the API
 * applies), and a refusal from the server is shown beside the field it names (problem+json `parameter`).
 */
import type { z } from 'zod';
import { ApiError } from '../../api/client.ts';

export type FieldErrors = Record<string, string>;

/** The first problem of each field, by field name; empty when the value passes. */
export function fieldErrors(schema: z.ZodType, value: unknown): FieldErrors {
    const result = schema.safeParse(value);
    if (result.success) return {};
    const out: FieldErrors = {};
    for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? 'form');
        out[field] ??= issue.message;
    }
    return out;
}

/** A refusal as field errors: beside its field when it names one, else for the form as a whole. */
export function refusalErrors(err: unknown): FieldErrors {
    if (err instanceof ApiError) return { [err.parameter ?? 'form']: err.detail };
    return { form: err instanceof Error ? err.message : String(err) };
}
