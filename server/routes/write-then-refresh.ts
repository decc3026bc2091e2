/**
 * How a route answers a write: the writer's refusals become problem details, and the answer comes once the
 * write is committed; the refresh of the marts that includes it follows, and the writer's own reads wait for
 * it (server/plugins/refresh.ts), so the dashboards they open next show the change.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Runs `write`, throws its refusals as `asProblem` maps them (other errors pass as they are), then starts the marts' refresh. */
export async function writeThenRefresh<T>(app: FastifyInstance, request: FastifyRequest, write: () => Promise<T>, asProblem: (err: unknown) => unknown): Promise<T> {
    let result: T;
    try {
        result = await write();
    } catch (err) {
        throw asProblem(err);
    }
    app.refreshAfterWrite(request);
    return result;
}
