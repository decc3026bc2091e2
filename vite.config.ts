// Vite for the dashboard only (`npm run dev`, `npm run build`); the tests use vitest.config.ts.
// In dev, /api and /docs are proxied to a running `realize serve` (REALIZE_API, default http://127.0.0.1:3000).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

const api = process.env.REALIZE_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
    plugins: [sveltekit()],
    server: { proxy: { '/api': api, '/docs': api } },
    build: { chunkSizeWarningLimit: 800, rolldownOptions: { checks: { pluginTimings: false } } },
    // SvelteKit's own server bundle (built for its analysis, never served) needs its cookie@0.6; fastify's
    // tree hoists cookie@2 to the root, so bundle the nested one instead of importing the hoisted one.
    ssr: { noExternal: ['cookie'] },
});
