/**
 * Corrections and cash against an issued invoice: credit notes (full or partial, with a reason) and payments
 * (partial ones too). capture/invoicing/documents.ts does the work; the marts follow before the answer.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { issueCreditNote, recordPayment } from '../../../capture/invoicing/documents.ts';
import { creditAnswer, creditBody, paymentAnswer, paymentBody } from '../../schemas/invoices.ts';
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
};
