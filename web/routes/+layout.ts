// A single-page app: rendered in the browser, served as one shell (adapter-static's 200.html) by the server.
import { isRedirect, redirect } from '@sveltejs/kit';
import { getJson, toApiError } from '$lib/api/client.ts';
import type { Me } from '$lib/api/session.ts';
import type { Definitions, Dimensions } from '$lib/api/types.ts';
import { loadECharts } from '$lib/charts/load.ts';
import { prefetchOverview } from '$lib/features/overview/data.ts';
import { learnRouteFilters, parseFilters } from '$lib/filters.ts';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

/**
 * Who is signed in, the labels and the definitions every page uses (one request, GET /api/session, which
 * web/app.html starts before any script loads); when the server cannot answer, the shell says so itself,
 * and in tokens mode without a token it asks for one. On the overview, its requests start here, as soon as
 * the as-of date is known — not after the page's own code has loaded.
 */
export const load: LayoutLoad = async ({ url, untrack }) => {
    void loadECharts().catch(() => undefined); // a chart that needs it reports the failure
    try {
        const { me, dimensions: dims, definitions: defs } = await getJson<{ me: Me; dimensions: Dimensions | null; definitions: Definitions | null }>('session');
        // Accounts mode: whoever is not signed in signs in first, and comes back to the page they asked for.
        const signingIn = untrack(() => url.pathname === '/signin');
        if (me.mode === 'accounts' && !me.signed_in && !signingIn) redirect(307, `/signin?next=${encodeURIComponent(untrack(() => url.pathname + url.search))}`);
        if (me.signed_in && signingIn) redirect(307, me.home);
        if (!me.signed_in || !dims || !defs) return { me, dims: null, defs: null, startError: null };
        // Which filters reach which route is the API's to say: known before any card asks for data.
        learnRouteFilters(defs.filters);
        // Read without making the layout depend on the URL: it must not reload on every filter change.
        const overview = untrack(() => (url.pathname === '/' ? parseFilters(url.searchParams) : null));
        if (overview && (me.role === 'leadership' || me.role === 'finance')) prefetchOverview(dims, overview);
        return { me, dims, defs, startError: null };
    } catch (err) {
        if (isRedirect(err)) throw err;
        const e = toApiError(err, 'The dashboard could not start');
        return { me: null, dims: null, defs: null, startError: { title: e.title, detail: e.detail } };
    }
};
