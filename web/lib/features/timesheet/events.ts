/**
 * The timer lives in the header and the timesheet in the page: when one writes time (the timer stopped, a
 * week saved), the other reads again. A window event, so neither imports the other.
 */
const EVENT = 'realize:time-written';

export function timeWritten(): void {
    if (typeof window !== 'undefined') window.dispatchEvent(new Event(EVENT));
}

export function onTimeWritten(listener: () => void): () => void {
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
}
