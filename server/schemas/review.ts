/**
 * The weekly review: a week's queue per project (who has not submitted, hours against the plan, the entries
 * with their flags, flags grouped by cause), decisions (approve or reject, per entry or per person-week) and
 * flag resolutions, as /api/review takes and answers them and the Review page validates them.
 * Project managers review the projects they manage; leadership and admins every project.
 */
import { z } from 'zod';
import { isoDate, requiredId } from './common.ts';
import { entry, statusCounts } from './time.ts';

export const queueQuery = z.strictObject({
    week: isoDate.optional().describe('Any day of the ISO week; absent: last week'),
    project_id: requiredId.optional().describe('One project; absent: every project the caller reviews with time or plan that week'),
});

export const entryFlag = z.object({
    flag_id: z.string().describe('Stable for the entry and rule: rule:entry_id'),
    rule: z.string(),
    label: z.string(),
    detail: z.string().nullable(),
    group_id: z.string().nullable().describe('The group it is shown in, when its rule groups'),
    resolution: z.enum(['resolved', 'dismissed']).nullable(),
});
export type EntryFlag = z.infer<typeof entryFlag>;

export const flagResolution = z.object({ resolution: z.enum(['resolved', 'dismissed']), reason: z.string(), by: z.string(), at: z.string() });

export const reviewEntry = entry.extend({ person_name: z.string().nullable(), flags: z.array(entryFlag) });
export type ReviewEntry = z.infer<typeof reviewEntry>;

export const flagGroup = z.object({
    group_id: z.string().describe('rule:project_id:phase'),
    rule: z.string(),
    label: z.string(),
    phase: z.string().nullable(),
    detail: z.string().nullable(),
    entry_count: z.number(),
    entry_ids: z.array(z.string()),
    resolution: flagResolution.nullable(),
});
export type FlagGroup = z.infer<typeof flagGroup>;

export const queueProject = z.object({
    project_id: z.string(),
    name: z.string(),
    client_name: z.string().nullable().describe('The client’s name, or “Internal” for a project without a client'),
    not_submitted: z.array(z.object({ person_id: z.string(), name: z.string() })).describe('People on the project (plan or time) with nothing submitted for the week'),
    plan: z.array(z.object({ phase: z.string(), role: z.string(), planned_hours: z.number(), logged_hours: z.number().describe('All time logged up to the week’s end'), week_hours: z.number() })),
    people: z.array(z.object({ person_id: z.string(), name: z.string(), submitted_seconds: z.number(), status_counts: statusCounts })),
    entries: z.array(reviewEntry),
    flag_groups: z.array(flagGroup),
});
export type QueueProject = z.infer<typeof queueProject>;

export const queueAnswer = z.object({ week_start: z.string(), days: z.array(z.string()).length(7), projects: z.array(queueProject) });
export type QueueAnswer = z.infer<typeof queueAnswer>;

/**
 * Approve or reject submitted entries: by id, or a person's week on a project. A rejection needs a comment,
 * which the person sees beside each rejected entry.
 */
export const decisionBody = z
    .strictObject({
        decision: z.enum(['approve', 'reject']),
        entry_ids: z.array(requiredId).min(1, 'name at least one entry').max(10_000).optional(),
        person_week: z.strictObject({ person_id: requiredId, project_id: requiredId, week: isoDate }).optional(),
        comment: z.string().trim().max(2000).optional(),
    })
    .superRefine((body, ctx) => {
        if (!body.entry_ids && !body.person_week) ctx.addIssue({ code: 'custom', path: ['entry_ids'], message: 'name the entries or a person_week' });
        if (body.entry_ids && body.person_week) ctx.addIssue({ code: 'custom', path: ['entry_ids'], message: 'name the entries or a person_week, not both' });
        if (body.decision === 'reject' && !body.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: 'say why: a rejection needs a comment' });
    });
export type DecisionBody = z.infer<typeof decisionBody>;

export const decisionAnswer = z.object({ changed: z.number(), entries: z.array(entry) });
export type DecisionAnswer = z.infer<typeof decisionAnswer>;

/** Resolve or dismiss flags (by requiredId) or a whole group, with a reason; kept with who and when. */
export const flagResolveBody = z
    .strictObject({
        flag_ids: z.array(requiredId).min(1, 'name at least one flag').max(10_000).optional(),
        group_id: requiredId.optional(),
        resolution: z.enum(['resolved', 'dismissed']),
        reason: z.string().trim().min(3, 'give a reason').max(2000),
    })
    .superRefine((body, ctx) => {
        if (!body.flag_ids && !body.group_id) ctx.addIssue({ code: 'custom', path: ['flag_ids'], message: 'name the flags or a group_id' });
        if (body.flag_ids && body.group_id) ctx.addIssue({ code: 'custom', path: ['group_id'], message: 'name the flags or a group_id, not both' });
    });
export type FlagResolveBody = z.infer<typeof flagResolveBody>;

export const flagResolveAnswer = z.object({ resolved: z.number(), flag_ids: z.array(z.string()), group_id: z.string().nullable() });
export type FlagResolveAnswer = z.infer<typeof flagResolveAnswer>;
