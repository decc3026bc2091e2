/**
 * Who the dashboard talks to the server as. In local mode there is nobody to be (every caller is
 * leadership); in tokens mode the person pastes their token once, it is kept in this browser's localStorage
 * and sent as `Authorization: Bearer` on every API call. GET /api/me says which mode the server is in and
 * whom the token names, and the pages the caller may open. Which role opens which page is server/roles.ts,
 * imported as it is: the navigation shows the pages /api/me answers, and a page outside them says it is not
 * the caller's.
 */
import type { Me } from '../../../server/schemas/session.ts';

export { homeFor, mayOpen, pagesFor, ROLE_LABELS, type Role } from '../../../server/roles.ts';
export type { Me };

export const TOKEN_KEY = 'realize.token';

export function storedToken(): string | null {
    try {
        return typeof localStorage === 'undefined' ? null : localStorage.getItem(TOKEN_KEY);
    } catch {
        return null; // storage disabled: behave as signed out
    }
}

export function storeToken(token: string | null): void {
    try {
        if (token) localStorage.setItem(TOKEN_KEY, token);
        else localStorage.removeItem(TOKEN_KEY);
    } catch {
        // Nothing to keep it in; the next request goes without.
    }
}

/** The header every API request carries (none when no token is stored). */
export function authHeaders(): Record<string, string> {
    const token = storedToken();
    return token ? { authorization: `Bearer ${token}` } : {};
}

/** Whether the caller sees a project's figures (its closeout, the quotes linked to it): a project manager their own projects only. */
export function seesProject(me: Pick<Me, 'role' | 'person_id'> | null, project: { manager_id: string | null }): boolean {
    return me?.role !== 'project_manager' || (me.person_id !== null && project.manager_id === me.person_id);
}
