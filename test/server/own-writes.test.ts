/**
 * A write is answered once committed, not once the marts include it; the refresh that brings it to the marts
 * follows, and the writer's own reads wait for it (so the dashboards they open next show the change), while
 * everyone else's reads answer at once from the marts as they are. The marts' refresh is held back here by a
 * transaction on the warehouse's models connection, so each step is seen while the marts are behind.
 */
import { describe, expect, it } from 'vitest';
import { modelsState } from '../../warehouse/models.ts';
import { useCaptureFirm } from '../helpers/capture.ts';

const served = useCaptureFirm('own-writes');

/** Whether `promise` is still pending after `ms`. */
async function pendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
    const timeout = Symbol('pending');
    return (await Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve(timeout), ms))])) === timeout;
}

describe('a write and the reads after it', () => {
    it('answers the write at its commit; the writer’s reads wait for the marts, everyone else’s do not', async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const held = served.firm.warehouse.transaction(() => gate, { lane: 'models' });
        try {
            const saved = await served.api('ada', 'POST', 'time/entries', { project_id: 'T1', phase: 'build', activity: 'development', work_date: '2026-11-18', duration: '1:30' });
            expect(saved.status).toBe(201);
            const id: string = saved.body.entry_id;
            // Committed and answered, and the marts do not have it yet.
            expect(await served.firm.warehouse.one(`select duration_seconds from canonical.time_entries where entry_id = $1`, [id])).toEqual({ duration_seconds: 5400 });
            expect((await modelsState(served.firm.warehouse)).current).toBe(false);
            expect(await served.firm.warehouse.one(`select 1 as found from marts.fct_logging_latency where entry_id = $1`, [id])).toBeUndefined();

            // Someone else reads at once, from the marts as they are.
            const other = await served.api('edsger', 'GET', 'me');
            expect(other.status).toBe(200);
            // Health says the marts are behind rather than waiting for them, whoever asks.
            const health = await served.api('ada', 'GET', 'health');
            expect(health.body.marts.current).toBe(false);

            // The writer's read waits for the refresh that includes the write.
            const own = served.api('ada', 'GET', 'me');
            expect(await pendingAfter(own, 300)).toBe(true);
            release();
            await held;
            expect((await own).status).toBe(200);
            expect((await modelsState(served.firm.warehouse)).current).toBe(true);
            expect(await served.firm.warehouse.one(`select hours::double as hours from marts.fct_logging_latency where entry_id = $1`, [id])).toEqual({ hours: 1.5 });
        } finally {
            release();
            await held;
        }
    });

    it('refreshes the marts while the next writes commit beside it, and the next refresh takes them', async () => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const held = served.firm.warehouse.transaction(() => gate, { lane: 'models' });
        const ids: string[] = [];
        try {
            for (const day of ['2026-11-16', '2026-11-17']) {
                const saved = await served.api('linus', 'POST', 'time/entries', { project_id: 'T1', phase: 'build', activity: 'development', work_date: day, duration: '1' });
                expect(saved.status).toBe(201);
                ids.push(saved.body.entry_id);
            }
        } finally {
            release();
            await held;
        }
        const read = await served.api('linus', 'GET', 'me');
        expect(read.status).toBe(200);
        expect((await modelsState(served.firm.warehouse)).current).toBe(true);
        const rows = await served.firm.warehouse.all<{ entry_id: string }>(`select entry_id from marts.fct_logging_latency where entry_id in ($1, $2) order by entry_id`, ids);
        expect(rows.map((r) => r.entry_id)).toEqual([...ids].sort());
    });
});
