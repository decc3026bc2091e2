/**
 * Benchmark data: the demo firm at a given size, generated once into data/bench/demo-<entries>/ and reused
 * while the generator's inputs (seed, end, entries) stay the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeDemo } from '../ingest/demo/index.ts';

export const BENCH_END = '2026-10-31';
export const BENCH_SEED = 7;

export async function benchDemo(entries: number): Promise<string> {
    const dir = path.resolve('data', 'bench', `demo-${entries}`);
    const stamp = path.join(dir, '.complete');
    const want = JSON.stringify({ entries, seed: BENCH_SEED, end: BENCH_END, generator: 2 });
    if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const started = performance.now();
    console.log(`generating the demo firm with ${entries.toLocaleString('en')} entries into ${dir} …`);
    await writeDemo({ outDir: dir, seed: BENCH_SEED, end: BENCH_END, entries });
    console.log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    fs.writeFileSync(stamp, want);
    return dir;
}
