import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { buildModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

/**
 * A fresh in-memory warehouse with the canonical files of `dirs` loaded (later folders' files win when an
 * entity appears twice is NOT supported: give each entity once) and every model built. Throws with the
 * ingest report when a fixture is not valid canonical data.
 */
export async function buildFixture(...dirs: string[]): Promise<Warehouse> {
    const warehouse = await Warehouse.open(':memory:');
    const report = await ingestFiles(warehouse, resolveInputs(dirs).files);
    if (!report.ok) {
        warehouse.close();
        throw new Error(`fixture ${dirs.join(', ')} does not load:\n${report.rejects.map((r) => `${r.file}:${r.line} ${r.column}: ${r.reason} (${r.value})`).join('\n')}`);
    }
    await buildModels(warehouse);
    return warehouse;
}
