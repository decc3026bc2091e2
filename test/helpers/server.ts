/** The servers the route tests ask: a fixture served in local mode, or a hand-written firm served with tokens. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../server/app.ts';
import type { Role } from '../../server/roles.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { buildFixture } from './models.ts';

export interface ServedFixture {
    warehouse: Warehouse;
    app: FastifyInstance;
    close: () => Promise<void>;
}

/** A fixture folder (test/fixtures/…) loaded, built and served in local mode. */
export async function servedFixture(fixture: string): Promise<ServedFixture> {
    const warehouse = await buildFixture(fixture);
    const app = await buildApp({ warehouse });
    return {
        warehouse,
        app,
        close: async () => {
            await app.close();
            warehouse.close();
        },
    };
}

export interface ServedFirm {
    /** The firm's temporary folder: data/ (its canonical files) and tokens.json. */
    dir: string;
    warehouse: Warehouse;
    /** Tokens mode, with the tokens given. */
    app: FastifyInstance;
    /** Local mode over the same warehouse. */
    local: FastifyInstance;
    close: () => Promise<void>;
}

/**
 * A firm from hand-written canonical files (file name → text), loaded and built in a temporary folder named
 * after `name`, served in tokens mode with `tokens` and in local mode; `options` are given to both apps.
 */
export async function servedFirm(
    name: string,
    files: Record<string, string>,
    tokens: readonly { token: string; person_id: string | null; role: Role | string }[],
    options: Omit<AppOptions, 'warehouse' | 'tokensFile'> = {},
): Promise<ServedFirm> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `realize-${name}-`));
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(data, file), `${text.trimEnd()}\n`);
    fs.writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify(tokens));
    const warehouse = await buildFixture(data);
    const app = await buildApp({ ...options, warehouse, tokensFile: path.join(dir, 'tokens.json') });
    const local = await buildApp({ ...options, warehouse });
    return {
        dir,
        warehouse,
        app,
        local,
        close: async () => {
            await app.close();
            await local.close();
            warehouse.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
