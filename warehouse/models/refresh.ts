/**
 * Bringing the marts up to date after writes: one refresh at a time, and a call made while one runs waits for
 * the next (the running one may have started before the caller's write committed). Concurrent callers share
 * that next refresh. Used by the server after every write and on start.
 */
import type { Warehouse } from '../warehouse.ts';
import { buildModels, canonicalTables } from './build.ts';
import { refreshIncrementally, type IncrementalResult } from './incremental.ts';
import { modelsState, refreshableIncrementally } from './state.ts';

export interface RefreshResult {
    /** What was done: nothing (the marts were current), an incremental refresh, or a whole build. */
    how: 'none' | 'incremental' | 'build';
    /** The models recomputed (none when the marts were current). */
    models: string[];
    /** Why the marts were behind (null when they were current). */
    reason: string | null;
    ms: number;
    /** Each model's time, in the order they ran (how: recomputed by partition, or whole). */
    timings?: { relation: string; how: 'partitions' | 'whole'; ms: number }[];
    /** An incremental refresh's phases: recompute (compare included), compare, tests, commit; and its tests. */
    phases?: IncrementalResult['phases'];
    tests?: IncrementalResult['tests'];
}

/**
 * Refreshes the marts that are behind their data: incrementally when the last build recorded what it read and
 * ran these models, else a whole build (never built, the models changed, a database from before the record).
 */
export async function refreshMarts(warehouse: Warehouse, dir?: string): Promise<RefreshResult> {
    const started = performance.now();
    const state = await modelsState(warehouse, dir);
    if (state.current) return { how: 'none', models: [], reason: null, ms: Math.round(performance.now() - started) };
    if (await refreshableIncrementally(warehouse, dir)) {
        // On the threads a query gets outside bulk work, not every core: an incremental refresh is many small
        // statements that gain little from more threads, and the saves committing beside it keep a core
        // (measured at the demo's size: 1.5× the saves per second under 100 writers, a single save's refresh
        // no slower).
        const result = await refreshIncrementally(warehouse, { dir, canonical: await canonicalTables(warehouse) });
        return {
            how: 'incremental',
            models: result.models.map((m) => m.relation),
            reason: state.reason,
            ms: Math.round(performance.now() - started),
            timings: result.models,
            phases: result.phases,
            tests: result.tests,
        };
    }
    const built = await buildModels(warehouse, { dir });
    return { how: 'build', models: built.models.map((m) => m.relation), reason: state.reason, ms: Math.round(performance.now() - started) };
}

/** Serialises and coalesces refreshes of one warehouse. */
export class Refresher {
    private running: Promise<RefreshResult> | null = null;
    private queued: Promise<RefreshResult> | null = null;
    private readonly run: () => Promise<RefreshResult>;

    constructor(run: () => Promise<RefreshResult>) {
        this.run = run;
    }

    /** Resolves once a refresh that started after this call has finished: the marts then include every write committed before it. */
    refresh(): Promise<RefreshResult> {
        if (this.queued) return this.queued;
        if (!this.running) return this.start();
        const after = this.running.then(
            () => undefined,
            () => undefined,
        );
        this.queued = after.then(() => {
            this.queued = null;
            return this.start();
        });
        return this.queued;
    }

    /** The refresh running now, if any (the server waits for it before closing the warehouse). */
    idle(): Promise<void> {
        const pending = this.queued ?? this.running;
        return pending ? pending.then(() => undefined, () => undefined) : Promise.resolve();
    }

    private start(): Promise<RefreshResult> {
        const run = this.run();
        this.running = run;
        const clear = () => {
            if (this.running === run) this.running = null;
        };
        run.then(clear, clear);
        return run;
    }
}
