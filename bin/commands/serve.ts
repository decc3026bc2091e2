import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemo } from '../../ingest/demo/index.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { fxMissing } from '../../ingest/fx-coverage.ts';
import { buildApp } from '../../server/app.ts';
import { logLevel } from '../../server/plugins/logging.ts';
import { buildModels, ModelError, modelsState } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { printFxMissing, progressPrinter, printReport } from './ingest.ts';
import { dbPath, integer, parse } from './options.ts';
import { writeServerNote } from './server-file.ts';

/** Where `npm run build` puts the dashboard. */
const WEB_BUILD = path.resolve(import.meta.dirname, '../../build');

const serveOptions = { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' } } as const;

export async function serveCommand(args: string[]): Promise<number> {
    const { values } = parse(args, serveOptions);
    const file = dbPath(values.db);
    if (!fs.existsSync(file)) {
        console.error(`realize serve: ${file} does not exist; run \`realize start\` to create it with the demo firm, or \`realize ingest\` your own files`);
        return 2;
    }
    return serve(file, values.port, values.host);
}

/** `npm start`: the first run seeds the demo firm into the database, every run serves it. */
export async function startCommand(args: string[]): Promise<number> {
    const { values } = parse(args, serveOptions);
    const file = dbPath(values.db);
    if (!fs.existsSync(file)) {
        console.log(`${file} does not exist yet: seeding the demo firm (once; takes about a minute)`);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-demo-'));
        try {
            const demo = await writeDemo({ outDir: dir });
            const partial = `${file}.seeding`;
            fs.rmSync(partial, { force: true });
            const warehouse = await Warehouse.open(partial, { memoryLimit: '3GB' });
            try {
                const { files } = resolveInputs(Object.values(demo.files));
                const report = await ingestFiles(warehouse, files, { onProgress: progressPrinter() });
                printReport(report, false);
                if (!report.ok) return 1;
                const built = await buildModels(warehouse);
                console.log(`built ${built.models.length} models in ${(built.ms / 1000).toFixed(1)} s`);
            } finally {
                warehouse.close();
            }
            // Only a fully seeded database takes the real name, so an interrupted first start retries cleanly.
            fs.renameSync(partial, file);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return serve(file, values.port, values.host);
}

async function serve(file: string, portFlag: string | undefined, hostFlag: string | undefined): Promise<number> {
    const port = integer(portFlag ?? process.env.PORT, 'port', 3000);
    const host = hostFlag ?? process.env.HOST ?? '127.0.0.1';
    const warehouse = await Warehouse.open(file, { connections: 4 });
    await bringModelsUpToDate(warehouse);
    printFxMissing(await fxMissing(warehouse));
    const app = await buildApp({ warehouse, logger: { level: logLevel(process.env.LOG_LEVEL) }, tokensFile: process.env.REALIZE_TOKENS_FILE, webDir: WEB_BUILD });
    const stop = async () => {
        await app.close();
        warehouse.close();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const address = await app.listen({ port, host });
    const removeNote = writeServerNote(file, address);
    process.once('exit', removeNote);
    console.log(`Realize is serving ${path.relative(process.cwd(), file) || file} on ${address}`);
    return new Promise<number>(() => undefined);
}

/**
 * Before serving, the marts must be current: a database loaded by the CLI may not have its models yet, have
 * them from an older models/ (an upgrade), or be behind its own data (a process stopped between a load and
 * its rebuild). A build that fails its tests keeps the previous marts: the server still starts and serves
 * them, and says why.
 */
export async function bringModelsUpToDate(warehouse: Warehouse, log: Pick<Console, 'log' | 'error'> = console): Promise<boolean> {
    const state = await modelsState(warehouse);
    if (state.current) return true;
    log.log(`building the models (${state.reason}) …`);
    try {
        await buildModels(warehouse);
        return true;
    } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        log.error(`the models did not build; serving the marts of the last build that did:\n${err.message}`);
        return false;
    }
}
