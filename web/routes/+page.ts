import { loadECharts } from '$lib/charts/EChart.svelte';
import { prefetchOverview } from '$lib/features/overview/data.ts';
import { parseFilters } from '$lib/filters.ts';
import type { PageLoad } from './$types';

// Start the overview's requests as soon as the dimensions are in, before the page mounts.
export const load: PageLoad = async ({ parent, url }) => {
    void loadECharts();
    const { dims } = await parent();
    if (dims) prefetchOverview(dims, parseFilters(url.searchParams));
    return {};
};
