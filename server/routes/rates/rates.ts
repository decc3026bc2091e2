/**
 * Rate cards and cost rates for finance: every card with its history, a new rate from a date, ending one, a
 * cost rate from a date, and which card an entry got and why (capture/rates/rates.ts). A change re-prices the
 * work it covers in the marts; issued invoices keep their own rates.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addCostRate, addRate, costRates, endRate, explainEntry, rateCards } from '../../../capture/rates/rates.ts';
import { auditActor } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { okAnswer } from '../../schemas/common.ts';
import { addRateBody, costRateBody, endRateBody, entryParam, explainAnswer, ratesAnswer } from '../../schemas/rates.ts';
import { writtenOk } from '../invoices/invoices.ts';

const tags = ['rates'];

export const rateRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.money;

    app.get(
        '/rates',
        { config: { roles }, schema: { summary: 'Every rate card and cost rate, with its history (newest first within a scope)', tags, response: { 200: ratesAnswer } } },
        async () => ({ cards: await rateCards(app.warehouse), cost_rates: await costRates(app.warehouse) }),
    );

    app.post(
        '/rates',
        {
            config: { roles },
            schema: { summary: 'Add a rate card from a date; the card it follows in the same scope ends the day before', tags, body: addRateBody, response: { 200: okAnswer } },
        },
        async (request) => writtenOk(app, request, () => addRate(app.warehouse, { ...request.body, effective_to: request.body.effective_to ?? null }, auditActor(request))),
    );

    app.post(
        '/rates/end',
        { config: { roles }, schema: { summary: 'End a rate card on a date (its last day)', tags, body: endRateBody, response: { 200: okAnswer } } },
        async (request) => {
            const { effective_to, ...key } = request.body;
            return writtenOk(app, request, () => endRate(app.warehouse, key, effective_to, auditActor(request)));
        },
    );

    app.post(
        '/rates/cost',
        { config: { roles }, schema: { summary: 'Add a person’s cost rate from a date', tags, body: costRateBody, response: { 200: okAnswer } } },
        async (request) => writtenOk(app, request, () => addCostRate(app.warehouse, request.body, auditActor(request))),
    );

    app.get(
        '/rates/explain/:entry_id',
        {
            config: { roles },
            schema: { summary: 'Which rate card an entry got and why: every matching card, the scope that won, why the others lost', tags, params: entryParam, response: { 200: explainAnswer } },
        },
        async (request) => {
            const answer = await explainEntry(app.warehouse, request.params.entry_id);
            if (!answer) throw new HttpProblem(404, 'Not found', `no entry "${request.params.entry_id}"`);
            return answer;
        },
    );
};
