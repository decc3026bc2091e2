/**
 * Exactness of the billing-history importers on the invoicing tools' exports in
 * ../shared/datasets/tool-exports/invoiceninja-fixtures:
 *
 *   node test/real-data/billing-imports.check.ts     (datasets: $DATASETS, else ../shared/datasets next to the repo)
 *
 * For each export, imported into an empty warehouse:
 *   - every data row is an invoice line, a duplicate or a rejected row with its line and reason (rows counted
 *     here, independently of the importers' reader: title lines skipped by finding the header);
 *   - the imported line amounts plus those of the duplicate and rejected rows equal the file's own line
 *     totals to the cent, computed here from its columns (Invoice Ninja: Item Cost × Item Quantity; FreshBooks:
 *     Line Total less its taxes; Zoho: Item Total, and once per invoice its discount, shipping, adjustment and
 *     round off), and each imported Invoice Ninja invoice equals its Amount column, each Zoho invoice its
 *     SubTotal with those charges;
 *   - the imported payments plus the rejected ones equal the file's payments total to the cent (Wave's net of
 *     tax: each received amount × its invoice's net ÷ its receivable total);
 *   - Wave's ledger: every journal line is a line, a payment, skipped (the other side of an entry) or rejected,
 *     and each invoice equals its receivable total less its sales tax;
 *   - importing the same export again changes nothing;
 *   - each client list (FreshBooks' clients, Zoho's contacts, Wave's customers) makes exactly the clients its rows
 *     name, with their currency (worked out by hand below), every row a client, skipped or rejected; imported with
 *     its tool's invoices, every invoice finds its client in the list (no other client is made) and, where the
 *     invoices export names no currency (Wave), takes the list's; importing them again changes nothing.
 *
 * Exit codes: 0 all hold; 1 a figure is off (or the run failed); 2 the datasets are not there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importBilling, type BillingReport, type BillingTool } from '../../ingest/billing/run.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { checker, datasetsOrExit, finishCheck, fresh, recordError } from '../helpers/check.ts';
import { csvRecordsAt } from '../helpers/csv.ts';

const started = performance.now();
const exports = 'tool-exports/invoiceninja-fixtures';
const root = path.join(
    datasetsOrExit([exports], (_, at) => `the invoicing tools' exports are missing at ${path.join(at, exports)}: set DATASETS to the datasets folder (../shared/datasets)`),
    exports,
);

/** The records after the first one whose first cell is `first` (the header), as objects. */
function table(file: string, first: string): { line: number; get: (name: string) => string }[] {
    // the tests' own CSV reader (independent of the importers'), blank records dropped
    const all = csvRecordsAt(fs.readFileSync(file, 'utf8')).filter((r) => r.cells.some((c) => c.trim() !== ''));
    const at = all.findIndex((r) => r.cells[0] === first);
    const header = all[at]!.cells;
    return all.slice(at + 1).map((r) => ({ line: r.line, get: (name: string) => (r.cells[header.indexOf(name)] ?? '').trim() }));
}

/** `$1,020.00`, `($400.00)`, `-12.5` → cents, by exact decimal arithmetic on the text. */
function cents(text: string): bigint {
    let t = text.replace(/[$\s,]/g, '');
    const negative = /^\(.*\)$/.test(t) || t.startsWith('-');
    t = t.replace(/[()-]/g, '');
    const [w, f = ''] = t.split('.');
    const c = BigInt(w || '0') * 100n + BigInt((f + '00').slice(0, 2));
    return negative ? -c : c;
}

/** quantity × unit price to the cent, half away from zero, on the decimal text (no floating point). */
function product(quantity: string, price: string): bigint {
    const scaled = (s: string) => {
        const [w, f = ''] = s.replace(/,/g, '').split('.');
        return { n: BigInt(w! + f), scale: f.length };
    };
    const q = scaled(quantity);
    const p = scaled(price);
    const n = q.n * p.n; // × 10^(q.scale + p.scale)
    const shift = 10n ** BigInt(q.scale + p.scale);
    const c100 = n * 100n;
    const whole = c100 / shift;
    const rest = c100 % shift;
    return rest * 2n >= shift ? whole + 1n : whole;
}

const failures: string[] = [];
const expect = checker(failures);
const money = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;

/** Σ imported line amounts and payments of one tool, in cents, from the warehouse. */
async function warehouseTotals(w: Warehouse, tool: BillingTool) {
    const lines = await w.all<{ invoice_id: string; amount: string; n: number }>(
        `select invoice_id, sum(amount)::varchar as amount, count(*)::integer as n from canonical.invoice_lines where invoice_id like $1 group by 1`,
        [`${tool}-%`],
    );
    const paid = await w.one<{ amount: string; n: number }>(`select coalesce(sum(amount), 0)::varchar as amount, count(*)::integer as n from canonical.payments where payment_id like $1`, [`${tool}-%`]);
    return {
        byInvoice: new Map(lines.map((l) => [l.invoice_id, cents(l.amount)])),
        lines: lines.reduce((n, l) => n + l.n, 0),
        invoiced: lines.reduce((s, l) => s + cents(l.amount), 0n),
        paid: cents(paid!.amount),
        payments: paid!.n,
    };
}

async function again(w: Warehouse, files: string[], tool: BillingTool, first: BillingReport, name: string) {
    const second = await importBilling(w, files, { tool });
    const unchanged = second.status === 'unchanged' && second.invoices.unchanged === first.invoices.created && second.payments.unchanged === first.payments.created;
    expect(unchanged, `${name}: imported again, ${second.invoices.unchanged} invoices and ${second.payments.unchanged} payments unchanged, nothing else`);
}

try {
    // Invoice Ninja v4: INVOICES (one row per item) and Payments.
    {
        const invoiceFile = path.join(root, 'invoice.csv');
        const paymentFile = path.join(root, 'payments.csv');
        const rows = table(invoiceFile, 'Client');
        const payRows = table(paymentFile, 'Client');
        const lineOf = new Map(rows.map((r) => [r.line, product(r.get('Item Quantity'), r.get('Item Cost'))]));
        const fileLines = [...lineOf.values()].reduce((a, b) => a + b, 0n);
        const amountOf = new Map(rows.map((r) => [`invoiceninja-${r.get('Invoice Number')}`, cents(r.get('Amount'))]));
        const payOf = new Map(payRows.map((r) => [r.line, cents(r.get('Amount'))]));
        const filePaid = [...payOf.values()].reduce((a, b) => a + b, 0n);
        await fresh(async (w) => {
            const r = await importBilling(w, [invoiceFile, paymentFile], { tool: 'invoiceninja' });
            const t = await warehouseTotals(w, 'invoiceninja');
            const inv = r.files[0]!;
            const pay = r.files[1]!;
            console.log(`invoice.csv: ${rows.length} rows, ${amountOf.size} invoices, line totals ${money(fileLines)}`);
            expect(inv.rows === rows.length && t.lines + inv.duplicates + inv.rejected === rows.length, `invoice.csv: ${rows.length} rows = ${t.lines} lines + ${inv.duplicates} duplicates + ${inv.rejected} rejected`);
            const dup = r.duplicates.filter((d) => d.file === invoiceFile).reduce((s, d) => s + lineOf.get(d.line!)!, 0n);
            const rej = r.rejects.filter((d) => d.file === invoiceFile).reduce((s, d) => s + lineOf.get(d.line!)!, 0n);
            expect(t.invoiced + dup + rej === fileLines, `invoice.csv: ${money(t.invoiced)} imported + ${money(dup)} duplicate + ${money(rej)} rejected = the file's line totals ${money(fileLines)}`);
            const off = [...t.byInvoice].filter(([id, c]) => amountOf.get(id) !== c);
            expect(off.length === 0, `invoice.csv: each of the ${t.byInvoice.size} imported invoices equals its Amount column${off.length ? ` (off: ${off.slice(0, 5).map(([id]) => id).join(', ')})` : ''}`);
            console.log(`payments.csv: ${payRows.length} rows, total ${money(filePaid)}`);
            const payRejected = r.rejects.filter((d) => d.file === paymentFile).reduce((s, d) => s + payOf.get(d.line!)!, 0n);
            expect(pay.rows === payRows.length && t.payments + pay.rejected === payRows.length, `payments.csv: ${payRows.length} rows = ${t.payments} payments + ${pay.rejected} rejected`);
            expect(t.paid + payRejected === filePaid, `payments.csv: ${money(t.paid)} imported + ${money(payRejected)} rejected = the file's ${money(filePaid)}`);
            expect(r.rejects.every((x) => x.line !== null && x.reason !== ''), `invoiceninja: every rejected row names its line and reason (${r.rejects.map((x) => `payments.csv:${x.line} ${x.reason}`).join('; ')})`);
            await again(w, [invoiceFile, paymentFile], 'invoiceninja', r, 'invoiceninja');
        });
    }

    // FreshBooks: invoice details, one row per line item.
    {
        const file = path.join(root, 'freshbooks_invoices.csv');
        const rows = table(file, 'Client Name');
        const net = new Map(rows.map((r) => [r.line, cents(r.get('Line Total')) - cents(r.get('Tax 1 Amount')) - cents(r.get('Tax 2 Amount'))]));
        const fileNet = [...net.values()].reduce((a, b) => a + b, 0n);
        await fresh(async (w) => {
            const r = await importBilling(w, [file], { tool: 'freshbooks' });
            const t = await warehouseTotals(w, 'freshbooks');
            const f = r.files[0]!;
            console.log(`freshbooks_invoices.csv: ${rows.length} rows, line totals less tax ${money(fileNet)}`);
            expect(t.lines + f.duplicates + f.rejected === rows.length, `freshbooks_invoices.csv: ${rows.length} rows = ${t.lines} lines + ${f.duplicates} duplicates + ${f.rejected} rejected`);
            const rej = r.rejects.reduce((s, d) => s + net.get(d.line!)!, 0n);
            expect(t.invoiced + rej === fileNet, `freshbooks_invoices.csv: ${money(t.invoiced)} imported + ${money(rej)} rejected = the file's ${money(fileNet)}`);
            await again(w, [file], 'freshbooks', r, 'freshbooks');
        });
    }

    // Zoho Invoice: one row per line item; the invoice's charges outside its items once per invoice.
    {
        const file = path.join(root, 'zoho_invoices.csv');
        const rows = table(file, 'Invoice Date');
        const itemOf = new Map(rows.map((r) => [r.line, cents(r.get('Item Total'))]));
        const charges = (r: (typeof rows)[number]) =>
            -cents(r.get('Entity Discount Amount') || '0') + cents(r.get('Shipping Charge') || '0') + cents(r.get('Adjustment') || '0') + cents(r.get('Round Off') || '0');
        const netOf = new Map<string, bigint>();
        for (const r of rows) netOf.set(`zoho-${r.get('Invoice Number')}`, cents(r.get('SubTotal')) + charges(r));
        const fileNet = [...itemOf.values()].reduce((a, b) => a + b, 0n) + [...new Map(rows.map((r) => [r.get('Invoice Number'), charges(r)])).values()].reduce((a, b) => a + b, 0n);
        await fresh(async (w) => {
            const r = await importBilling(w, [file], { tool: 'zoho' });
            const t = await warehouseTotals(w, 'zoho');
            const f = r.files[0]!;
            const adjustments = (await w.one<{ n: number }>(`select count(*)::integer as n from canonical.invoice_lines where invoice_id like 'zoho-%' and kind = 'adjustment'`))!.n;
            console.log(`zoho_invoices.csv: ${rows.length} rows, ${netOf.size} invoices, item totals and invoice charges ${money(fileNet)}`);
            expect(t.lines - adjustments + f.duplicates + f.rejected === rows.length, `zoho_invoices.csv: ${rows.length} rows = ${t.lines - adjustments} item lines + ${f.duplicates} duplicates + ${f.rejected} rejected`);
            const dup = r.duplicates.reduce((s, d) => s + itemOf.get(d.line!)!, 0n);
            const rej = r.rejects.reduce((s, d) => s + itemOf.get(d.line!)!, 0n);
            expect(t.invoiced + dup + rej === fileNet, `zoho_invoices.csv: ${money(t.invoiced)} imported + ${money(dup)} duplicate + ${money(rej)} rejected = the file's ${money(fileNet)}`);
            const off = [...t.byInvoice].filter(([id, c]) => netOf.get(id) !== c);
            expect(off.length === 0, `zoho_invoices.csv: each of the ${t.byInvoice.size} imported invoices equals its SubTotal and charges${off.length ? ` (off: ${off.map(([id]) => id).join(', ')})` : ''}`);
            await again(w, [file], 'zoho', r, 'zoho');
        });
    }

    // Wave: accounting transactions (journal lines); the expenses export holds one taxed invoice too.
    for (const name of ['wave_invoices.csv', 'wave_expenses.csv']) {
        const file = path.join(root, name);
        const rows = table(file, 'Transaction ID');
        const income = rows.filter((r) => r.get('Account Group') === 'Income' && r.get('Invoice Number') !== '');
        const lineOf = new Map(income.map((r) => [r.line, cents(r.get('Amount Before Sales Tax') || r.get('Amount (One column)'))]));
        const fileNet = [...lineOf.values()].reduce((a, b) => a + b, 0n);
        const receivable = rows.filter((r) => r.get('Account Type') === 'System Receivable Invoice' && r.get('Invoice Number') !== '');
        const grossOf = new Map<string, bigint>();
        for (const r of receivable) if (cents(r.get('Amount (One column)')) > 0n) grossOf.set(r.get('Invoice Number'), (grossOf.get(r.get('Invoice Number')) ?? 0n) + cents(r.get('Amount (One column)')));
        const netOf = new Map<string, bigint>();
        for (const r of income) netOf.set(r.get('Invoice Number'), (netOf.get(r.get('Invoice Number')) ?? 0n) + lineOf.get(r.line)!);
        // Tax on each invoice: its receivable total less its income lines, which must be the file's tax rows.
        const taxOf = new Map<string, bigint>();
        for (const r of rows.filter((x) => x.get('Account Group') === 'Liability' && x.get('Invoice Number') !== '')) {
            taxOf.set(r.get('Invoice Number'), (taxOf.get(r.get('Invoice Number')) ?? 0n) + cents(r.get('Amount (One column)')));
        }
        const credits = receivable.filter((r) => cents(r.get('Amount (One column)')) < 0n);
        const filePaid = credits.reduce((s, r) => s - cents(r.get('Amount (One column)')), 0n);
        await fresh(async (w) => {
            const r = await importBilling(w, [file], { tool: 'wave' });
            const t = await warehouseTotals(w, 'wave');
            const f = r.files[0]!;
            console.log(`${name}: ${rows.length} journal lines, ${income.length} invoice lines ${money(fileNet)} net of tax, ${credits.length} payments ${money(filePaid)}`);
            expect(t.lines + t.payments + f.skipped + f.rejected === rows.length, `${name}: ${rows.length} rows = ${t.lines} lines + ${t.payments} payments + ${f.skipped} skipped + ${f.rejected} rejected`);
            expect(t.invoiced === fileNet, `${name}: ${money(t.invoiced)} imported = the file's income lines ${money(fileNet)}`);
            const off = [...grossOf].filter(([n, g]) => t.byInvoice.get(`wave-${n}`) !== g - (taxOf.get(n) ?? 0n));
            expect(off.length === 0, `${name}: each of the ${grossOf.size} invoices equals its receivable total less its sales tax (${[...grossOf].map(([n, g]) => `${n}: ${money(g)} − ${money(taxOf.get(n) ?? 0n)}`).join(', ')})`);
            // Payments net of tax: each credit × net ÷ gross of its invoice, half up (all here are whole invoices).
            let expected = 0n;
            for (const c of credits) {
                const n = c.get('Invoice Number');
                const paid = -cents(c.get('Amount (One column)'));
                const g = grossOf.get(n)!;
                expected += (paid * netOf.get(n)! * 2n + g) / (2n * g);
            }
            expect(t.paid === expected, `${name}: payments ${money(filePaid)} received, ${money(t.paid)} imported net of tax = ${money(expected)}`);
            await again(w, [file], 'wave', r, 'wave');
        });
    }

    // Client lists, each into an empty warehouse (no reporting currency: a client without one takes USD).
    //   freshbooks_clients.csv: Organization "Marge Simpson" and "X-Men"; the export has no currency column.
    //   zoho_contacts.csv: five customers by Display Name, all Currency Code USD (none is a vendor).
    //   wave_clients.csv: customer_name with customer_currency: Homer Simpson USD, Jessica Jones AUD, Lucas Cage
    //   BSD (the Bahamian dollar), Mark Walberg USD.
    const lists: { list: string; first: string; invoices: string; tool: BillingTool; clients: [string, string][] }[] = [
        { list: 'freshbooks_clients.csv', first: 'Organization', invoices: 'freshbooks_invoices.csv', tool: 'freshbooks', clients: [['Marge Simpson', 'USD'], ['X-Men', 'USD']] },
        {
            list: 'zoho_contacts.csv',
            first: 'Created Time',
            invoices: 'zoho_invoices.csv',
            tool: 'zoho',
            clients: [['Avengers', 'USD'], ['Defenders', 'USD'], ['Highlander', 'USD'], ['Jessica Jones', 'USD'], ['Simpsons Baking Co', 'USD']],
        },
        {
            list: 'wave_clients.csv',
            first: 'customer_name',
            invoices: 'wave_invoices.csv',
            tool: 'wave',
            clients: [['Homer Simpson', 'USD'], ['Jessica Jones', 'AUD'], ['Lucas Cage', 'BSD'], ['Mark Walberg', 'USD']],
        },
    ];
    for (const { list, first, invoices, tool, clients } of lists) {
        const file = path.join(root, list);
        const rows = table(file, first);
        await fresh(async (w) => {
            const r = await importBilling(w, [file], { tool: 'auto' });
            const f = r.files[0]!;
            const got = await w.all<{ name: string; currency: string }>(`select name, currency from canonical.clients order by name`);
            const text = got.map((c) => `${c.name} ${c.currency}`).join(', ');
            expect(f.tool === tool && f.kind === 'clients', `${list}: detected as ${tool}'s client list (${f.tool} ${f.kind})`);
            expect(text === clients.map(([n, c]) => `${n} ${c}`).join(', '), `${list}: ${rows.length} rows make the clients ${text}`);
            expect(got.length + f.skipped + f.rejected === rows.length, `${list}: ${rows.length} rows = ${got.length} clients + ${f.skipped} skipped + ${f.rejected} rejected`);
            const again = await importBilling(w, [file], { tool });
            expect(again.status === 'unchanged' && again.clients.unchanged === got.length, `${list}: imported again, ${again.clients.unchanged} clients unchanged, nothing else`);
        });
        // With the tool's invoices in one import: the invoices' clients are the list's.
        await fresh(async (w) => {
            const r = await importBilling(w, [file, path.join(root, invoices)], { tool });
            const made = r.created_entities.filter((e) => e.kind === 'client').map((e) => e.name);
            expect(made.length === clients.length, `${list} with ${invoices}: ${made.length} clients made, all from the list (${r.invoices.created} invoices)`);
            const currencies = await w.all<{ ok: boolean }>(
                `select i.currency = c.currency as ok from canonical.invoices i join canonical.clients c using (client_id) where i.invoice_id like $1`,
                [`${tool}-%`],
            );
            if (tool === 'wave') {
                const listed = new Map(rows.map((x) => [x.get('customer_name'), x.get('customer_currency')]));
                const ledger = table(path.join(root, invoices), 'Transaction ID').filter((x) => x.get('Account Group') === 'Income' && x.get('Invoice Number') !== '');
                const expected = [...new Map(ledger.map((x) => [x.get('Invoice Number'), listed.get(x.get('Customer'))])).entries()].map(([n, c]) => `${n} ${c}`).join(', ');
                const gotCur = (await w.all<{ n: string; currency: string }>(`select number as n, currency from canonical.invoices where invoice_id like 'wave-%' order by number`)).map((x) => `${x.n} ${x.currency}`).join(', ');
                expect(gotCur === expected, `${invoices} with ${list}: each invoice in its customer's currency (${gotCur})`);
            } else expect(currencies.every((c) => c.ok), `${invoices} with ${list}: each invoice in its client's currency`);
            const again = await importBilling(w, [file, path.join(root, invoices)], { tool });
            expect(again.status === 'unchanged', `${list} with ${invoices}: imported again, nothing changes (${again.status})`);
        });
    }
} catch (err) {
    recordError(failures, err);
}
finishCheck('billing imports', failures, started);
