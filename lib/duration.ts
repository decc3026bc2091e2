/**
 * Durations as people type them into the timesheet: `1.5` or `1,5` (hours), `1:30` (hours:minutes), `90m`,
 * `2h`, `1h30m` / `1h 30m`, `45s`. One entry is 0 to 24 h (the warehouse's rule for a time entry), kept in
 * whole seconds.
 *
 * Plain TypeScript with no imports: the server's schemas and the dashboard's forms read input the same way.
 */

/** One entry's longest duration: a day. */
export const MAX_DURATION_SECONDS = 86_400;

export type DurationReading = { ok: true; seconds: number } | { ok: false; message: string };

const HOURS = /^(\d{1,3}(?:[.,]\d*)?|[.,]\d+)$/;
const CLOCK = /^(\d{1,3}):([0-5]\d)$/;
const UNITS = /^(?:(\d{1,3}(?:[.,]\d+)?)\s*h(?:rs?|ours?)?)?\s*(?:(\d{1,5}(?:[.,]\d+)?)\s*m(?:in(?:s|utes?)?)?)?\s*(?:(\d{1,6})\s*s(?:ec(?:s|onds?)?)?)?$/;

const number = (text: string) => Number(text.replace(',', '.'));

/** Reads a typed duration: its seconds, or a message saying what is wrong with it. Never throws. */
export function readDuration(input: string): DurationReading {
    const text = String(input ?? '').trim().toLowerCase();
    if (text === '') return { ok: false, message: 'enter a duration, like 1.5 or 1:30' };
    if (text.length > 40) return { ok: false, message: 'is too long for a duration' };
    if (text.startsWith('-')) return { ok: false, message: 'cannot be negative' };
    let seconds: number;
    let match: RegExpMatchArray | null;
    if ((match = text.match(HOURS))) {
        seconds = number(match[1] ?? '') * 3600;
    } else if ((match = text.match(CLOCK))) {
        seconds = Number(match[1]) * 3600 + Number(match[2]) * 60;
    } else if (/^\d{1,3}:\d+$/.test(text)) {
        return { ok: false, message: 'minutes after the colon go from 00 to 59' };
    } else if ((match = text.match(UNITS)) && (match[1] || match[2] || match[3])) {
        seconds = (match[1] ? number(match[1]) * 3600 : 0) + (match[2] ? number(match[2]) * 60 : 0) + (match[3] ? Number(match[3]) : 0);
    } else {
        return { ok: false, message: `"${String(input).trim().slice(0, 40)}" is not a duration: type hours like 1.5, 1:30, 90m or 2h` };
    }
    if (!Number.isFinite(seconds)) return { ok: false, message: 'is not a duration' };
    seconds = Math.round(seconds);
    if (seconds > MAX_DURATION_SECONDS) return { ok: false, message: 'is more than 24 hours: one entry is at most a day' };
    return { ok: true, seconds };
}

/** A typed duration in seconds; throws a RangeError with the reading's message when it is not one. */
export function parseDuration(input: string): number {
    const reading = readDuration(input);
    if (!reading.ok) throw new RangeError(reading.message);
    return reading.seconds;
}

/** Seconds as the grid shows them: `1:30`, `0:05`, `8:00` (seconds below a minute are rounded). */
export function formatDuration(seconds: number): string {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
