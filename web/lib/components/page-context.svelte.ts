/**
 * What every page starts from, stated once: who is signed in and the firm's labels and definitions (the
 * root layout's data, web/routes/+layout.ts; it renders a page only once they are in), the filters of the
 * URL and the chart context. The components on the page (ChartCard) read the chart context and the
 * filters from here, so a page passes them only where it means others.
 */
import { page } from '$app/state';
import { getContext, setContext } from 'svelte';
import type { Me } from '../api/session.ts';
import type { Definitions, Dimensions } from '../api/types.ts';
import { chartContext, useFilters, type FilterState } from '../app.svelte.ts';
import type { ChartContext } from '../charts/common.ts';

/** The root layout's data, which every page's data carries. */
interface LayoutData {
    me: Me | null;
    dims: Dimensions | null;
    defs: Definitions | null;
}

export interface PageState {
    readonly me: Me | null;
    readonly dims: Dimensions;
    readonly defs: Definitions;
    readonly ctx: ChartContext;
    readonly f: FilterState;
}

const KEY = Symbol('page');

class Page implements PageState {
    readonly #data = $derived(page.data as LayoutData);
    readonly me = $derived(this.#data.me);
    readonly dims = $derived(this.#data.dims!);
    readonly defs = $derived(this.#data.defs!);
    readonly ctx = $derived(chartContext(this.dims));
    readonly f = useFilters(() => this.dims);
}

/**
 * Called once at the top of a page's script; the page destructures the state with $derived, so the names
 * follow the data: `const app = usePage(); const { dims, defs, ctx, f } = $derived(app);`.
 */
export function usePage(): PageState {
    const state = new Page();
    setContext(KEY, state);
    return state;
}

/** The state of the page a component is on (undefined outside a page that called usePage). */
export function pageContext(): PageState | undefined {
    return getContext<PageState | undefined>(KEY);
}
