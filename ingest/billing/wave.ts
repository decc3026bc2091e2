/**
 * Wave's accounting transactions export: journal lines, several per transaction (Transaction ID, Transaction
 * Date, Account Name, Transaction Description, Amount (One column), a blank-named column, Debit Amount, Credit
 * Amount, Customer, Invoice Number, Amount Before Sales Tax, Sales Tax Amount, Account Group, Account Type).
 * An invoice is posted as a credit to an income account per item and one debit to Accounts Receivable; a
 * payment as a credit to Accounts Receivable and a debit to a cash account.
 *
 *   lines     an Income row with an Invoice Number is a line of that invoice, for its Customer, dated by its
 *             Transaction Date; its amount is Amount Before Sales Tax (else Amount (One column)), income's
 *             credit being positive: net of tax. A debit to income (below zero) is an adjustment; others are
 *             priced items (fixed_fee).
 *   status    a posted invoice is issued (Wave books no drafts; whether it is paid is its payments' business).
 *   payments  a credit to Accounts Receivable with an Invoice Number (Amount (One column) below zero) is a
 *             payment of that invoice on its Transaction Date. Its amount is net of tax like the invoice's:
 *             the credit × the invoice's net ÷ its receivable total (the receivable debit), to the cent, when
 *             the file holds the invoice and it carries tax (a note says so); else the credit as it is.
 *   skipped   the other side of each entry — the receivable debit holding the invoice's total, the payment's
 *             cash debit, sales tax, and any row outside invoices and payments (expenses) — is listed as
 *             skipped with its reason: it restates a document, it is not one.
 *   currency  the client's currency, else the firm's reporting currency (the ledger names none).
 *   refunds   a refund posts as a debit to Accounts Receivable, which the ledger does not tell from an
 *             invoice's own receivable debit: both are skipped as the receivable side (Wave's refunds are
 *             not read from this export).
 * The Invoice Number is the invoice's identity (invoice_id `wave-<number>`).
 *
 * Its customers export (customer_name, email, contact_first_name, …, customer_currency, …): the client is its
 * customer_name (the ledger's Customer), with its customer_currency.
 */
import { clientListExport, type ClientListLayout } from './clients.ts';
import { shown, type BillingReject, type SourceLine, type SourcePayment, type ToolRead } from './documents.ts';
import { toolReader } from './exports.ts';
import { centsText, moneyCents, readExport } from './read.ts';
import { readRecords } from './record.ts';
import LAYOUT from './wave.json' with { type: 'json' };

const CLIENTS: ClientListLayout = {
    title: 'Wave customers',
    header: ['customer_name', 'customer_currency'],
    name: (cell) => cell('customer_name'),
    currency: 'customer_currency',
};

export const WAVE = toolReader([
    { kind: LAYOUT.transactions, read: readTransactions },
    clientListExport(CLIENTS),
]);

function readTransactions(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.transactions);
    const c = f.columns(LAYOUT.transactions.columns);
    const lines: SourceLine[] = [];
    const payments: SourcePayment[] = [];
    const rejects: BillingReject[] = [];
    const skipped: BillingReject[] = [];
    const notes: BillingReject[] = [];
    /** Each invoice's receivable debit: its total with tax. */
    const gross = new Map<string, number>();
    readRecords(f, { order: f.dateOrder(c.date), rejects, key: (row) => [row.cell(c.number)] }, (row) => {
        const cell = (i: number) => row.cell(i);
        const number = cell(c.number);
        const group = cell(c.group).toLowerCase();
        const receivable = /receivable/i.test(cell(c.account)) || /receivable/i.test(cell(c.type));
        const skip = (reason: string) => skipped.push({ file: f.name, line: row.line, reason, value: shown(cell(c.id), cell(c.account), cell(c.amount)) });
        const amount = moneyCents(cell(c.amount));
        const isLine = group === 'income' && number !== '';
        const isPayment = receivable && number !== '' && amount !== null && amount < 0;
        if (!isLine && !isPayment) {
            if (receivable && number !== '') {
                skip(`the receivable side of invoice ${number} (its total)`);
                if (amount !== null) gross.set(number, (gross.get(number) ?? 0) + amount);
            }
            else if (/tax/i.test(cell(c.account)) || /tax/i.test(cell(c.type))) skip('sales tax (billed value is net of tax)');
            else if (/cash|bank/i.test(cell(c.account)) || /cash|bank/i.test(cell(c.type))) skip('the cash side of a payment or expense');
            else skip(`not an invoice line or a payment (account "${cell(c.account)}")`);
            return;
        }
        const date = row.date(c.date, 'transaction date');
        row.check(cell(c.customer) !== '', 'no customer');
        if (isPayment) {
            payments.push({ file: f.name, line: row.line, number, client: cell(c.customer), paid_date: date, amount_cents: -amount! });
            return;
        }
        const net = cell(c.beforeTax) !== '' ? moneyCents(cell(c.beforeTax)) : amount;
        row.check(net !== null, `amount "${cell(c.beforeTax) || cell(c.amount)}" is not an amount`, cell(c.beforeTax), cell(c.amount));
        lines.push(row.invoiceLine({ number, client: cell(c.customer), issue_date: date, status: 'issued', amount_cents: net! }));
    });
    for (const p of payments) {
        const total = gross.get(p.number);
        const net = lines.filter((l) => l.number === p.number).reduce((s, l) => s + l.amount_cents, 0);
        if (total === undefined || total === net || total <= 0) continue;
        const share = Math.round((p.amount_cents * net) / total);
        notes.push({
            file: f.name,
            line: p.line,
            reason: `payment of ${centsText(p.amount_cents)} on invoice ${p.number} (${centsText(total)} with tax, ${centsText(net)} net): ${centsText(share)} imported, net of tax`,
            value: null,
        });
        p.amount_cents = share;
    }
    return { lines, payments, rejects, skipped, notes, rows: f.records.length, kind: 'transactions' };
}
