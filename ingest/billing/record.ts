/**
 * A billing export's records as a tool's module reads them: each record's cells by column, trimmed, and the
 * reads that reject it. A read that fails throws; readRecords files the reject — the reason, and the quoted
 * key cells of the record followed by the cells the read names — and goes on with the next record. A module
 * thus states its checks in the order it makes them, one line each, and the first that fails is the reason.
 */
import { shown, type BillingReject, type InvoiceStatus, type SourceLine } from './documents.ts';
import { isoDate, moneyCents, type DateOrder, type ExportFile, type ExportRecord } from './read.ts';

/** Why a record is not read, with the cells that say so. */
class RecordRejected extends Error {
    readonly values: string[];
    constructor(reason: string, values: string[]) {
        super(reason);
        this.values = values;
    }
}

export class ExportRow {
    readonly file: string;
    readonly line: number;
    readonly cells: string[];
    private readonly order: DateOrder;

    constructor(file: string, record: ExportRecord, order: DateOrder) {
        this.file = file;
        this.line = record.line;
        this.cells = record.cells;
        this.order = order;
    }

    /** The trimmed cell of a column, '' where the export has no such column (-1). */
    cell(column: number): string {
        return column >= 0 ? (this.cells[column] ?? '').trim() : '';
    }

    /** Rejects the record with the reason, naming the cells, unless ok holds. */
    check(ok: boolean, reason: string, ...values: string[]): void {
        if (!ok) throw new RecordRejected(reason, values);
    }

    /** The column's date, ISO; an empty or unreadable cell rejects the record: `<label> "<cell>" is not a date`. */
    date(column: number, label: string): string {
        const date = isoDate(this.cell(column), this.order);
        if (!date) throw new RecordRejected(`${label} "${this.cell(column)}" is not a date`, [this.cell(column)]);
        return date;
    }

    /** The column's date as date() reads it, or null when the cell is empty. */
    optionalDate(column: number, label: string): string | null {
        return this.cell(column) === '' ? null : this.date(column, label);
    }

    /** The column's money in cents; an unreadable cell rejects the record: `<label> "<cell>" is not an amount`. */
    money(column: number, label: string): number {
        const cents = moneyCents(this.cell(column));
        if (cents === null) throw new RecordRejected(`${label} "${this.cell(column)}" is not an amount`, [this.cell(column)]);
        return cents;
    }

    /** The canonical status the tool's status names map the column's to; another rejects the record: `status "<cell>" is not <what>`. */
    status(column: number, statuses: Record<string, InvoiceStatus>, what: string): InvoiceStatus {
        const status = statuses[this.cell(column).toLowerCase()];
        if (!status) throw new RecordRejected(`status "${this.cell(column)}" is not ${what}`, [this.cell(column)]);
        return status;
    }

    /**
     * The invoice's own fields, which an invoice export repeats on each of its lines, checked in this order: its
     * number, its client, its issue date, its due date (when the export has the column) and its status.
     */
    invoiceHead(c: InvoiceColumns, layout: InvoiceLayout): InvoiceHead {
        const number = this.cell(c.number);
        this.check(number !== '', 'no invoice number', this.cell(c.client));
        this.check(this.cell(c.client) !== '', layout.noClient);
        const issue_date = this.date(c.issue, layout.issue);
        const due_date = this.optionalDate(c.due ?? -1, 'due date');
        const status = this.status(c.status, layout.statuses, layout.status);
        return { number, client: this.cell(c.client), issue_date, due_date, status };
    }

    /** An invoice line from this record: the fields given, the rest empty, a priced item or (below zero) an adjustment. */
    invoiceLine(given: Pick<SourceLine, 'number' | 'client' | 'issue_date' | 'status' | 'amount_cents'> & Partial<SourceLine>): SourceLine {
        return {
            file: this.file,
            line: this.line,
            due_date: null,
            currency: null,
            project: null,
            kind: given.amount_cents < 0 ? 'adjustment' : 'fixed_fee',
            hours: null,
            rate_cents: null,
            invoice_total_cents: null,
            text: this.cells.join('\u0001'),
            paid_date: null,
            ...given,
        };
    }
}

/** The columns of an invoice export that hold the invoice's own fields (-1: not in the file). */
export interface InvoiceColumns {
    number: number;
    client: number;
    issue: number;
    due?: number;
    status: number;
}

/** How a tool's invoice export names what invoiceHead() reads, in its rejects. */
export interface InvoiceLayout {
    /** The reason a line without a client is rejected with. */
    noClient: string;
    /** What the issue date is called. */
    issue: string;
    /** The tool's status names → canonical statuses. */
    statuses: Record<string, InvoiceStatus>;
    /** What an unknown status is not: "a FreshBooks invoice status". */
    status: string;
}

export type InvoiceHead = Pick<SourceLine, 'number' | 'client' | 'issue_date' | 'due_date' | 'status'>;

export interface RecordReading {
    /** How the file writes its day/month dates (dateOrderOf over its date columns). */
    order: DateOrder;
    /** Where a rejected record goes. */
    rejects: BillingReject[];
    /** The cells every reject of a record names first (its invoice number). */
    key: (row: ExportRow) => string[];
}

/** Reads each record of the export with `read`; a record a read rejects is filed in `rejects` and the next one read. */
export function readRecords(f: ExportFile, reading: RecordReading, read: (row: ExportRow) => void): void {
    for (const record of f.records) {
        const row = new ExportRow(f.name, record, reading.order);
        try {
            read(row);
        } catch (e) {
            if (!(e instanceof RecordRejected)) throw e;
            reading.rejects.push({ file: f.name, line: row.line, reason: e.message, value: shown(...reading.key(row), ...e.values) });
        }
    }
}
