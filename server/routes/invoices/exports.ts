/**
 * Invoices for the accounting tools and finance's own records: Xero's sales-invoice import, QuickBooks Online's
 * invoice import and every line with its entry ids, as CSV (capture/invoicing/exports.ts); and the billing
 * settings those documents are made with (the firm's details, each client's grouping, rounding, tax and terms).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { linesCsv, quickbooksCsv, xeroCsv } from '../../../capture/invoicing/exports.ts';
import { clientSettings, firmSettings, setClientSettings, setFirmSettings } from '../../../capture/invoicing/settings.ts';
import { CSV, sendDownload } from '../../api/download.ts';
import { auditActor } from '../../plugins/auth.ts';
import { lineEntryIds, linesOf, listInvoices } from '../../queries/invoices.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { okAnswer } from '../../schemas/common.ts';
import { clientParam, clientSettingsBody, exportParam, exportQuery, firmSettingsBody, settingsAnswer } from '../../schemas/invoices.ts';
import { writtenOk } from './invoices.ts';

const tags = ['invoices'];

export const invoiceExportRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.money;

    app.get(
        '/invoices/export/:format',
        {
            config: { roles },
            schema: {
                summary: 'Invoices as CSV: xero (sales-invoice import), quickbooks (QuickBooks Online invoice import) or lines (every line with its entry ids)',
                description: 'One row per line, the invoice repeated; dates in the firm’s date format; issued and paid invoices unless status says otherwise.',
                tags,
                params: exportParam,
                querystring: exportQuery,
                produces: ['text/csv'],
            },
        },
        async (request, reply) => {
            const q = request.query;
            const invoices = (await listInvoices(app.warehouse, { ...q, status: q.status })).filter((i) => (q.status ? true : i.status === 'issued' || i.status === 'paid'));
            const ids = invoices.map((i) => i.invoice_id);
            const lines = await linesOf(app.warehouse, ids);
            const settings = await firmSettings(app.warehouse);
            const format = request.params.format;
            const body =
                format === 'xero'
                    ? xeroCsv(invoices, lines, settings)
                    : format === 'quickbooks'
                      ? quickbooksCsv(invoices, lines, settings)
                      : linesCsv(invoices, lines, await lineEntryIds(app.warehouse, ids), settings);
            return sendDownload(reply, CSV, `invoices-${format}.csv`, body);
        },
    );

    app.get(
        '/invoices/settings',
        { config: { roles }, schema: { summary: 'Billing settings: the firm’s invoice details and each client’s grouping, rounding, tax and terms', tags, response: { 200: settingsAnswer } } },
        async () => ({ firm: await firmSettings(app.warehouse), clients: await clientSettings(app.warehouse) }),
    );

    app.put(
        '/invoices/settings/firm',
        { config: { roles }, schema: { summary: 'Change the firm’s invoice details (address, tax id, date format, number prefix, accounting codes)', tags, body: firmSettingsBody, response: { 200: okAnswer } } },
        async (request) => writtenOk(app, request, () => setFirmSettings(app.warehouse, request.body, auditActor(request))),
    );

    app.put(
        '/invoices/settings/clients/:client_id',
        {
            config: { roles },
            schema: { summary: 'Change how a client is billed: line grouping, rounding of billed time, tax rate, payment terms', tags, params: clientParam, body: clientSettingsBody, response: { 200: okAnswer } },
        },
        async (request) => writtenOk(app, request, () => setClientSettings(app.warehouse, { ...request.body, client_id: request.params.client_id }, auditActor(request))),
    );
};
