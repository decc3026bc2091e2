/** What clients owe on issued invoices, by age since the issue date (server/queries/invoices.ts receivables). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { receivables } from '../../queries/invoices.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { receivablesAnswer, receivablesQuery } from '../../schemas/invoices.ts';

export const receivableRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/receivables',
        {
            config: { roles: ROLE_GROUPS.money },
            schema: {
                summary: 'Receivables by age: 0–30, 31–60, 61–90 and over 90 days since the issue date, per client and currency',
                description: 'Outstanding = total with tax − credit notes (with their tax) − payments received, on invoices issued on or before as_of.',
                tags: ['invoices'],
                querystring: receivablesQuery,
                response: { 200: receivablesAnswer },
            },
        },
        async (request) => {
            const asOf = request.query.as_of ?? new Date().toISOString().slice(0, 10);
            return { as_of: asOf, rows: await receivables(app.warehouse, asOf) };
        },
    );
};
