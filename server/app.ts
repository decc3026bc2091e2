/**
 * The Fastify application, as fastify/demo lays it out: external plugins (OpenAPI, multipart), then app
 * plugins that decorate the instance (warehouse, problem details, cross-site checks and headers, auth), then
 * the routes. Built by a function so tests can `inject` requests without a port.
 */
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type FastifyPluginAsyncZod, jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { readCatalog } from './api/catalog.ts';
import { authPlugin } from './plugins/auth.ts';
import { loggerOptions, type LoggingOptions } from './plugins/logging.ts';
import { problemPlugin } from './plugins/problem.ts';
import { refreshPlugin } from './plugins/refresh.ts';
import { securityPlugin } from './plugins/security.ts';
import { spaShell, staticWebPlugin } from './plugins/static-web.ts';
import { budgetBurnMonthRoutes } from './routes/budget-burn/months.ts';
import { importRoutes } from './routes/imports/imports.ts';
import { DEFAULT_UPLOAD_LIMIT, dataRoutes, multipartLimits, uploadScratch } from './routes/data/data.ts';
import { drillRoutes } from './routes/drill/drill.ts';
import { funnelBreakdownRoutes } from './routes/funnel/breakdown.ts';
import { funnelRoutes } from './routes/funnel/funnel.ts';
import { healthRoutes } from './routes/health/health.ts';
import { invoiceExportRoutes } from './routes/invoices/exports.ts';
import { invoiceRoutes } from './routes/invoices/invoices.ts';
import { metricRoutes } from './routes/metrics/metrics.ts';
import { paymentRoutes } from './routes/payments/payments.ts';
import { projectRoutes } from './routes/projects/projects.ts';
import { quoteRoutes } from './routes/quotes/quotes.ts';
import { rateRoutes } from './routes/rates/rates.ts';
import { feedRoutes } from './routes/suggestions/feeds.ts';
import { suggestionRoutes } from './routes/suggestions/suggestions.ts';
import { reviewRoutes } from './routes/review/review.ts';
import { timeRoutes } from './routes/time/time.ts';
import { timerRoutes } from './routes/time/timer.ts';
import { capturePlugin } from './plugins/capture.ts';
import { feedsPlugin, type FeedOptions } from './plugins/feeds.ts';
import { sessionRoutes } from './routes/session/session.ts';
import { signInRoutes } from './routes/session/sign-in.ts';
import { accountRoutes } from './routes/admin/accounts.ts';
import { auditRoutes } from './routes/audit/audit.ts';
import { utilizationByDepartmentRoutes } from './routes/utilization/by-department.ts';

declare module 'fastify' {
    interface FastifyInstance {
        warehouse: Warehouse;
        /** Where uploads are written before they load (routes/data/data.ts). */
        uploadDir: string;
    }
}

export interface AppOptions {
    warehouse: Warehouse;
    /** Off by default (tests); `realize serve` logs at LOG_LEVEL to stdout (see plugins/logging.ts). */
    logger?: boolean | LoggingOptions;
    /** JSON file of API tokens; without it the server runs in local mode (see plugins/auth.ts). */
    tokensFile?: string;
    /** Origins besides the server's own that browsers may send requests from (REALIZE_ALLOWED_ORIGINS; plugins/security.ts). */
    allowedOrigins?: readonly string[];
    /** Folder of the built dashboard (web build); served when it exists. */
    webDir?: string;
    /** The largest upload to POST /api/ingest, its files together, in bytes (REALIZE_UPLOAD_LIMIT); default 1 GiB. */
    uploadLimit?: number;
    /** Where uploads are written before they load; default `<database>.uploads`, emptied of what a killed server left. */
    uploadDir?: string;
    /** The models the warehouse was built from, whose marts' .yml declare the metrics and the funnel; default models/. */
    modelsDir?: string;
    /** Calendar feeds: the schedule (off unless set; `realize serve` sets it) and whether private addresses are read outside local mode. */
    feeds?: FeedOptions;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
    const app = Fastify({ ...loggerOptions(options.logger), bodyLimit: 10 * 1024 * 1024, frameworkErrors: urlProblem }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // A route without query parameters says so, as the others do: an unknown one is a 400 naming it.
    app.addHook('onRoute', (route) => {
        if (route.url.startsWith('/api/') && !route.schema?.querystring) route.schema = { ...route.schema, querystring: z.strictObject({}) };
    });

    // First, so that every route (/docs included) answers errors as problem details, is refused to other sites
    // and host names (before auth: before anything else) and carries the security headers.
    await app.register(problemPlugin, { spaShell: spaShell(options.webDir) });
    // Local mode is decided by auth (no accounts, no tokens file), which may switch it on or off as accounts change.
    await app.register(securityPlugin, { local: () => app.authMode === 'local', allowedOrigins: options.allowedOrigins, webDir: options.webDir });
    await app.register(authPlugin, { warehouse: options.warehouse, tokensFile: options.tokensFile });

    await app.register(fastifySwagger, {
        openapi: {
            info: {
                title: 'Realize API',
                // Markdown: /docs shows it at the top, so the way back to the dashboard is the first thing there.
                description: '[← Back to the dashboard](/)\n\nMargin analytics for IT-services firms: metrics from the SQL models, drill-downs to the rows behind them.',
                version: '0.1.0',
            },
        },
        transform: jsonSchemaTransform,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    const uploadLimit = options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT;
    // Over the limit, a file is cut short rather than failed: routes/data/data.ts refuses it, naming the limit.
    await app.register(fastifyMultipart, { limits: multipartLimits(uploadLimit), throwFileSizeLimit: false });

    app.decorate('warehouse', options.warehouse);
    await app.register(refreshPlugin, { modelsDir: options.modelsDir });
    app.decorate('catalog', readCatalog(options.modelsDir));
    const uploads = uploadScratch(options.warehouse, options.uploadDir);
    app.decorate('uploadDir', uploads.dir);
    app.addHook('onClose', async () => uploads.close());

    // The routes under /api, registered one after the other: the OpenAPI document lists them in this order.
    const apiRoutes = async (plugins: readonly FastifyPluginAsyncZod[]) => {
        for (const plugin of plugins) await app.register(plugin, { prefix: '/api' });
    };
    await apiRoutes([healthRoutes, metricRoutes, funnelRoutes, projectRoutes, quoteRoutes, drillRoutes]);
    await app.register(dataRoutes, { prefix: '/api', uploadDir: uploads.dir, uploadLimit });
    await app.register(importRoutes, { prefix: '/api', uploadDir: uploads.dir, uploadLimit });
    await apiRoutes([sessionRoutes, signInRoutes, accountRoutes, auditRoutes, funnelBreakdownRoutes, budgetBurnMonthRoutes, utilizationByDepartmentRoutes]);
    await apiRoutes([invoiceRoutes, invoiceExportRoutes, paymentRoutes, rateRoutes]);
    // Capture's routes read the capture and feeds plugins' decorators.
    await app.register(capturePlugin);
    await app.register(feedsPlugin, options.feeds ?? {});
    await apiRoutes([suggestionRoutes, feedRoutes, timeRoutes, timerRoutes, reviewRoutes]);
    if (options.webDir) await app.register(staticWebPlugin, { root: options.webDir });
    return app;
}

/**
 * URLs the router cannot read (a bad %-escape, a path segment over 100 characters) are answered before any
 * route or error handler: problem details here too.
 */
function urlProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const status = tooLong ? 414 : 400;
    const title = tooLong ? 'URI too long' : 'Bad request';
    const detail = tooLong ? 'a part of the path is longer than 100 characters' : 'the URL cannot be read: check its %-escapes';
    reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status, detail, instance: request.url });
}
