import { cliActor, recordAudit } from '../../capture/audit.ts';
import { UsageError } from '../../ingest/files.ts';
import { buildModels, describeFailures, ModelError, testModels, type BuildResult, type TestResult } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { dbPath, parse } from './options.ts';

/** `realize models build|test`: build the SQL models in dependency order and run their .yml tests. */
export async function modelsCommand(args: string[]): Promise<number> {
    const { values, positionals } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' } }, true);
    const [action] = positionals;
    if (action !== 'build' && action !== 'test') throw new UsageError('usage: realize models build|test [--db FILE] [--json]');
    const warehouse = await Warehouse.open(dbPath(values.db));
    try {
        if (action === 'build') {
            const tty = process.stderr.isTTY;
            const result = await buildModels(warehouse, { onModel: tty ? (m) => process.stderr.write(`\r\x1b[Kbuilding ${m}`) : undefined });
            if (tty) process.stderr.write('\r\x1b[K');
            await warehouse.transaction(
                () => recordAudit(warehouse, { ...cliActor(), action: 'rebuild', entity: 'models', detail: `${result.models.length} models built in ${result.ms} ms` }),
                { modelInputs: false },
            );
            if (values.json) console.log(JSON.stringify(result, null, 2));
            else {
                for (const m of result.models) console.log(`${m.relation.padEnd(48)} ${String(m.rows ?? 'view').padStart(10)} ${String(m.ms).padStart(7)} ms`);
                printTests(result.tests);
                console.log(`built ${result.models.length} models in ${(result.ms / 1000).toFixed(1)} s`);
            }
            return 0;
        }
        const tests = await testModels(warehouse);
        if (values.json) console.log(JSON.stringify(tests, null, 2));
        else printTests(tests);
        return tests.some((t) => t.failures > 0 && t.severity === 'error') ? 1 : 0;
    } catch (err) {
        if (err instanceof ModelError) {
            console.error(`realize models ${action}: ${err.message}`);
            return 1;
        }
        throw err;
    } finally {
        warehouse.close();
    }
}

/**
 * Rebuilds the marts after a command loaded data, as the server does after an upload: the exit code, 1 when
 * they did not build (said, with the previous marts kept).
 */
export async function buildAfterLoad(warehouse: Warehouse, built?: (result: BuildResult) => void): Promise<0 | 1> {
    try {
        built?.(await buildModels(warehouse));
        return 0;
    } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        console.error(`the data loaded, but the models did not build; the previous marts are kept:\n${err.message}`);
        return 1;
    }
}

function printTests(tests: TestResult[]): void {
    const passed = tests.filter((t) => t.failures === 0).length;
    for (const t of tests.filter((x) => x.failures > 0 && x.severity === 'warn')) {
        console.log(`warn  ${t.model}: ${t.test} — ${t.failures} row(s), e.g. ${JSON.stringify(t.sample[0] ?? {})}`);
    }
    const failures = describeFailures(tests);
    if (failures) console.error(failures);
    console.log(`${passed} of ${tests.length} model tests passed`);
}
