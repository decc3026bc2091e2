/**
 * Time capture's shared parts: the group-commit queue every capture and review write goes through
 * (capture/write-queue.ts), and the people's scopes (what each may log on). After each commit the marts are
 * refreshed (coalesced: writes committed during a refresh share the next one); a route that answers a write
 * waits for it, so the answer comes when the dashboards show the change.
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
