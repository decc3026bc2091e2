import { redirect } from '@sveltejs/kit';
import { homeFor, mayOpen } from '$lib/api/session.ts';
import { loadECharts } from '$lib/charts/EChart.svelte';
import { prefetchOverview } from '$lib/features/overview/data.ts';
import { parseFilters } from '$lib/filters.ts';
import type { PageLoad } from './$types';

// Start the overview's requests as soon as the dimensions are in, before the page mounts. The overview is
// the money: a signed-in role that cannot read it starts on its own page instead.
export const load: PageLoad = async ({ parent, url }) => {
    const { me, dims } = await parent();
    if (me?.signed_in && !mayOpen(me.role, '/')) redirect(307, homeFor(me.role));
    void loadECharts();
    if (dims) prefetchOverview(dims, parseFilters(url.searchParams));
    return {};
};
