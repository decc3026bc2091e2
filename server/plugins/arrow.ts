/**
 * Large tables also answer as Apache Arrow IPC streams when the client asks for them
 * (Accept: application/vnd.apache.arrow.stream); the browser decodes them with apache-arrow.
 */
import { Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

export function wantsArrow(request: FastifyRequest): boolean {
    return (request.headers.accept ?? '').includes(ARROW_STREAM);
}

/**
 * Sends rows as an Arrow stream; column order follows the first row. Each column's type is inferred from
 * its values; a column with no value at all is text, so no column goes missing.
 */
export function sendArrow(reply: FastifyReply, rows: Record<string, unknown>[], meta: Record<string, string> = {}): FastifyReply {
    const names = rows.length > 0 ? Object.keys(rows[0]!) : [];
    const columns: Record<string, Vector> = {};
    for (const name of names) {
        const values = rows.map((r) => r[name] ?? null);
        columns[name] = values.every((v) => v === null) ? vectorFromArray(values, new Utf8()) : vectorFromArray(values);
    }
    const table = new Table(columns);
    for (const [k, v] of Object.entries(meta)) reply.header(`x-realize-${k}`, v);
    return reply.type(ARROW_STREAM).send(Buffer.from(tableToIPC(table, 'stream')));
}
