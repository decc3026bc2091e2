/**
 * Keeping the marts current after writes. `app.refreshModels()` brings them up to date with every write
 * committed before the call (refreshes run one at a time on the warehouse's models connection, beside the
 * writes; calls made during a refresh share the next one). A form's write is answered once it is committed
 * (`app.refreshAfterWrite`), and the refresh that includes it follows: the writer's own reads (GET, by the
 * same caller) wait for that refresh, so the dashboards a person opens after saving show their change, while
 * everyone else's reads answer at once from the last committed marts. A refresh whose models fail their tests
 * keeps the previous marts; the failure is logged and `/api/health` says the marts are behind.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Refresher, refreshMarts, type RefreshResult } from '../../warehouse/models/refresh.ts';
import { actorOf, type Caller } from './auth.ts';

declare module 'fastify' {
    interface FastifyInstance {
        /** Brings the marts up to date with every write committed before the call. */
        refreshModels(): Promise<RefreshResult>;
        /** After `request`'s write committed: starts the refresh that includes it; the caller's next reads wait for it. */
        refreshAfterWrite(request: FastifyRequest): void;
    }
    interface FastifyContextConfig {
        /** false: the route answers without waiting for the caller's own writes to reach the marts (health). */
        readsOwnWrites?: boolean;
    }
}

export interface RefreshOptions {
    /** The models the marts are built from; default models/. */
    modelsDir?: string;
}

/** The longest a read waits for its caller's write to reach the marts; past it, it answers from the marts as they are. */
export const OWN_WRITES_WAIT_MS = 10_000;

const plugin: FastifyPluginAsync<RefreshOptions> = async (app, { modelsDir }) => {
    const refresher = new Refresher(() => refreshMarts(app.warehouse, modelsDir));
    app.decorate('refreshModels', () => refresher.refresh());

    /** Per caller (as the audit log names them), the refresh that includes their last write, until it ends. */
    const pending = new Map<string, Promise<void>>();
    app.decorate('refreshAfterWrite', (request: FastifyRequest) => {
        const caller = actorOf(request.caller as Caller | null);
        const done: Promise<void> = app.refreshModels().then(
            () => undefined,
            (err: unknown) => app.log.error({ err }, 'the marts could not be refreshed after a write; they keep their previous state'),
        );
        pending.set(caller, done);
        void done.then(() => {
            if (pending.get(caller) === done) pending.delete(caller);
        });
    });
    app.addHook('preHandler', async (request: FastifyRequest) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') return;
        if (request.routeOptions.config?.readsOwnWrites === false) return;
        const own = pending.get(actorOf(request.caller as Caller | null));
        if (!own) return;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([own, new Promise<void>((resolve) => (timer = setTimeout(resolve, OWN_WRITES_WAIT_MS)))]);
        clearTimeout(timer);
    });
    // A refresh in flight finishes (or fails) before the warehouse is closed under it.
    app.addHook('onClose', async () => refresher.idle());
};

export const refreshPlugin = fp(plugin, { name: 'refresh' });
