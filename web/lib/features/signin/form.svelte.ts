/**
 * A form's errors and whether it is being sent: the body is checked first with the server's zod schema (the
 * rules the API applies, fields.ts), then sent with the form busy; a refusal shows beside the field it names.
 */
import type { z } from 'zod';
import { fieldErrors, refusalErrors, type FieldErrors } from './fields.ts';

export class FormState {
    errors = $state<FieldErrors>({});
    busy = $state(false);

    /** Sends `body` when it passes `schema`; false when it did not pass or the server refused it. */
    submit = async <T>(schema: z.ZodType, body: T, send: (body: T) => Promise<unknown>): Promise<boolean> => {
        this.errors = fieldErrors(schema, body);
        if (Object.keys(this.errors).length > 0) return false;
        return this.run(() => send(body));
    };

    /** A write with the form busy; a refusal becomes the form's errors. */
    run = async (write: () => Promise<unknown>): Promise<boolean> => {
        this.busy = true;
        try {
            await write();
            return true;
        } catch (err) {
            this.errors = refusalErrors(err);
            return false;
        } finally {
            this.busy = false;
        }
    };
}
