/**
 * The API benchmark's load tool, on its own thread (its own event loop, as a separate load tool would be):
 * `connections` closed loops, each sending its next GET when the last answered, for `seconds`. Posts back
 * every latency in ms, or the first failure.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { url, connections, seconds } = workerData as { url: string; connections: number; seconds: number };
const latencies: number[] = [];
const until = performance.now() + seconds * 1000;
try {
    await Promise.all(
        Array.from({ length: connections }, async () => {
            while (performance.now() < until) {
                const t = performance.now();
                const res = await fetch(url);
                await res.arrayBuffer();
                if (!res.ok) throw new Error(`${url}: ${res.status}`);
                latencies.push(performance.now() - t);
            }
        }),
    );
    parentPort!.postMessage({ latencies });
} catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
