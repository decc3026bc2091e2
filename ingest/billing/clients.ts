/**
 * An invoicing tool's client list → clients as the file states them: a name and, where the list has the column,
 * a currency. Each tool's module gives its layout (which columns name the client the way its invoices do, which
 * holds the currency, which rows are not clients); resolve.ts finds each one by name or creates it.
 *
 *   name       the layout's name cell, trimmed; a row without one is rejected.
 *   currency   a 3-letter ISO code (upper-cased); another value is rejected naming it; empty is no currency
 *              (a new client then takes the firm's reporting currency, an existing one keeps its own).
 *   repeated   the same name again (case-insensitive, as clients are resolved) is skipped naming the line that
 *              holds it; with another currency it is rejected: the list contradicts itself.
 */
import { shown, type BillingReject, type SourceClient, type ToolRead } from './documents.ts';
import type { ToolExport } from './exports.ts';
import { readExport, type ExportKind, type ExportRecord } from './read.ts';

/** Its title ("FreshBooks clients") and header (the columns that tell the file), and: */
export interface ClientListLayout extends ExportKind {
    /** The client's name from a record, as the tool's invoices name it. */
    name: (cell: (...columns: string[]) => string) => string;
    /** The currency column, when the list has one. */
    currency: string | null;
    /** Why a record is not a client (a vendor), or null. */
    skip?: (cell: (...columns: string[]) => string) => string | null;
}

const norm = (s: string) => s.trim().toLowerCase();

/** A tool's client list as one of its exports. */
export function clientListExport(layout: ClientListLayout): ToolExport {
    return { kind: layout, read: (file, name) => readClientList(file, name, layout) };
}

export function readClientList(file: string, name: string, layout: ClientListLayout): ToolRead {
    const f = readExport(file, name, layout);
    const clients: SourceClient[] = [];
    const rejects: BillingReject[] = [];
    const skipped: BillingReject[] = [];
    const seen = new Map<string, SourceClient>();
    for (const r of f.records) {
        const cell = cellOf(r, f.col);
        const clientName = layout.name(cell).trim();
        const given = layout.currency ? cell(layout.currency).toUpperCase() : '';
        const value = shown(clientName, given);
        const why = layout.skip?.(cell) ?? null;
        if (why) {
            skipped.push({ file: f.name, line: r.line, reason: why, value });
            continue;
        }
        if (clientName === '') {
            rejects.push({ file: f.name, line: r.line, reason: 'no client name', value });
            continue;
        }
        if (given !== '' && !/^[A-Z]{3}$/.test(given)) {
            rejects.push({ file: f.name, line: r.line, reason: `currency "${given}" is not a 3-letter ISO code`, value });
            continue;
        }
        const client: SourceClient = { file: f.name, line: r.line, name: clientName, currency: given || null };
        const earlier = seen.get(norm(clientName));
        if (earlier) {
            if (client.currency !== null && earlier.currency !== null && client.currency !== earlier.currency) {
                rejects.push({ file: f.name, line: r.line, reason: `client "${clientName}" again with currency ${client.currency}; line ${earlier.line} gives ${earlier.currency}`, value });
            } else {
                skipped.push({ file: f.name, line: r.line, reason: `client "${clientName}" again (line ${earlier.line})`, value });
                earlier.currency ??= client.currency;
            }
            continue;
        }
        seen.set(norm(clientName), client);
        clients.push(client);
    }
    return { lines: [], payments: [], clients, rejects, skipped, rows: f.records.length, kind: 'clients' };
}

/** A record's cell by the first of the column names the header holds, trimmed ('' when none). */
function cellOf(r: ExportRecord, col: (...names: string[]) => number): (...columns: string[]) => string {
    return (...columns) => {
        const i = col(...columns);
        return i >= 0 ? (r.cells[i] ?? '').trim() : '';
    };
}
