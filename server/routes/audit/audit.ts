/**
 * The audit log, read: GET /api/audit (filtered, paged, newest first) and GET /api/audit/export (the same
 * filter as CSV). Admins and finance. There is no route that changes or deletes an event
 * (test/server/audit-log.test.ts walks every route to prove it).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditCsv, MAX_EXPORT_EVENTS } from '../../api/audit-export.ts';
import { CSV, sendDownload } from '../../api/download.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { auditEvents, auditVocabulary, countAuditEvents } from '../../queries/audit.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { auditAnswer, auditFilter, auditQuery } from '../../schemas/audit.ts';

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.audit;
    const tags = ['audit'];

    app.get(
        '/audit',
        {
            config: { roles },
            schema: {
                summary: 'The audit log: every change with who, when, from where, and the values before and after; newest first',
                tags,
                querystring: auditQuery,
                response: { 200: auditAnswer },
            },
        },
        async (request) => {
            const { page, page_size, ...filter } = request.query;
            const [total, rows, vocabulary] = await Promise.all([
                countAuditEvents(app.warehouse, filter),
                auditEvents(app.warehouse, filter, page_size, (page - 1) * page_size),
                auditVocabulary(app.warehouse),
            ]);
            return { total, page, page_size, rows, ...vocabulary };
        },
    );

    app.get(
        '/audit/export',
        {
            config: { roles },
            schema: {
                summary: `The audit log's events matching the filter as CSV (at most ${MAX_EXPORT_EVENTS.toLocaleString('en')})`,
                tags,
                querystring: auditFilter,
                produces: ['text/csv'],
            },
        },
        async (request, reply) => {
            const total = await countAuditEvents(app.warehouse, request.query);
            if (total > MAX_EXPORT_EVENTS) {
                throw new HttpProblem(
                    400,
                    'Too many events to export',
                    `${total} events match; an export holds at most ${MAX_EXPORT_EVENTS}: narrow the filter (a date range, an action)`,
                );
            }
            const rows = await auditEvents(app.warehouse, request.query, MAX_EXPORT_EVENTS, 0);
            return sendDownload(reply, CSV, 'audit-log.csv', auditCsv(rows));
        },
    );
};
