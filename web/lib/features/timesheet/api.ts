/**
 * The capture API as the pages call it. Every write drops the cached answers (the dashboards move with
 * it) and tells the other half of the page (events.ts).
 */
import { getJson, invalidate, sendJson } from '../../api/client.ts';
import { timeWritten } from './events.ts';
import type { OptionsAnswer, RunningTimer, TimeEntry, WeekAnswer } from './types.ts';

export async function write<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const answer = await sendJson<T>(method, path, body);
    invalidate();
    timeWritten();
    return answer;
}

export const readOptions = () => getJson<OptionsAnswer>('time/options');
export const readTimer = () => getJson<{ running: RunningTimer | null }>('time/timer');
export const readWeek = (week: string) => getJson<WeekAnswer>('time/week', { week });
export type { TimeEntry };
