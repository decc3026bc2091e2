import { redirect } from '@sveltejs/kit';
import { homeFor, mayOpen } from '$lib/api/session.ts';
import type { PageLoad } from './$types';

// The overview is the money: a signed-in role that cannot read it starts on its own page instead. (Its
// requests were started by the root layout.)
export const load: PageLoad = async ({ parent }) => {
    const { me } = await parent();
    if (me?.signed_in && !mayOpen(me.role, '/')) redirect(307, homeFor(me.role));
    return {};
};
