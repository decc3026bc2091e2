/**
 * The capture benchmark's load tool, on its own thread (its own event loop, as the people's browsers would be):
 * one closed loop per client, each POSTing its next entry to /api/time/entries with its person's token when the
 * last was answered, for `seconds`. Posts back every answered request's latency in ms and the count of each
 * status (a request that failed to connect counts as status 0), or the first failure of the tool itself.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface CaptureClient {
    token: string;
    /** The entries this client cycles through (valid for its person). */
    bodies: object[];
}

const { url, clients, seconds } = workerData as { url: string; clients: CaptureClient[]; seconds: number };
const latencies: number[] = [];
const statuses: Record<string, number> = {};
const count = (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);
const started = performance.now();
const until = started + seconds * 1000;
try {
    await Promise.all(
        clients.map(async (client) => {
            let i = 0;
            while (performance.now() < until) {
                const body = JSON.stringify(client.bodies[i++ % client.bodies.length]);
                const t = performance.now();
                try {
                    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' }, body });
                    await res.arrayBuffer();
                    latencies.push(performance.now() - t);
                    count(res.status);
                } catch {
                    count(0);
                }
            }
        }),
    );
    parentPort!.postMessage({ latencies, statuses, ms: performance.now() - started });
} catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
