/**
 * A person's calendar feed: the address (an ICS link; webcal:// is read as https://), saved by the person or an
 * admin, and the outcome of its reads. The address is a secret: no answer carries it, only `url_masked`.
 * The Timesheet's feed form validates with these too.
 */
import { z } from 'zod';
import { forPerson } from './common.ts';
import { uploadReport, zone } from './suggestions.ts';

export const feedQuery = z.strictObject({ ...forPerson });

export const feedBody = z.strictObject({
    url: z
        .string()
        .trim()
        .min(1, 'is required: paste the calendar’s ICS link')
        .max(2000, 'is longer than 2,000 characters')
        .regex(/^(https?|webcals?):\/\//i, 'must be a link starting https:// or webcal://')
        .describe('The calendar’s ICS link (https:// or webcal://). Kept secret: answers and the audit log show it masked'),
    time_zone: zone.default('UTC').describe('The zone of the calendar’s floating times and of the dates of UTC times (the person’s own)'),
    ...forPerson,
});
export type FeedBody = z.input<typeof feedBody>;

const counts = z.object({ read: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), decided: z.number(), withdrawn: z.number() });

export const feedView = z.object({
    person_id: z.string(),
    url_masked: z.string().describe('The address as shown: scheme, host and its last characters'),
    time_zone: z.string(),
    updated_at: z.string(),
    updated_by: z.string().nullable(),
    last_attempt_at: z.string().nullable().describe('The last read, whatever came of it'),
    last_success_at: z.string().nullable(),
    last_error: z.string().nullable().describe('Why the last read failed, in plain words; null when it succeeded'),
    last_counts: counts.nullable().describe('What the last successful read did to the suggestions'),
});
export type FeedView = z.infer<typeof feedView>;

export const feedAnswer = z.object({ feed: feedView.nullable() });
export type FeedAnswer = z.infer<typeof feedAnswer>;

export const refreshAnswer = z.object({
    ok: z.boolean().describe('false: the read failed; feed.last_error says why, and no suggestion changed'),
    feed: feedView,
    report: uploadReport.nullable(),
});
export type RefreshAnswer = z.infer<typeof refreshAnswer>;
