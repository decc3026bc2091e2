/**
 * The command line as a user runs it, from tests: `realize …` in a child process of this checkout, and a realize
 * server answering in this process that the command line hands its files to (the note it finds beside the
 * database names the server's address).
 */
import { execFile, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeServerNote } from '../../bin/commands/server-file.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const REALIZE = path.join(ROOT, 'bin/realize.ts');

export interface CliRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** `realize …args`, waited for (this process does nothing meanwhile). */
export function realize(...args: string[]): CliRun {
    const run = spawnSync(process.execPath, [REALIZE, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `realize …args` beside this process, which goes on answering (a server here that the command talks to). */
export function realizeBeside(...args: string[]): Promise<CliRun> {
    return promisify(execFile)(process.execPath, [REALIZE, ...args], { cwd: ROOT, timeout: 120_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
}

/** A realize server over `warehouse` (the file `db`) on a free port, noted beside the file; returns how to stop it. */
export async function serveHere(warehouse: Warehouse, db: string): Promise<() => Promise<void>> {
    const app = await buildApp({ warehouse });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const removeNote = writeServerNote(db, `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
    return async () => {
        removeNote();
        await app.close();
    };
}
