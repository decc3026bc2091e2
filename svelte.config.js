// The dashboard: a SvelteKit SPA under web/ (STYLE.md), built by adapter-static into build/, which the
// Fastify server serves (server/plugins/static-web.ts); deep links get the 200.html shell.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
    preprocess: vitePreprocess(),
    kit: {
        adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', strict: false }),
        files: {
            src: 'web',
            routes: 'web/routes',
            lib: 'web/lib',
            assets: 'web/static',
            appTemplate: 'web/app.html',
            errorTemplate: 'web/error.html',
            hooks: { client: 'web/hooks.client', server: 'web/hooks.server', universal: 'web/hooks' },
            params: 'web/params',
            serviceWorker: 'web/service-worker',
        },
    },
};
