/**
 * Calendars and commits → suggested entries (pure: no warehouse, no HTTP). The person confirms, edits or
 * dismisses each; nothing here becomes time by itself.
 *
 * Calendar: every occurrence of the period that has ended becomes one suggestion of activity `meeting`, its
 * length the event's own, on the date it starts in its zone. Skipped, each with its reason: cancelled events
 * and occurrences, ones the person declined, all-day events, events without a length or longer than 24 h, ones
 * not over yet, repeats whose rule is not read, and events with no one else invited that no rule matches (not
 * a meeting). The client comes from the firm's rules: a keyword in the title first, then an attendee's e-mail
 * domain (the firm's own domains never match); a rule naming a project beats one naming only a client. A
 * client without a project in its rule gets the client's active project the person logged on most recently,
 * else its only active project; otherwise the person picks one when confirming.
 *
 * Git, the session rule: a person's commits to one repository, in time order, are one session while each
 * follows the previous within 2 hours (SESSION_GAP_MINUTES); a longer gap starts a new session. A session
 * lasts from its first commit to its last plus 30 minutes before the first (FIRST_COMMIT_MINUTES: the work
 * that led to it). A session belongs to the date of its first commit in the author's own time; a day's
 * sessions in one repository are one suggestion of activity `development` (at most 24 h), its project from
 * the repository's rule.
 *
 * Billable: the rule's own `billable` when it says, else the project's (billable unless its billing model is
 * non_billable).
 */
import type { Commit } from '../../ingest/git-log.ts';
import type { Occurrence } from '../../ingest/ics.ts';

export const SESSION_GAP_MINUTES = 120;
export const FIRST_COMMIT_MINUTES = 30;

export interface Rule {
    kind: 'domain' | 'keyword' | 'repository';
    pattern: string;
    client_id: string | null;
    project_id: string | null;
    phase: string | null;
    billable: boolean | null;
}

export interface ProjectInfo {
    project_id: string;
    client_id: string;
    name: string;
    billing_model: string;
    status: string;
}

export interface Context {
    rules: readonly Rule[];
    projects: ReadonlyMap<string, ProjectInfo>;
    /** The client's project this person logged on most recently (active projects only). */
    recentProjectOf: ReadonlyMap<string, string>;
    /** The person's own e-mail addresses (lower case). */
    emails: ReadonlySet<string>;
    /** The firm's own e-mail domains: its people's. */
    firmDomains: ReadonlySet<string>;
    nowMs: number;
}

export interface Proposal {
    source: 'calendar' | 'git';
    source_key: string;
    work_date: string;
    starts_at: string | null;
    project_id: string | null;
    phase: string | null;
    activity: string;
    seconds: number;
    billable: boolean;
    notes: string;
    evidence: string;
}

export interface Skipped {
    key: string;
    date: string | null;
    what: string;
    reason: string;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

function wordMatch(text: string, pattern: string): boolean {
    const escaped = pattern.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return escaped !== '' && new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(text);
}

/** The project a rule leads to, and why, or why none. */
function projectOf(rule: Rule, ctx: Context): { project: ProjectInfo | null; note: string | null } {
    if (rule.project_id) {
        const p = ctx.projects.get(rule.project_id);
        return p ? { project: p, note: null } : { project: null, note: `the rule's project ${rule.project_id} does not exist: pick the project` };
    }
    if (!rule.client_id) return { project: null, note: 'pick the project' };
    const recent = ctx.recentProjectOf.get(rule.client_id);
    if (recent && ctx.projects.get(recent)) return { project: ctx.projects.get(recent)!, note: null };
    const active = [...ctx.projects.values()].filter((p) => p.client_id === rule.client_id && p.status === 'active');
    if (active.length === 1) return { project: active[0]!, note: null };
    return { project: null, note: `client ${rule.client_id} has ${active.length} active projects: pick one` };
}

const billableOf = (rule: Rule | null, project: ProjectInfo | null) => rule?.billable ?? (project ? project.billing_model !== 'non_billable' : false);

/** The rule a meeting matches: a title keyword before an attendee's domain, a rule with a project before one without. */
export function matchMeeting(summary: string, attendeeEmails: readonly string[], ctx: Context): { rule: Rule; how: string } | null {
    const candidates: { rule: Rule; how: string; rank: number }[] = [];
    for (const rule of ctx.rules) {
        if (rule.kind === 'keyword' && wordMatch(summary, rule.pattern)) candidates.push({ rule, how: `the word "${rule.pattern}" in the title`, rank: rule.project_id ? 0 : 2 });
        if (rule.kind === 'domain') {
            const pattern = rule.pattern.toLowerCase().replace(/^@/, '');
            const hit = attendeeEmails.find((e) => {
                const d = domainOf(e);
                return !ctx.firmDomains.has(d) && (d === pattern || d.endsWith(`.${pattern}`));
            });
            if (hit) candidates.push({ rule, how: `attendee ${hit}`, rank: rule.project_id ? 1 : 3 });
        }
    }
    candidates.sort((a, b) => a.rank - b.rank || a.rule.pattern.localeCompare(b.rule.pattern));
    return candidates[0] ?? null;
}

/** Meetings of a calendar's occurrences, and what was skipped with why. */
export function meetingProposals(occurrences: readonly Occurrence[], ctx: Context): { proposals: Proposal[]; skipped: Skipped[] } {
    const proposals: Proposal[] = [];
    const skipped: Skipped[] = [];
    for (const occ of occurrences) {
        const ev = occ.event;
        const what = ev.summary || '(no title)';
        const skip = (reason: string) => skipped.push({ key: occ.key, date: occ.localDate, what, reason });
        if (ev.rruleProblem) {
            skip(ev.rruleProblem);
            continue;
        }
        if (ev.status === 'CANCELLED') {
            skip('cancelled');
            continue;
        }
        if (occ.allDay) {
            skip('all-day event');
            continue;
        }
        const mine = ev.attendees.find((a) => ctx.emails.has(a.email));
        if (mine?.partstat === 'DECLINED') {
            skip('declined');
            continue;
        }
        const seconds = Math.round((occ.endMs - occ.startMs) / 1000);
        if (seconds <= 0) {
            skip('no length (it ends when it starts)');
            continue;
        }
        if (seconds > 86_400) {
            skip('longer than 24 hours');
            continue;
        }
        if (occ.endMs > ctx.nowMs) {
            skip('not over yet');
            continue;
        }
        const others = [...new Set([...ev.attendees.map((a) => a.email), ...(ev.organizer ? [ev.organizer] : [])])].filter((e) => !ctx.emails.has(e));
        const match = matchMeeting(ev.summary, others, ctx);
        if (!match && others.length === 0) {
            skip('no one else invited and no rule matched: not a meeting');
            continue;
        }
        const { project, note } = match ? projectOf(match.rule, ctx) : { project: null, note: null };
        const external = [...new Set(others.map(domainOf).filter((d) => !ctx.firmDomains.has(d)))];
        const why = match
            ? `${project ? `project ${project.name}` : 'no project'} from ${match.how}${note ? ` (${note})` : ''}`
            : external.length > 0
              ? `no rule for ${external.join(', ')}: pick the project`
              : 'internal meeting, no rule matched: pick the project';
        const time = occ.localTime ? `${occ.localTime}, ${Math.round(seconds / 60)} min` : '';
        proposals.push({
            source: 'calendar',
            source_key: occ.key,
            work_date: occ.localDate,
            starts_at: new Date(occ.startMs).toISOString(),
            project_id: project?.project_id ?? null,
            phase: match?.rule.phase ?? null,
            activity: 'meeting',
            seconds,
            billable: billableOf(match?.rule ?? null, project),
            notes: ev.summary.slice(0, 500),
            evidence: `Meeting "${what}"${time ? ` (${time})` : ''} with ${others.length} other${others.length === 1 ? '' : 's'}; ${why}${occ.zoneNote ? `; ${occ.zoneNote}` : ''}`,
        });
    }
    return { proposals, skipped };
}

export interface Session {
    first: Commit;
    last: Commit;
    commits: Commit[];
    seconds: number;
}

/** A repository's commits (one person's) as work sessions, by the session rule above. */
export function commitSessions(commits: readonly Commit[]): Session[] {
    const sorted = [...commits].sort((a, b) => a.atMs - b.atMs || a.hash.localeCompare(b.hash));
    const sessions: Session[] = [];
    for (const c of sorted) {
        const open = sessions.at(-1);
        if (open && c.atMs - open.last.atMs <= SESSION_GAP_MINUTES * 60_000) {
            open.last = c;
            open.commits.push(c);
        } else sessions.push({ first: c, last: c, commits: [c], seconds: 0 });
    }
    for (const s of sessions) s.seconds = Math.round((s.last.atMs - s.first.atMs) / 1000) + FIRST_COMMIT_MINUTES * 60;
    return sessions;
}

const localClock = (c: Commit) => `${String(Math.floor(c.localMinutes / 60)).padStart(2, '0')}:${String(c.localMinutes % 60).padStart(2, '0')}`;

/** One suggestion per day of a repository's sessions. */
export function commitProposals(repository: string, commits: readonly Commit[], ctx: Context): Proposal[] {
    const rule = ctx.rules.find((r) => r.kind === 'repository' && r.pattern.toLowerCase() === repository.toLowerCase()) ?? null;
    const { project, note } = rule ? projectOf(rule, ctx) : { project: null, note: `no rule for repository ${repository}: pick the project` };
    const byDay = new Map<string, Session[]>();
    for (const s of commitSessions(commits)) byDay.set(s.first.localDate, [...(byDay.get(s.first.localDate) ?? []), s]);
    const out: Proposal[] = [];
    for (const [date, sessions] of byDay) {
        const seconds = Math.min(86_400, sessions.reduce((n, s) => n + s.seconds, 0));
        const commitsOfDay = sessions.flatMap((s) => s.commits);
        const spans = sessions.map((s) => `${localClock(s.first)}–${localClock(s.last)}`).join(', ');
        const subjects = commitsOfDay.slice(0, 5).map((c) => `"${c.subject.slice(0, 80)}"`).join(', ');
        out.push({
            source: 'git',
            source_key: `${repository}@${date}`,
            work_date: date,
            starts_at: new Date(sessions[0]!.first.atMs - FIRST_COMMIT_MINUTES * 60_000).toISOString(),
            project_id: project?.project_id ?? null,
            phase: rule?.phase ?? null,
            activity: 'development',
            seconds,
            billable: billableOf(rule, project),
            notes: `${repository}: ${commitsOfDay.map((c) => c.subject).join('; ')}`.slice(0, 500),
            evidence:
                `${commitsOfDay.length} commit${commitsOfDay.length === 1 ? '' : 's'} in ${repository}, ` +
                `${sessions.length} session${sessions.length === 1 ? '' : 's'} (${spans}; each with ${FIRST_COMMIT_MINUTES} min before its first commit): ${subjects}` +
                `${commitsOfDay.length > 5 ? ' …' : ''}; ${project ? `project ${project.name}${rule ? ` from the rule for ${repository}` : ''}` : (note ?? 'pick the project')}`,
        });
    }
    return out.sort((a, b) => a.work_date.localeCompare(b.work_date));
}
