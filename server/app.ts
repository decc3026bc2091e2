/**
 * The Fastify application: the warehouse plugin decorates the instance, then routes. Built by a function
 * so tests can `inject` requests without a port.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { healthRoutes } from './routes/health.ts';

declare module 'fastify' {
    interface FastifyInstance {
        warehouse: Warehouse;
    }
}

export interface AppOptions {
    warehouse: Warehouse;
    logger?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
    const app = Fastify({ logger: options.logger ?? false });
    app.decorate('warehouse', options.warehouse);
    await app.register(healthRoutes, { prefix: '/api' });
    return app;
}
