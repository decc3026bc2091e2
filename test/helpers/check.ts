/**
 * The frame of a real-data check (test/real-data/*.check.ts): the datasets it needs, or exit 2 (the check did
 * not run, never reported as a pass); its assertions, each printed as ok or FAIL; an empty warehouse for each
 * import; an error becomes one of its failures, and the verdict is one line with the time, exit 1 on any
 * failure (CI fails), 0 otherwise.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Warehouse } from '../../warehouse/warehouse.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The datasets folder ($DATASETS, else ../shared/datasets next to the repo) when every path of `needed` is
 * under it; otherwise `notRun(absent, datasets)` goes to stderr and the check exits 2.
 */
export function datasetsOrExit(needed: string[], notRun: (absent: string[], datasets: string) => string): string {
    const datasets = path.resolve(repoRoot, process.env.DATASETS ?? '../shared/datasets');
    const absent = needed.filter((f) => !fs.existsSync(path.join(datasets, f)));
    if (absent.length) {
        console.error(notRun(absent, datasets));
        process.exit(2);
    }
    return datasets;
}

/** A check's assertion: printed as ok or FAIL, a failure recorded in `failures`. */
export function checker(failures: string[]): (ok: boolean, what: string) => void {
    return (ok, what) => {
        if (!ok) failures.push(what);
        console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    };
}

/** `fn` on an empty in-memory warehouse, closed after it. */
export async function fresh<T>(fn: (w: Warehouse) => Promise<T>): Promise<T> {
    const w = await Warehouse.open(':memory:');
    try {
        return await fn(w);
    } finally {
        w.close();
    }
}

export function recordError(failures: string[], err: unknown): void {
    console.error(err);
    failures.push(`error: ${err instanceof Error ? err.message : String(err)}`);
}

export function finishCheck(label: string, failures: readonly string[], started: number): never {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (failures.length) {
        console.log(`\n${label} FAILED (${failures.length}): ${failures.join('; ')} — ${seconds} s`);
        process.exit(1);
    }
    console.log(`\n${label} passed — ${seconds} s`);
    process.exit(0);
}
