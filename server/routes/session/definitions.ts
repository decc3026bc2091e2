/**
 * GET /api/definitions: the definitions every figure's tooltip shows (the catalog and the marts' .yml, so a
 * meaning lives in one place).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import YAML from 'yaml';
import { z } from 'zod';
import { METRICS } from '../../api/catalog.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { LEAKS, STAGES } from '../funnel/funnel.ts';

const MARTS_DIR = path.resolve(import.meta.dirname, '../../../models/marts');

/** Each mart's description and column descriptions, read from its .yml once. */
function readDefinitions(): Record<string, { grain: string; description: string; columns: Record<string, string> }> {
    const out: Record<string, { grain: string; description: string; columns: Record<string, string> }> = {};
    if (!fs.existsSync(MARTS_DIR)) return out;
    for (const area of fs.readdirSync(MARTS_DIR)) {
        const dir = path.join(MARTS_DIR, area);
        if (!fs.statSync(dir).isDirectory()) continue;
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
            const doc = YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
                grain?: string;
                description?: string;
                columns?: { name: string; description?: string }[];
            } | null;
            if (!doc) continue;
            const columns: Record<string, string> = {};
            for (const c of doc.columns ?? []) if (c.description) columns[c.name] = c.description.trim();
            out[`marts.${file.replace(/\.yml$/, '')}`] = { grain: doc.grain ?? '', description: (doc.description ?? '').trim(), columns };
        }
    }
    return out;
}

let definitions: ReturnType<typeof readDefinitions> | null = null;

export function definitionsBody() {
    definitions ??= readDefinitions();
    return {
        metrics: METRICS.map((m) => ({ name: m.name, summary: m.summary, description: m.description, grain: m.grain, mart: m.mart })),
        stages: STAGES.map((s) => ({ ...s })),
        leaks: LEAKS.map((l) => ({ key: l.key, label: l.label, below_stage: l.below, definition: l.definition })),
        marts: definitions,
    };
}

export const definitionRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/definitions',
        {
            config: { roles: ROLE_GROUPS.everyone },
            schema: {
                summary: 'What every figure means: the metric catalog, the funnel stages and leaks, and each mart column described in its .yml',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: {
                    200: z.object({
                        metrics: z.array(z.object({ name: z.string(), summary: z.string(), description: z.string(), grain: z.string(), mart: z.string() })),
                        stages: z.array(z.object({ key: z.string(), label: z.string(), stage: z.number() })),
                        leaks: z.array(z.object({ key: z.string(), label: z.string(), below_stage: z.number(), definition: z.string() })),
                        marts: z.record(z.string(), z.object({ grain: z.string(), description: z.string(), columns: z.record(z.string(), z.string()) })),
                    }),
                },
            },
        },
        async () => definitionsBody(),
    );
};
