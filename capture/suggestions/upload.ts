/**
 * A person's calendar or git log → their suggestions (suggest.suggestions), idempotently: a suggestion is
 * keyed by person, source and source key (a calendar occurrence's UID and original start, a repository and
 * date), so the same file uploaded again changes nothing, an overlapping one adds only what is new, and a
 * moved meeting or a day with more commits updates its suggestion while the person has not decided on it. A
 * confirmed or dismissed suggestion is never changed or brought back; a suggested one whose meeting was
 * cancelled or declined since is withdrawn. Each upload is one transaction with its audit event.
 */
import crypto from 'node:crypto';
import { type Commit, parseGitLog } from '../../ingest/git-log.ts';
import { occurrences, parseIcs } from '../../ingest/ics.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { recordAudit, type AuditWho } from '../audit.ts';
import { commitProposals, type Context, meetingProposals, type ProjectInfo, type Proposal, type Rule, type Skipped } from './propose.ts';

/** A refusal the caller can act on: 400 naming the field, 403, 404 or 409. */
export class SuggestionError extends Error {
    readonly status: 400 | 403 | 404 | 409;
    readonly field: string | null;
    constructor(status: 400 | 403 | 404 | 409, message: string, field: string | null = null) {
        super(message);
        this.name = 'SuggestionError';
        this.status = status;
        this.field = field;
    }
}

export interface UploadReport {
    source: 'calendar' | 'git';
    /** Events' occurrences in the period, or commits of the person read. */
    read: number;
    created: number;
    updated: number;
    unchanged: number;
    /** Suggestions the person had already confirmed or dismissed: left as they are. */
    decided: number;
    /** Suggestions withdrawn because their meeting was cancelled or declined since. */
    withdrawn: number;
    skipped: Skipped[];
    /** Lines of the file that could not be read. */
    problems: { line: number; reason: string }[];
}

/** The firm's rules, its projects, the person's addresses and the projects they logged on most recently. */
export async function loadContext(warehouse: Warehouse, personId: string, extraEmails: readonly string[], nowMs: number): Promise<Context> {
    const person = await warehouse.one<{ email: string | null }>(`select email from canonical.people where person_id = $1`, [personId]);
    if (!person) throw new SuggestionError(404, `no person "${personId}"`, 'person_id');
    const rules = await warehouse.all<Rule>(`select kind, pattern, client_id, project_id, phase, billable from suggest.rules order by kind, pattern`);
    const projects = await warehouse.all<ProjectInfo>(`select project_id, client_id, name, billing_model, status from canonical.projects`);
    const recent = await warehouse.all<{ client_id: string; project_id: string }>(
        `with logged as (
            select p.client_id, e.project_id, max(e.work_date) as last_date,
            from canonical.time_entries e
            join canonical.projects p on p.project_id = e.project_id
            where e.person_id = $1 and p.status = 'active'
            group by all
        ),
        final as (
            select client_id, project_id, row_number() over (partition by client_id order by last_date desc, project_id) as n,
            from logged
        )
        select client_id, project_id from final where n = 1`,
        [personId],
    );
    const domains = await warehouse.all<{ d: string }>(`select distinct lower(split_part(email, '@', 2)) as d from canonical.people where email like '%@%'`);
    const emails = new Set([...(person.email ? [person.email.toLowerCase()] : []), ...extraEmails.map((e) => e.toLowerCase())]);
    return {
        rules,
        projects: new Map(projects.map((p) => [p.project_id, p])),
        recentProjectOf: new Map(recent.map((r) => [r.client_id, r.project_id])),
        emails,
        firmDomains: new Set(domains.map((d) => d.d)),
        nowMs,
    };
}

const idOf = (personId: string, source: string, key: string) => `${source === 'calendar' ? 'cal' : 'git'}-${crypto.createHash('sha256').update(`${personId}\n${source}\n${key}`).digest('hex').slice(0, 24)}`;

/** What an earlier upload stored of a suggestion: a proposal's fields, its id and its status. */
type Stored = Omit<Proposal, 'source' | 'notes'> & { suggestion_id: string; status: string; notes: string | null };

/** The fields a proposal is compared on with what is stored (the start as an instant: stored ones come back as timestamps). */
const COMPARED = ['work_date', 'project_id', 'phase', 'activity', 'seconds', 'billable', 'notes', 'evidence'] as const;

const same = (s: Stored, p: Proposal) => (s.starts_at === null ? null : new Date(s.starts_at).toISOString()) === p.starts_at && COMPARED.every((k) => s[k] === p[k]);

/** Writes the proposals of one upload; call inside its transaction. */
async function save(warehouse: Warehouse, personId: string, source: 'calendar' | 'git', proposals: readonly Proposal[], withdraw: readonly string[], who: AuditWho) {
    const stored = await warehouse.all<Stored>(
        `select suggestion_id, source_key, status, work_date::varchar as work_date, starts_at::varchar as starts_at, project_id, phase, activity, seconds, billable, notes, evidence
        from suggest.suggestions where person_id = $1 and source = $2`,
        [personId, source],
    );
    const byKey = new Map(stored.map((s) => [s.source_key, s]));
    const counts = { created: 0, updated: 0, unchanged: 0, decided: 0, withdrawn: 0 };
    const fresh: Record<string, unknown>[] = [];
    for (const p of proposals) {
        const s = byKey.get(p.source_key);
        if (!s) {
            fresh.push({ suggestion_id: idOf(personId, source, p.source_key), person_id: personId, ...p });
            counts.created++;
        } else if (s.status !== 'suggested') counts.decided++;
        else if (same(s, p)) counts.unchanged++;
        else {
            await warehouse.run(
                `update suggest.suggestions set work_date = $2::date, starts_at = $3::timestamptz, project_id = $4, phase = $5, activity = $6, seconds = $7, billable = $8, notes = $9, evidence = $10, updated_at = now()
                where suggestion_id = $1`,
                [s.suggestion_id, p.work_date, p.starts_at, p.project_id, p.phase, p.activity, p.seconds, p.billable, p.notes, p.evidence],
            );
            counts.updated++;
        }
    }
    if (fresh.length > 0) {
        // The new suggestions travel as one JSON parameter: one statement however many there are.
        await warehouse.run(
            `insert into suggest.suggestions
                (suggestion_id, person_id, source, source_key, work_date, starts_at, project_id, phase, activity, seconds, billable, notes, evidence, status, created_at, created_by, updated_at)
            select suggestion_id, person_id, source, source_key, work_date::date, starts_at::timestamptz, project_id, phase, activity, seconds, billable, notes, evidence, 'suggested', now(), $2, now()
            from (select unnest(from_json($1::json, '[{"suggestion_id":"VARCHAR","person_id":"VARCHAR","source":"VARCHAR","source_key":"VARCHAR","work_date":"VARCHAR","starts_at":"VARCHAR","project_id":"VARCHAR","phase":"VARCHAR","activity":"VARCHAR","seconds":"INTEGER","billable":"BOOLEAN","notes":"VARCHAR","evidence":"VARCHAR"}]'), recursive := true))`,
            [JSON.stringify(fresh), who.actor],
        );
    }
    for (const key of withdraw) {
        const s = byKey.get(key);
        if (s?.status === 'suggested') {
            await warehouse.run(`delete from suggest.suggestions where suggestion_id = $1`, [s.suggestion_id]);
            counts.withdrawn++;
        }
    }
    return counts;
}

export interface CalendarUpload {
    person_id: string;
    text: string;
    time_zone: string;
    from: string;
    to: string;
    /** The person's other addresses the calendar may know them by. */
    emails?: readonly string[];
    now?: number;
    /**
     * Read from the person's calendar feed (capture/suggestions/feeds.ts) rather than a file: the feed is the
     * whole calendar, so a pending suggestion it produced before whose occurrence is no longer in it (the event
     * was deleted, or moved to another time) is withdrawn as well.
     */
    feed?: boolean;
}

/** A calendar file → the person's meeting suggestions of the period. */
export async function uploadCalendar(warehouse: Warehouse, input: CalendarUpload, who: AuditWho): Promise<UploadReport> {
    const { events, problems } = parseIcs(input.text);
    if (events.length === 0 && problems.length > 0 && problems[0]!.line === 1 && /not an iCalendar/.test(problems[0]!.reason)) {
        throw new SuggestionError(400, 'the file is not an iCalendar (.ics) file: it has no BEGIN:VCALENDAR', 'ics');
    }
    const occs = occurrences(events, { timeZone: input.time_zone, from: input.from, to: input.to });
    return warehouse.transaction(async () => {
        const ctx = await loadContext(warehouse, input.person_id, input.emails ?? [], input.now ?? Date.now());
        const { proposals, skipped } = meetingProposals(occs, ctx);
        const gone = skipped.filter((s) => s.reason === 'cancelled' || s.reason === 'declined').map((s) => s.key);
        if (input.feed) gone.push(...(await feedKeysGone(warehouse, input, occs.map((o) => o.key))));
        const counts = await save(warehouse, input.person_id, 'calendar', proposals, gone, who);
        if (input.feed) await rememberFeedKeys(warehouse, input.person_id, occs.map((o) => o.key), gone);
        const report: UploadReport = { source: 'calendar', read: occs.length, ...counts, skipped, problems };
        await recordAudit(warehouse, {
            ...who,
            action: input.feed ? 'refresh' : 'upload',
            entity: 'suggestions',
            entity_id: input.person_id,
            after: { source: input.feed ? 'calendar feed' : 'calendar', from: input.from, to: input.to, read: report.read, ...counts, skipped: skipped.length, problems: problems.length },
            detail: `calendar ${input.feed ? 'feed ' : ''}of ${input.person_id}, ${input.from} to ${input.to}`,
        });
        return report;
    });
}

/** Occurrences the person's feed produced before, dated in the period read, that it no longer has. */
async function feedKeysGone(warehouse: Warehouse, input: CalendarUpload, present: readonly string[]): Promise<string[]> {
    const rows = await warehouse.all<{ source_key: string }>(
        `select k.source_key
        from suggest.feed_keys k
        join suggest.suggestions s on s.person_id = k.person_id and s.source = 'calendar' and s.source_key = k.source_key
        where k.person_id = $1 and s.work_date between $2::date and $3::date`,
        [input.person_id, input.from, input.to],
    );
    const now = new Set(present);
    return rows.map((r) => r.source_key).filter((k) => !now.has(k));
}

async function rememberFeedKeys(warehouse: Warehouse, personId: string, present: readonly string[], gone: readonly string[]): Promise<void> {
    // The keys travel as JSON lists: one statement each however many there are.
    if (gone.length > 0) await warehouse.run(`delete from suggest.feed_keys where person_id = $1 and list_contains(from_json($2::json, '["VARCHAR"]'), source_key)`, [personId, JSON.stringify(gone)]);
    if (present.length > 0) {
        await warehouse.run(`insert into suggest.feed_keys (person_id, source_key) select $1, unnest(from_json($2::json, '["VARCHAR"]')) on conflict do nothing`, [personId, JSON.stringify([...new Set(present)])]);
    }
}

export interface GitUpload {
    person_id: string;
    repository: string;
    text: string;
    /** The person's other commit addresses. */
    emails?: readonly string[];
}

/** A repository name: letters, digits and . _ - / (an owner/name is fine). */
export const REPOSITORY_NAME = /^[\p{L}\p{N}._\-/]{1,200}$/u;

/** A git log → the person's suggestions, a day of sessions per repository; only the person's own commits count. */
export async function uploadGitLog(warehouse: Warehouse, input: GitUpload, who: AuditWho): Promise<UploadReport> {
    if (!REPOSITORY_NAME.test(input.repository)) throw new SuggestionError(400, 'repository: a name of letters, digits and . _ - / (at most 200)', 'repository');
    const { commits, problems } = parseGitLog(input.text);
    return warehouse.transaction(async () => {
        const ctx = await loadContext(warehouse, input.person_id, input.emails ?? [], Date.now());
        if (ctx.emails.size === 0) throw new SuggestionError(400, `${input.person_id} has no e-mail address: give the addresses their commits use (emails)`, 'emails');
        const mine = commits.filter((c) => ctx.emails.has(c.email));
        const others = commits.length - mine.length;
        const skipped: Skipped[] = others > 0 ? [{ key: 'other-authors', date: null, what: `${others} commit${others === 1 ? '' : 's'}`, reason: `by other authors than ${[...ctx.emails].join(', ')}: not read` }] : [];
        if (mine.length > 0) {
            await warehouse.run(
                `insert into suggest.commits (person_id, repository, hash, authored_at, local_date, utc_offset_min, subject)
                select $2, $3, hash, to_timestamp(at_ms / 1000.0), local_date::date, offset_min, subject
                from (select unnest(from_json($1::json, '[{"hash":"VARCHAR","at_ms":"BIGINT","local_date":"VARCHAR","offset_min":"INTEGER","subject":"VARCHAR"}]'), recursive := true))
                on conflict do nothing`,
                [JSON.stringify(mine.map((c) => ({ hash: c.hash, at_ms: c.atMs, local_date: c.localDate, offset_min: c.offsetMinutes, subject: c.subject }))), input.person_id, input.repository],
            );
        }
        // Every commit of the repository known for the person: a day's sessions are computed from all of them.
        const known = await warehouse.all<{ hash: string; at_ms: number; local_date: string; offset_min: number; subject: string }>(
            `select hash, epoch_ms(authored_at)::double as at_ms, local_date::varchar as local_date, utc_offset_min as offset_min, subject
            from suggest.commits where person_id = $1 and repository = $2`,
            [input.person_id, input.repository],
        );
        const all: Commit[] = known.map((k) => {
            const local = k.at_ms + k.offset_min * 60_000;
            return { hash: k.hash, email: '', atMs: k.at_ms, localDate: k.local_date, localMinutes: Math.floor((local % 86_400_000) / 60_000), offsetMinutes: k.offset_min, subject: k.subject, line: 0 };
        });
        const proposals = commitProposals(input.repository, all, ctx);
        const counts = await save(warehouse, input.person_id, 'git', proposals, [], who);
        const report: UploadReport = { source: 'git', read: mine.length, ...counts, skipped, problems };
        await recordAudit(warehouse, {
            ...who,
            action: 'upload',
            entity: 'suggestions',
            entity_id: input.person_id,
            after: { source: 'git', repository: input.repository, read: mine.length, ...counts, other_authors: others, problems: problems.length },
            detail: `git log of ${input.repository} for ${input.person_id}`,
        });
        return report;
    });
}
