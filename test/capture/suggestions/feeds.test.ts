/**
 * The schedule's choice of feeds (dueFeeds): a feed is read when it was never read or its last read is at
 * least 15 minutes old, least recently read first, at most `limit` a pass. Times are minutes after T.
 */
import { describe, expect, it } from 'vitest';
import { dueFeeds, FEED_EVERY_MS } from '../../../capture/suggestions/feeds.ts';

const T = Date.parse('2026-03-02T09:00:00Z');
const min = (m: number) => T + m * 60_000;

describe('dueFeeds', () => {
    it('takes never-read feeds and ones read 15 minutes ago or more, oldest first', () => {
        const feeds = [
            { person_id: 'recent', last_attempt_ms: min(50) },
            { person_id: 'exactly', last_attempt_ms: min(45) },
            { person_id: 'never', last_attempt_ms: null },
            { person_id: 'old', last_attempt_ms: min(0) },
            { person_id: 'almost', last_attempt_ms: min(45) + 1 },
        ];
        // At T+60: recent (10 min) and almost (15 min less 1 ms) are not due.
        expect(dueFeeds(feeds, min(60))).toEqual(['never', 'old', 'exactly']);
        expect(FEED_EVERY_MS).toBe(15 * 60_000);
    });

    it('catches up a missed schedule once, and reads at most `limit` a pass', () => {
        const feeds = ['c', 'a', 'b'].map((person_id) => ({ person_id, last_attempt_ms: min(0) }));
        // A day later every feed is due once (not once per missed quarter hour); ties go by person.
        expect(dueFeeds(feeds, min(24 * 60))).toEqual(['a', 'b', 'c']);
        expect(dueFeeds(feeds, min(24 * 60), FEED_EVERY_MS, 2)).toEqual(['a', 'b']);
        expect(dueFeeds(feeds, min(14))).toEqual([]);
        expect(dueFeeds([], min(0))).toEqual([]);
    });
});
