import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fxMissing } from '../../../ingest/fx-coverage.ts';
import { martsAge, modelsState } from '../../../warehouse/models.ts';
import { warehouseSummary } from '../../queries/health.ts';
import { healthAnswer } from '../../schemas/health.ts';

/** GET /api/health: the server is up, the warehouse answers, and whether its marts are current and how old. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/health',
        {
            // Health answers at once: it says whether the marts are behind rather than waiting for them.
            config: { readsOwnWrites: false },
            schema: {
                summary: 'Liveness and what the warehouse holds',
                tags: ['system'],
                response: { 200: healthAnswer },
            },
        },
        async (request) => {
            const row = await warehouseSummary(app.warehouse);
            const state = await modelsState(app.warehouse, app.catalog.dir);
            const age = await martsAge(app.warehouse);
            return {
                status: 'ok' as const,
                // Where the database lives is the operator's business: its file name to anyone, the whole path only
                // to leadership signed in with a token (in local mode anyone on the machine is leadership).
                warehouse: request.caller?.token_id && request.caller.role === 'leadership' ? path.resolve(app.warehouse.file) : path.basename(app.warehouse.file),
                time_entries: row?.entries ?? 0,
                batches: row?.batches ?? 0,
                last_ingest: row?.latest ?? null,
                models_built: row?.built ?? false,
                marts: {
                    current: state.current,
                    behind: state.reason,
                    built_at: age.built_at,
                    written_at: age.written_at,
                    age_seconds: age.built_at === null ? null : Math.max(0, Math.round((Date.now() - Date.parse(age.built_at)) / 1000)),
                },
                fx_missing: request.caller ? await fxMissing(app.warehouse) : null,
            };
        },
    );
};
