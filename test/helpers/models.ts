import { afterAll, beforeAll } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { buildModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

/**
 * A fresh in-memory warehouse with the canonical files of `dirs` loaded (later folders' files win when an
 * entity appears twice is NOT supported: give each entity once), no model built. Throws with the ingest
 * report when a fixture is not valid canonical data.
 */
export async function loadFixture(...dirs: string[]): Promise<Warehouse> {
    const warehouse = await Warehouse.open(':memory:');
    const report = await ingestFiles(warehouse, resolveInputs(dirs).files);
    if (!report.ok) {
        warehouse.close();
        throw new Error(`fixture ${dirs.join(', ')} does not load:\n${report.rejects.map((r) => `${r.file}:${r.line} ${r.column}: ${r.reason} (${r.value})`).join('\n')}`);
    }
    return warehouse;
}

/** loadFixture, then every model built. */
export async function buildFixture(...dirs: string[]): Promise<Warehouse> {
    const warehouse = await loadFixture(...dirs);
    await buildModels(warehouse);
    return warehouse;
}

/**
 * Builds once for a test file: `build` runs before the file's tests (beforeAll) and its warehouse is closed
 * after them. Called at the top of the file; the object it returns is filled in when the tests run, so read
 * it inside them (`fixture.warehouse.all(…)`).
 */
export function buildOnce<T extends { warehouse: Warehouse }>(build: () => Promise<T>): T {
    const built = {} as T;
    beforeAll(async () => {
        Object.assign(built, await build());
    });
    afterAll(() => built.warehouse?.close());
    return built;
}

/** buildOnce of buildFixture(...dirs): the fixture with every model built, for one test file. */
export function fixtureOnce(...dirs: string[]): { warehouse: Warehouse } {
    return buildOnce(async () => ({ warehouse: await buildFixture(...dirs) }));
}
