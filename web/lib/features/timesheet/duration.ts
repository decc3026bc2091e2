/**
 * A grid cell read with the API's own parser (lib/duration.ts): an empty cell is nothing logged; anything
 * else reads exactly as the server reads it, with the server's message.
 */
import { readDuration, type DurationReading } from '../../../../lib/duration.ts';

export { formatDuration } from '../../../../lib/duration.ts';

export function cellDuration(text: string): DurationReading {
    return text.trim() === '' ? { ok: true, seconds: 0 } : readDuration(text);
}
