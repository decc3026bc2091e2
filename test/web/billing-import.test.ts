/**
 * The Import page's billing history without a DOM (web/lib/features/import/billing.ts): the query as the route's
 * schema reads it, a report's figures as rows, its notes by kind. The report is POST /api/imports/billing's
 * answer for test/fixtures/billing-edge/invoiceninja-*.csv as a dry run (test/ingest/billing/routes.test.ts):
 * 4 invoices, 6 lines, 1,200.00 USD; 2 payments, 1,040.00 USD (1,090.00 less a refund of 50.00); one client created with its project.
 */
import { describe, expect, it } from 'vitest';
import { billingImportQuery, type BillingAnswer } from '../../server/schemas/imports.ts';
import { BILLING_TOOLS as ROUTE_TOOLS } from '../../ingest/billing/tools.ts';
import { amounts, BILLING_TOOLS, billingParams, billingRows, noteRows } from '../../web/lib/features/import/billing.ts';

const row = (file: string, line: number, reason: string, value: string | null = null) => ({ file, line, reason, value });
const REPORT: BillingAnswer = {
    ok: true,
    status: 'dry_run',
    dry_run: true,
    files: [
        { file: 'invoiceninja-invoices.csv', tool: 'invoiceninja', kind: 'invoices', rows: 7, rejected: 1, duplicates: 1, skipped: 0 },
        { file: 'invoiceninja-payments.csv', tool: 'invoiceninja', kind: 'payments', rows: 4, rejected: 2, duplicates: 0, skipped: 0 },
    ],
    rows_read: 11,
    clients: { created: 1, updated: 0, unchanged: 0 },
    invoices: { created: 4, updated: 0, unchanged: 0 },
    payments: { created: 2, updated: 0, unchanged: 0 },
    credit_notes: { created: 0, updated: 0, unchanged: 0 },
    lines: 6,
    invoiced: { USD: '1200.00' },
    paid: { USD: '1040.00' },
    credited: {},
    duplicates: [row('invoiceninja-invoices.csv', 9, 'the same line twice: counted once')],
    notes: [row('invoiceninja-invoices.csv', 11, 'cancelled: imported as void')],
    skipped: [],
    rejected: 3,
    rejects: [row('invoiceninja-payments.csv', 8, 'invoice 0999 is not in this import or the warehouse', '0999')],
    created_entities: [
        { kind: 'client', id: 'acme-corp', name: 'Acme Corp', client: null },
        { kind: 'project', id: 'acme-corp-billing', name: 'Acme Corp — billing history', client: 'Acme Corp' },
    ],
    ingest: null,
    duration_ms: 12,
    build: null,
};

describe('billing history on the Import page', () => {
    it('offers every invoicing tool the route reads', () => {
        expect([...BILLING_TOOLS].sort()).toEqual([...ROUTE_TOOLS].sort());
    });

    it('sends a query the route’s schema reads back as given', () => {
        const params = billingParams({ tool: 'invoiceninja', dry_run: true, create: false });
        expect(params).toEqual({ tool: 'invoiceninja', dry_run: 'true', create: 'false' });
        expect(billingImportQuery.parse(params)).toEqual({ tool: 'invoiceninja', dry_run: true, create: false });
        expect(billingImportQuery.parse(billingParams({ tool: 'auto', dry_run: false, create: true }))).toEqual({ tool: 'auto', dry_run: false, create: true });
    });

    it('shows invoices, lines, payments, credit notes and clients with their amounts', () => {
        expect(billingRows(REPORT, 'en-US')).toEqual([
            { what: 'Invoices', created: 4, updated: 0, unchanged: 0, amount: '$1,200.00' },
            { what: 'Invoice lines', created: 6, updated: null, unchanged: null, amount: '' },
            { what: 'Payments', created: 2, updated: 0, unchanged: 0, amount: '$1,040.00' },
            { what: 'Credit notes', created: 0, updated: 0, unchanged: 0, amount: '' },
            { what: 'Clients', created: 1, updated: 0, unchanged: 0, amount: '' },
            { what: 'Billing-history projects', created: 1, updated: null, unchanged: null, amount: '' },
        ]);
        expect(amounts({ USD: '10.50', EUR: '-3.00' }, 'en-US')).toBe('-€3.00 · $10.50');
        expect(amounts({}, 'en-US')).toBe('');
    });

    it('lists the rows imported with a change, counted once or skipped, each with its kind', () => {
        expect(noteRows(REPORT).map((r) => [r.kind, r.line])).toEqual([
            ['imported with a change', 11],
            ['duplicate', 9],
        ]);
    });
});
