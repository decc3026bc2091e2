/**
 * A write is done when the dashboards show it: a time entry written through markWritten in its transaction,
 * then app.refreshModels(), is in GET /api/funnel; /api/health says the marts are behind between the two and
 * current after. The funnel fixture: P1 (developer, 100 EUR/h on the role's card) on T1, time and materials.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markWritten } from '../../warehouse/models/dirty.ts';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
beforeAll(async () => {
    served = await servedFixture('test/fixtures/finance-funnel');
}, 60_000);
afterAll(() => served?.close());

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
});
