/**
 * Errors as RFC 9457 problem details (application/problem+json): a title a person can read, a detail that
 * says what to change, and for bad input the parameter at fault.
 */
import fs from 'node:fs';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

export class HttpProblem extends Error {
    readonly status: number;
    readonly title: string;
    readonly parameter?: string;
    /** Members the problem carries beyond the standard ones (a week grid's per-cell `errors`). */
    readonly extra?: Record<string, unknown>;
    constructor(status: number, title: string, detail: string, parameter?: string, extra?: Record<string, unknown>) {
        super(detail);
        this.status = status;
        this.title = title;
        this.parameter = parameter;
        this.extra = extra;
    }
}

export const badRequest = (parameter: string, detail: string) => new HttpProblem(400, `Invalid parameter: ${parameter}`, detail, parameter);

export const problemPlugin = fp(async (app: FastifyInstance, options: { spaShell?: string }) => {
    app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
        let status = 500;
        let title = 'Internal error';
        let detail = 'Something went wrong on the server; it has been logged.';
        let parameter: string | undefined;
        let extra: Record<string, unknown> = {};
        if (error instanceof HttpProblem) {
            ({ status, title } = error);
            detail = error.message;
            parameter = error.parameter;
            extra = error.extra ?? {};
        } else if (hasZodFastifySchemaValidationErrors(error)) {
            const issue = error.validation[0]!;
            // zod issues arrive as { keyword: <code>, instancePath: '/field', params: { keys?, … } }.
            const keys = (issue.params as { keys?: string[] }).keys;
            parameter = keys?.[0] ?? issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
            status = 400;
            title = `Invalid parameter: ${parameter || 'request'}`;
            detail =
                issue.keyword === 'unrecognized_keys'
                    ? `unknown parameter${keys && keys.length > 1 ? 's' : ''} ${keys?.join(', ')}; see /docs for what this route accepts`
                    : `${parameter ? `${parameter}: ` : ''}${issue.message}`;
        } else if (typeof error.statusCode === 'number' && error.statusCode < 500) {
            status = error.statusCode;
            title = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Unsupported media type' : 'Bad request';
            detail = error.message;
        } else {
            // The answer says only that it failed; the log keeps what and where (message and stack).
            request.log.error({ err: error, req: request }, `request failed: ${error.message}`);
        }
        reply
            .status(status)
            .type('application/problem+json')
            .send({ type: 'about:blank', title, status, detail, ...(parameter ? { parameter } : {}), ...extra, instance: request.url });
    });
    app.setNotFoundHandler((request, reply) => {
        // Deep links into the dashboard get the app shell; the client-side router takes it from there.
        if (options.spaShell && request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/docs')) {
            return reply.type('text/html').send(fs.createReadStream(options.spaShell));
        }
        return reply
            .status(404)
            .type('application/problem+json')
            .send({ type: 'about:blank', title: 'Not found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}`, instance: request.url });
    });
});
