/** A capture or review refusal the caller can act on: 400 naming the field, 403, 404, or 409 (frozen, submitted). */
export class CaptureError extends Error {
    readonly status: 400 | 403 | 404 | 409;
    readonly field: string | null;
    /** Per-cell problems of a week grid (400). */
    readonly errors?: readonly { row: number; day: number | null; field: string; message: string }[];
    constructor(status: 400 | 403 | 404 | 409, message: string, field: string | null = null, errors?: CaptureError['errors']) {
        super(message);
        this.name = 'CaptureError';
        this.status = status;
        this.field = field;
        this.errors = errors;
    }
}
