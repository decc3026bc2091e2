/**
 * What a person may log time on, kept between saves: read once while the firm's projects, clients, people and
 * plans are unchanged, read again after a committed write to one of them, and looked up again before a save
 * is refused for a project or an activity the kept copy does not hold.
 */
import { describe, expect, it, vi } from 'vitest';
import { checkedFields } from '../../../capture/time/entries.ts';
import { ScopeCache } from '../../../capture/time/options.ts';
import { markWritten } from '../../../warehouse/models/dirty.ts';
import { useCaptureFirm } from '../../helpers/capture.ts';

const served = useCaptureFirm('scope-cache');

/** Counts the scope queries (one per person read) and the activity queries the warehouse answers from now on. */
function countQueries() {
    const warehouse = served.firm.warehouse;
    const all = warehouse.all.bind(warehouse);
    const counts = { scopes: 0, activities: 0 };
    const spy = vi.spyOn(warehouse, 'all').mockImplementation((sql, params) => {
        if (sql.includes('with person as')) counts.scopes++;
        if (sql.includes('select distinct activity')) counts.activities++;
        return all(sql, params);
    });
    return { counts, restore: () => spy.mockRestore() };
}

describe("a person's scope, kept between saves", () => {
    it('is read once while the firm is unchanged, and again after a committed write to its projects', async () => {
        const warehouse = served.firm.warehouse;
        const scope = new ScopeCache(warehouse);
        const { counts, restore } = countQueries();
        try {
            expect((await scope.project('P1', 'T1'))?.name).toBe('Acme portal');
            expect((await scope.project('P1', 'T1'))?.name).toBe('Acme portal');
            expect((await scope.project('P3', 'T1'))?.name).toBe('Acme portal');
            // One read per person, and the firm's activities once for both.
            expect(counts).toEqual({ scopes: 2, activities: 1 });

            // A transaction that rolls back changes nothing the cache keeps.
            await expect(
                warehouse.transaction(async () => {
                    await warehouse.run(`update canonical.projects set status = 'closed' where project_id = 'T1'`);
                    await markWritten(warehouse, 'projects', [{ project_id: 'T1' }]);
                    throw new Error('abandoned');
                }),
            ).rejects.toThrow('abandoned');
            expect((await scope.project('P1', 'T1'))?.name).toBe('Acme portal');
            expect(counts.scopes).toBe(2);

            // T1 closed and committed: the next save on it is refused.
            await warehouse.transaction(async () => {
                await warehouse.run(`update canonical.projects set status = 'closed' where project_id = 'T1'`);
                await markWritten(warehouse, 'projects', [{ project_id: 'T1' }]);
            });
            expect(await scope.project('P1', 'T1')).toBeUndefined();
            expect(counts.activities).toBe(2);
        } finally {
            restore();
            await warehouse.transaction(async () => {
                await warehouse.run(`update canonical.projects set status = 'active' where project_id = 'T1'`);
                await markWritten(warehouse, 'projects', [{ project_id: 'T1' }]);
            });
        }
    });

    it('looks again before refusing an activity it does not hold', async () => {
        const warehouse = served.firm.warehouse;
        const cap = { ...served.firm.app.capture, scope: new ScopeCache(warehouse) };
        const input = { project_id: 'T1', activity: 'research' };
        await expect(checkedFields(cap, 'P1', input)).rejects.toThrow('"research" is not one of the firm\'s activities');
        // An entry with a new activity arrives by a write the cache is not told of (as an import's entries are).
        await warehouse.transaction(async () => {
            await warehouse.run(
                `insert into canonical.time_entries (entry_id, person_id, project_id, phase, activity, work_date, duration_seconds, billable, source, logged_at, status, batch_id)
                 values ('R1', 'P3', 'N1', null, 'research', date '2026-11-02', 600, false, 'import', now(), 'draft', 0)`,
            );
            await markWritten(warehouse, 'time_entries', [{ project_id: 'N1', person_id: 'P3', work_date: '2026-11-02' }]);
        });
        expect(await checkedFields(cap, 'P1', input)).toEqual({ billable: true, project_name: 'Acme portal' });
    });
});
