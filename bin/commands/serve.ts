import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeDemo } from '../../ingest/demo/index.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs, UsageError } from '../../ingest/files.ts';
import { fxMissing } from '../../ingest/fx-coverage.ts';
import { createDemoAccounts, demoAccounts } from '../../server/api/demo-accounts.ts';
import { buildApp } from '../../server/app.ts';
import type { AuthMode } from '../../server/plugins/auth.ts';
import { enabledAccounts } from '../../server/queries/accounts.ts';
import { DEFAULT_UPLOAD_LIMIT, sizeText } from '../../server/routes/data/data.ts';
import { logLevel, type LogLevel } from '../../server/plugins/logging.ts';
import { isLoopbackHost, parseAllowedOrigins } from '../../server/plugins/security.ts';
import { buildModels, ModelError, modelsState, refreshableIncrementally, refreshMarts } from '../../warehouse/models.ts';
import { Warehouse, WarehouseLockedError } from '../../warehouse/warehouse.ts';
import { printFxMissing, progressPrinter, printReport } from './ingest.ts';
import { dbPath, integer, limitOptions, parse, serverLimits, type ServerLimits } from './options.ts';
import { writeServerNote } from './server-file.ts';
import { bannerLines, seededLine } from './start-banner.ts';

/** Where `npm run build` puts the dashboard. */
const WEB_BUILD = path.resolve(import.meta.dirname, '../../build');

const serveOptions = { port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, ...limitOptions } as const;

export async function serveCommand(args: string[]): Promise<number> {
    const { values } = parse(args, serveOptions);
    const file = dbPath(values.db);
    if (!fs.existsSync(file)) {
        console.error(`realize serve: ${file} does not exist; run \`realize start\` to create it with the demo firm, or \`realize ingest\` your own files`);
        return 2;
    }
    return serve(file, serverSettings(values, process.env, await mayServeNetwork(file, values)), serverLimits(values));
}

/**
 * Whether the firm's database has an account that may sign in (accounts mode), so the server may listen
 * beyond this machine without a tokens file. Asked only when that is what the settings ask for; a file that
 * cannot be read as a database has no accounts (the refusal then says what to do).
 */
async function mayServeNetwork(file: string, values: { host?: string }): Promise<boolean> {
    const host = values.host ?? process.env.HOST ?? '127.0.0.1';
    if (isLoopbackHost(host) || process.env.REALIZE_TOKENS_FILE || !fs.existsSync(file)) return false;
    let warehouse: Warehouse;
    try {
        warehouse = await Warehouse.open(file);
    } catch (err) {
        if (err instanceof WarehouseLockedError) throw err;
        return false;
    }
    try {
        return (await enabledAccounts(warehouse)) > 0;
    } finally {
        warehouse.close();
    }
}

/** `npm start`: the first run seeds the demo firm into the database, every run serves it. */
export async function startCommand(args: string[]): Promise<number> {
    const { values } = parse(args, serveOptions);
    const file = dbPath(values.db);
    // Refuse a setting that cannot serve before spending a minute on the seed (whose accounts are demo ones:
    // the demo firm stays on this machine).
    const settings = serverSettings(values, process.env, await mayServeNetwork(file, values));
    const limits = serverLimits(values);
    if (!fs.existsSync(file)) {
        console.log(`${file} does not exist yet: seeding the demo firm into it (once; about a minute) …`);
        const started = performance.now();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-demo-'));
        try {
            const demo = await writeDemo({ outDir: dir });
            const partial = `${file}.seeding`;
            fs.rmSync(partial, { force: true });
            const warehouse = await Warehouse.open(partial, duckdbLimits(limits));
            try {
                const { files } = resolveInputs(Object.values(demo.files));
                const report = await ingestFiles(warehouse, files, { onProgress: progressPrinter(), actor: 'demo' });
                // The per-file table helps only when the seed fails.
                if (!report.ok) {
                    printReport(report, false);
                    return 1;
                }
                await buildModels(warehouse);
                // One account per role with a known password, so each role's view can be tried (demo only).
                await createDemoAccounts(warehouse, { actor: 'demo', address: 'cli' });
            } finally {
                warehouse.close();
            }
            // Only a fully seeded database takes the real name, so an interrupted first start retries cleanly.
            fs.renameSync(partial, file);
            console.log(seededLine((performance.now() - started) / 1000, demo.rows));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return serve(file, settings, limits);
}

interface ServerSettings {
    port: number;
    host: string;
    tokensFile: string | undefined;
    allowedOrigins: string[];
    logLevel: LogLevel;
}

/**
 * Flags and environment, checked: a usage error names what to change. `accounts`: the database has accounts
 * people sign in with, so the server may serve the network without a tokens file.
 */
export function serverSettings(values: { port?: string; host?: string }, env: NodeJS.ProcessEnv = process.env, accounts = false): ServerSettings {
    const port = integer(values.port ?? env.PORT, 'port', 3000);
    const host = values.host ?? env.HOST ?? '127.0.0.1';
    const tokensFile = env.REALIZE_TOKENS_FILE || undefined;
    // Local mode makes every caller the firm's leadership: only this machine may be one.
    if (!tokensFile && !accounts && !isLoopbackHost(host)) {
        throw new UsageError(
            `will not listen on ${host} without REALIZE_TOKENS_FILE or accounts: with neither, every caller is the firm's leadership, so the server ` +
                'only listens on this machine (127.0.0.1, ::1 or localhost). To serve the network, add accounts (`realize users add --role admin` ' +
                'makes the first) or give each caller a token (README, "Access").',
        );
    }
    if (tokensFile && !fs.existsSync(tokensFile)) throw new UsageError(`REALIZE_TOKENS_FILE: ${tokensFile} does not exist`);
    try {
        return { port, host, tokensFile, allowedOrigins: parseAllowedOrigins(env.REALIZE_ALLOWED_ORIGINS), logLevel: logLevel(env.LOG_LEVEL) };
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

/** Where the server listens, as a URL (an IPv6 address in brackets; 0.0.0.0 and :: say they mean every interface). */
function boundUrl(server: { address(): string | { address: string; port: number } | null }, fallback: string): string {
    const a = server.address();
    if (!a || typeof a === 'string') return fallback;
    const host = a.address.includes(':') ? `[${a.address}]` : a.address;
    const every = a.address === '0.0.0.0' || a.address === '::' ? ', every network interface' : '';
    return `http://${host}:${a.port}${every}`;
}

const MODE_LINES: Record<AuthMode, string> = {
    local: 'local mode: every caller is leadership',
    accounts: 'accounts mode: people sign in with email and password',
    tokens: 'tokens from REALIZE_TOKENS_FILE',
};

/** The memory DuckDB may use, and how much it may spill to `<database>.tmp` beyond it. */
const duckdbLimits = (limits: ServerLimits) => ({ memoryLimit: `${limits.memory}B`, maxTempSize: `${limits.temp}B` });

async function serve(file: string, { port, host, tokensFile, allowedOrigins, logLevel }: ServerSettings, limits: ServerLimits): Promise<number> {
    const warehouse = await Warehouse.open(file, { connections: 4, ...duckdbLimits(limits) });
    await bringModelsUpToDate(warehouse);
    printFxMissing(await fxMissing(warehouse));
    // The app empties <database>.uploads of what a killed server left there (this process holds the lock now).
    // Calendar feeds are read every 15 minutes while the server runs; private addresses only in local mode unless allowed.
    const feeds = { schedule: true, allowPrivate: process.env.REALIZE_FEEDS_ALLOW_PRIVATE === '1' };
    const app = await buildApp({ warehouse, logger: { level: logLevel }, tokensFile, allowedOrigins, webDir: WEB_BUILD, uploadLimit: limits.upload, feeds });
    const stop = async () => {
        await app.close();
        warehouse.close();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // The banner below says where the server listens, in words: the log's own "Server listening" line is held back.
    const level = app.log.level;
    if (['info', 'debug', 'trace'].includes(level)) app.log.level = 'warn';
    const address = await app.listen({ port, host }).finally(() => {
        app.log.level = level;
    });
    const removeNote = writeServerNote(file, address);
    process.once('exit', removeNote);
    const mode = MODE_LINES[app.authMode];
    const accounts = await demoAccounts(warehouse);
    const limitsLine =
        `memory limit ${sizeText(limits.memory)}, spilling up to ${sizeText(limits.temp)} to ${path.relative(process.cwd(), `${file}.tmp`)}; ` +
        `uploads up to ${sizeText(limits.upload ?? DEFAULT_UPLOAD_LIMIT)}, written to ${path.relative(process.cwd(), app.uploadDir)} while they load`;
    for (const line of bannerLines({ url: boundUrl(app.server, address), mode, database: path.relative(process.cwd(), file) || file, limits: limitsLine, accounts })) console.log(line);
    return new Promise<number>(() => undefined);
}

/**
 * Before serving, the marts must be current: a database loaded by the CLI may not have its models yet, have
 * them from an older models/ (an upgrade), or be behind its own data (a process stopped between a write and
 * its refresh): what the writes recorded is refreshed, or everything rebuilt. A build that fails its tests keeps the previous marts: the server still starts and serves
 * them, and says why.
 */
export async function bringModelsUpToDate(warehouse: Warehouse, log: Pick<Console, 'log' | 'error'> = console): Promise<boolean> {
    const state = await modelsState(warehouse);
    if (state.current) return true;
    // Only what the recorded writes touched when the last build recorded what it read; else every model.
    const incremental = await refreshableIncrementally(warehouse);
    log.log(`${incremental ? 'refreshing the marts' : 'building the models'} (${state.reason}) …`);
    try {
        const result = await refreshMarts(warehouse);
        log.log(`${result.how === 'incremental' ? 'refreshed' : 'built'} ${result.models.length} models in ${(result.ms / 1000).toFixed(1)} s`);
        return true;
    } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        log.error(`the models did not build; serving the marts of the last build that did:\n${err.message}`);
        return false;
    }
}
