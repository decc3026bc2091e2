// Vite for the dashboard only (`npm run dev`, `npm run build`); the tests use vitest.config.ts.
// In dev, /api and /docs are proxied to a running `realize serve` (REALIZE_API, default http://127.0.0.1:3000).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type ProxyOptions } from 'vite';

const api = process.env.REALIZE_API ?? 'http://127.0.0.1:3000';

// The API answers only its own host name and origin (server/plugins/security.ts): the proxy sends the API's
// host, and a request from the dev server's own pages as one from the API's origin. Another site's Origin
// passes unchanged, so the API still refuses it.
const toApi: ProxyOptions = {
    target: api,
    changeOrigin: true,
    configure: (proxy) =>
        proxy.on('proxyReq', (proxyReq, req) => {
            const origin = req.headers.origin;
            if (origin && URL.canParse(origin) && new URL(origin).host === req.headers.host) proxyReq.setHeader('origin', new URL(api).origin);
        }),
};

export default defineConfig({
    plugins: [sveltekit()],
    server: { proxy: { '/api': toApi, '/docs': toApi } },
    build: { chunkSizeWarningLimit: 800, rolldownOptions: { checks: { pluginTimings: false } } },
    // SvelteKit's own server bundle (built for its analysis, never served) needs its cookie@0.6; fastify's
    // tree hoists cookie@2 to the root, so bundle the nested one instead of importing the hoisted one.
    ssr: { noExternal: ['cookie'] },
});
