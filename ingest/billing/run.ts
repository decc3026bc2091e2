/**
 * A billing-history import: invoicing tools' CSV exports → canonical clients, projects, invoices, invoice_lines
 * and payments, loaded through canonical ingest (ingest/canonical.ts) like an upload, so the load is one
 * batch per entity, all or nothing, audited, and marks the models it changes for the next build.
 *
 * Why a path beside ingest/import/ rather than through it: that pipeline stages time entries (people,
 * durations, date-order votes, the entries' freeze rules) and every step of it is shaped by them. Billing
 * documents share only the file reading and the client resolution, so they take this small parallel path:
 * a tool module (invoiceninja.ts, freshbooks.ts, zoho.ts, wave.ts) reads its export into invoice lines and payments as the
 * file states them; this module groups, resolves and compares them, and hands canonical files to ingest.
 *
 * Decisions (every tool):
 *   identity   invoice_id `<tool>-<the tool's invoice number>`; lines numbered 1… in the file's order
 *              (a discount line last); payment_id `<tool>-<number>-<k>`, the k-th payment row of that
 *              invoice in the file. Importing the same export again changes nothing.
 *   repeated   an exact repeat of a row within one invoice, when the invoice's own total (a column such as
 *              Invoice Ninja's Amount) counts it once, is a duplicate, reported with its line; identical rows
 *              the total does count are two lines. The same invoice in two files of one import: the later
 *              file's rows are the invoice, the earlier ones duplicates.
 *   clients    by name (case-insensitive; the lowest client_id when several share it), else created (id: a
 *              slug of the name and 6 hex digits of its md5) with the invoice's currency; `create: false`
 *              (--no-create) rejects the rows of an unknown client, naming it.
 *   projects   an invoice line needs one: the project the export names, by name within the client; else the
 *              client's "<Client> — billing history" project. Unknown ones are created (time_and_materials,
 *              project_type imported, closed, from the client's first to its last imported invoice date)
 *              or, with --no-create, their rows rejected.
 *   amounts    a line's amount is its net amount (after its discount, before tax): billed value is compared
 *              with standard value, which carries no tax. Lines below zero are adjustments. Taxes are left out.
 *   currency   the file's currency column, else the existing client's currency, else the firm's reporting
 *              currency (USD when the firm has none).
 *   payments   linked by invoice number to an invoice of this import or already in the warehouse (same
 *              tool); a payment of an unknown invoice is rejected naming it.
 *   refused    an invoice already in the warehouse for another client (another account's number), or with
 *              more lines there than the export gives (a load never removes a line), is rejected with its
 *              payments; clients and projects are created only for the invoices that load.
 *   due date   one before the invoice date cannot be true: the invoice loads without it, and a note says so.
 * Every row is imported, a duplicate, or rejected with its file, line, value and reason.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliActor, recordAudit, recordUpload, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ingestFiles, type IngestReport } from '../canonical.ts';
import { DATE_RANGE } from '../entities.ts';
import { UsageError, type InputFile } from '../files.ts';
import type { BillingReject, SourceLine, SourcePayment, ToolRead } from './documents.ts';
import { isFreshBooks, readFreshBooks } from './freshbooks.ts';
import { isInvoiceNinja, readInvoiceNinja } from './invoiceninja.ts';
import { isWave, readWave } from './wave.ts';
import { isZoho, readZoho } from './zoho.ts';
import { centsText } from './read.ts';

export const BILLING_TOOLS = ['invoiceninja', 'freshbooks', 'zoho', 'wave'] as const;
export type BillingTool = (typeof BILLING_TOOLS)[number];

export function isBillingTool(name: string): name is BillingTool {
    return (BILLING_TOOLS as readonly string[]).includes(name);
}

const READERS: Record<BillingTool, { matches: (file: string) => boolean; read: (file: string, name: string) => ToolRead }> = {
    invoiceninja: { matches: isInvoiceNinja, read: readInvoiceNinja },
    freshbooks: { matches: isFreshBooks, read: readFreshBooks },
    zoho: { matches: isZoho, read: readZoho },
    wave: { matches: isWave, read: readWave },
};

/** The billing tool whose export this file is, or null. */
export function detectBillingTool(file: string): BillingTool | null {
    return BILLING_TOOLS.find((t) => READERS[t].matches(file)) ?? null;
}

export interface BillingImportOptions {
    tool: BillingTool | 'auto';
    dryRun?: boolean;
    /** Create unknown clients and projects (default); false rejects their rows. */
    create?: boolean;
    who?: AuditWho;
    /** The name each file goes by in the report, by path. */
    names?: Readonly<Record<string, string>>;
}

export interface Counts {
    created: number;
    updated: number;
    unchanged: number;
}

export interface BillingCreated {
    kind: 'client' | 'project';
    id: string;
    name: string;
    client: string | null;
}

export interface BillingReport {
    ok: boolean;
    status: 'imported' | 'unchanged' | 'dry_run' | 'rejected';
    dry_run: boolean;
    files: { file: string; tool: BillingTool; kind: ToolRead['kind']; rows: number; rejected: number; duplicates: number; skipped: number }[];
    rows_read: number;
    invoices: Counts;
    payments: Counts;
    lines: number;
    /** Σ line amounts of the import's invoices and Σ of its payments, per currency, as decimal text. */
    invoiced: Record<string, string>;
    paid: Record<string, string>;
    duplicates: BillingReject[];
    /** Rows imported with a change, and why. */
    notes: BillingReject[];
    /** Rows that restate a document rather than being one (a ledger's other side), and why. */
    skipped: BillingReject[];
    rejected: number;
    rejects: BillingReject[];
    created_entities: BillingCreated[];
    ingest: IngestReport | null;
    duration_ms: number;
}

interface Invoice {
    invoice_id: string;
    number: string;
    client_id: string;
    issue_date: string;
    due_date: string | null;
    currency: string;
    status: string;
    lines: { line_no: number; project_id: string; kind: string; hours: number | null; rate: string | null; amount_cents: number }[];
}

interface Payment {
    payment_id: string;
    invoice_id: string;
    paid_date: string;
    amount_cents: number;
    currency: string;
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

export async function importBilling(warehouse: Warehouse, paths: readonly string[], options: BillingImportOptions): Promise<BillingReport> {
    if (paths.length === 0) throw new UsageError('no files given: pass the invoicing tool export files to import');
    const started = Date.now();
    const name = (p: string) => options.names?.[p] ?? p;
    const create = options.create !== false;

    // 1. Read every file with its tool's module.
    const reads: { tool: BillingTool; read: ToolRead; file: string }[] = [];
    for (const p of paths) {
        if (!fs.existsSync(p)) throw new UsageError(`${name(p)}: no such file`);
        const tool = options.tool === 'auto' ? detectBillingTool(p) : options.tool;
        if (!tool) throw new UsageError(`${name(p)}: which invoicing tool wrote this file cannot be told from its columns; name it (${BILLING_TOOLS.join(', ')})`);
        reads.push({ tool, read: READERS[tool].read(p, name(p)), file: name(p) });
    }
    const rejects: BillingReject[] = reads.flatMap((r) => r.read.rejects);
    const duplicates: BillingReject[] = [];
    /** Rows imported with a change, and why (a due date before the invoice date is left empty). */
    const notes: BillingReject[] = reads.flatMap((r) => r.read.notes ?? []);

    // 2. Group lines into invoices; the later file's rows of an invoice win; repeated rows the total counts once.
    const byInvoice = new Map<string, { tool: BillingTool; lines: SourceLine[] }>();
    for (const { tool, read } of reads) {
        for (const l of read.lines) {
            const id = `${tool}-${l.number}`;
            const had = byInvoice.get(id);
            if (had && had.lines[0]!.file !== l.file) {
                for (const old of had.lines) duplicates.push({ file: old.file, line: old.line, reason: `invoice ${l.number} again in ${l.file}, which is the one imported`, value: null });
                had.lines = [];
            }
            if (!had) byInvoice.set(id, { tool, lines: [l] });
            else had.lines.push(l);
        }
    }
    for (const inv of byInvoice.values()) {
        const total = inv.lines.find((l) => l.invoice_total_cents !== null)?.invoice_total_cents ?? null;
        const sum = inv.lines.reduce((s, l) => s + l.amount_cents, 0);
        if (total === null || sum === total) continue;
        const seen = new Set<string>();
        const kept = inv.lines.filter((l) => (seen.has(l.text) ? false : (seen.add(l.text), true)));
        if (kept.length < inv.lines.length && kept.reduce((s, l) => s + l.amount_cents, 0) === total) {
            for (const l of inv.lines) {
                if (!kept.includes(l)) duplicates.push({ file: l.file, line: l.line, reason: `the same row again: invoice ${l.number}'s total (${centsText(total)}) counts it once`, value: null });
            }
            inv.lines = kept;
        }
    }

    // 3. Resolve clients and projects against the warehouse.
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
    const newClients: { client_id: string; name: string; currency: string }[] = [];
    const newProjects = new Map<string, { project_id: string; client_id: string; name: string; first: string; last: string }>();
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

    // An invoice number already in the warehouse for another client is another account's invoice, not this one.
    // An invoice there with more lines than the export gives is refused too: a load replaces rows and adds
    // them, it never removes one, so the extra lines would stay and the invoice would not be the export's.
    const owners = new Map(
        (await warehouse.all<{ invoice_id: string; client_id: string; name: string | null; line_count: number }>(
            `select i.invoice_id, i.client_id, c.name, (select count(*) from canonical.invoice_lines l where l.invoice_id = i.invoice_id)::integer as line_count
            from canonical.invoices i left join canonical.clients c using (client_id)
            where i.invoice_id in (select unnest(from_json($1, '["varchar"]')))`,
            [JSON.stringify(invoices.map((i) => i.invoice_id))],
        )).map((r) => [r.invoice_id, r]),
    );
    const refusals = new Map<string, string>();
    for (const inv of [...invoices]) {
        const owner = owners.get(inv.invoice_id);
        if (!owner) continue;
        const reason =
            owner.client_id !== inv.client_id
                ? `invoice ${inv.number} is already in the warehouse for client "${owner.name ?? owner.client_id}"`
                : owner.line_count > inv.lines.length
                  ? `invoice ${inv.number} has ${owner.line_count} lines in the warehouse and ${inv.lines.length} in this export: an import does not remove lines`
                  : null;
        if (!reason) continue;
        refusals.set(inv.invoice_id, reason);
        invoices.splice(invoices.indexOf(inv), 1);
        for (const l of byInvoice.get(inv.invoice_id)!.lines) rejects.push({ file: l.file, line: l.line, reason, value: `"${l.client}"` });
        byInvoice.get(inv.invoice_id)!.lines = [];
    }

    // Clients and projects are created only for the invoices that load.
    const usedClients = new Set(invoices.map((i) => i.client_id));
    const usedProjects = new Set(invoices.flatMap((i) => i.lines.map((l) => l.project_id)));
    for (const c of [...newClients]) if (!usedClients.has(c.client_id)) newClients.splice(newClients.indexOf(c), 1);
    for (const [key, p] of [...newProjects]) if (!usedProjects.has(p.project_id)) newProjects.delete(key);
    for (const e of [...created]) {
        if (!(e.kind === 'client' ? usedClients : usedProjects).has(e.id)) created.splice(created.indexOf(e), 1);
    }

    // 4. Payments, linked by invoice number.
    const imported = new Map(invoices.map((i) => [i.invoice_id, i]));
    const paymentIds = [...new Set(reads.flatMap((r) => r.read.payments.map((p) => `${r.tool}-${p.number}`)))];
    const existingInvoices = new Map(
        (paymentIds.length === 0
            ? []
            : await warehouse.all<{ invoice_id: string; currency: string }>(`select invoice_id, currency from canonical.invoices where invoice_id in (select unnest(from_json($1, '["varchar"]')))`, [JSON.stringify(paymentIds)])
        ).map((r) => [r.invoice_id, r.currency]),
    );
    const payments: Payment[] = [];
    const ordinal = new Map<string, number>();
    for (const { tool, read } of reads) {
        for (const p of read.payments as SourcePayment[]) {
            const invoice_id = `${tool}-${p.number}`;
            const refused = refusals.get(invoice_id);
            const currency = refused ? undefined : (imported.get(invoice_id)?.currency ?? existingInvoices.get(invoice_id));
            if (p.paid_date < DATE_RANGE.from || p.paid_date > DATE_RANGE.to) {
                rejects.push({ file: p.file, line: p.line, reason: `date ${p.paid_date} is outside ${DATE_RANGE.from}…${DATE_RANGE.to}`, value: `"${p.paid_date}"` });
                continue;
            }
            if (!currency) {
                const why = refused ? `its invoice is refused: ${refused}` : `invoice ${p.number} is not in this import or the warehouse`;
                rejects.push({ file: p.file, line: p.line, reason: why, value: `"${p.number}", "${centsText(p.amount_cents)}"` });
                continue;
            }
            const k = (ordinal.get(invoice_id) ?? 0) + 1;
            ordinal.set(invoice_id, k);
            payments.push({ payment_id: `${invoice_id}-${k}`, invoice_id, paid_date: p.paid_date, amount_cents: p.amount_cents, currency });
        }
    }
    for (const inv of invoices) {
        const paidOn = byInvoice.get(inv.invoice_id)!.lines[0]!.paid_date;
        const total = inv.lines.reduce((s, l) => s + l.amount_cents, 0);
        if (paidOn && total >= 0) payments.push({ payment_id: `${inv.invoice_id}-paid`, invoice_id: inv.invoice_id, paid_date: paidOn, amount_cents: total, currency: inv.currency });
    }

    // 5. What loading would do: created, updated, unchanged (an invoice with its lines is one document).
    const ids = invoices.map((i) => i.invoice_id);
    const oldInvoices = new Map(
        (await warehouse.all<Record<string, string | null>>(
            `select invoice_id, number, client_id, issue_date::varchar as issue_date, due_date::varchar as due_date, currency, status
            from canonical.invoices where invoice_id in (select unnest(from_json($1, '["varchar"]')))`,
            [JSON.stringify(ids)],
        )).map((r) => [r.invoice_id!, r]),
    );
    const oldLines = await warehouse.all<{ invoice_id: string; text: string }>(
        `select invoice_id, string_agg(concat_ws('|', line_no, project_id, kind, coalesce(rtrim(rtrim(hours::varchar, '0'), '.'), ''), coalesce(rate::varchar, ''), amount::varchar), ';' order by line_no) as text
        from canonical.invoice_lines where invoice_id in (select unnest(from_json($1, '["varchar"]'))) group by invoice_id`,
        [JSON.stringify(ids)],
    );
    const oldLineText = new Map(oldLines.map((r) => [r.invoice_id, r.text]));
    const changedInvoices: Invoice[] = [];
    const invoiceCounts: Counts = { created: 0, updated: 0, unchanged: 0 };
    for (const inv of invoices) {
        const old = oldInvoices.get(inv.invoice_id);
        if (!old) {
            invoiceCounts.created++;
            changedInvoices.push(inv);
            continue;
        }
        const same =
            old.number === inv.number &&
            old.client_id === inv.client_id &&
            old.issue_date === inv.issue_date &&
            old.due_date === inv.due_date &&
            old.currency === inv.currency &&
            old.status === inv.status &&
            oldLineText.get(inv.invoice_id) ===
                inv.lines.map((l) => [l.line_no, l.project_id, l.kind, l.hours === null ? '' : String(l.hours), l.rate ?? '', centsText(l.amount_cents)].join('|')).join(';');
        if (same) invoiceCounts.unchanged++;
        else {
            invoiceCounts.updated++;
            changedInvoices.push(inv);
        }
    }
    const oldPayments = new Map(
        (await warehouse.all<{ payment_id: string; text: string }>(
            `select payment_id, concat_ws('|', invoice_id, paid_date::varchar, amount::varchar) as text from canonical.payments where payment_id in (select unnest(from_json($1, '["varchar"]')))`,
            [JSON.stringify(payments.map((p) => p.payment_id))],
        )).map((r) => [r.payment_id, r.text]),
    );
    const paymentCounts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const changedPayments = payments.filter((p) => {
        const old = oldPayments.get(p.payment_id);
        if (old === undefined) paymentCounts.created++;
        else if (old === [p.invoice_id, p.paid_date, centsText(p.amount_cents)].join('|')) paymentCounts.unchanged++;
        else paymentCounts.updated++;
        return old !== [p.invoice_id, p.paid_date, centsText(p.amount_cents)].join('|');
    });

    const sumBy = (items: { currency: string; cents: number }[]) => {
        const out: Record<string, number> = {};
        for (const i of items) out[i.currency] = (out[i.currency] ?? 0) + i.cents;
        return Object.fromEntries(Object.entries(out).map(([c, v]) => [c, centsText(v)]));
    };
    const perFile = (file: string, list: BillingReject[]) => list.filter((r) => r.file === file).length;
    const changed = changedInvoices.length + changedPayments.length + newClients.length + newProjects.size > 0;
    const report: BillingReport = {
        ok: true,
        status: options.dryRun ? 'dry_run' : changed ? 'imported' : 'unchanged',
        dry_run: options.dryRun ?? false,
        files: reads.map((r) => ({ file: r.file, tool: r.tool, kind: r.read.kind, rows: r.read.rows, rejected: perFile(r.file, rejects), duplicates: perFile(r.file, duplicates), skipped: r.read.skipped?.length ?? 0 })),
        rows_read: reads.reduce((n, r) => n + r.read.rows, 0),
        invoices: invoiceCounts,
        payments: paymentCounts,
        lines: invoices.reduce((n, i) => n + i.lines.length, 0),
        invoiced: sumBy(invoices.flatMap((i) => i.lines.map((l) => ({ currency: i.currency, cents: l.amount_cents })))),
        paid: sumBy(payments.map((p) => ({ currency: p.currency, cents: p.amount_cents }))),
        duplicates,
        notes,
        skipped: reads.flatMap((r) => r.read.skipped ?? []),
        rejected: rejects.length,
        rejects: rejects.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : 0)),
        created_entities: created,
        ingest: null,
        duration_ms: 0,
    };
    if (options.dryRun || !changed) {
        report.duration_ms = Date.now() - started;
        return report;
    }

    // 6. Canonical files of what changes, loaded as one all-or-nothing ingest.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-billing-'));
    try {
        const files: InputFile[] = [];
        const write = (entity: InputFile['entity'], header: string[], rows: (string | number | null)[][]) => {
            if (rows.length === 0) return;
            const file = path.join(scratch, `${entity}.csv`);
            fs.writeFileSync(file, [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');
            files.push({ path: file, entity, format: 'csv' });
        };
        write('clients', ['client_id', 'name', 'currency'], newClients.map((c) => [c.client_id, c.name, c.currency]));
        write(
            'projects',
            ['project_id', 'client_id', 'code', 'name', 'billing_model', 'project_type', 'manager_id', 'start_date', 'end_date', 'status', 'budget_hours', 'contract_value'],
            [...newProjects.values()].map((p) => [p.project_id, p.client_id, null, p.name, 'time_and_materials', 'imported', null, p.first, p.last, 'closed', null, null]),
        );
        write(
            'invoices',
            ['invoice_id', 'number', 'client_id', 'issue_date', 'due_date', 'currency', 'status'],
            changedInvoices.map((i) => [i.invoice_id, i.number, i.client_id, i.issue_date, i.due_date, i.currency, i.status]),
        );
        write(
            'invoice_lines',
            ['invoice_id', 'line_no', 'project_id', 'kind', 'hours', 'rate', 'amount', 'period_start', 'period_end', 'milestone_id'],
            changedInvoices.flatMap((i) => i.lines.map((l) => [i.invoice_id, l.line_no, l.project_id, l.kind, l.hours, l.rate, centsText(l.amount_cents), null, null, null])),
        );
        write('payments', ['payment_id', 'invoice_id', 'paid_date', 'amount'], changedPayments.map((p) => [p.payment_id, p.invoice_id, p.paid_date, centsText(p.amount_cents)]));
        const tool = reads.every((r) => r.tool === reads[0]!.tool) ? reads[0]!.tool : 'billing';
        const who = options.who ?? cliActor();
        report.ingest = await ingestFiles(warehouse, files, {
            actor: who.actor,
            names: Object.fromEntries(files.map((f) => [f.path, `${tool} import: ${f.entity}`])),
            beforeCommit: async (loaded) => {
                const run = await warehouse.one<{ id: number }>(`select nextval('import.run_seq')::integer as id`);
                const imported = invoiceCounts.created + invoiceCounts.updated + paymentCounts.created + paymentCounts.updated;
                await warehouse.run(`insert into import.runs values ($1, $2, $3, $4::timestamptz, now(), $5, $6, $7, $8, $9, 0, $10)`, [
                    run!.id,
                    tool,
                    report.files.map((f) => f.file).join(', '),
                    new Date(started).toISOString(),
                    who.actor,
                    report.rows_read,
                    imported,
                    invoiceCounts.unchanged + paymentCounts.unchanged,
                    report.rejected,
                    JSON.stringify({ ...report, rejects: report.rejects.slice(0, 100), ingest: null }),
                ]);
                await recordAudit(warehouse, {
                    ...who,
                    action: 'import',
                    entity: 'import',
                    entity_id: String(run!.id),
                    after: { tool, files: report.files.map((f) => f.file), invoices: invoiceCounts, payments: paymentCounts, rejected: report.rejected },
                    detail: `${tool}: ${invoiceCounts.created + invoiceCounts.updated} invoices imported (${invoiceCounts.created} new, ${invoiceCounts.updated} updated), ${paymentCounts.created + paymentCounts.updated} payments, ${report.rejected} rows rejected`,
                });
                await recordUpload(warehouse, who, loaded);
            },
        });
        if (!report.ingest.ok) {
            report.ok = false;
            report.status = 'rejected';
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    report.duration_ms = Date.now() - started;
    return report;
}

function csvCell(v: string | number | null): string {
    if (v === null) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
