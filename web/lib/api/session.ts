/**
 * Who the dashboard talks to the server as. In local mode there is nobody to be (every caller is
 * leadership); in tokens mode the person pastes their token once, it is kept in this browser's localStorage
 * and sent as `Authorization: Bearer` on every API call. GET /api/me says which mode the server is in and
 * whom the token names.
 */

export const TOKEN_KEY = 'realize.token';

export type Role = 'leadership' | 'finance' | 'project_manager' | 'engineer' | 'sales';

export interface Me {
    mode: 'local' | 'tokens';
    signed_in: boolean;
    /** Why a sent token was not accepted. */
    reason: string | null;
    role: Role | null;
    person_id: string | null;
    name: string | null;
    /** The person's role in the firm (developer, designer …), not their access role. */
    person_role: string | null;
    department: string | null;
}

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

export const ROLE_LABELS: Record<Role, string> = {
    leadership: 'Leadership',
    finance: 'Finance',
    project_manager: 'Project manager',
    engineer: 'Engineer',
    sales: 'Sales',
};

/** The dashboard's pages and the roles whose data they show (the API routes they read serve those roles). */
export const PAGES: readonly { href: string; label: string; roles: readonly Role[] }[] = [
    { href: '/', label: 'Overview', roles: ['leadership', 'finance'] },
    { href: '/clients', label: 'Clients & projects', roles: ['leadership', 'finance'] },
    { href: '/people', label: 'People & capacity', roles: ['leadership', 'finance', 'project_manager', 'engineer'] },
    { href: '/closeout', label: 'Closeout', roles: ['leadership', 'finance', 'project_manager', 'sales'] },
    { href: '/quotes', label: 'Quotes', roles: ['leadership', 'finance', 'project_manager', 'engineer', 'sales'] },
    { href: '/calibration', label: 'Calibration', roles: ['leadership', 'finance', 'project_manager', 'engineer', 'sales'] },
    { href: '/data', label: 'Data', roles: ['leadership', 'finance', 'project_manager'] },
];

/** Whether the caller sees a project's figures (its closeout, the quotes linked to it): a project manager their own projects only. */
export function seesProject(me: Pick<Me, 'role' | 'person_id'> | null, project: { manager_id: string | null }): boolean {
    return me?.role !== 'project_manager' || (me.person_id !== null && project.manager_id === me.person_id);
}

/** Where a role starts when the overview (money) is not theirs. */
export function homeFor(role: Role | null): string {
    if (role === 'project_manager' || role === 'engineer') return '/people';
    if (role === 'sales') return '/quotes';
    return '/';
}

export function pagesFor(role: Role | null): typeof PAGES {
    return role ? PAGES.filter((p) => p.roles.includes(role)) : PAGES;
}

/** Whether a path's page shows data the role may read (unknown paths: yes, the API decides). */
export function mayOpen(role: Role | null, pathname: string): boolean {
    if (!role) return true;
    const page = pathname === '/' ? PAGES[0] : PAGES.find((p) => p.href !== '/' && (pathname === p.href || pathname.startsWith(`${p.href}/`)));
    const owner = page ?? (pathname.startsWith('/projects/') ? PAGES[1] : undefined);
    return !owner || owner.roles.includes(role);
}
