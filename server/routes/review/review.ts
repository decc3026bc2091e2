/**
 * The weekly review: the queue per project, approving and rejecting (per entry or person-week), and acting on
 * flags. Project managers review the projects they manage; leadership and admins every project.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decide, managedProjects } from '../../../capture/review/decisions.ts';
import { resolveFlags } from '../../../capture/review/flags.ts';
import { addDays, today } from '../../../capture/time/week.ts';
import { auditActor } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { reviewQueue } from '../../queries/review.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { decisionAnswer, decisionBody, flagResolveAnswer, flagResolveBody, queueAnswer, queueQuery } from '../../schemas/review.ts';
import { reviewerOf, written } from '../time/common.ts';

const tags = ['review'];

export const reviewRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.review;
    const cap = app.capture;

    app.get(
        '/review/queue',
        {
            config: { roles },
            schema: {
                summary: 'The week’s review queue per project: who has not submitted, hours against the plan, entries with their flags, flags grouped by cause',
                tags,
                querystring: queueQuery,
                response: { 200: queueAnswer },
            },
        },
        async (request) => {
            const managed = await managedProjects(cap, reviewerOf(request));
            const projectId = request.query.project_id ?? null;
            if (projectId && managed && !managed.has(projectId)) throw new HttpProblem(403, 'Not allowed: not your project', `you review the projects you manage; ${projectId} is not one of them`, 'project_id');
            return reviewQueue(app.warehouse, request.query.week ?? addDays(today(), -7), projectId, managed);
        },
    );

    app.post(
        '/review/decisions',
        {
            config: { roles },
            schema: { summary: 'Approve or reject submitted entries, by id or a person’s week on a project (a rejection needs a comment)', tags, body: decisionBody, response: { 200: decisionAnswer } },
        },
        async (request) => written(app, request, () => decide(cap, auditActor(request), reviewerOf(request), request.body)),
    );

    app.post(
        '/review/flags/resolve',
        { config: { roles }, schema: { summary: 'Resolve or dismiss flags, or a whole group, with a reason (kept)', tags, body: flagResolveBody, response: { 200: flagResolveAnswer } } },
        async (request) => written(app, request, () => resolveFlags(cap, auditActor(request), reviewerOf(request), request.body)),
    );
};
