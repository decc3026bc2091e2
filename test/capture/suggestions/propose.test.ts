import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGitLog } from '../../../ingest/git-log.ts';
import { occurrences, parseIcs } from '../../../ingest/ics.ts';
import { commitProposals, commitSessions, type Context, meetingProposals } from '../../../capture/suggestions/propose.ts';

const dir = path.join(import.meta.dirname, '../../fixtures/suggestions');
const ctx: Context = {
    rules: [
        { kind: 'domain', pattern: 'acme.com', client_id: 'c-acme', project_id: null, phase: null, billable: null },
        { kind: 'keyword', pattern: 'umbrella', client_id: 'c-umb', project_id: 'p-umb', phase: 'Discovery', billable: false },
        { kind: 'repository', pattern: 'shop-web', client_id: 'c-acme', project_id: 'p-acme', phase: 'Build', billable: null },
    ],
    projects: new Map([
        ['p-acme', { project_id: 'p-acme', client_id: 'c-acme', name: 'Acme shop', billing_model: 'time_and_materials', status: 'active' }],
        ['p-acme-old', { project_id: 'p-acme-old', client_id: 'c-acme', name: 'Acme old', billing_model: 'fixed_fee', status: 'closed' }],
        ['p-umb', { project_id: 'p-umb', client_id: 'c-umb', name: 'Umbrella portal', billing_model: 'time_and_materials', status: 'active' }],
    ]),
    recentProjectOf: new Map(),
    emails: new Set(['ann@firm.example']),
    firmDomains: new Set(['firm.example']),
    nowMs: Date.parse('2025-05-01T00:00:00Z'),
};

describe('meetings from a calendar', () => {
    const occs = occurrences(parseIcs(fs.readFileSync(path.join(dir, 'calendar.ics'), 'utf8')).events, { timeZone: 'Europe/Vienna', from: '2025-03-20', to: '2025-04-13' });
    const { proposals, skipped } = meetingProposals(occs, ctx);

    it('suggests each meeting with its length, date, client from the rules and billable from the project', () => {
        expect(proposals.map((p) => [p.work_date, p.notes.slice(0, 24), p.seconds, p.project_id, p.billable, p.phase, p.activity])).toEqual([
            ['2025-03-24', 'Acme weekly , status', 3600, 'p-acme', true, null, 'meeting'],
            ['2025-03-24', 'Team standup', 900, null, false, null, 'meeting'],
            ['2025-03-25', 'Team standup', 900, null, false, null, 'meeting'],
            ['2025-03-25', 'Kickoff with the Globex ', 5400, null, false, null, 'meeting'],
            ['2025-03-26', 'Team standup', 900, null, false, null, 'meeting'],
            ['2025-03-26', 'Planning with Umbrella', 3600, 'p-umb', false, 'Discovery', 'meeting'],
            ['2025-04-01', 'Acme weekly (moved)', 1800, 'p-acme', true, null, 'meeting'],
            ['2025-04-03', 'Acme weekly , status', 3600, 'p-acme', true, null, 'meeting'],
            ['2025-04-10', 'Acme weekly , status', 3600, 'p-acme', true, null, 'meeting'],
        ]);
        expect(proposals[0]!.evidence).toBe('Meeting "Acme weekly , status" (09:00, 60 min) with 1 other; project Acme shop from attendee bob@eu.acme.com');
        expect(proposals[3]!.evidence).toMatch(/no rule for globex\.example: pick the project/);
        expect(proposals[1]!.evidence).toMatch(/internal meeting, no rule matched/);
    });

    it('skips cancelled, declined, all-day and lone events, each with its reason', () => {
        expect(skipped.map((s) => [s.what, s.date, s.reason])).toEqual([
            ['Focus time', '2025-03-25', 'no one else invited and no rule matched: not a meeting'],
            ['Acme review', '2025-03-26', 'cancelled'],
            ['Initech pitch', '2025-03-26', 'declined'],
            ['Holiday', '2025-03-28', 'all-day event'],
            ['Acme weekly', '2025-04-07', 'cancelled'],
        ]);
    });

    it('does not suggest a meeting that has not ended', () => {
        const early = meetingProposals(occs, { ...ctx, nowMs: Date.parse('2025-03-24T08:30:00Z') });
        expect(early.proposals).toEqual([]);
        // The nine meetings, and the lone focus block (not over yet is said before not a meeting).
        expect(early.skipped.filter((s) => s.reason === 'not over yet')).toHaveLength(10);
    });

    it('matches a title keyword before a domain, and a rule with a project before one without', () => {
        const both = meetingProposals(
            occs.filter((o) => o.event.uid === 'weekly-acme@example.com').slice(0, 1),
            { ...ctx, rules: [...ctx.rules, { kind: 'keyword', pattern: 'weekly', client_id: 'c-umb', project_id: null, phase: null, billable: null }] },
        );
        // "weekly" names only a client: the domain rule (also only a client) ranks after it, so Umbrella's only active project.
        expect(both.proposals[0]!.project_id).toBe('p-umb');
        expect(both.proposals[0]!.evidence).toMatch(/the word "weekly" in the title/);
    });
});

describe('sessions from commits', () => {
    const { commits, problems } = parseGitLog(fs.readFileSync(path.join(dir, 'git.log'), 'utf8'));

    it('reads the documented format and names the lines it cannot read', () => {
        expect(commits).toHaveLength(6);
        expect(commits[1]!.subject).toBe('Validate the e-mail | and the password');
        expect(problems).toEqual([{ line: 7, value: 'not a commit line', reason: "expected hash|e-mail|date|subject (git log --format='%H|%ae|%aI|%s')" }]);
        expect(parseGitLog('zzz|a@b.c|2025-01-01T10:00:00Z|x').problems[0]!.reason).toBe('"zzz" is not a commit hash');
        expect(parseGitLog('abcdef1|a@b.c|2025-01-01 10:00|x').problems[0]!.reason).toMatch(/not an ISO 8601 date/);
    });

    it('splits sessions on gaps over two hours and adds 30 minutes before each first commit', () => {
        const ann = commits.filter((c) => c.email === 'ann@firm.example');
        const sessions = commitSessions(ann);
        // 09:10–10:40 (90 min gap is under 2 h), 14:00 alone (200 min gap), 23:30–00:45 across midnight.
        expect(sessions.map((s) => [s.first.localDate, s.commits.length, s.seconds])).toEqual([
            ['2025-03-24', 2, 90 * 60 + 1800],
            ['2025-03-24', 1, 1800],
            ['2025-03-25', 2, 75 * 60 + 1800],
        ]);
        const proposals = commitProposals('shop-web', ann, ctx);
        expect(proposals.map((p) => [p.source_key, p.work_date, p.seconds, p.project_id, p.phase, p.billable, p.activity])).toEqual([
            ['shop-web@2025-03-24', '2025-03-24', 9000, 'p-acme', 'Build', true, 'development'],
            ['shop-web@2025-03-25', '2025-03-25', 6300, 'p-acme', 'Build', true, 'development'],
        ]);
        expect(proposals[0]!.evidence).toBe(
            '3 commits in shop-web, 2 sessions (09:10–10:40, 14:00–14:00; each with 30 min before its first commit): "Start the login form", "Validate the e-mail | and the password", "Login: tests"; project Acme shop from the rule for shop-web',
        );
        expect(commitProposals('other', ann, ctx)[0]!.project_id).toBeNull();
    });
});
