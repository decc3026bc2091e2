/**
 * A write is done when the dashboards show it: a time entry written through markWritten in its transaction,
 * then app.refreshModels(), is in GET /api/funnel; /api/health says the marts are behind between the two and
 * current after. The answer cache follows the data: an upload that changes nothing keeps the cached answers,
 * a write drops them. The funnel fixture: P1 (developer, 100 EUR/h on the role's card) on T1, time and materials.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markWritten } from '../../warehouse/models/dirty.ts';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
beforeAll(async () => {
    served = await servedFixture('test/fixtures/finance-funnel');
}, 60_000);
afterAll(() => served?.close());

const BOUNDARY = 'refresh-test-boundary';
const upload = (name: string, content: string) =>
    served.app.inject({
        method: 'POST',
        url: '/api/ingest',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${BOUNDARY}--\r\n`,
    });
const get = (url: string) => served.app.inject({ method: 'GET', url });
const tracked = async () => (await get('/api/funnel')).json().stages.find((s: { key: string }) => s.key === 'tracked_value').amount as number;

describe('a write, then refreshModels()', () => {
    it('shows in the funnel once the refresh resolves, and health follows the marts', async () => {
        const before = await tracked();
        expect((await get('/api/health')).json().marts).toMatchObject({ current: true, behind: null });

        const entry = { entry_id: 'E-LIVE-1', person_id: 'P1', project_id: 'T1', work_date: '2024-03-05' };
        await served.warehouse.transaction(async () => {
            await served.warehouse.run(
                `insert into canonical.time_entries values ($1, $2, $3, 'build', null, 'development', $4::date, 7200, true, null, 'timer', now(), 'submitted', null, null, null, null, 0)`,
                [entry.entry_id, entry.person_id, entry.project_id, entry.work_date],
            );
            await markWritten(served.warehouse, 'time_entries', [entry]);
        });
        const health = (await get('/api/health')).json().marts;
        expect(health.current).toBe(false);
        expect(health.behind).toBe('data was written after the last build (time_entries)');
        // Not yet refreshed: the funnel still answers from the marts as they were.
        expect(await tracked()).toBe(before);

        const result = await served.app.refreshModels();
        expect(result.how).toBe('incremental');
        expect(result.models).toContain('intermediate.int_entries_priced');
        // 2 h at the developer's 100 EUR/h: tracked value up by 200.
        expect(await tracked()).toBeCloseTo(before + 200, 6);
        const after = (await get('/api/health')).json().marts;
        expect(after).toMatchObject({ current: true, behind: null });
        expect(after.age_seconds).toBeGreaterThanOrEqual(0);
        expect(Date.parse(after.built_at)).toBeGreaterThanOrEqual(Date.parse(after.written_at));
    });

    it('keeps the cached answers through an upload that changes nothing or is refused, and drops them on a write', async () => {
        const w = served.warehouse;
        const cached = (await get('/api/funnel')).body;
        const generation = w.generation;
        const entries = fs.readFileSync('test/fixtures/finance-funnel/time_entries.csv', 'utf8');
        const same = await upload('time_entries.csv', entries);
        expect(same.statusCode, same.body).toBe(200);
        expect(same.json().status).toBe('unchanged');
        const refused = await upload('time_entries.csv', `${entries.trimEnd()}\nE-BAD,NOBODY,T1,build,,development,2024-01-10,3600,true,,timer,,submitted,,,,\n`);
        expect(refused.json().status).toBe('rejected');
        // Nothing the answers read changed: the cache was not flushed, and answers what it held.
        expect(w.generation).toBe(generation);
        expect((await get('/api/funnel')).body).toBe(cached);

        // An upload that changes a draft entry (approved and invoiced ones are frozen): the next answer is the new one, never the cached one.
        const longer = entries.replace('E14,P1,T1,build,,development,2024-04-10,7200,', 'E14,P1,T1,build,,development,2024-04-10,10800,');
        expect(longer).not.toBe(entries);
        const changed = await upload('time_entries.csv', longer);
        expect(changed.json().status, changed.body).toBe('loaded');
        expect(w.generation).toBeGreaterThan(generation);
        // One more hour at 100 EUR/h.
        expect(await tracked()).toBeCloseTo(JSON.parse(cached).stages.find((s: { key: string }) => s.key === 'tracked_value').amount + 100, 6);
    });
});
