/**
 * A person's calendar feed (suggest.feeds): its address, saved by them or an admin, and each read of it, on
 * demand or by the schedule. A read goes through uploadCalendar exactly as an uploaded file does (the same
 * parsing, rules, dismissals and idempotency), with `feed` set so that a pending suggestion whose event left
 * the feed is withdrawn. A read that fails records why on the feed and changes no suggestion.
 *
 * The address is a secret: it leaves this module only to be read (`read` gets it); what is shown, returned
 * and audited is maskFeedUrl's form. Reading over the network is the caller's (`read`), so this stays pure of
 * HTTP like the rest of capture/.
 */
import { FeedError, maskFeedUrl } from '../../ingest/calendar-feed.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { recordAudit, type AuditWho } from '../audit.ts';
import { SuggestionError, uploadCalendar, type UploadReport } from './upload.ts';

/** The schedule reads a feed when its last read is at least this old. */
export const FEED_EVERY_MS = 15 * 60_000;
/** A read covers the 92 days to today, as an upload does by default. */
const PERIOD_DAYS = 91;
const DAY = 86_400_000;

export interface FeedView {
    person_id: string;
    /** The address as anyone may see it: scheme, host and its last characters. */
    url_masked: string;
    time_zone: string;
    updated_at: string;
    updated_by: string | null;
    last_attempt_at: string | null;
    last_success_at: string | null;
    /** Why the last read failed, in plain words; null when it succeeded (or there was none yet). */
    last_error: string | null;
    /** What the last successful read did. */
    last_counts: { read: number; created: number; updated: number; unchanged: number; decided: number; withdrawn: number } | null;
}

interface FeedRow extends Omit<FeedView, 'url_masked' | 'last_counts'> {
    url: string;
    last_counts: string | null;
}

const stamp = (column: string) => `strftime(${column} at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as ${column}`;
const SELECT = `select person_id, url, time_zone, ${stamp('updated_at')}, updated_by, ${stamp('last_attempt_at')}, ${stamp('last_success_at')}, last_error, last_counts::varchar as last_counts from suggest.feeds`;

const view = (row: FeedRow): FeedView => {
    const { url, last_counts, ...rest } = row;
    return { ...rest, url_masked: maskFeedUrl(url), last_counts: last_counts ? JSON.parse(last_counts) : null };
};

async function rowOf(warehouse: Warehouse, personId: string): Promise<FeedRow | undefined> {
    return warehouse.one<FeedRow>(`${SELECT} where person_id = $1`, [personId]);
}

/** The person's feed, masked; null when they have none. */
export async function feedOf(warehouse: Warehouse, personId: string): Promise<FeedView | null> {
    const row = await rowOf(warehouse, personId);
    return row ? view(row) : null;
}

export interface FeedInput {
    person_id: string;
    /** Already checked and normalized (ingest/calendar-feed.ts normalizeFeedUrl). */
    url: string;
    time_zone: string;
}

/** Saves (or replaces) the person's feed address and zone; audited with the address masked. */
export async function saveFeed(warehouse: Warehouse, input: FeedInput, who: AuditWho): Promise<FeedView> {
    return warehouse.transaction(
        async () => {
            const person = await warehouse.one(`select 1 as one from canonical.people where person_id = $1`, [input.person_id]);
            if (!person) throw new SuggestionError(404, `no person "${input.person_id}"`, 'person_id');
            const before = await rowOf(warehouse, input.person_id);
            const changed = before?.url !== input.url;
            // A new address starts afresh: the old one's errors and times say nothing about it.
            await warehouse.run(
                `insert into suggest.feeds (person_id, url, time_zone, created_at, created_by, updated_at, updated_by)
                values ($1, $2, $3, now(), $4, now(), $4)
                on conflict (person_id) do update set
                    url = excluded.url, time_zone = excluded.time_zone, updated_at = now(), updated_by = excluded.updated_by,
                    last_attempt_at = case when $5 then null else suggest.feeds.last_attempt_at end,
                    last_success_at = case when $5 then null else suggest.feeds.last_success_at end,
                    last_counts = case when $5 then null else suggest.feeds.last_counts end,
                    last_error = case when $5 then null else suggest.feeds.last_error end`,
                [input.person_id, input.url, input.time_zone, who.actor, changed],
            );
            await recordAudit(warehouse, {
                ...who,
                action: before ? 'update' : 'create',
                entity: 'calendar_feed',
                entity_id: input.person_id,
                before: before ? { url: maskFeedUrl(before.url), time_zone: before.time_zone } : null,
                after: { url: maskFeedUrl(input.url), time_zone: input.time_zone },
                detail: changed ? 'calendar feed address set (kept secret: shown masked)' : 'calendar feed time zone changed',
            });
            return view((await rowOf(warehouse, input.person_id))!);
        },
        { modelInputs: false },
    );
}

/** Removes the person's feed; the suggestions it made stay as they are. */
export async function removeFeed(warehouse: Warehouse, personId: string, who: AuditWho): Promise<void> {
    await warehouse.transaction(
        async () => {
            const before = await rowOf(warehouse, personId);
            if (!before) throw new SuggestionError(404, `${personId} has no calendar feed`, 'person_id');
            await warehouse.run(`delete from suggest.feed_keys where person_id = $1`, [personId]);
            await warehouse.run(`delete from suggest.feeds where person_id = $1`, [personId]);
            await recordAudit(warehouse, {
                ...who,
                action: 'delete',
                entity: 'calendar_feed',
                entity_id: personId,
                before: { url: maskFeedUrl(before.url), time_zone: before.time_zone },
                after: null,
                detail: 'calendar feed removed; its suggestions stay',
            });
        },
        { modelInputs: false },
    );
}

export interface FeedDue {
    person_id: string;
    /** Epoch ms of the last read, null if never read. */
    last_attempt_ms: number | null;
}

/**
 * The feeds the schedule reads now: never read, or last read at least `everyMs` ago; the least recently read
 * first, at most `limit`. A schedule that was missed (the server was down) finds them due and reads them once.
 */
export function dueFeeds(feeds: readonly FeedDue[], nowMs: number, everyMs: number = FEED_EVERY_MS, limit = 20): string[] {
    return feeds
        .filter((f) => f.last_attempt_ms === null || nowMs - f.last_attempt_ms >= everyMs)
        .sort((a, b) => (a.last_attempt_ms ?? -Infinity) - (b.last_attempt_ms ?? -Infinity) || a.person_id.localeCompare(b.person_id))
        .slice(0, limit)
        .map((f) => f.person_id);
}

/** Every feed with the time of its last read, for dueFeeds. */
export async function feedTimes(warehouse: Warehouse): Promise<FeedDue[]> {
    return warehouse.all<FeedDue>(`select person_id, epoch_ms(last_attempt_at)::double as last_attempt_ms from suggest.feeds`);
}

export interface RefreshOutcome {
    ok: boolean;
    feed: FeedView;
    /** What the read did to the suggestions; null when it failed. */
    report: UploadReport | null;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Reads the person's feed (`read` fetches an address) into their suggestions, and records the outcome on the
 * feed: when and what it did, or why it failed. A failure changes no suggestion.
 */
export async function refreshFeed(warehouse: Warehouse, personId: string, read: (url: string) => Promise<string>, who: AuditWho, nowMs = Date.now()): Promise<RefreshOutcome> {
    const feed = await rowOf(warehouse, personId);
    if (!feed) throw new SuggestionError(404, `${personId} has no calendar feed: save its address first`, 'person_id');
    await warehouse.run(`update suggest.feeds set last_attempt_at = to_timestamp($2 / 1000.0) where person_id = $1`, [personId, nowMs]);
    const to = iso(nowMs);
    const from = iso(nowMs - PERIOD_DAYS * DAY);
    try {
        const text = await read(feed.url);
        const report = await warehouse.transaction(async () => {
            const done = await uploadCalendar(warehouse, { person_id: personId, text, time_zone: feed.time_zone, from, to, now: nowMs, feed: true }, who);
            const counts = { read: done.read, created: done.created, updated: done.updated, unchanged: done.unchanged, decided: done.decided, withdrawn: done.withdrawn };
            await warehouse.run(`update suggest.feeds set last_success_at = to_timestamp($2 / 1000.0), last_counts = $3::json, last_error = null where person_id = $1`, [personId, nowMs, JSON.stringify(counts)]);
            return done;
        });
        return { ok: true, feed: view((await rowOf(warehouse, personId))!), report };
    } catch (err) {
        const reason = failureOf(err);
        await warehouse.run(`update suggest.feeds set last_error = $2 where person_id = $1`, [personId, reason]);
        if (!(err instanceof FeedError || err instanceof SuggestionError)) throw err;
        return { ok: false, feed: view((await rowOf(warehouse, personId))!), report: null };
    }
}

function failureOf(err: unknown): string {
    if (err instanceof FeedError) return err.message;
    if (err instanceof SuggestionError && err.field === 'ics') return 'the address answered with something that is not a calendar (no BEGIN:VCALENDAR): use the calendar’s ICS (iCal) link';
    if (err instanceof SuggestionError) return err.message;
    return 'the calendar was read but could not be turned into suggestions (an error on the server: see its log)';
}
