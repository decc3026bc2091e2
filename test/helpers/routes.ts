/** The routes a built app serves, read from Fastify itself, and the roles each one serves. */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../server/roles.ts';

/** The served routes as "METHOD path", from Fastify's own route tree (printRoutes without prefix compression). */
export function servedRoutes(server: FastifyInstance): string[] {
    const served = new Set<string>();
    const stack: { depth: number; path: string }[] = [];
    for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
        const m = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)$/.exec(line.replace(/\s+$/, ''));
        if (!m) continue;
        const depth = m[1]!.length;
        while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
        const full = (stack.at(-1)?.path ?? '') + m[2]!;
        stack.push({ depth, path: full });
        for (const method of m[3]!.split(', ').filter((x) => x !== 'HEAD')) served.add(`${method} ${full}`);
    }
    return [...served].sort();
}

/**
 * The roles each /api route serves (its config.roles; null: open to every request), as "METHOD path" →
 * roles. Asks every route once, as local mode's leadership, and answers from a hook that runs before
 * validation and the handler, so nothing is computed or changed. `app` must not be ready yet (the hook is
 * added to it) and must be in local mode; it is no use for anything else afterwards.
 */
export async function routeRoles(app: FastifyInstance): Promise<Map<string, readonly Role[] | null>> {
    app.addHook('preValidation', async (request, reply) => {
        reply.code(299).send({ roles: request.routeOptions.config.roles ?? null });
    });
    await app.ready();
    const out = new Map<string, readonly Role[] | null>();
    for (const route of servedRoutes(app).filter((r) => r.split(' ')[1]!.startsWith('/api/'))) {
        const [method, pattern] = route.split(' ') as [string, string];
        const url = pattern.replace(/:[a-z_]+/g, 'x').replace(/\*/g, 'x');
        const res = await app.inject({ method: method as 'GET', url });
        if (res.statusCode !== 299) throw new Error(`${route} answered ${res.statusCode} before its roles could be read: ${res.body}`);
        out.set(route, (res.json() as { roles: Role[] | null }).roles);
    }
    return out;
}
