/**
 * The grouped invoices, and the clients of client lists, resolved against the warehouse: each invoice gets its
 * client and each line its project, made when unknown, so that an invoice becomes the canonical invoice and
 * lines it would load as.
 *
 *   clients    by name (case-insensitive; the lowest client_id when several share it), else created (id: a
 *              slug of the name and 6 hex digits of its md5) with the invoice's currency; `create: false`
 *              (--no-create) rejects the rows of an unknown client, naming it.
 *   lists      a client list's clients are resolved first, the same way, so the invoices of the same import
 *              find them: an unknown one is created with the list's currency (else the firm's reporting
 *              currency); a known one whose currency the list gives otherwise is updated to it (the client's
 *              currency is what its invoices default to; no invoice changes); else it is unchanged.
 *   projects   an invoice line needs one: the project the export names, by name within the client; else the
 *              client's "<Client> — billing history" project. Unknown ones are created (time_and_materials,
 *              project_type imported, closed, from the client's first to its last imported invoice date)
 *              or, with --no-create, their rows rejected.
 *   amounts    a line's amount is its net amount (after its discount, before tax): billed value is compared
 *              with standard value, which carries no tax. Lines below zero are adjustments. Taxes are left out.
 *   currency   the file's currency column, else the existing client's currency, else the firm's reporting
 *              currency (USD when the firm has none).
 *   due date   one before the invoice date cannot be true: the invoice loads without it, and a note says so.
 */
import crypto from 'node:crypto';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { DATE_RANGE } from '../entities.ts';
import type { BillingReject, SourceClient } from './documents.ts';
import type { GroupedInvoices } from './group.ts';
import { centsText } from './read.ts';

/** An invoice's own columns, as canonical.invoices holds them. */
export interface InvoiceHead {
    invoice_id: string;
    number: string;
    client_id: string;
    issue_date: string;
    due_date: string | null;
    currency: string;
    status: string;
}

export interface Invoice extends InvoiceHead {
    lines: { line_no: number; project_id: string; kind: string; hours: number | null; rate: string | null; amount_cents: number }[];
}

export interface BillingCreated {
    kind: 'client' | 'project';
    id: string;
    name: string;
    client: string | null;
}

/** The invoices that resolved, and the clients and projects made for them. */
export interface Resolved {
    invoices: Invoice[];
    created: BillingCreated[];
    newClients: { client_id: string; name: string; currency: string }[];
    /** Client-list clients: kept even when no invoice of this import is theirs. */
    listed: Set<string>;
    /** Known clients whose currency a client list changes, with the currency they had. */
    updatedClients: { client_id: string; name: string; currency: string; before: string }[];
    /** Client-list rows that found their client as it is. */
    unchangedClients: number;
    newProjects: Map<string, { project_id: string; client_id: string; name: string; first: string; last: string }>;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The id of a created client or project, as ingest/import/resolve.ts makes them. */
export function slugId(name: string, key: string): string {
    const slug = name
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 40)
        .replace(/^-+|-+$/g, '');
    return `${slug}-${crypto.createHash('md5').update(key).digest('hex').slice(0, 6)}`;
}

export function billingHistoryName(client: string): string {
    return `${client} — billing history`;
}

/**
 * Resolves client lists, then invoices' clients and projects, against the warehouse; a client or an invoice that
 * cannot resolve has its rows pushed to `rejects`, a due date dropped is pushed to `notes`.
 */
export async function resolveInvoices(
    warehouse: Warehouse,
    byInvoice: GroupedInvoices,
    clientLists: readonly SourceClient[],
    create: boolean,
    rejects: BillingReject[],
    notes: BillingReject[],
): Promise<Resolved> {
    const firm = await warehouse.one<{ currency: string | null }>(`select max(value) as currency from canonical.settings where key = 'reporting_currency'`);
    const firmCurrency = firm?.currency ?? 'USD';
    const knownClients = await warehouse.all<{ client_id: string; name: string; currency: string }>(`select client_id, name, currency from canonical.clients order by client_id`);
    const knownProjects = await warehouse.all<{ project_id: string; client_id: string | null; name: string }>(`select project_id, client_id, name from canonical.projects order by project_id`);
    const clientByName = new Map<string, { client_id: string; name: string; currency: string; new: boolean }>();
    for (const c of knownClients) if (!clientByName.has(norm(c.name))) clientByName.set(norm(c.name), { ...c, new: false });
    const projectByKey = new Map<string, { project_id: string; new: boolean }>();
    for (const p of knownProjects) {
        const key = `${p.client_id ?? ''}/${norm(p.name)}`;
        if (!projectByKey.has(key)) projectByKey.set(key, { project_id: p.project_id, new: false });
    }
    const created: BillingCreated[] = [];
    const newClients: Resolved['newClients'] = [];
    const newProjects: Resolved['newProjects'] = new Map();
    const clientOf = (clientName: string, currency: string | null) => {
        const found = clientByName.get(norm(clientName));
        if (found) return found;
        if (!create) return null;
        const c = { client_id: slugId(clientName, norm(clientName)), name: clientName.trim(), currency: currency ?? firmCurrency, new: true };
        clientByName.set(norm(clientName), c);
        newClients.push(c);
        created.push({ kind: 'client', id: c.client_id, name: c.name, client: null });
        return c;
    };

    const listed = new Set<string>();
    const updatedClients: Resolved['updatedClients'] = [];
    let unchangedClients = 0;
    for (const l of clientLists) {
        const known = clientByName.get(norm(l.name));
        const client = clientOf(l.name, l.currency);
        if (!client) {
            rejects.push({ file: l.file, line: l.line, reason: `client "${l.name}" is not in the warehouse (not created: --no-create)`, value: `"${l.name}"` });
            continue;
        }
        listed.add(client.client_id);
        if (!known || l.currency === null || l.currency === client.currency) {
            if (known && !known.new) unchangedClients++;
            continue;
        }
        // Another list of this import, or a known client: the later list's currency is the client's.
        if (!known.new) {
            const had = updatedClients.find((u) => u.client_id === known.client_id);
            if (had) had.currency = l.currency;
            else updatedClients.push({ client_id: known.client_id, name: known.name, currency: l.currency, before: known.currency });
        } else {
            const made = newClients.find((c) => c.client_id === known.client_id)!;
            made.currency = l.currency;
        }
        known.currency = l.currency;
    }
    // Lists that change a client's currency and change it back leave it as it was.
    for (const u of [...updatedClients]) {
        if (u.currency !== u.before) continue;
        updatedClients.splice(updatedClients.indexOf(u), 1);
        unchangedClients++;
    }

    const invoices: Invoice[] = [];
    for (const [invoice_id, inv] of byInvoice) {
        if (inv.lines.length === 0) continue;
        const head = inv.lines[0]!;
        const refuse = (reason: string, value: string | null) => {
            for (const l of inv.lines) rejects.push({ file: l.file, line: l.line, reason, value });
        };
        if (head.issue_date < DATE_RANGE.from || head.issue_date > DATE_RANGE.to) {
            refuse(`invoice date ${head.issue_date} is outside ${DATE_RANGE.from}…${DATE_RANGE.to}`, `"${head.issue_date}"`);
            continue;
        }
        if (head.currency !== null && !/^[A-Z]{3}$/.test(head.currency)) {
            refuse(`currency "${head.currency}" is not a 3-letter ISO code`, `"${head.currency}"`);
            continue;
        }
        let due = head.due_date;
        if (due !== null && due < head.issue_date) {
            notes.push({ file: head.file, line: head.line, reason: `invoice ${head.number}'s due date ${due} is before its invoice date ${head.issue_date}: imported without a due date`, value: `"${due}"` });
            due = null;
        }
        const client = clientOf(head.client, head.currency);
        if (!client) {
            for (const l of inv.lines) rejects.push({ file: l.file, line: l.line, reason: `client "${head.client}" is not in the warehouse (not created: --no-create)`, value: `"${head.client}"` });
            continue;
        }
        const lines: Invoice['lines'] = [];
        let refused = false;
        for (const l of inv.lines) {
            const projectName = l.project ?? billingHistoryName(client.name);
            const key = `${client.client_id}/${norm(projectName)}`;
            let project = projectByKey.get(key);
            if (!project && create) {
                project = { project_id: slugId(projectName, key), new: true };
                projectByKey.set(key, project);
                newProjects.set(key, { project_id: project.project_id, client_id: client.client_id, name: projectName, first: l.issue_date, last: l.issue_date });
                created.push({ kind: 'project', id: project.project_id, name: projectName, client: client.name });
            }
            if (!project) {
                refused = true;
                rejects.push({ file: l.file, line: l.line, reason: `project "${projectName}" of client "${client.name}" is not in the warehouse (not created: --no-create)`, value: `"${projectName}"` });
                continue;
            }
            const np = newProjects.get(key);
            if (np) {
                if (l.issue_date < np.first) np.first = l.issue_date;
                if (l.issue_date > np.last) np.last = l.issue_date;
            }
            lines.push({
                line_no: lines.length + 1,
                project_id: project.project_id,
                kind: l.kind,
                // The warehouse keeps hours to 4 decimals: so does the comparison with it.
                hours: l.hours === null ? null : Math.round(l.hours * 10_000) / 10_000,
                rate: l.rate_cents === null ? null : centsText(l.rate_cents),
                amount_cents: l.amount_cents,
            });
        }
        // An invoice is loaded whole or not at all: a line without its project would change its total.
        if (refused) {
            for (const l of inv.lines) {
                if (!rejects.some((r) => r.file === l.file && r.line === l.line)) rejects.push({ file: l.file, line: l.line, reason: `invoice ${head.number} has a line that could not be imported`, value: null });
            }
            continue;
        }
        invoices.push({
            invoice_id,
            number: head.number,
            client_id: client.client_id,
            issue_date: head.issue_date,
            due_date: due,
            currency: head.currency ?? client.currency,
            status: head.status,
            lines,
        });
    }
    return { invoices, created, newClients, newProjects, listed, updatedClients, unchangedClients };
}
