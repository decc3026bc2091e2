/**
 * Serves the built dashboard (SvelteKit, adapter-static). The SPA fallback (deep links get the app shell)
 * lives in the not-found handler of plugins/problem.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const staticWebPlugin = fp(async (app: FastifyInstance, options: { root: string }) => {
    if (!fs.existsSync(options.root)) {
        app.log.warn(`no dashboard build at ${options.root}; run npm run build`);
        return;
    }
    await app.register(fastifyStatic, { root: options.root, wildcard: false, index: ['index.html'] });
});

/** The app shell to answer deep links with, when a build exists. */
export function spaShell(root: string | undefined): string | undefined {
    if (!root) return undefined;
    return ['200.html', 'index.html'].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
}
