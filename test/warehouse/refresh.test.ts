/**
 * Refreshes one at a time, coalesced (warehouse/models/refresh.ts Refresher), and reads that never queue behind
 * a write (warehouse/warehouse.ts: transactions on a connection of their own), and the filter a partitioned
 * model is refreshed with and passes downstream (warehouse/models/partitions.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { partitionFilter, passDown } from '../../warehouse/models/partitions.ts';
import { Refresher, type RefreshResult } from '../../warehouse/models/refresh.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

/** A refresh run whose end the test decides: each call is numbered and waits for release(n). */
function controlledRuns() {
    const releases: (() => void)[] = [];
    let started = 0;
    const run = (): Promise<RefreshResult> => {
        const n = ++started;
        return new Promise((resolve) => releases.push(() => resolve({ how: 'build', models: [`run ${n}`], reason: null, ms: 0 })));
    };
    return { run, started: () => started, release: (n: number) => releases[n - 1]!() };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('Refresher', () => {
    it('starts at once when idle; a call during a refresh waits for the next one, which concurrent calls share', async () => {
        const runs = controlledRuns();
        const refresher = new Refresher(runs.run);
        const first = refresher.refresh();
        expect(runs.started()).toBe(1);
        // Made while run 1 is running: its write may have committed after run 1 read the data.
        const second = refresher.refresh();
        const third = refresher.refresh();
        expect(second).toBe(third);
        await tick();
        expect(runs.started()).toBe(1);
        runs.release(1);
        expect((await first).models).toEqual(['run 1']);
        await tick();
        expect(runs.started()).toBe(2);
        runs.release(2);
        expect((await second).models).toEqual(['run 2']);
        expect((await third).models).toEqual(['run 2']);
        // Idle again: the next call starts a run of its own.
        const fourth = refresher.refresh();
        expect(runs.started()).toBe(3);
        runs.release(3);
        expect((await fourth).models).toEqual(['run 3']);
    });

    it('a failed refresh rejects its callers and the next call runs again', async () => {
        let calls = 0;
        const refresher = new Refresher(async () => {
            calls++;
            if (calls === 1) throw new Error('tests failed');
            return { how: 'none' as const, models: [], reason: null, ms: 0 };
        });
        await expect(refresher.refresh()).rejects.toThrow('tests failed');
        await expect(refresher.refresh()).resolves.toEqual({ how: 'none', models: [], reason: null, ms: 0 });
    });
});

describe('reads during a write', () => {
    let warehouse: Warehouse | undefined;
    afterEach(() => warehouse?.close());

    it('answer from the last committed state while a transaction is open, even with one read connection', async () => {
        warehouse = await Warehouse.open(':memory:', { connections: 1, migrate: false });
        await warehouse.run('create table t as select 1 as n');
        let finish!: () => void;
        const held = new Promise<void>((r) => (finish = r));
        const write = warehouse.transaction(async () => {
            await warehouse!.run('insert into t values (2)');
            await held;
        });
        await tick();
        // Inside the open write the row is there; a read elsewhere sees the committed table, without waiting.
        const waited = new Promise((r) => setTimeout(() => r('waited'), 2000));
        const read = await Promise.race([warehouse.all<{ n: number }>('select sum(n)::integer as n from t'), waited]);
        expect(read).toEqual([{ n: 1 }]);
        finish();
        await write;
        expect(await warehouse.all('select sum(n)::integer as n from t')).toEqual([{ n: 3 }]);
    });
});

describe('partitionFilter', () => {
    it('selects exactly the dirty projects, as constants, whatever their ids hold', async () => {
        const ids = ["O'Brien", "x') or true --", 'plain'];
        const filter = partitionFilter({ by: 'project', column: 'project_id' }, ids.map((project) => ({ project, person: null, from: null, to: null })));
        const w = await Warehouse.open(':memory:', { migrate: false });
        try {
            await w.run(`create table t as select unnest(['plain', 'other', $1, $2, 'x']) as project_id`, ["O'Brien", "x') or true --"]);
            const rows = await w.all<{ project_id: string }>(`select project_id from t where ${filter!} order by project_id`);
            expect(rows.map((r) => r.project_id)).toEqual([...ids].sort());
        } finally {
            w.close();
        }
        expect(partitionFilter({ by: 'project', column: 'project_id' }, [{ project: null, person: null, from: null, to: null }])).toBeNull();
    });

    it('narrows a month partition to the dirty people, or to the weeks overlapping the dirty months', () => {
        const spec = { by: 'month' as const, column: 'work_date', person: 'person_id' };
        const entry = { project: 'P1', person: 'E1', from: '2025-03-01', to: '2025-03-01' };
        expect(partitionFilter(spec, [entry])).toBe(`("person_id" = 'E1' and ("work_date" >= date '2025-03-01' and "work_date" < date '2025-04-01'))`);
        // A rate card (every person) from March on: every person's rows of those months.
        expect(partitionFilter(spec, [entry, { project: 'P1', person: null, from: '2025-03-01', to: null }])).toBe(
            `(("person_id" = 'E1' and ("work_date" >= date '2025-03-01' and "work_date" < date '2025-04-01')) or "work_date" >= date '2025-03-01')`,
        );
        // March 2025 begins on a Saturday and ends on a Monday: the weeks of 24 Feb through 31 Mar.
        expect(partitionFilter({ ...spec, weeks: 'work_week' }, [entry])).toBe(`("person_id" = 'E1' and ("work_week" >= date '2025-02-24' and "work_week" <= date '2025-03-31'))`);
        // A person's record and no month: every month of that person.
        expect(partitionFilter(spec, [{ project: null, person: 'E2', from: null, to: null }])).toBe(`"person_id" = 'E2'`);
        // Two people: a list.
        expect(partitionFilter(spec, [{ project: null, person: 'E2', from: null, to: null }, { project: null, person: 'E1', from: null, to: null }])).toBe(`"person_id" in ('E1', 'E2')`);
        expect(partitionFilter(spec, [{ project: 'P1', person: null, from: null, to: null }])).toBeNull();
        // A bulk load's thousands of people: their months, every person.
        const many = Array.from({ length: 1001 }, (_, i) => ({ ...entry, person: `E${i}` }));
        expect(partitionFilter(spec, many)).toBe(`("work_date" >= date '2025-03-01' and "work_date" < date '2025-04-01')`);
    });

    it('passes downstream the keys a model narrows on, and the months of the weeks it recomputed', () => {
        const entry = { project: 'P1', person: 'E1', from: '2025-03-01', to: '2025-03-01' };
        expect(passDown({ by: 'month', column: 'work_month', project: 'project_id', person: 'person_id' }, [entry])).toEqual([entry]);
        expect(passDown({ by: 'month', column: 'work_date', person: 'person_id', weeks: 'work_week' }, [entry])).toEqual([{ project: null, person: 'E1', from: '2025-02-01', to: '2025-04-01' }]);
        expect(passDown({ by: 'project', column: 'project_id', per_project: true, onward: true }, [entry])).toEqual([{ project: 'P1', person: null, from: '2025-03-01', to: null }]);
        expect(passDown({ by: 'person', column: 'person_id' }, [entry])).toEqual([{ project: null, person: 'E1', from: null, to: null }]);
    });
});
