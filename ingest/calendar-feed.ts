/**
 * Reading a calendar feed (an ICS address such as a private Google, Outlook or Fastmail calendar link), with
 * bounds: one GET, at most FEED_LIMITS.redirects redirects, FEED_LIMITS.timeoutMs for the whole read, at most
 * FEED_LIMITS.maxBytes of calendar. What it returns is the calendar's text, read by ingest/ics.ts like a file.
 *
 * The address rule (against a server being made to read its own network):
 *  - https:// only; webcal:// and webcals:// are read as https:// (calendars hand those out);
 *  - the host must resolve only to public addresses: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 *    link-local (169.254/16, fe80::/10, where cloud metadata lives), carrier-grade NAT, multicast, reserved and
 *    unspecified addresses are refused, checked on the address actually connected to (so a name that resolves
 *    differently the second time gains nothing), and again on every redirect;
 *  - `allowPrivate` lifts the second rule, and then http:// is accepted too, but only for the machine itself
 *    (localhost, 127.0.0.1, ::1). The server sets it in local mode (one user, listening on this machine only)
 *    and tests set it to serve fixtures from a local server.
 *
 * The address is a secret: no message here names more than its host.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export const FEED_LIMITS = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, redirects: 3 } as const;

/** Why a feed could not be read or saved, in words its owner can act on (never the address itself). */
export class FeedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'FeedError';
    }
}

export interface FeedOptions {
    allowPrivate: boolean;
    timeoutMs?: number;
    maxBytes?: number;
    redirects?: number;
}

const blocked = new net.BlockList();
for (const [address, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 3],
] as const) {
    blocked.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['64:ff9b::', 96],
    ['100::', 64],
    ['2001:db8::', 32],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
] as const) {
    blocked.addSubnet(address, prefix, 'ipv6');
}

/** Whether an IP address is on the public internet (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isPublicAddress(ip: string): boolean {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return isPublicAddress(mapped[1]!);
    const family = net.isIP(ip);
    if (family === 0) return false;
    return !blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A feed address as typed → the address read (webcal → https), or a FeedError saying what is wrong with it.
 * Private and loopback hosts written as such are refused here already (unless allowed); names are judged
 * when they are resolved, at each read.
 */
export function normalizeFeedUrl(text: string, options: Pick<FeedOptions, 'allowPrivate'>): string {
    let url: URL;
    try {
        url = new URL(text.trim().replace(/^webcals?:\/\//i, 'https://'));
    } catch {
        throw new FeedError('is not an address: paste the calendar’s full link (https://… or webcal://…)');
    }
    if (url.protocol === 'http:') {
        if (!(options.allowPrivate && LOOPBACK_NAMES.has(url.hostname.toLowerCase()))) throw new FeedError('must be https:// (or webcal://): a calendar link is a secret, and http:// would send it in the clear');
    } else if (url.protocol !== 'https:') {
        throw new FeedError(`must be https:// (or webcal://), not ${url.protocol.replace(/:$/, '')}://`);
    }
    if (!options.allowPrivate) refuseLiteral(url.hostname);
    url.hash = '';
    return url.toString();
}

function refuseLiteral(hostname: string): void {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost') || (net.isIP(host) !== 0 && !isPublicAddress(host))) {
        throw new FeedError(`${hostname} is a local or private address: calendar feeds are read from the public internet only`);
    }
}

/**
 * An address as shown to anyone: its scheme and host, and the extension of its last path part (".ics"); the
 * path and query, where private links keep their token, are left out entirely.
 */
export function maskFeedUrl(address: string): string {
    try {
        const url = new URL(address);
        const extension = /\.[a-z0-9]{1,5}$/i.exec(url.pathname)?.[0] ?? '';
        return `${url.protocol}//${url.host}/…${extension}`;
    } catch {
        return '…';
    }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses a name resolving to any address that is not public. */
function guardedLookup(allowPrivate: boolean) {
    return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
        dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
            if (err) return callback(err, []);
            if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
                return callback(Object.assign(new Error(`${hostname} resolves to a local or private address`), { code: 'EPRIVATE' }), []);
            }
            if (options.all) return callback(null, addresses);
            const first = addresses[0];
            if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
            callback(null, first.address, first.family);
        });
    };
}

interface Answer {
    status: number;
    statusText: string;
    location: string | null;
    body: string | null;
}

function getOnce(url: URL, options: Required<FeedOptions>, signal: AbortSignal): Promise<Answer> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
        // The deadline covers the body too: a server that sends headers and then stalls is cut off.
        signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        const request = client.request(
            url,
            {
                method: 'GET',
                headers: { accept: 'text/calendar, text/plain;q=0.8, */*;q=0.5', 'user-agent': 'Realize calendar feed reader' },
                lookup: guardedLookup(options.allowPrivate) as unknown as typeof dns.lookup,
                signal,
            },
            (response) => {
                const status = response.statusCode ?? 0;
                const statusText = response.statusMessage ?? '';
                if (status !== 200) {
                    response.resume();
                    resolve({ status, statusText, location: response.headers.location ?? null, body: null });
                    return;
                }
                const declared = Number(response.headers['content-length']);
                if (Number.isFinite(declared) && declared > options.maxBytes) {
                    response.destroy();
                    reject(new FeedError(tooLarge(options.maxBytes)));
                    return;
                }
                const chunks: Buffer[] = [];
                let size = 0;
                response.on('data', (chunk: Buffer) => {
                    size += chunk.length;
                    if (size > options.maxBytes) {
                        response.destroy();
                        reject(new FeedError(tooLarge(options.maxBytes)));
                        return;
                    }
                    chunks.push(chunk);
                });
                response.on('end', () => resolve({ status, statusText, location: null, body: Buffer.concat(chunks).toString('utf8') }));
                response.on('error', reject);
            },
        );
        request.on('error', reject);
        request.end();
    });
}

const tooLarge = (max: number) => `the calendar is larger than ${Math.round(max / 1024 / 1024)} MB: it was not read (a calendar export of the last months is smaller)`;

/** Plain words for what went wrong reaching the host. */
function reachProblem(err: unknown, host: string, timeoutMs: number): FeedError {
    if (err instanceof FeedError) return err;
    const e = err as NodeJS.ErrnoException;
    if (e?.name === 'AbortError' || e?.code === 'ABORT_ERR') return new FeedError(`${host} did not answer within ${timeoutMs / 1000} s`);
    if (e?.code === 'EPRIVATE') return new FeedError(`${host} is a local or private address: calendar feeds are read from the public internet only`);
    if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return new FeedError(`${host} was not found: check the address`);
    if (e?.code === 'ECONNREFUSED') return new FeedError(`${host} refused the connection`);
    if (e?.code === 'ECONNRESET') return new FeedError(`${host} closed the connection before the calendar was read`);
    if (typeof e?.code === 'string' && /CERT|SSL|TLS/.test(e.code)) return new FeedError(`${host}'s certificate is not valid (${e.code})`);
    return new FeedError(`${host} could not be read (${e?.code ?? e?.message ?? 'unknown error'})`);
}

function statusProblem(answer: Answer, host: string): FeedError {
    const what = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    if (answer.status === 401 || answer.status === 403) return new FeedError(`${host} refused access (${what}): the link may have been reset; copy it again from the calendar`);
    if (answer.status === 404 || answer.status === 410) return new FeedError(`${host} has no calendar at this address (${what}): the link may have been reset; copy it again from the calendar`);
    return new FeedError(`${host} answered ${what} instead of the calendar`);
}

/** Reads a feed: its text, or a FeedError in plain words. */
export async function fetchFeed(address: string, options: FeedOptions): Promise<string> {
    const bounds: Required<FeedOptions> = {
        allowPrivate: options.allowPrivate,
        timeoutMs: options.timeoutMs ?? FEED_LIMITS.timeoutMs,
        maxBytes: options.maxBytes ?? FEED_LIMITS.maxBytes,
        redirects: options.redirects ?? FEED_LIMITS.redirects,
    };
    let url = new URL(normalizeFeedUrl(address, bounds));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), bounds.timeoutMs);
    try {
        for (let hop = 0; ; hop++) {
            const answer = await getOnce(url, bounds, controller.signal).catch((err: unknown) => {
                throw reachProblem(err, url.host, bounds.timeoutMs);
            });
            if (answer.status >= 300 && answer.status < 400 && answer.location) {
                if (hop >= bounds.redirects) throw new FeedError(`${url.host} redirected more than ${bounds.redirects} times`);
                const next = new URL(answer.location, url);
                try {
                    url = new URL(normalizeFeedUrl(next.toString(), bounds));
                } catch (err) {
                    throw new FeedError(`${url.host} redirected to an address that is not read: ${(err as Error).message}`);
                }
                continue;
            }
            if (answer.status !== 200 || answer.body === null) throw statusProblem(answer, url.host);
            return answer.body;
        }
    } finally {
        clearTimeout(timer);
    }
}
