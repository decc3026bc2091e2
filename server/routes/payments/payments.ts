/**
 * Corrections and cash against an issued invoice: credit notes (full or partial, with a reason) and payments
 * (partial ones too). capture/invoicing/documents.ts does the work; the marts follow before the answer.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueCreditNote, recordPayment } from '../../../capture/invoicing/documents.ts';
import { auditActor } from '../../plugins/auth.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { creditAnswer, creditBody, invoiceIdParam, paymentAnswer, paymentBody } from '../../schemas/invoices.ts';
import { written } from '../invoices/invoices.ts';

const tags = ['invoices'];

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.money;

    app.post(
        '/invoices/:id/credit-notes',
        {
            config: { roles },
            schema: {
                summary: 'Issue a credit note against an issued invoice: an amount (net of tax) or, without one, all not yet credited',
                description: 'The reason is dispute, discount or error; the credited amount moves into the funnel’s disputes and write-offs.',
                tags,
                params: invoiceIdParam,
                body: creditBody,
                response: { 200: creditAnswer },
            },
        },
        async (request) => written(app, () => issueCreditNote(app.warehouse, request.params.id, request.body, auditActor(request))),
    );

    app.post(
        '/invoices/:id/payments',
        {
            config: { roles },
            schema: {
                summary: 'Record a payment against an issued invoice, as received (tax included); partial payments too',
                description: 'The payment’s share of the net amount moves from uncollected to collected; the payment that settles the invoice makes it paid.',
                tags,
                params: invoiceIdParam,
                body: paymentBody,
                response: { 200: paymentAnswer },
            },
        },
        async (request) => written(app, () => recordPayment(app.warehouse, request.params.id, request.body, auditActor(request))),
    );
};
