/**
 * Invoicing for finance: runs that make draft invoices from approved time and the contracts' terms, a draft's
 * review (its lines and the entries behind them), adjustments, removing lines or the draft, issuing, the
 * printable invoice (HTML and PDF) and the exports. The work is capture/invoicing/; every write is one
 * transaction (rows, marts' marks, audit), answered once committed; the marts' refresh follows, and the
 * writer's own reads wait for it.
 */
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { invoiceHtml } from '../../../capture/invoicing/document.ts';
import { addAdjustment, deleteDraft, issueInvoice, removeLine } from '../../../capture/invoicing/drafts.ts';
import { closePdfBrowser } from '../../../capture/invoicing/pdf.ts';
import { runInvoices } from '../../../capture/invoicing/run.ts';
import { firmSettings } from '../../../capture/invoicing/settings.ts';
import { InvoicingError } from '../../../capture/invoicing/write.ts';
import type { AuditWho } from '../../../capture/audit.ts';
import { PDF, printedPdf, sendDownload } from '../../api/download.ts';
import { auditActor } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { invoiceDetail, listInvoices } from '../../queries/invoices.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { writeThenRefresh } from '../write-then-refresh.ts';
import { okAnswer } from '../../schemas/common.ts';
import {
    adjustmentBody,
    invoiceDetail as invoiceDetailSchema,
    invoiceIdParam,
    invoiceList,
    invoiceListQuery,
    issueAnswer,
    issueBody,
    lineAnswer,
    lineParam,
    runAnswer,
    runBody,
} from '../../schemas/invoices.ts';

/** Finance's invoicing refusals as problem details: the field at fault for bad input, 404, 409 (frozen or taken). */
export function problemOf(err: unknown): unknown {
    if (!(err instanceof InvoicingError)) return err;
    const title = err.status === 400 ? `Invalid parameter: ${err.field ?? 'request'}` : err.status === 404 ? 'Not found' : 'Conflict';
    return new HttpProblem(err.status, title, err.message, err.field ?? undefined);
}

/** Runs a write, answers its refusals as problems, then starts the refresh that brings it to the marts. */
export function written<T>(app: FastifyInstance, request: FastifyRequest, write: () => Promise<T>): Promise<T> {
    return writeThenRefresh(app, request, write, problemOf);
}

/** As `written`, for a write whose answer is only that it is done. */
export async function writtenOk(app: FastifyInstance, request: FastifyRequest, write: () => Promise<unknown>): Promise<{ ok: true }> {
    await written(app, request, write);
    return { ok: true };
}

const tags = ['invoices'];

/**
 * POST /invoices/:id/<action>: finance's write on one invoice (capture/invoicing/), given the invoice's id,
 * the request's body and who writes; answered once committed.
 */
export function invoiceAction<B extends z.ZodType, A extends z.ZodType>(
    app: Parameters<FastifyPluginAsyncZod>[0],
    action: string,
    doc: { summary: string; description?: string },
    schemas: { body: B; answer: A },
    write: (warehouse: Warehouse, invoiceId: string, input: z.infer<B>, who: AuditWho) => Promise<z.infer<A>>,
): void {
    // Typed by `write` (the schemas validate the request and the answer as every route's do).
    const schema: FastifySchema = { ...doc, tags, params: invoiceIdParam, body: schemas.body, response: { 200: schemas.answer } };
    app.post(`/invoices/:id/${action}`, { config: { roles: ROLE_GROUPS.money }, schema }, async (request) => {
        const { id } = request.params as z.infer<typeof invoiceIdParam>;
        return written(app, request, () => write(app.warehouse, id, request.body as z.infer<B>, auditActor(request)));
    });
}

export const invoiceRoutes: FastifyPluginAsyncZod = async (app) => {
    app.addHook('onClose', closePdfBrowser);
    const roles = ROLE_GROUPS.money;

    app.get(
        '/invoices',
        { config: { roles }, schema: { summary: 'Invoices, newest first, with net, tax, credited, received and outstanding', tags, querystring: invoiceListQuery, response: { 200: invoiceList } } },
        async (request) => ({ rows: await listInvoices(app.warehouse, request.query) }),
    );

    app.post(
        '/invoices/runs',
        {
            config: { roles },
            schema: {
                summary: 'An invoice run: draft invoices for a client (or every client) and a period',
                description:
                    'Time and materials: approved, billable, not yet invoiced entries of the period at the rate card that applies to each, billed time rounded per entry as the client says, lines by project, phase or role. Fixed fee: signed-off milestones, or a percent-complete instalment. Retainer: each month of the period once, its fee and overage beyond the included hours with rollover. Milestone: signed-off milestones not yet invoiced. One draft per client; nothing is billed twice (a concurrent run that took something first makes this one a 409).',
                tags,
                body: runBody,
                response: { 200: runAnswer },
            },
        },
        async (request) => written(app, request, () => runInvoices(app.warehouse, { client_id: request.body.client_id ?? null, from: request.body.from, to: request.body.to, issue_date: request.body.issue_date }, auditActor(request))),
    );

    app.get(
        '/invoices/:id',
        { config: { roles }, schema: { summary: 'An invoice: its lines, the entries behind each, credit notes and payments', tags, params: invoiceIdParam, response: { 200: invoiceDetailSchema } } },
        async (request) => {
            const doc = await invoiceDetail(app.warehouse, request.params.id);
            if (!doc) throw new HttpProblem(404, 'Not found', `no invoice "${request.params.id}"`);
            return doc;
        },
    );

    app.delete(
        '/invoices/:id',
        { config: { roles }, schema: { summary: 'Delete a draft: what it billed is billable again (an issued invoice: 409)', tags, params: invoiceIdParam, response: { 200: okAnswer } } },
        async (request) => writtenOk(app, request, () => deleteDraft(app.warehouse, request.params.id, auditActor(request))),
    );

    invoiceAction(app, 'adjustments', { summary: 'Add an adjustment line with its reason to a draft' }, { body: adjustmentBody, answer: lineAnswer }, addAdjustment);

    app.delete(
        '/invoices/:id/lines/:line_no',
        { config: { roles }, schema: { summary: 'Remove a line from a draft: its entries, month or milestone are billable again', tags, params: lineParam, response: { 200: okAnswer } } },
        async (request) => writtenOk(app, request, () => removeLine(app.warehouse, request.params.id, request.params.line_no, auditActor(request))),
    );

    invoiceAction(
        app,
        'issue',
        { summary: 'Issue a draft: the year’s next number (gapless), due date by the client’s terms; then it never changes' },
        { body: issueBody, answer: issueAnswer },
        issueInvoice,
    );

    const documentOf = async (id: string) => {
        const doc = await invoiceDetail(app.warehouse, id);
        if (!doc) throw new HttpProblem(404, 'Not found', `no invoice "${id}"`);
        return invoiceHtml(doc, await firmSettings(app.warehouse));
    };

    app.get(
        '/invoices/:id/document.html',
        { config: { roles, document: true }, schema: { summary: 'The printable invoice, with the appendix of the time behind each line', tags, params: invoiceIdParam, produces: ['text/html'] } },
        async (request, reply) => reply.type('text/html; charset=utf-8').send(await documentOf(request.params.id)),
    );

    app.get(
        '/invoices/:id/document.pdf',
        { config: { roles }, schema: { summary: 'The printable invoice as a PDF (printed by headless Chromium)', tags, params: invoiceIdParam, produces: ['application/pdf'] } },
        async (request, reply) => {
            const pdf = await printedPdf(await documentOf(request.params.id));
            return sendDownload(reply, PDF, `invoice-${request.params.id.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`, pdf);
        },
    );
};
