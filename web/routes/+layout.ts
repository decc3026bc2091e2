// A single-page app: rendered in the browser, served as one shell (adapter-static's 200.html) by the server.
import { ApiError, getJson } from '$lib/api/client.ts';
import type { Definitions, Dimensions } from '$lib/api/types.ts';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

/** The labels and definitions every page uses; when the server cannot answer, the shell says so itself. */
export const load: LayoutLoad = async () => {
    try {
        const [dims, defs] = await Promise.all([getJson<Dimensions>('dimensions'), getJson<Definitions>('definitions')]);
        return { dims, defs, startError: null };
    } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, 'The dashboard could not start', String(err));
        return { dims: null, defs: null, startError: { title: e.title, detail: e.detail } };
    }
};
