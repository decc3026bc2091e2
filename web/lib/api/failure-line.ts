/**
 * A read that a panel keeps in its own state (it also changes it by its writes, so it is no `resource`): the
 * panel runs the read and shows, instead of the answer, the line of what went wrong.
 */
import { errorLine } from './client.ts';

/** Runs `read`; null when it went through, else what went wrong in one line. */
export async function failureLine(read: () => Promise<void>): Promise<string | null> {
    try {
        await read();
        return null;
    } catch (err) {
        return errorLine(err);
    }
}
