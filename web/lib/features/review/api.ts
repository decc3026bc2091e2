/** The review API as the page calls it; every write drops the cached answers (the dashboards move with it). */
import { getJson, invalidate, sendJson } from '../../api/client.ts';
import type { QueueAnswer } from './review.ts';

export async function write<T>(path: string, body: unknown): Promise<T> {
    const answer = await sendJson<T>('POST', path, body);
    invalidate();
    return answer;
}

export const readQueue = (week: string, project_id?: string) => getJson<QueueAnswer>('review/queue', { week, project_id });
