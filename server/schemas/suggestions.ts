/**
 * Capture suggestions: a person's calendar (.ics) or git log → suggested entries, which they confirm (a draft
 * time entry), edit then confirm, or dismiss; and the firm's rules matching meetings and repositories to
 * clients and projects. The Suggestions panel's forms validate with these too.
 *
 * Who "the person" is: the caller's own person. `person_id` names someone else: admins, and local mode where it
 * is required.
 */
import { z } from 'zod';
import { readDuration, MAX_DURATION_SECONDS } from '../../lib/duration.ts';
import { forPerson, isoDate, requiredId } from './common.ts';
import { entry } from './time.ts';

const emails = z
    .array(z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address'))
    .max(20)
    .optional()
    .describe('Other addresses the person uses in calendars or commits (their own e-mail in the people list always counts)');
/** An IANA time zone (the person's own: floating times and the dates of UTC times are read in it). */
export const zone = z
    .string()
    .max(64)
    .refine((v) => v === 'UTC' || Intl.supportedValuesOf('timeZone').includes(v), 'must be an IANA time zone such as Europe/Vienna');

/** A calendar upload: the .ics text, read for the period (default: the 92 days to today). */
export const calendarBody = z
    .strictObject({
        ics: z.string().min(1, 'is empty: choose an .ics file').max(8 * 1024 * 1024, 'is larger than 8 MB'),
        time_zone: zone.default('UTC').describe('The zone of floating times and of the dates of UTC times (the person’s own)'),
        from: isoDate.optional().describe('First date of the period (default 91 days before `to`)'),
        to: isoDate.optional().describe('Last date of the period (default today)'),
        emails,
        ...forPerson,
    })
    .refine((b) => !b.from || !b.to || b.from <= b.to, { path: ['from'], message: 'must be on or before to' })
    .refine((b) => !b.from || !b.to || Date.parse(b.to) - Date.parse(b.from) <= 366 * 86_400_000, { path: ['to'], message: 'the period is at most a year' });
export type CalendarBody = z.input<typeof calendarBody>;

/** A git log upload: its text, or a repository path on the server's machine. */
export const gitBody = z
    .strictObject({
        repository: z
            .string()
            .trim()
            .regex(/^[\p{L}\p{N}._\-/]{1,200}$/u, 'must be a repository name of letters, digits and . _ - /')
            .optional()
            .describe('The repository’s name, as the firm’s repository rules know it (default: the last part of path)'),
        log: z.string().max(32 * 1024 * 1024, 'is larger than 32 MB').optional().describe("Output of git log --no-merges --format='%H|%ae|%aI|%s'"),
        path: z.string().max(1000).optional().describe('An absolute path to a repository on the server: git log is run there (since `since`, at most 20,000 commits)'),
        since: isoDate.optional().describe('With path: commits from this date (default 92 days ago)'),
        emails,
        ...forPerson,
    })
    .refine((b) => b.log === undefined || b.path === undefined, { path: ['path'], message: 'give the log’s text or a repository path, not both' })
    .refine((b) => b.log !== undefined || b.path !== undefined, { path: ['log'], message: 'give the log’s text (or a repository path)' })
    .refine((b) => b.repository !== undefined || b.path !== undefined, { path: ['repository'], message: 'name the repository' });
export type GitBody = z.input<typeof gitBody>;

export const uploadReport = z.object({
    source: z.enum(['calendar', 'git']),
    read: z.number().describe('Occurrences of the period, or the person’s commits read'),
    created: z.number(),
    updated: z.number().describe('Suggestions not yet decided whose meeting moved or whose day got more commits'),
    unchanged: z.number(),
    decided: z.number().describe('Already confirmed or dismissed: left as they are'),
    withdrawn: z.number().describe('Suggestions removed because their meeting was cancelled or declined since'),
    skipped: z.array(z.object({ key: z.string(), date: z.string().nullable(), what: z.string(), reason: z.string() })),
    problems: z.array(z.object({ line: z.number(), reason: z.string() })).describe('Lines of the file that could not be read'),
});
export type UploadReport = z.infer<typeof uploadReport>;

export const SUGGESTION_STATUSES = ['suggested', 'confirmed', 'dismissed'] as const;

export const suggestion = z.object({
    suggestion_id: z.string(),
    person_id: z.string(),
    source: z.enum(['calendar', 'git']),
    work_date: z.string(),
    starts_at: z.string().nullable(),
    project_id: z.string().nullable().describe('null: no rule matched; the person picks the project when confirming'),
    project_name: z.string().nullable(),
    client_name: z.string().nullable(),
    phase: z.string().nullable(),
    activity: z.string(),
    seconds: z.number(),
    billable: z.boolean(),
    notes: z.string().nullable(),
    evidence: z.string().describe('Where it comes from and how it was matched'),
    status: z.enum(SUGGESTION_STATUSES),
    entry_id: z.string().nullable().describe('The draft entry a confirmed suggestion became'),
});
export type Suggestion = z.infer<typeof suggestion>;

export const weekAnswer = z.object({ week_start: z.string(), suggestions: z.array(suggestion) });
export type WeekAnswer = z.infer<typeof weekAnswer>;

export const suggestionParams = z.strictObject({ suggestion_id: requiredId });
export const personBody = z.strictObject({ ...forPerson });

/** A duration as typed (1.5, 1:30, 90m, 2h) in whole seconds. */
const durationText = z.string().max(40).transform((text, ctx) => {
    const reading = readDuration(text);
    if (!reading.ok) {
        ctx.addIssue({ code: 'custom', message: reading.message });
        return z.NEVER;
    }
    return reading.seconds;
});

/** Confirming, with the person's edits: the fields given replace the suggestion's. */
export const confirmBody = z
    .strictObject({
        project_id: requiredId.optional(),
        phase: z.string().trim().max(200).nullable().optional(),
        activity: z.string().trim().min(1, 'is required').max(200).optional(),
        work_date: isoDate.optional(),
        duration: durationText.optional().describe('As typed: 1.5, 1:30, 90m, 2h'),
        duration_seconds: z.number().int('must be whole seconds').min(1, 'must be more than nothing').max(MAX_DURATION_SECONDS, 'is more than 24 hours').optional(),
        billable: z.boolean().optional(),
        notes: z.string().max(2000, 'is longer than 2,000 characters').nullable().optional(),
        ...forPerson,
    })
    .refine((b) => b.duration === undefined || b.duration_seconds === undefined, { path: ['duration'], message: 'give duration or duration_seconds, not both' })
    .refine((b) => b.duration === undefined || b.duration > 0, { path: ['duration'], message: 'must be more than nothing' });
export type ConfirmBody = z.input<typeof confirmBody>;

/** The suggestion confirmed, and the time entry it made (as the timesheet's entries describe it). */
export const confirmAnswer = z.object({
    suggestion,
    entry: entry.pick({ entry_id: true, person_id: true, project_id: true, phase: true, activity: true, work_date: true, duration_seconds: true, billable: true, notes: true, source: true, status: true }),
});
export const dismissAnswer = z.object({ suggestion });

export const RULE_KINDS = ['domain', 'keyword', 'repository'] as const;

export const rule = z.strictObject({
    kind: z.enum(RULE_KINDS).describe('domain: an attendee’s e-mail domain (and its subdomains); keyword: a word or phrase of a meeting’s title; repository: a repository’s name'),
    pattern: z.string().trim().min(1, 'is required').max(200),
    client_id: requiredId.nullable().default(null),
    project_id: requiredId.nullable().default(null).describe('Required for a repository; for the others, absent means the client’s project the person logs on'),
    phase: z.string().trim().max(200).nullable().default(null),
    billable: z.boolean().nullable().default(null).describe('null: the project’s own rule (billable unless non-billable)'),
});
export type RuleInput = z.input<typeof rule>;

export const rulesBody = z.strictObject({ rules: z.array(rule).max(2000) });
export const rulesAnswer = z.object({
    rules: z.array(
        z.object({
            kind: z.enum(RULE_KINDS),
            pattern: z.string(),
            client_id: z.string().nullable(),
            project_id: z.string().nullable(),
            phase: z.string().nullable(),
            billable: z.boolean().nullable(),
            client_name: z.string().nullable(),
            project_name: z.string().nullable(),
        }),
    ),
});
export type RulesAnswer = z.infer<typeof rulesAnswer>;
