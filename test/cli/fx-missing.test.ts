/*
 * `realize ingest` of the tiny firm with its USD rates taken out and a USD invoice added (the client Globex,
 * its rate card and the invoice are in USD; the firm reports in EUR): the load stands (exit 0) and the report
 * names USD and the dates without a rate, as text and in --json. Globex's entries are dated 2024-01-03, its
 * fixed-fee revenue needs the rate of 2024-01-01, the invoice that of its issue date, 2024-02-10.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realize } from '../helpers/cli.ts';
import { tempDir, TINY, tinyWith } from '../helpers/fixtures.ts';

const tiny = (name: string) => fs.readFileSync(path.join(TINY, name), 'utf8').trimEnd();

describe('realize ingest with a currency that has no fx rate', () => {
    it('loads, builds, exits 0 and names the currency and its dates', () => {
        const db = path.join(tempDir(), 'fx.duckdb');
        const data = tinyWith({
            'fx_rates.csv': 'currency,date,rate_to_reporting\n',
            'invoices.csv': `${tiny('invoices.csv')}\nI2,2024-002,C2,2024-02-10,2024-03-10,USD,issued\n`,
            'invoice_lines.csv': `${tiny('invoice_lines.csv')}\nI2,1,PRJ2,fixed_fee,,,5000.00,2024-01-01,2024-01-31,\n`,
        });
        const text = realize('ingest', data, '--db', db);
        expect(text.stderr).not.toContain('did not build');
        expect(text.code).toBe(0);
        expect(text.stdout).toContain('models rebuilt');
        expect(text.stderr).toContain(
            'warning: USD has no fx rate on or before 2024-01-01 … 2024-02-10, the dates that need one (fx_rates has no USD row): 4 amount(s) left out of the figures ' +
                '(time entries at a USD bill rate, fixed-fee revenue, invoices); add a USD rate dated 2024-01-01 or earlier to fx_rates',
        );
        // Loading the same files again changes nothing, and the report still names the gap.
        const json = realize('ingest', data, '--db', db, '--json');
        expect(json.code).toBe(0);
        const report = JSON.parse(json.stdout);
        expect(report.status).toBe('unchanged');
        expect(report.fx_missing).toEqual([
            { currency: 'USD', first_date: '2024-01-01', last_date: '2024-02-10', rows: 4, first_rate_date: null, needed_by: ['entry_bill_rate', 'fixed_fee_revenue', 'invoice_line'] },
        ]);
    });
});
