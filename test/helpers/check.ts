/**
 * The close of a real-data check (test/real-data/*.check.ts): an error becomes one of its failures, and the
 * verdict is one line with the time, exit 1 on any failure (CI fails), 0 otherwise.
 */
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
