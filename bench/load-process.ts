/**
 * What the ingest and import benchmarks' worker processes share: their arguments (the database file is
 * emptied first), the baseline (DuckDB's own `create table t as select * from read_csv(FILE)`), and the one
 * JSON line each prints, with the process's peak RSS.
 */
import fs from 'node:fs';
import { literal, Warehouse } from '../warehouse/warehouse.ts';

export interface LoadArgs {
    mode: string;
    input: string;
    db: string;
    memoryLimit: string;
}

/** The worker's `MODE INPUT DB` arguments, or the usage line and exit code 2; DB and its WAL are removed. */
export function loadArgs(usage: string): LoadArgs {
    const [mode, input, db] = process.argv.slice(2);
    if (!mode || !input || !db) {
        console.error(`usage: ${usage}`);
        process.exit(2);
    }
    for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
    return { mode, input, db, memoryLimit: process.env.REALIZE_MEMORY_LIMIT ?? '3GB' };
}

/** DuckDB reading the CSV into a table by itself: the time and rows the product's load is compared with. */
export async function baselineLoad({ input, db, memoryLimit }: LoadArgs): Promise<{ ms: number; rows: number }> {
    const warehouse = await Warehouse.open(db, { migrate: false, memoryLimit });
    const started = performance.now();
    await warehouse.run(`create table t as select * from read_csv(${literal(input)})`);
    const ms = performance.now() - started;
    const rows = (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from t`))!.n;
    warehouse.close();
    return { ms, rows };
}

/** Prints the worker's answer: { ms, maxRssMb, rows, ...extra }. */
export function reportLoad(ms: number, rows: number, extra: Record<string, number | null> = {}): void {
    console.log(JSON.stringify({ ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rows, ...extra }));
}
