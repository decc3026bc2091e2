/**
 * `app.refreshModels()`: a writer awaits it after its write commits; when it resolves the marts include the
 * write. Refreshes run one at a time on the warehouse's write connection (reads keep answering from the last
 * committed marts meanwhile); calls made during a refresh share the next one. A refresh whose models fail
 * their tests rejects with the ModelError and keeps the previous marts.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Refresher, refreshMarts, type RefreshResult } from '../../warehouse/models/refresh.ts';

declare module 'fastify' {
    interface FastifyInstance {
        /** Brings the marts up to date with every write committed before the call. */
        refreshModels(): Promise<RefreshResult>;
    }
}

export interface RefreshOptions {
    /** The models the marts are built from; default models/. */
    modelsDir?: string;
}

const plugin: FastifyPluginAsync<RefreshOptions> = async (app, { modelsDir }) => {
    const refresher = new Refresher(() => refreshMarts(app.warehouse, modelsDir));
    app.decorate('refreshModels', () => refresher.refresh());
    // A refresh in flight finishes (or fails) before the warehouse is closed under it.
    app.addHook('onClose', async () => refresher.idle());
};

export const refreshPlugin = fp(plugin, { name: 'refresh' });
