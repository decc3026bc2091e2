/**
 * Capture: the timesheet's entries, the week grid, the timer, submitting a week and an admin's reopening,
 * as the routes under /api/time take and answer them and as the Timesheet page's forms validate them.
 *
 * Who "the person" is: the signed-in account's person (or the token's). `person_id` in a query or body names
 * someone else: an admin may act for anyone, and in local mode (one user on this machine, no accounts) it
 * is required. A reviewer may read (never write) the weeks of people on projects they review.
 */
import { z } from 'zod';
import { readDuration, MAX_DURATION_SECONDS } from '../../lib/duration.ts';
import { forPerson, isoDate, namedProject, projectClient, requiredId } from './common.ts';

const label = z.string().trim().min(1, 'is required').max(200);
const notes = z.string().max(2000, 'is longer than 2,000 characters');

export const ENTRY_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const ENTRY_SOURCES = ['timer', 'grid', 'form'] as const;

/** A duration as typed (`1.5`, `1:30`, `90m`, `2h`): read by lib/duration.ts into whole seconds. */
export const durationText = z.string().max(40).transform((text, ctx) => {
    const reading = readDuration(text);
    if (!reading.ok) {
        ctx.addIssue({ code: 'custom', message: reading.message });
        return z.NEVER;
    }
    return reading.seconds;
});

export const durationSeconds = z.number().int('must be whole seconds').min(0, 'cannot be negative').max(MAX_DURATION_SECONDS, 'is more than 24 hours: one entry is at most a day');

export const statusCounts = z.object({ draft: z.number(), submitted: z.number(), approved: z.number(), rejected: z.number() });

export const entry = z.object({
    entry_id: z.string(),
    person_id: z.string(),
    ...namedProject,
    phase: z.string().nullable(),
    activity: z.string(),
    task: z.string().nullable(),
    work_date: z.string(),
    duration_seconds: z.number(),
    billable: z.boolean(),
    notes: z.string().nullable(),
    source: z.string().nullable().describe('timer, grid or form when captured here; a loaded file’s own source otherwise'),
    status: z.enum(ENTRY_STATUSES),
    logged_at: z.string().describe('When it was saved, ISO 8601'),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
    invoice_id: z.string().nullable().describe('The invoice that bills it: frozen, even to a reopening'),
    rejection: z.object({ comment: z.string(), by: z.string(), at: z.string() }).nullable().describe('The latest rejection’s comment, while the entry is rejected or being fixed'),
});
export type Entry = z.infer<typeof entry>;

// ---- options ----------------------------------------------------------------------------------------------

export const optionsQuery = z.strictObject({ ...forPerson });

export const projectOption = z.object({
    project_id: z.string(),
    name: z.string(),
    client_name: projectClient.client_name,
    billable_default: z.boolean().describe('False on a non-billable project'),
    phases: z.array(z.string()).describe('The plan’s phases, then phases logged on it'),
    activities: z.array(z.object({ activity: z.string(), billable_default: z.boolean() })),
});
export const optionsAnswer = z.object({ projects: z.array(projectOption) });
export type ProjectOption = z.infer<typeof projectOption>;
export type OptionsAnswer = z.infer<typeof optionsAnswer>;

// ---- entries ----------------------------------------------------------------------------------------------

const entryFields = {
    project_id: requiredId,
    phase: label.nullable(),
    activity: label,
    task: z.string().trim().max(200).nullable().optional(),
    work_date: isoDate,
    duration: durationText.optional().describe('As typed: 1.5, 1:30, 90m, 2h'),
    duration_seconds: durationSeconds.optional(),
    billable: z.boolean().optional().describe('Absent: the project’s and activity’s default'),
    notes: notes.nullable().optional(),
};

// Both given: the refusal names duration_seconds, the one a script adds (the forms send only duration as typed).
const oneDuration = (body: { duration?: number; duration_seconds?: number }, ctx: z.RefinementCtx, required: boolean) => {
    if (body.duration !== undefined && body.duration_seconds !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['duration_seconds'], message: 'give duration or duration_seconds, not both' });
    } else if (required && body.duration === undefined && body.duration_seconds === undefined) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'enter a duration, like 1.5 or 1:30' });
};

/** A new entry (the quick form). duration_seconds wins over duration when a client sends seconds. */
export const newEntryBody = z
    .strictObject({ ...entryFields, ...forPerson, source: z.enum(['form', 'grid']).default('form') })
    .superRefine((body, ctx) => oneDuration(body, ctx, true));
export type NewEntryBody = z.input<typeof newEntryBody>;

/** A change to a draft or rejected entry: the fields given change, the others stay. */
export const entryChangeBody = z
    .strictObject({
        project_id: requiredId.optional(),
        phase: label.nullable().optional(),
        activity: label.optional(),
        task: entryFields.task,
        work_date: isoDate.optional(),
        duration: entryFields.duration,
        duration_seconds: entryFields.duration_seconds,
        billable: z.boolean().optional(),
        notes: entryFields.notes,
    })
    .superRefine((body, ctx) => oneDuration(body, ctx, false));
export type EntryChangeBody = z.input<typeof entryChangeBody>;

export const entryParams = z.strictObject({ entry_id: requiredId });

// ---- the week ---------------------------------------------------------------------------------------------

export const weekAnswer = z.object({
    person_id: z.string(),
    week_start: z.string().describe('The Monday'),
    days: z.array(z.string()).length(7),
    entries: z.array(entry),
    totals: z.object({ by_day: z.array(z.number()).length(7).describe('Seconds per day, Monday first'), total_seconds: z.number() }),
    submitted: z.boolean().describe('The week has entries and none is draft or rejected'),
    status_counts: statusCounts,
});
export type WeekAnswer = z.infer<typeof weekAnswer>;

/** One grid row: a project › phase › activity and its seven cells (null or '' = no time that day). */
export const gridRow = z.strictObject({
    project_id: requiredId,
    phase: label.nullable(),
    activity: label,
    billable: z.boolean().optional().describe('Absent: the project’s and activity’s default'),
    days: z.array(z.string().max(40).nullable()).length(7, 'has seven days, Monday to Sunday'),
});

/**
 * The grid as typed: each cell sets that day's total for its row, creating, changing or deleting the row's
 * draft grid entries. A cell that cannot be read answers 400 with every such cell in `errors` and writes
 * nothing. Rows left out of the body are not touched.
 */
export const weekGridBody = z.strictObject({ week: isoDate, rows: z.array(gridRow).max(200), ...forPerson });
export type WeekGridBody = z.infer<typeof weekGridBody>;

export const gridError = z.object({ row: z.number().describe('Index into rows'), day: z.number().nullable().describe('0 = Monday; null: the row itself'), field: z.string(), message: z.string() });
export type GridError = z.infer<typeof gridError>;

export const weekBody = z.strictObject({ week: isoDate, ...forPerson });
export const weekCopyBody = z.strictObject({ week: isoDate.describe('The week to fill, from the one before it'), hours: z.boolean().default(false).describe('Copy the hours too (as drafts)'), ...forPerson });

/** The copy answers the week; rows copied without hours are returned so the grid can show them empty. */
export const weekCopyAnswer = weekAnswer.extend({
    rows: z.array(z.object({ project_id: z.string(), phase: z.string().nullable(), activity: z.string(), billable: z.boolean() })).describe('Last week’s rows'),
});
export type WeekCopyAnswer = z.infer<typeof weekCopyAnswer>;

// ---- the timer --------------------------------------------------------------------------------------------

/** What the running timer will log: the entry's project, phase, activity, notes and billable, and when it started. */
export const runningTimer = entry
    .pick({ project_id: true, project_name: true, phase: true, activity: true, notes: true, billable: true })
    .extend({ started_at: z.string().describe('ISO 8601') });
export const timerAnswer = z.object({ running: runningTimer.nullable() });
export type TimerAnswer = z.infer<typeof timerAnswer>;

export const timerQuery = z.strictObject({ ...forPerson });

export const timerStartBody = z.strictObject({
    project_id: requiredId,
    phase: label.nullable(),
    activity: label,
    notes: notes.nullable().optional(),
    billable: z.boolean().optional(),
    ...forPerson,
});
export type TimerStartBody = z.input<typeof timerStartBody>;

export const timerStopBody = z.strictObject({ ...forPerson });

/** A timer that ran past midnight (UTC) is saved as one entry per day: `entries`; `entry` is the last. */
export const timerStopAnswer = z.object({ entry: entry, entries: z.array(entry) });
/** Starting while one runs stops and saves that one first: `stopped` holds its entries. */
export const timerStartAnswer = timerAnswer.extend({ stopped: z.array(entry) });
export type TimerStopAnswer = z.infer<typeof timerStopAnswer>;
export type TimerStartAnswer = z.infer<typeof timerStartAnswer>;

// ---- reopen (admin) ---------------------------------------------------------------------------------------

/**
 * An admin reopens approved entries with a reason. Reopened entries go back to draft (not to submitted), so
 * their person can change them and submit the week again; invoiced entries stay frozen (409 naming the invoice).
 */
export const reopenBody = z.strictObject({
    entry_ids: z.array(requiredId).min(1, 'name at least one entry').max(10_000),
    reason: z.string().trim().min(3, 'say why the entries are reopened').max(2000),
});
export const reopenAnswer = z.object({ changed: z.number(), entries: z.array(entry) });
export type ReopenAnswer = z.infer<typeof reopenAnswer>;
