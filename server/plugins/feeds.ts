/**
 * Calendar feeds on the server: `app.feeds.refresh` reads one person's feed (the Refresh button, the route)
 * and, when the schedule is on (`realize serve`), a timer reads the feeds whose last read is at least 15
 * minutes old (FEED_EVERY_MS), one after another, least recently read first. A tick that finds nothing due does
 * nothing; a schedule missed while the server was down is caught up once. Two reads of one feed at once share
 * the one read.
 *
 * Private and loopback addresses (ingest/calendar-feed.ts) are read only in local mode (one user, on this
 * machine), or when the server is started with `feeds.allowPrivate` (tests; REALIZE_FEEDS_ALLOW_PRIVATE=1 for
 * a firm whose calendar server is on its own network).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditWho } from '../../capture/audit.ts';
import { dueFeeds, FEED_EVERY_MS, feedTimes, refreshFeed, type RefreshOutcome } from '../../capture/suggestions/feeds.ts';
import { fetchFeed } from '../../ingest/calendar-feed.ts';

export interface FeedOptions {
    /** Read private and loopback addresses (and http:// on this machine) even outside local mode. */
    allowPrivate?: boolean;
    /** Read due feeds on a timer (off unless asked: `realize serve` asks). */
    schedule?: boolean;
    /** How often the timer looks for due feeds; default one minute. */
    tickMs?: number;
    /** How old a feed's last read must be to be due; default 15 minutes. */
    everyMs?: number;
    /** Bounds of one read (default 10 s, 5 MB: ingest/calendar-feed.ts FEED_LIMITS). */
    timeoutMs?: number;
    maxBytes?: number;
}

export interface Feeds {
    /** Whether private and loopback addresses may be saved and read now. */
    allowPrivate(): boolean;
    refresh(personId: string, who: AuditWho): Promise<RefreshOutcome>;
    /** One pass of the schedule: reads the feeds due now; resolves with the people whose feeds it read. */
    tick(nowMs?: number): Promise<string[]>;
}

declare module 'fastify' {
    interface FastifyInstance {
        feeds: Feeds;
    }
}

/** Who the audit log names for a scheduled read. */
export const SCHEDULE_ACTOR: AuditWho = { actor: 'schedule:calendar-feeds', role: null, person_id: null, address: 'server' };

export const feedsPlugin = fp<FeedOptions>(
    async (app: FastifyInstance, options) => {
        const running = new Map<string, Promise<RefreshOutcome>>();
        const allowPrivate = () => options.allowPrivate === true || app.authMode === 'local';
        const read = (url: string) => fetchFeed(url, { allowPrivate: allowPrivate(), timeoutMs: options.timeoutMs, maxBytes: options.maxBytes });

        const refresh = (personId: string, who: AuditWho) => {
            const already = running.get(personId);
            if (already) return already;
            const work = refreshFeed(app.warehouse, personId, read, who).finally(() => running.delete(personId));
            running.set(personId, work);
            return work;
        };

        let ticking: Promise<string[]> | null = null;
        const tick = (nowMs = Date.now()) => {
            ticking ??= (async () => {
                const due = dueFeeds(await feedTimes(app.warehouse), nowMs, options.everyMs ?? FEED_EVERY_MS);
                for (const personId of due) {
                    // One feed's failure is recorded on it; an unexpected one is logged and the others are still read.
                    await refresh(personId, SCHEDULE_ACTOR).catch((err: unknown) => app.log.error({ err, person_id: personId }, 'calendar feed read failed'));
                }
                return due;
            })().finally(() => (ticking = null));
            return ticking;
        };

        app.decorate('feeds', { allowPrivate, refresh, tick });

        const timer = options.schedule ? setInterval(() => void tick().catch((err: unknown) => app.log.error({ err }, 'calendar feed schedule failed')), options.tickMs ?? 60_000) : null;
        timer?.unref();
        // Reads under way finish (or fail) before the warehouse closes.
        app.addHook('onClose', async () => {
            if (timer) clearInterval(timer);
            await ticking?.catch(() => undefined);
            await Promise.allSettled(running.values());
        });
    },
    { name: 'feeds' },
);
