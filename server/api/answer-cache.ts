/**
 * Answers of the read routes kept until the warehouse changes. Every figure is a pure function of the
 * warehouse's committed state (its generation), the request and who asks; a dashboard opened by several
 * people, or re-opened, asks the same questions again. The serialized answer is kept, keyed by all three,
 * dropped as soon as a transaction commits (an ingest, a model build), and bounded in entries and bytes.
 * Identical requests in flight share one computation. Failures are not kept.
 */
import type { FastifyReply } from 'fastify';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { badRequest } from '../plugins/problem.ts';
import { periodProblem } from './filters.ts';

const MAX_ENTRIES = 2_000;
const MAX_BYTES = 64 * 1024 * 1024;

interface Entry {
    body: Promise<string>;
    bytes: number;
}

export class AnswerCache {
    private readonly warehouse: Warehouse;
    private generation: number;
    private readonly entries = new Map<string, Entry>();
    private bytes = 0;
    /** Off (REALIZE_ANSWER_CACHE=off, or set by the API benchmark): every request runs its queries. */
    enabled = process.env.REALIZE_ANSWER_CACHE !== 'off';

    constructor(warehouse: Warehouse) {
        this.warehouse = warehouse;
        this.generation = warehouse.generation;
    }

    /** The JSON text of `compute()` for `key`, computed once per warehouse generation. */
    json(key: string, compute: () => Promise<unknown>): Promise<string> {
        return this.text(key, () => compute().then((v) => JSON.stringify(v)));
    }

    /** The text `compute()` answers for `key` (JSON written elsewhere), computed once per warehouse generation. */
    text(key: string, compute: () => Promise<string>): Promise<string> {
        if (!this.enabled) return compute();
        if (this.generation !== this.warehouse.generation) {
            this.entries.clear();
            this.bytes = 0;
            this.generation = this.warehouse.generation;
        }
        const found = this.entries.get(key);
        if (found) {
            // Most recently used last: the oldest go first when the cache is full.
            this.entries.delete(key);
            this.entries.set(key, found);
            return found.body;
        }
        const generation = this.generation;
        const entry: Entry = { body: compute(), bytes: 0 };
        this.entries.set(key, entry);
        entry.body.then(
            (text) => {
                if (this.entries.get(key) !== entry || this.generation !== generation) return;
                entry.bytes = text.length * 2;
                this.bytes += entry.bytes;
                for (const [k, e] of this.entries) {
                    if (this.bytes <= MAX_BYTES && this.entries.size <= MAX_ENTRIES) break;
                    this.entries.delete(k);
                    this.bytes -= e.bytes;
                }
            },
            () => {
                if (this.entries.get(key) === entry) this.entries.delete(key);
            },
        );
        return entry.body;
    }
}

const caches = new WeakMap<Warehouse, AnswerCache>();

/** The cache of a warehouse (one per warehouse, shared by the routes that read it). */
export function answerCache(warehouse: Warehouse): AnswerCache {
    let cache = caches.get(warehouse);
    if (!cache) {
        cache = new AnswerCache(warehouse);
        caches.set(warehouse, cache);
    }
    return cache;
}

/** A request's identity for the cache: path, its parameters in a fixed order, and who asks. */
export function answerKey(route: string, query: Record<string, unknown>, caller: { role: string; person_id: string | null } | null): string {
    const params = Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .sort()
        .join('&');
    return `${route}?${params}#${caller ? `${caller.role}:${caller.person_id ?? ''}` : ''}`;
}

/**
 * Answers a request for firm-wide figures over a period: a 400 naming the parameter when the period is wrong,
 * else `compute()`'s answer kept until the warehouse changes, keyed by `route` and the query (the figures do
 * not depend on who asks).
 */
export async function sendFirmFigures(
    reply: FastifyReply,
    answers: AnswerCache,
    route: string,
    q: { from?: string; to?: string; as_of?: string },
    compute: () => Promise<unknown>,
): Promise<FastifyReply> {
    const problem = periodProblem(q);
    if (problem) throw badRequest(...problem);
    return sendJsonText(reply, await answers.json(answerKey(route, q, null), compute));
}

/** Sends JSON text as it is (no second serialization, no re-validation of rows built by our own SQL). */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
    return reply
        .type('application/json; charset=utf-8')
        .serializer((v: unknown) => v as string)
        .send(text as never);
}
