/**
 * While a server owns the database it leaves a note beside it (`<db>.server.json`: pid and URL), so the
 * command line can hand work to it instead of failing on DuckDB's lock.
 */
import fs from 'node:fs';
import { Warehouse, WarehouseLockedError } from '../../warehouse/warehouse.ts';

export interface ServerNote {
    pid: number;
    url: string;
}

const noteFile = (db: string) => `${db}.server.json`;

export function writeServerNote(db: string, url: string): () => void {
    fs.writeFileSync(noteFile(db), JSON.stringify({ pid: process.pid, url } satisfies ServerNote));
    return () => fs.rmSync(noteFile(db), { force: true });
}

/** The server that holds the database, if the note is there and its process is alive. */
export function runningServer(db: string): ServerNote | null {
    try {
        const note = JSON.parse(fs.readFileSync(noteFile(db), 'utf8')) as ServerNote;
        process.kill(note.pid, 0);
        return note;
    } catch {
        return null;
    }
}

/** The running server answered with an error: reported as one line, exit 1 (nothing was loaded). */
export class ServerRefusal extends Error {}

/** What the running server answered `send` with, or null when it refused: its one line said as `realize <command>: …`. */
export async function answerOrRefusal<T>(command: string, send: () => Promise<T>): Promise<T | null> {
    try {
        return await send();
    } catch (refusal) {
        if (!(refusal instanceof ServerRefusal)) throw refusal;
        console.error(`realize ${command}: ${refusal.message}`);
        return null;
    }
}

/**
 * A JSON answer of the running server to an upload; a refusal (too large, not a file it reads, another site …)
 * is its one line as a ServerRefusal, not a stack trace.
 */
export async function serverAnswer<T>(response: Response, url: string, what: string): Promise<T> {
    const text = await response.text();
    let body: (T & { title?: string; detail?: string }) | null = null;
    try {
        body = JSON.parse(text) as T & { title?: string; detail?: string };
    } catch {
        body = null;
    }
    if (!response.ok || !body) {
        const why = body?.detail ?? body?.title ?? (text.trim().slice(0, 200) || `HTTP ${response.status}`);
        throw new ServerRefusal(`the server at ${url} refused the ${what} (${response.status}): ${why}`);
    }
    return body;
}

/**
 * The database opened for a command or, when a running server holds it, that server: the command then hands
 * its work to it (said on stderr unless the output is JSON).
 */
export async function openOrServer(db: string, json: boolean): Promise<{ warehouse: Warehouse } | { server: ServerNote }> {
    try {
        return { warehouse: await Warehouse.open(db, { memoryLimit: process.env.REALIZE_MEMORY_LIMIT ?? '3GB' }) };
    } catch (err) {
        const server = err instanceof WarehouseLockedError ? runningServer(db) : null;
        if (!server) throw err;
        if (!json) console.error(`the realize server (pid ${server.pid}) holds ${db}; sending the files to ${server.url}`);
        return { server };
    }
}
