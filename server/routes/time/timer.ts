/** The timer: one running per person, kept in the warehouse (it survives a reload and a restart). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { discardTimer, runningTimer, startTimer, stopTimer } from '../../../capture/time/timer.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { timerAnswer, timerQuery, timerStartAnswer, timerStartBody, timerStopAnswer, timerStopBody } from '../../schemas/time.ts';
import { personFor, writeTimeOf } from './common.ts';

const tags = ['time'];

export const timerRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.everyone;
    const cap = app.capture;

    app.get(
        '/time/timer',
        { config: { roles }, schema: { summary: 'The person’s running timer, or null', tags, querystring: timerQuery, response: { 200: timerAnswer } } },
        async (request) => ({ running: await runningTimer(cap, await personFor(app, request, request.query.person_id)) }),
    );

    app.post(
        '/time/timer/start',
        { config: { roles }, schema: { summary: 'Start the timer (one already running is stopped and saved first: `stopped`)', tags, body: timerStartBody, response: { 200: timerStartAnswer } } },
        async (request) => {
            const { person_id, ...input } = request.body;
            return writeTimeOf(app, request, person_id, (who, person) => startTimer(cap, who, person, input));
        },
    );

    app.post(
        '/time/timer/stop',
        { config: { roles }, schema: { summary: 'Stop the timer and save its time as an entry (one per day when it ran past midnight, UTC)', tags, body: timerStopBody.optional(), response: { 200: timerStopAnswer } } },
        async (request) => writeTimeOf(app, request, request.body?.person_id, (who, person) => stopTimer(cap, who, person)),
    );

    app.delete(
        '/time/timer',
        { config: { roles }, schema: { summary: 'Discard the running timer without saving it', tags, querystring: timerQuery } },
        async (request, reply) => {
            await writeTimeOf(app, request, request.query.person_id, (who, person) => discardTimer(cap, who, person));
            return reply.code(204).send();
        },
    );
};
