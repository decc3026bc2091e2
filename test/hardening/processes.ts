/**
 * The real `realize` command as the fault tests run it: spawned with a clean environment (loopback, no
 * inherited database, tokens or port), its output kept, its exit awaited; `realize serve` started on a free
 * port until /api/health answers, and stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const CLI = path.join(ROOT, 'bin/realize.ts');

export interface Run {
    child: ChildProcess;
    output: () => string;
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The CLI runs one test file starts, each with a clean environment and the file's own variables (`env`,
 * read at each spawn); `killAll`, in the file's afterAll, kills those still running.
 */
export class RealizeRuns {
    readonly #running = new Set<ChildProcess>();
    readonly #env: () => Record<string, string>;

    constructor(env: () => Record<string, string> = () => ({})) {
        this.#env = env;
    }

    /** Spawns the CLI with `args`. */
    spawn(args: string[]): Run {
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REALIZE_') && k !== 'HOST' && k !== 'PORT'));
        const child = spawn(NODE, [CLI, ...args], { cwd: ROOT, env: { ...clean, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...this.#env() }, stdio: ['ignore', 'pipe', 'pipe'] });
        this.#running.add(child);
        let output = '';
        child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
        const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
            child.once('exit', (code, signal) => {
                this.#running.delete(child);
                resolve({ code, signal });
            }),
        );
        return { child, output: () => output, exit };
    }

    /** Runs the CLI to its end and returns its output; a run that fails throws with its exit and output. */
    async completes(args: string[]): Promise<string> {
        const run = this.spawn(args);
        const { code, signal } = await run.exit;
        if (code !== 0) throw new Error(`realize ${args.join(' ')} exited with ${String(code ?? signal)}:\n${run.output()}`);
        return run.output();
    }

    /** Kills every run still going. */
    killAll(): void {
        for (const child of this.#running) child.kill('SIGKILL');
    }
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Starts `realize serve` on the database and waits until /api/health answers 200 (asked with `headers`). */
export async function serveRealize(db: string, cli: RealizeRuns, headers: Record<string, string> = {}): Promise<{ run: Run; url: string }> {
    const port = await freePort();
    const run = cli.spawn(['serve', '--db', db, '--port', String(port)]);
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
        if (run.child.exitCode !== null || run.child.signalCode !== null) throw new Error(`realize serve exited (${run.child.exitCode ?? run.child.signalCode}) on start:\n${run.output()}`);
        if (Date.now() > deadline) throw new Error(`realize serve did not answer within 120 s:\n${run.output()}`);
        try {
            if ((await fetch(`${url}/api/health`, { headers })).status === 200) return { run, url };
        } catch {
            // not listening yet
        }
        await sleep(100);
    }
}

/** Stops a server with SIGTERM; one that has not exited after 20 s is killed and the test fails. */
export async function stopRealize(run: Run): Promise<void> {
    run.child.kill('SIGTERM');
    const timeout = sleep(20_000).then(() => 'timeout' as const);
    if ((await Promise.race([run.exit, timeout])) === 'timeout') {
        run.child.kill('SIGKILL');
        throw new Error(`realize serve did not stop on SIGTERM:\n${run.output()}`);
    }
}
