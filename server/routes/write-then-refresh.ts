/**
 * How a route answers a write: the writer's refusals become problem details, and the answer comes once the
 * marts include the write (so the dashboards already show it).
 */
import type { FastifyInstance } from 'fastify';

/** Runs `write`, throws its refusals as `asProblem` maps them (other errors pass as they are), then refreshes the marts. */
export async function writeThenRefresh<T>(app: FastifyInstance, write: () => Promise<T>, asProblem: (err: unknown) => unknown): Promise<T> {
    let result: T;
    try {
        result = await write();
    } catch (err) {
        throw asProblem(err);
    }
    await app.refreshModels();
    return result;
}
