/**
 * The live benchmark's dashboard readers, on their own thread (their own event loop, as users' browsers
 * would be): `connections` loops, each sending a GET of the next URL of the list, waiting `pause` ms after
 * each answer, until told to stop. Posts back every request as [start (ms since the epoch), latency ms], or
 * the first failure.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { urls, connections, pause } = workerData as { urls: string[]; connections: number; pause: number };
const samples: [number, number][] = [];
let stopped = false;
parentPort!.once('message', () => (stopped = true));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
    let next = 0;
    await Promise.all(
        Array.from({ length: connections }, async () => {
            while (!stopped) {
                const url = urls[next++ % urls.length]!;
                const t = now();
                const res = await fetch(url);
                await res.arrayBuffer();
                if (!res.ok) throw new Error(`${url}: ${res.status}`);
                samples.push([t, now() - t]);
                await sleep(pause);
            }
        }),
    );
    parentPort!.postMessage({ samples });
} catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
