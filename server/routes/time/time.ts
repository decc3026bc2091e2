/**
 * The timesheet: what a person may log on, their week, single entries (the quick form), the week grid, copying
 * last week, submitting and withdrawing, and an admin's reopening of approved entries. The work is
 * capture/time/; writes go through the group-commit queue and are answered once the marts include them.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { managedProjects } from '../../../capture/review/decisions.ts';
import { reopenEntries } from '../../../capture/review/reopen.ts';
import { createEntry, deleteEntry, updateEntry } from '../../../capture/time/entries.ts';
import { captureOptions } from '../../../capture/time/options.ts';
import { readEntry } from '../../../capture/time/read.ts';
import { copyLastWeek, readWeek, setGrid, submitWeek, today, withdrawWeek } from '../../../capture/time/week.ts';
import { auditActor } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import {
    entry,
    entryChangeBody,
    entryParams,
    newEntryBody,
    optionsAnswer,
    optionsQuery,
    reopenAnswer,
    reopenBody,
    weekAnswer,
    weekBody,
    weekCopyAnswer,
    weekCopyBody,
    weekGridBody,
} from '../../schemas/time.ts';
import { weekQuery } from '../../schemas/common.ts';
import { personFor, reviewerOf, writeTimeOf, written } from './common.ts';

const tags = ['time'];

export const timeRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.everyone;
    const cap = app.capture;

    /** Whose entry: the caller's own; in local mode and for an admin, whoever it belongs to. */
    const entryPerson = async (request: FastifyRequest, entryId: string) => {
        if (request.caller.local || request.caller.role === 'admin') {
            const found = await readEntry(app.warehouse, entryId);
            if (!found) throw new HttpProblem(404, 'Not found', `no entry "${entryId}"`, 'entry_id');
            return found.person_id;
        }
        return personFor(app, request, undefined);
    };

    app.get(
        '/time/options',
        { config: { roles }, schema: { summary: 'What the person may log time on: active projects they are staffed on or have logged on, their phases and activities with billable defaults', tags, querystring: optionsQuery, response: { 200: optionsAnswer } } },
        async (request) => ({ projects: await captureOptions(app.warehouse, await personFor(app, request, request.query.person_id)) }),
    );

    app.get(
        '/time/week',
        {
            config: { roles },
            schema: {
                summary: 'A person’s week (Monday to Sunday): entries, totals per day, status',
                description: 'Reviewers may read the week of someone else with person_id: a project manager sees the entries on the projects they manage.',
                tags,
                querystring: weekQuery,
                response: { 200: weekAnswer },
            },
        },
        async (request) => {
            const person = await personFor(app, request, request.query.person_id, 'read');
            const own = person === request.caller.person_id || request.caller.local || request.caller.role === 'admin';
            const managed = own ? null : await managedProjects(cap, reviewerOf(request));
            return readWeek(cap, person, request.query.week ?? today(), managed ? [...managed] : undefined);
        },
    );

    app.post(
        '/time/entries',
        { config: { roles }, schema: { summary: 'Log an entry (the quick form): a draft until its week is submitted', tags, body: newEntryBody, response: { 201: entry } } },
        async (request, reply) => {
            const body = request.body;
            const saved = await writeTimeOf(app, request, body.person_id, (who, person) =>
                createEntry(cap, who, person, {
                    project_id: body.project_id,
                    phase: body.phase,
                    activity: body.activity,
                    task: body.task ?? null,
                    work_date: body.work_date,
                    duration_seconds: (body.duration_seconds ?? body.duration)!,
                    billable: body.billable,
                    notes: body.notes ?? null,
                    source: body.source,
                }),
            );
            return reply.code(201).send(saved);
        },
    );

    app.patch(
        '/time/entries/:entry_id',
        {
            config: { roles },
            schema: { summary: 'Change a draft or rejected entry (submitted: withdraw the week first; approved or invoiced: frozen)', tags, params: entryParams, body: entryChangeBody, response: { 200: entry } },
        },
        async (request) => {
            const { duration, duration_seconds, ...rest } = request.body;
            const person = await entryPerson(request, request.params.entry_id);
            return written(app, request, () => updateEntry(cap, auditActor(request), person, request.params.entry_id, { ...rest, duration_seconds: duration_seconds ?? duration }));
        },
    );

    app.delete(
        '/time/entries/:entry_id',
        { config: { roles }, schema: { summary: 'Delete a draft or rejected entry', tags, params: entryParams } },
        async (request, reply) => {
            const person = await entryPerson(request, request.params.entry_id);
            await written(app, request, () => deleteEntry(cap, auditActor(request), person, request.params.entry_id));
            return reply.code(204).send();
        },
    );

    app.put(
        '/time/week',
        {
            config: { roles },
            schema: {
                summary: 'The week grid: set each cell’s total (project › phase › activity × day)',
                description: 'A cell sets the day’s total for its row, creating, changing or deleting its draft grid entries; time from the timer or the form, and submitted or approved time, stays and counts. Unreadable cells answer 400 with `errors: [{ row, day, field, message }]` and nothing is written.',
                tags,
                body: weekGridBody,
                response: { 200: weekAnswer },
            },
        },
        async (request) => writeTimeOf(app, request, request.body.person_id, (who, person) => setGrid(cap, who, person, request.body.week, request.body.rows)),
    );

    app.post(
        '/time/week/copy',
        { config: { roles }, schema: { summary: 'Copy last week’s rows (project, phase, activity) into this week; with hours: true, their time too', tags, body: weekCopyBody, response: { 200: weekCopyAnswer } } },
        async (request) => writeTimeOf(app, request, request.body.person_id, (who, person) => copyLastWeek(cap, who, person, request.body.week, request.body.hours)),
    );

    app.post(
        '/time/week/submit',
        { config: { roles }, schema: { summary: 'Submit the week’s draft and rejected entries for review', tags, body: weekBody, response: { 200: weekAnswer } } },
        async (request) => writeTimeOf(app, request, request.body.person_id, (who, person) => submitWeek(cap, who, person, request.body.week)),
    );

    app.post(
        '/time/week/withdraw',
        { config: { roles }, schema: { summary: 'Withdraw the week’s submission: its submitted entries are drafts again', tags, body: weekBody, response: { 200: weekAnswer } } },
        async (request) => writeTimeOf(app, request, request.body.person_id, (who, person) => withdrawWeek(cap, who, person, request.body.week)),
    );

    app.post(
        '/time/reopen',
        {
            config: { roles: ROLE_GROUPS.admin },
            schema: { summary: 'Reopen approved entries with a reason: they go back to draft (invoiced entries stay frozen: 409)', tags, body: reopenBody, response: { 200: reopenAnswer } },
        },
        async (request) => written(app, request, () => reopenEntries(cap, auditActor(request), request.body.entry_ids, request.body.reason)),
    );

};
