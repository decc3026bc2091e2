/**
 * Time capture's shared parts: the group-commit queue every capture and review write goes through
 * (capture/write-queue.ts), and the people's scopes (what each may log on). A route answers a write once it is
 * committed; the marts' refresh follows (coalesced: writes committed during a refresh share the next one), and
 * the writer's own reads wait for it (server/plugins/refresh.ts).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ScopeCache } from '../../capture/time/options.ts';
import type { Capture } from '../../capture/time/entries.ts';
import { WriteQueue } from '../../capture/write-queue.ts';

declare module 'fastify' {
    interface FastifyInstance {
        capture: Capture;
    }
}

export const capturePlugin = fp(
    async (app: FastifyInstance) => {
        const queue = new WriteQueue(app.warehouse);
        app.decorate('capture', { warehouse: app.warehouse, queue, scope: new ScopeCache(app.warehouse) });
        // Writes queued before the server closes are written (or fail) before the warehouse closes.
        app.addHook('onClose', async () => queue.idle());
    },
    { name: 'capture', dependencies: ['refresh'] },
);
