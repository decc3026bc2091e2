/**
 * What a browser may do with this server. In local mode every caller is the firm's leadership, so the only
 * thing between a web page the person happens to visit and the firm's data is this plugin:
 *  - Host: in local mode a request must name the server as it is reached on this machine (localhost,
 *    127.0.0.1 or [::1], with the port it listens on). A page on evil.example whose name is made to resolve
 *    to 127.0.0.1 (DNS rebinding) sends `Host: evil.example` and is refused.
 *  - Origin: in local mode every request that carries one must come from the server's own origin; in every
 *    mode a write (POST, PUT, PATCH, DELETE) must. Requests without Origin (the CLI, curl, scripts) are not
 *    browsers' cross-site requests and pass. Origins of a proxy in front (the dashboard's dev server, a
 *    reverse proxy) are added with REALIZE_ALLOWED_ORIGINS.
 *  - Headers on every answer: a Content-Security-Policy (the dashboard's own scripts only, by file and by the
 *    hash of the build's inline scripts; the API documentation at /docs its own), no framing, no sniffing,
 *    no referrer, and `Cache-Control: no-store` on /api answers (they carry figures a token opened).
 * Binding to a non-loopback address without tokens is refused before the server starts (bin/commands/serve.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problem.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when binding to `host` keeps the server on this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
    const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * REALIZE_ALLOWED_ORIGINS (comma-separated, e.g. `http://localhost:5173,https://realize.firm.example`) as
 * origins; throws naming the entry that is not one.
 */
export function parseAllowedOrigins(value: string | undefined): string[] {
    return (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((entry) => {
            let url: URL | null = null;
            try {
                url = new URL(entry);
            } catch {
                // reported below
            }
            if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
                throw new Error(`REALIZE_ALLOWED_ORIGINS: "${entry}" is not an origin; write scheme://host[:port], e.g. https://realize.example.com`);
            }
            return url.origin;
        });
}

/** A Host header as hostname (lower case, IPv6 in brackets) and port (null when it names none). */
function parseHost(host: string | undefined): { name: string; port: number | null } | null {
    if (!host) return null;
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(host.trim());
    if (!m) return null;
    return { name: m[1]!.toLowerCase(), port: m[2] ? Number(m[2]) : null };
}

/** Same origin: the Origin's host and port are the ones the request was sent to (a port left out is the scheme's). */
function sameOrigin(origin: URL, host: string | undefined): boolean {
    const h = parseHost(host);
    if (!h) return false;
    const defaultPort = origin.protocol === 'https:' ? 443 : 80;
    return origin.hostname.toLowerCase() === h.name && (origin.port ? Number(origin.port) : defaultPort) === (h.port ?? defaultPort);
}

/** The hashes of the inline scripts of the dashboard's HTML files (the app shell and any prerendered page). */
export function inlineScriptHashes(webDir: string | undefined): string[] {
    if (!webDir || !fs.existsSync(webDir)) return [];
    const hashes = new Set<string>();
    for (const file of fs.readdirSync(webDir).filter((f) => f.endsWith('.html'))) {
        const html = fs.readFileSync(path.join(webDir, file), 'utf8');
        for (const m of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
            hashes.add(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
        }
    }
    return [...hashes].sort();
}

/** A page's policy: everything from the server itself, but scripts and images as given; never framed. */
function pagePolicy(scripts: string, images: string): string {
    return [
        `default-src 'self'`,
        `script-src ${scripts}`,
        `style-src 'self' 'unsafe-inline'`,
        `img-src ${images}`,
        `font-src 'self' data:`,
        `connect-src 'self'`,
        `object-src 'none'`,
        `base-uri 'self'`,
        `form-action 'self'`,
        `frame-ancestors 'none'`,
    ].join('; ');
}

/** The dashboard: its own files and the build's inline scripts; Svelte and ECharts set inline styles. */
export function dashboardPolicy(scriptHashes: readonly string[]): string {
    return pagePolicy(`'self'${scriptHashes.map((h) => ` ${h}`).join('')}`, `'self' data: blob:`);
}

/** /docs (swagger-ui): scripts from files only; it styles with inline styles and data: images. */
const DOCS_POLICY = pagePolicy(`'self'`, `'self' data:`);

/** API answers are data, never a document to render. */
const API_POLICY = `default-src 'none'; frame-ancestors 'none'`;

/** An API answer that is a document to read and print (a route with `config.document`): its own styles only, no script. */
const DOCUMENT_POLICY = `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'`;

declare module 'fastify' {
    interface FastifyContextConfig {
        /** The answer is a document to read and print (a printable invoice): DOCUMENT_POLICY instead of API_POLICY. */
        document?: boolean;
    }
}

export interface SecurityOptions {
    /** Whether the server is in local mode (no accounts, no tokens): Host and every Origin are checked. */
    local: boolean | (() => boolean);
    /** Origins besides the server's own that may send requests (REALIZE_ALLOWED_ORIGINS). */
    allowedOrigins?: readonly string[];
    /** The dashboard build, whose inline scripts the policy allows by hash. */
    webDir?: string;
}

export const securityPlugin = fp(async (app: FastifyInstance, options: SecurityOptions) => {
    const allowed = new Set(options.allowedOrigins ?? []);
    // A proxy in front names itself in Host: the hosts of the allowed origins are allowed too.
    const allowedHosts = new Set([...allowed].map((o) => new URL(o).host.toLowerCase()));
    const dashboard = dashboardPolicy(inlineScriptHashes(options.webDir));

    const isLocal = typeof options.local === 'function' ? options.local : () => options.local as boolean;
    app.addHook('onRequest', async (request: FastifyRequest) => {
        const local = isLocal();
        if (local && !hostAllowed(request)) {
            throw new HttpProblem(
                403,
                'Host not allowed',
                `this server answers requests to localhost, 127.0.0.1 or [::1] on its own port, not to "${request.headers.host ?? ''}"; ` +
                    'a proxy in front of it is named with REALIZE_ALLOWED_ORIGINS',
            );
        }
        const origin = request.headers.origin;
        if (origin === undefined || !(local || WRITES.has(request.method))) return;
        if (!originAllowed(origin, request.headers.host)) {
            throw new HttpProblem(
                403,
                'Cross-site request refused',
                `a page on ${origin} may not send ${local ? 'requests' : `a ${request.method}`} to this server; ` +
                    'open the dashboard from this server, or name its origin in REALIZE_ALLOWED_ORIGINS',
            );
        }
    });

    function hostAllowed(request: FastifyRequest): boolean {
        const host = parseHost(request.headers.host);
        if (!host) return false;
        if (allowedHosts.has(request.headers.host!.toLowerCase())) return true;
        // The address the request arrived on names the server too (HOST=127.0.0.2 is reached as 127.0.0.2).
        const local = request.socket.localAddress;
        const bound = local ? (local.includes(':') ? `[${local}]` : local) : undefined;
        if (!LOOPBACK_NAMES.has(host.name) && host.name !== bound) return false;
        // Requests injected in tests have no socket port: their Host (localhost:80 by default) names the server.
        const port = request.socket.localPort;
        return port === undefined || (host.port ?? 80) === port;
    }

    function originAllowed(origin: string, host: string | undefined): boolean {
        if (allowed.has(origin)) return true;
        let url: URL;
        try {
            url = new URL(origin);
        } catch {
            return false; // "null" (a sandboxed or opaque origin) and anything unparseable
        }
        return url.origin === origin && sameOrigin(url, host);
    }

    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
        const url = request.url;
        const api = url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
        const docs = url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
        const document = reply.routeOptions.config?.document === true;
        reply.header('content-security-policy', api ? (document ? DOCUMENT_POLICY : API_POLICY) : docs ? DOCS_POLICY : dashboard);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('x-frame-options', 'DENY');
        reply.header('referrer-policy', 'no-referrer');
        if (api) reply.header('cache-control', 'no-store');
        return payload;
    });
});
