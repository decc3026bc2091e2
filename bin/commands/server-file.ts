/**
 * While a server owns the database it leaves a note beside it (`<db>.server.json`: pid and URL), so the
 * command line can hand work to it instead of failing on DuckDB's lock.
 */
import fs from 'node:fs';

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
