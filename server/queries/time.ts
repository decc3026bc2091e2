/** Look-ups the capture routes make besides capture/time/'s own: whether a person exists. */
import type { Warehouse } from '../../warehouse/warehouse.ts';

export async function personExists(warehouse: Warehouse, personId: string): Promise<boolean> {
    return Boolean(await warehouse.one(`select 1 as found from canonical.people where person_id = $1`, [personId]));
}
