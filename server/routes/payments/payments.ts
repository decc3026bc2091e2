/**
 * Corrections and cash against an issued invoice: credit notes (full or partial, with a reason) and payments
 * (partial ones too), which capture/invoicing/documents.ts writes and the marts follow before the answer; and
 * what clients still owe on issued invoices, by age since the issue date (server/queries/invoices.ts receivables).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueCreditNote, recordPayment } from '../../../capture/invoicing/documents.ts';
import { receivables } from '../../queries/invoices.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { creditAnswer, creditBody, paymentAnswer, paymentBody, receivablesAnswer, receivablesQuery } from '../../schemas/invoices.ts';
import { invoiceAction } from '../invoices/invoices.ts';

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
    invoiceAction(
        app,
        'credit-notes',
        {
            summary: 'Issue a credit note against an issued invoice: an amount (net of tax) or, without one, all not yet credited',
            description: 'The reason is dispute, discount or error; the credited amount moves into the funnel’s disputes and write-offs.',
        },
        { body: creditBody, answer: creditAnswer },
        issueCreditNote,
    );

    invoiceAction(
        app,
        'payments',
        {
            summary: 'Record a payment against an issued invoice, as received (tax included); partial payments too',
            description: 'The payment’s share of the net amount moves from uncollected to collected; the payment that settles the invoice makes it paid.',
        },
        { body: paymentBody, answer: paymentAnswer },
        recordPayment,
    );

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
