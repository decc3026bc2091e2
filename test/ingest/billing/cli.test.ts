/** `realize import invoiceninja|freshbooks|auto`: a dry run, the import, and the same files again, by the command line. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/billing-edge');

function realize(...args: string[]) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/realize.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('realize import for invoicing tools', () => {
    it('dry run, import, again: the second changes nothing; --no-create refuses an unknown client', () => {
        const db = path.join(tempDir(), 'b.duckdb');
        const files = [path.join(FIXTURES, 'invoiceninja-invoices.csv'), path.join(FIXTURES, 'invoiceninja-payments.csv')];
        const dry = realize('import', 'auto', ...files, '--db', db, '--dry-run', '--json', '--no-models');
        expect(dry.code).toBe(0);
        expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', invoices: { created: 4 }, payments: { created: 2 }, invoiced: { USD: '1200.00' } });
        const first = realize('import', 'invoiceninja', ...files, '--db', db, '--no-models');
        expect(first.code).toBe(0);
        expect(first.stdout).toContain('imported invoices 4 new, 0 updated, 0 unchanged (6 lines, 1200.00 USD net of tax); payments 2 new, 0 updated, 0 unchanged (1090.00 USD)');
        expect(first.stderr).toContain('invoiceninja-payments.csv:8: invoice 0999 is not in this import or the warehouse');
        const again = realize('import', 'invoiceninja', ...files, '--db', db, '--json', '--no-models');
        expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', invoices: { created: 0, updated: 0, unchanged: 4 } });
        const refused = realize('import', 'freshbooks', path.join(FIXTURES, 'freshbooks-semicolon.csv'), '--db', db, '--no-create', '--json', '--no-models');
        expect(JSON.parse(refused.stdout).rejects[0].reason).toBe('client "Initech" is not in the warehouse (not created: --no-create)');
    });
});
