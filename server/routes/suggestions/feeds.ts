/**
 * A person's calendar feed: save its address (theirs; an admin's for anyone), see how its reads went, read it
 * now, remove it. The address is never answered or logged, only its masked form. Reads run through
 * app.feeds (server/plugins/feeds.ts), which also reads the feeds on a schedule; the work is
 * capture/suggestions/feeds.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { feedOf, removeFeed, saveFeed } from '../../../capture/suggestions/feeds.ts';
import { FEED_LIMITS, FeedError, normalizeFeedUrl } from '../../../ingest/calendar-feed.ts';
import { auditActor } from '../../plugins/auth.ts';
import { badRequest } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { feedAnswer, feedBody, feedQuery, refreshAnswer } from '../../schemas/feeds.ts';
import { personBody } from '../../schemas/suggestions.ts';
import { answer, personOf } from './suggestions.ts';

const tags = ['suggestions'];

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
    const everyone = ROLE_GROUPS.everyone;

    app.get(
        '/suggestions/feed',
        { config: { roles: everyone }, schema: { summary: 'The person’s calendar feed (its address masked) and how its last read went', tags, querystring: feedQuery, response: { 200: feedAnswer } } },
        async (request) => ({ feed: await feedOf(app.warehouse, personOf(request, request.query.person_id)) }),
    );

    app.put(
        '/suggestions/feed',
        {
            config: { roles: everyone },
            schema: {
                summary: 'Save the person’s calendar feed: an ICS link read into their suggestions on demand and every 15 minutes',
                description:
                    'https:// only (webcal:// is read as https://); the host must be on the public internet (loopback, private, link-local and reserved addresses are refused, also after redirects), except in local mode. ' +
                    `A read takes at most ${FEED_LIMITS.timeoutMs / 1000} s, ${FEED_LIMITS.maxBytes / 1024 / 1024} MB and ${FEED_LIMITS.redirects} redirects. The address is a secret: answers and the audit log show it masked.`,
                tags,
                body: feedBody,
                response: { 200: feedAnswer },
            },
        },
        async (request) => {
            const person = personOf(request, request.body.person_id);
            let url: string;
            try {
                url = normalizeFeedUrl(request.body.url, { allowPrivate: app.feeds.allowPrivate() });
            } catch (err) {
                if (err instanceof FeedError) throw badRequest('url', `url ${err.message}`);
                throw err;
            }
            return { feed: await answer(() => saveFeed(app.warehouse, { person_id: person, url, time_zone: request.body.time_zone }, auditActor(request))) };
        },
    );

    app.delete(
        '/suggestions/feed',
        { config: { roles: everyone }, schema: { summary: 'Remove the person’s calendar feed (the suggestions it made stay)', tags, querystring: feedQuery, response: { 200: feedAnswer } } },
        async (request) => {
            await answer(() => removeFeed(app.warehouse, personOf(request, request.query.person_id), auditActor(request)));
            return { feed: null };
        },
    );

    app.post(
        '/suggestions/feed/refresh',
        {
            config: { roles: everyone },
            schema: {
                summary: 'Read the person’s calendar feed now: its meetings of the last 92 days become suggestions, as an uploaded calendar’s do',
                description:
                    'The same reading, rules and dismissals as POST /suggestions/calendar; reading the same feed again changes nothing, a moved or cancelled event updates or withdraws its pending suggestion, confirmed and dismissed ones stay. ' +
                    'A read that fails (no answer, not found, too large, not a calendar) answers ok: false with the reason in feed.last_error, and changes no suggestion.',
                tags,
                body: personBody.nullish(),
                response: { 200: refreshAnswer },
            },
        },
        async (request) => {
            const person = personOf(request, request.body?.person_id);
            return answer(() => app.feeds.refresh(person, auditActor(request)));
        },
    );
};
