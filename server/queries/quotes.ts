/** Named queries over the saved quotes (quotes.quotes) that the routes ask before the quote service runs. */
import type { Warehouse } from '../../warehouse/warehouse.ts';

export async function quoteExists(w: Warehouse, quoteId: number): Promise<boolean> {
    return (await w.one(`select 1 from quotes.quotes where quote_id = $id`, { id: quoteId })) !== undefined;
}

/** The project a saved quote is linked to (null: none); undefined when there is no such quote. */
export async function linkedProject(w: Warehouse, quoteId: number): Promise<string | null | undefined> {
    return (await w.one<{ project_id: string | null }>(`select project_id from quotes.quotes where quote_id = $id`, { id: quoteId }))?.project_id;
}
