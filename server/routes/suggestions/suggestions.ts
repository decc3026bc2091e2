/**
 * Capture suggestions, each person's own: upload a calendar (.ics) or a git log (or name a repository on this
 * machine), see the week's suggestions, confirm one (a draft entry; the person submits it with their week),
 * edit it while confirming, or dismiss it. The firm's rules (leadership and admins) match meetings and
 * repositories to clients and projects. The work is capture/suggestions/; confirming refreshes the marts
 * before it answers.
 */
import path from 'node:path';
import type { FastifyRequest, FastifySchema } from 'fastify';
import type { z } from 'zod';
import type { AuditWho } from '../../../capture/audit.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { confirmSuggestion, dismissSuggestion, listRules, listSuggestions, replaceRules } from '../../../capture/suggestions/decide.ts';
import { SuggestionError, uploadCalendar, uploadGitLog, type UploadReport as CapturedReport } from '../../../capture/suggestions/upload.ts';
import { gitLogOf, GitRepositoryError } from '../../../ingest/git-log.ts';
import { auditActor } from '../../plugins/auth.ts';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { writeThenRefresh } from '../write-then-refresh.ts';
import {
    calendarBody,
    confirmAnswer,
    confirmBody,
    dismissAnswer,
    gitBody,
    personBody,
    rulesAnswer,
    rulesBody,
    suggestionParams,
    uploadReport,
    weekAnswer,
} from '../../schemas/suggestions.ts';
import { weekQuery } from '../../schemas/common.ts';

const tags = ['suggestions'];
const DAY = 86_400_000;

function problemOf(err: unknown): unknown {
    if (err instanceof GitRepositoryError) return badRequest('path', err.message);
    if (!(err instanceof SuggestionError)) return err;
    if (err.status === 400) return badRequest(err.field ?? 'request', err.message);
    return new HttpProblem(err.status, err.status === 403 ? 'Forbidden' : err.status === 404 ? 'Not found' : 'Conflict', err.message, err.field ?? undefined);
}

/** Runs capture's work, answering its refusals as problem details. */
export async function answer<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (err) {
        throw problemOf(err);
    }
}

/** Whose suggestions: the caller's own person; another's only for admins and in local mode, where it is required. */
export function personOf(request: FastifyRequest, asked: string | undefined): string {
    const caller = request.caller;
    const mayActForOthers = caller.local === true || caller.role === 'admin';
    if (asked !== undefined && asked !== caller.person_id) {
        if (!mayActForOthers) throw new HttpProblem(403, 'Forbidden', 'suggestions are their own person’s: person_id may name only yourself', 'person_id');
        return asked;
    }
    if (caller.person_id) return caller.person_id;
    if (mayActForOthers) throw badRequest('person_id', 'person_id: name the person (no person is signed in)');
    throw new HttpProblem(403, 'Forbidden', 'your access names no person, so there are no suggestions of yours', 'person_id');
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday of the ISO week of a date (today when absent). */
export function mondayOf(date: string | undefined): string {
    const d = date ? Date.parse(`${date}T00:00:00Z`) : Date.parse(`${iso(Date.now())}T00:00:00Z`);
    return iso(d - ((new Date(d).getUTCDay() + 6) % 7) * DAY);
}

export const suggestionRoutes: FastifyPluginAsyncZod = async (app) => {
    const everyone = ROLE_GROUPS.everyone;

    /**
     * POST /suggestions/<source>: the person's upload (at most `bodyLimit` bytes), whose items become their
     * suggested entries; the answer says what was suggested, changed and skipped.
     */
    const suggestFrom = <B extends z.ZodType<{ person_id?: string }>>(
        source: 'calendar' | 'git',
        bodyLimit: number,
        doc: { summary: string; description: string },
        body: B,
        suggest: (upload: z.infer<B>, person: string, who: AuditWho) => Promise<CapturedReport>,
    ) => {
        // Typed by `suggest` (the schemas validate the request and the answer as every route's do).
        const schema: FastifySchema = { ...doc, tags, body, response: { 200: uploadReport } };
        app.post(`/suggestions/${source}`, { config: { roles: everyone }, bodyLimit, schema }, async (request) => {
            const upload = request.body as z.infer<B>;
            const person = personOf(request, upload.person_id);
            return answer(() => suggest(upload, person, auditActor(request)));
        });
    };

    suggestFrom(
        'calendar',
        10 * 1024 * 1024,
        {
            summary: 'Upload the person’s calendar (.ics): the period’s meetings become suggested entries',
            description:
                'Every occurrence that has ended becomes a suggestion of activity meeting, its length the event’s own, on its start date (repeats expanded: daily, weekly with BYDAY, monthly, yearly; COUNT, UNTIL, EXDATE, moved and cancelled occurrences). Skipped with their reason: cancelled, declined, all-day, no length or over 24 h, not over yet, repeat rules not read, and events with no one else invited that no rule matches. The client comes from the firm’s rules (a title keyword before an attendee’s e-mail domain; a rule with a project before one without); billable from the rule, else the project (billable unless non-billable). The same file again changes nothing; a confirmed or dismissed suggestion is never changed.',
        },
        calendarBody,
        (b, person, who) => {
            const to = b.to ?? iso(Date.now());
            const from = b.from ?? iso(Date.parse(`${to}T00:00:00Z`) - 91 * DAY);
            return uploadCalendar(app.warehouse, { person_id: person, text: b.ics, time_zone: b.time_zone, from, to, emails: b.emails }, who);
        },
    );

    suggestFrom(
        'git',
        34 * 1024 * 1024,
        {
            summary: 'Upload a git log (or name a repository on the server): the person’s commits become suggested entries by day',
            description:
                "The log is the output of git log --no-merges --format='%H|%ae|%aI|%s' (hash|author e-mail|author date ISO 8601 with offset|subject); or `path`, a repository on the server, where that command is run (no shell, 20 s, at most 20,000 commits). Only the person’s own commits count (their e-mail, and `emails`). The session rule: commits to one repository are one session while each follows the previous within 2 hours; a session lasts from its first commit to its last plus 30 minutes before the first, and belongs to its first commit’s date in the author’s time. A day’s sessions in a repository are one suggestion of activity development, its project from the repository’s rule. Commits are kept once each (by hash), so an overlapping log adds only what is new.",
        },
        gitBody,
        async (b, person, who) => {
            let log = b.log;
            if (log === undefined) {
                const since = b.since ?? iso(Date.now() - 92 * DAY);
                log = await gitLogOf(b.path!, since, []);
            }
            const repository = b.repository ?? path.basename(b.path!.replace(/\/+$/, '')).replace(/\.git$/, '');
            return uploadGitLog(app.warehouse, { person_id: person, repository, text: log, emails: b.emails }, who);
        },
    );

    app.get(
        '/suggestions',
        { config: { roles: everyone }, schema: { summary: 'The person’s suggestions of a week (suggested, confirmed and dismissed), by date', tags, querystring: weekQuery, response: { 200: weekAnswer } } },
        async (request) => {
            const person = personOf(request, request.query.person_id);
            const weekStart = mondayOf(request.query.week);
            return { week_start: weekStart, suggestions: await listSuggestions(app.warehouse, person, weekStart) };
        },
    );

    app.post(
        '/suggestions/:suggestion_id/confirm',
        {
            config: { roles: everyone },
            schema: {
                summary: 'Confirm a suggestion, as it is or with edits: a draft time entry of the person (they submit it with their week)',
                tags,
                params: suggestionParams,
                body: confirmBody.nullish(),
                response: { 200: confirmAnswer },
            },
        },
        async (request) => {
            const body = request.body ?? {};
            const person = personOf(request, body.person_id);
            const { person_id: _p, duration, ...edits } = body;
            return writeThenRefresh(
                app,
                request,
                () => confirmSuggestion(app.capture, person, request.params.suggestion_id, { ...edits, duration_seconds: edits.duration_seconds ?? duration }, auditActor(request)),
                problemOf,
            );
        },
    );

    app.post(
        '/suggestions/:suggestion_id/dismiss',
        { config: { roles: everyone }, schema: { summary: 'Dismiss a suggestion: no later upload brings it back', tags, params: suggestionParams, body: personBody.nullish(), response: { 200: dismissAnswer } } },
        async (request) => {
            const person = personOf(request, request.body?.person_id);
            return { suggestion: await answer(() => dismissSuggestion(app.warehouse, person, request.params.suggestion_id, auditActor(request))) };
        },
    );

    app.get(
        '/suggestions/rules',
        { config: { roles: ROLE_GROUPS.rules }, schema: { summary: 'The firm’s rules matching meetings and repositories to clients and projects', tags, response: { 200: rulesAnswer } } },
        async () => ({ rules: await listRules(app.warehouse) }),
    );

    app.put(
        '/suggestions/rules',
        {
            config: { roles: ROLE_GROUPS.rules },
            schema: {
                summary: 'Replace the firm’s rules (every client and project must exist); suggestions already made keep their project',
                tags,
                body: rulesBody,
                response: { 200: rulesAnswer },
            },
        },
        async (request) => ({ rules: await answer(() => replaceRules(app.warehouse, request.body.rules, auditActor(request))) }),
    );
};
