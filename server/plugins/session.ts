/**
 * Signed-in sessions: the cookie that carries one, and the sessions the server has looked up. The cookie
 * holds a random id (session-crypto.ts newSecret); the warehouse keeps only its SHA-256 (auth.sessions), so a
 * copy of the database signs no one in. The cookie is httpOnly (no script reads it), SameSite=Strict (no
 * other site's page sends it) and Secure when the request came over https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { insertSession, sessionAccount } from '../queries/accounts.ts';
import type { Role } from '../roles.ts';
import { newSecret, secretHash } from './session-crypto.ts';

export const SESSION_COOKIE = 'realize_session';

/** Who a session signs in (plugins/auth.ts makes it the request's caller). */
export interface SessionCaller {
    role: Role;
    person_id: string | null;
    account_id: string;
    email: string;
    session_hash: string;
}
/** How long a sign-in lasts: a working day and then some. */
export const SESSION_HOURS = 12;

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: FastifyRequest): string | null {
    const header = request.headers.cookie;
    if (!header) return null;
    for (const part of header.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
    }
    return null;
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Starts a session for an account: stored hashed, its cookie set on the reply. */
export async function startSession(warehouse: Warehouse, request: FastifyRequest, reply: FastifyReply, accountId: string): Promise<void> {
    const value = newSecret();
    const expires = new Date(Date.now() + SESSION_HOURS * 3600_000);
    await insertSession(warehouse, { session_hash: secretHash(value), account_id: accountId, expires_at: expires.toISOString(), address: request.ip });
    reply.header('set-cookie', cookie(request, value, SESSION_HOURS * 3600));
}

/** Tells the browser to forget its session cookie. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
    reply.header('set-cookie', cookie(request, '', 0));
}

/**
 * The sessions looked up, by hash, until they expire or anything about accounts changes (AuthState.reload
 * forgets them all: every change goes through this server, which owns the database). A request with a session
 * then costs no query. Bounded: past `max` the oldest lookup is forgotten.
 */
export class SessionCache {
    private readonly entries = new Map<string, { caller: SessionCaller | null; expires: number }>();
    private readonly warehouse: Warehouse;
    private readonly max: number;

    constructor(warehouse: Warehouse, max = 10_000) {
        this.warehouse = warehouse;
        this.max = max;
    }

    async caller(hash: string): Promise<SessionCaller | null> {
        const cached = this.entries.get(hash);
        if (cached && cached.expires > Date.now()) return cached.caller;
        const row = await sessionAccount(this.warehouse, hash);
        // An unknown session is remembered briefly too, so a stale cookie costs one query a minute.
        const entry = row
            ? { caller: { role: row.role as Role, person_id: row.person_id, account_id: row.account_id, email: row.email, session_hash: hash }, expires: row.expires_ms }
            : { caller: null, expires: Date.now() + 60_000 };
        this.entries.delete(hash);
        this.entries.set(hash, entry);
        while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
        return entry.caller;
    }

    forget(): void {
        this.entries.clear();
    }
}
