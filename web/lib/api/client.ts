/**
 * The dashboard's only door to the server: GET JSON from /api with the query as parameters, errors turned
 * into ApiError carrying the problem+json title and detail (what to change), identical requests shared.
 */

export class ApiError extends Error {
    readonly status: number;
    readonly title: string;
    readonly detail: string;
    constructor(status: number, title: string, detail: string) {
        super(`${title}: ${detail}`);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }
}

export function apiUrl(path: string, params: Record<string, string | number | undefined> = {}): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return `/api/${path.replace(/^\/+/, '')}${s ? `?${s}` : ''}`;
}

const cache = new Map<string, Promise<unknown>>();

async function request<T>(url: string, init?: RequestInit): Promise<T> {
    let res: Response;
    try {
        res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
    } catch {
        throw new ApiError(0, 'The server cannot be reached', 'Check that `npm start` (or `realize serve`) is still running, then retry.');
    }
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok) {
        if (type.includes('json')) {
            const body = (await res.json()) as { title?: string; detail?: string };
            throw new ApiError(res.status, body.title ?? `HTTP ${res.status}`, body.detail ?? res.statusText);
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

/** Forgets every cached answer (after an upload changed the data). */
export function invalidate(): void {
    cache.clear();
}
