/**
 * Shared by the standing hardening tests: a seeded random source, the app's routes as Fastify registered
 * them, a tokens file naming one caller per role over the tiny firm, and the problem+json checks every 4xx
 * must pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { servedRoutes } from '../helpers/routes.ts';

/** mulberry32: small, fast and the same on every machine for a seed. */
export function seeded(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** The seed of a run: FUZZ_SEED, or a fixed one, so a failure replays exactly. */
export function runSeed(fallback: number): number {
    const given = process.env.FUZZ_SEED;
    return given !== undefined && /^\d+$/.test(given) ? Number(given) : fallback;
}

export function sample<T>(random: () => number, items: readonly T[], n: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
}

export interface RegisteredRoute {
    method: string;
    /** Fastify's form: /api/quotes/:id, /docs/* */
    url: string;
}

/** Every route Fastify serves (HEAD left out: it answers as its GET), from its own route tree (helpers/routes.ts). */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
    return servedRoutes(app).map((route) => {
        const [method, url] = route.split(' ') as [string, string];
        return { method, url };
    });
}

export const CALLERS = ['leadership', 'finance', 'project_manager', 'engineer', 'sales', 'admin', 'no token', 'bad token', 'local'] as const;
export type CallerName = (typeof CALLERS)[number];

/** Tokens over test/fixtures/tiny: P2 manages every project, P1 is an engineer. */
export const TOKENS = [
    { token: 'fuzz-leadership-token-0001', person_id: null, role: 'leadership' },
    { token: 'fuzz-finance-token-000001', person_id: null, role: 'finance' },
    { token: 'fuzz-manager-token-000001', person_id: 'P2', role: 'project_manager' },
    { token: 'fuzz-engineer-token-00001', person_id: 'P1', role: 'engineer' },
    { token: 'fuzz-sales-token-00000001', person_id: null, role: 'sales' },
    { token: 'fuzz-admin-token-00000001', person_id: null, role: 'admin' },
] as const;

export function writeTokens(dir: string): string {
    const file = path.join(dir, 'tokens.json');
    fs.writeFileSync(file, JSON.stringify(TOKENS));
    return file;
}

/** Headers and client address of a caller (each its own address, so one's failed sign-ins never slow another). */
export function callerHeaders(caller: CallerName): { headers: Record<string, string>; remoteAddress: string } {
    const index = CALLERS.indexOf(caller);
    const remoteAddress = `127.0.0.${10 + index}`;
    const token = TOKENS.find((t) => t.role === caller)?.token;
    if (token) return { headers: { authorization: `Bearer ${token}` }, remoteAddress };
    if (caller === 'bad token') return { headers: { authorization: 'Bearer not-a-token-this-server-knows' }, remoteAddress };
    return { headers: {}, remoteAddress };
}

/**
 * What is wrong with an answer, or null: never a 5xx; a 4xx is application/problem+json with a title, a
 * detail and its status; a 400 names the parameter at fault when the request changed only that one
 * (blame: the names it may give, e.g. `to` for a `from` after it).
 */
export function answerProblem(res: LightMyRequestResponse, blame?: readonly string[]): string | null {
    const status = res.statusCode;
    if (status >= 500) return `${status}: ${res.body.slice(0, 300)}`;
    if (status < 400) return null;
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json')) return `${status} as ${type || 'no content type'}, not application/problem+json: ${res.body.slice(0, 200)}`;
    let body: { title?: unknown; detail?: unknown; status?: unknown; parameter?: unknown };
    try {
        body = JSON.parse(res.body) as typeof body;
    } catch {
        return `${status}: the problem is not JSON: ${res.body.slice(0, 200)}`;
    }
    if (typeof body.title !== 'string' || body.title.trim() === '') return `${status} without a title: ${res.body.slice(0, 200)}`;
    if (typeof body.detail !== 'string' || body.detail.trim() === '') return `${status} without a detail: ${res.body.slice(0, 200)}`;
    if (body.status !== status) return `${status} whose problem says status ${String(body.status)}`;
    if (status === 400 && blame && blame.length > 0) {
        const named = typeof body.parameter === 'string' ? body.parameter : '';
        const fits = blame.some((b) => named === b || named.startsWith(`${b}.`));
        if (!fits) return `400 naming ${named ? `"${named}"` : 'no parameter'} where ${blame.join(' or ')} is to blame: ${String(body.detail).slice(0, 200)}`;
    }
    return null;
}
