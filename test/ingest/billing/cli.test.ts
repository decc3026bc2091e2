/**
 * `realize import invoiceninja|freshbooks|auto`: a dry run, the import, and the same files again, by the command
 * line; and the same import handed to the server that holds the database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../../ingest/canonical.ts';
import { buildModels } from '../../../warehouse/models.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { realize, realizeBeside, serveHere } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/fixtures.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/billing-edge');

describe('realize import for invoicing tools', () => {
    it('dry run, import, again: the second changes nothing; --no-create refuses an unknown client', () => {
        const db = path.join(tempDir(), 'b.duckdb');
        const files = [path.join(FIXTURES, 'invoiceninja-invoices.csv'), path.join(FIXTURES, 'invoiceninja-payments.csv')];
        const dry = realize('import', 'auto', ...files, '--db', db, '--dry-run', '--json', '--no-models');
        expect(dry.code).toBe(0);
        expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', invoices: { created: 4 }, payments: { created: 2 }, invoiced: { USD: '1200.00' } });
        const first = realize('import', 'invoiceninja', ...files, '--db', db, '--no-models');
        expect(first.code).toBe(0);
        expect(first.stdout).toContain('imported clients 2 new, 0 updated, 0 unchanged; invoices 4 new, 0 updated, 0 unchanged (6 lines, 1200.00 USD net of tax); payments 2 new, 0 updated, 0 unchanged (1040.00 USD)');
        expect(first.stderr).toContain('invoiceninja-payments.csv:8: invoice 0999 is not in this import or the warehouse');
        const again = realize('import', 'invoiceninja', ...files, '--db', db, '--json', '--no-models');
        expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', invoices: { created: 0, updated: 0, unchanged: 4 } });
        const refused = realize('import', 'freshbooks', path.join(FIXTURES, 'freshbooks-semicolon.csv'), '--db', db, '--no-create', '--json', '--no-models');
        expect(JSON.parse(refused.stdout).rejects[0].reason).toBe('client "Initech" is not in the warehouse (not created: --no-create)');
    });

    it('hands the files to the server that holds the database, which imports them and refreshes its marts', async () => {
        const dir = tempDir();
        const db = path.join(dir, 'served.duckdb');
        fs.writeFileSync(path.join(dir, 'settings.csv'), 'key,value\nreporting_currency,USD\nas_of,2024-12-31\n');
        const warehouse = await Warehouse.open(db);
        await ingestFiles(warehouse, [{ path: path.join(dir, 'settings.csv'), entity: 'settings', format: 'csv' }]);
        await buildModels(warehouse);
        // The server answers in this process, so the command runs beside it rather than blocking it.
        const stop = await serveHere(warehouse, db);
        const run = realizeBeside;
        try {
            const files = [path.join(FIXTURES, 'invoiceninja-invoices.csv'), path.join(FIXTURES, 'invoiceninja-payments.csv')];
            const dry = await run('import', 'auto', ...files, '--db', db, '--dry-run', '--json');
            expect(dry.code, dry.stderr).toBe(0);
            expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', invoices: { created: 4 }, payments: { created: 2 }, invoiced: { USD: '1200.00' } });
            expect(JSON.parse(dry.stdout)).not.toHaveProperty('build');
            expect((await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.invoices`))!.n).toBe(0);

            const first = await run('import', 'invoiceninja', ...files, '--db', db);
            expect(first.code, first.stderr).toBe(0);
            expect(first.stderr).toMatch(/^the realize server \(pid \d+\) holds .*served\.duckdb; sending the files to http:\/\/127\.0\.0\.1:\d+$/m);
            expect(first.stdout).toContain('imported clients 2 new, 0 updated, 0 unchanged; invoices 4 new, 0 updated, 0 unchanged (6 lines, 1200.00 USD net of tax); payments 2 new, 0 updated, 0 unchanged (1040.00 USD)');
            expect(first.stderr).toContain('invoiceninja-payments.csv:8: invoice 0999 is not in this import or the warehouse');
            // Answered after the refresh: billed 1,020.00 + 90.00 + 50.00 = 1,160.00 (0105 is void), collected 1,090.00.
            expect(
                await warehouse.one<{ billed: number; collected: number }>(`select sum(billed_value)::double as billed, sum(collected_value)::double as collected from marts.fct_margin_funnel`),
            ).toEqual({ billed: 1160, collected: 1040 });

            const refused = await run('import', 'freshbooks', path.join(FIXTURES, 'invoiceninja-invoices.csv'), '--db', db);
            expect(refused.code).toBe(1);
            expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/^realize import: the server at http:\/\/127\.0\.0\.1:\d+ refused the import \(400\): invoiceninja-invoices\.csv: not a FreshBooks invoice export: no header with Client Name/);
        } finally {
            await stop();
            warehouse.close();
        }
    });
});
