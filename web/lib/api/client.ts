/**
 * The dashboard's only door to the server: GET JSON from /api with the query as parameters, the signed-in
 * person's token on every request, errors turned into ApiError carrying the problem+json title and detail
 * (what to change), identical requests shared.
 */
import { authHeaders, storedToken, type Me } from './session.ts';

export class ApiError extends Error {
    readonly status: number;
    readonly title: string;
    readonly detail: string;
    /** The field or parameter at fault (problem+json `parameter`), so a form can show the error beside it. */
    readonly parameter: string | null;
    /** The rest of the problem+json body (a grid's per-cell `errors`, say). */
    readonly extra: Record<string, unknown>;
    constructor(status: number, title: string, detail: string, parameter: string | null = null, extra: Record<string, unknown> = {}) {
        super(`${title}: ${detail}`);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.parameter = parameter;
        this.extra = extra;
    }
}

/** What went wrong in one line: an API error's title and detail, anything else as it prints. */
export function errorLine(err: unknown): string {
    return err instanceof ApiError ? `${err.title}: ${err.detail}` : String(err);
}

/** The error as an ApiError: itself, or one of status 0 under `title` (the server unreachable, a fault in the page). */
export function toApiError(err: unknown, title: string): ApiError {
    return err instanceof ApiError ? err : new ApiError(0, title, String(err));
}

/**
 * A signed-in session that ended (expired, signed out elsewhere, the account disabled) answers 401: the
 * dashboard goes to the sign-in page, which brings the person back here after. A token is not a session:
 * its 401 stays an error the page shows.
 */
function sessionEnded(res: Response): void {
    if (res.status !== 401 || storedToken() || typeof location === 'undefined' || location.pathname === '/signin') return;
    location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
}

export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return `/api/${path.replace(/^\/+/, '')}${s ? `?${s}` : ''}`;
}

const cache = new Map<string, Promise<unknown>>();

/** What web/app.html's inline script asked for before any module loaded (null: it did not ask). */
interface Boot {
    token: string | null;
    responses: Record<string, Promise<Response | null> | undefined>;
}

/** The response the page's first script already requested for this URL, once, if sent with today's token. */
function bootResponse(url: string, init?: RequestInit): Promise<Response | null> | undefined {
    const boot = (globalThis as { __realizeBoot?: Boot }).__realizeBoot;
    if (!boot || init?.method || init?.headers || boot.token !== storedToken()) return undefined;
    const res = boot.responses[url];
    delete boot.responses[url];
    return res;
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
        const early = await bootResponse(url, init)?.catch(() => null);
        res = early ?? (await fetch(url, { ...init, headers: { accept: 'application/json', ...authHeaders(), ...(init?.headers ?? {}) } }));
    } catch {
        throw new ApiError(0, 'The server cannot be reached', 'Check that `npm start` (or `realize serve`) is still running, then retry.');
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok) {
        if (!init?.method) sessionEnded(res);
        if (type.includes('json')) {
            const body = (await res.json()) as { title?: string; detail?: string; parameter?: string } & Record<string, unknown>;
            throw new ApiError(res.status, body.title ?? `HTTP ${res.status}`, body.detail ?? res.statusText, body.parameter ?? null, body);
        }
        throw new ApiError(res.status, `HTTP ${res.status}`, res.statusText);
    }
    return (await res.json()) as T;
}

/** GET /api/<path>?<params>; the same URL is fetched once until invalidate(). */
export function getJson<T>(path: string, params: Record<string, string | number | undefined> = {}): Promise<T> {
    const url = apiUrl(path, params);
    let p = cache.get(url) as Promise<T> | undefined;
    if (!p) {
        p = request<T>(url);
        cache.set(url, p);
        // A failed request is not cached: the retry button asks again.
        p.catch(() => cache.delete(url));
    }
    return p;
}

/** POSTs a form (multipart) and returns the JSON answer. */
export function postForm<T>(path: string, form: FormData): Promise<T> {
    return request<T>(apiUrl(path), { method: 'POST', body: form });
}

/** Sends JSON (POST, PUT, PATCH; DELETE without a body) and returns the JSON answer; a refusal is an ApiError naming the field at fault. */
export function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown = {}): Promise<T> {
    if (method === 'DELETE') return request<T>(apiUrl(path), { method, headers: {} });
    return request<T>(apiUrl(path), { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

/** Whom a token names (GET /api/me sent with it), before it is kept: signed_in is false for an unknown one. */
export function whoIs(token: string): Promise<Me> {
    return request<Me>(apiUrl('me'), { headers: { authorization: `Bearer ${token}` } });
}

/** Forgets the cached answer of one request, so the next getJson of it asks the server again. */
export function forget(path: string, params: Record<string, string | number | undefined> = {}): void {
    cache.delete(apiUrl(path, params));
}

/** Forgets every cached answer (after an upload changed the data, or another person signed in). */
export function invalidate(): void {
    cache.clear();
    const boot = (globalThis as { __realizeBoot?: Boot }).__realizeBoot;
    if (boot) boot.responses = {};
}
