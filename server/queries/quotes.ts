/** Named queries of the quotes: the closed projects quotes are made from, and the saved quotes (quotes.quotes) the routes ask about before the quote service runs. */
import { projectsFromRows, type EstimateVsActualRow, type HistoryProject } from '../../models/quote/engine.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

/**
 * The closed projects quotes are made from (models/quote/engine.ts): each with a baseline plan, time logged
 * and both dates, its phase × role lines from marts.fct_estimate_vs_actual.
 */
export async function closedProjectHistory(w: Warehouse): Promise<HistoryProject[]> {
    const rows = await w.all<EstimateVsActualRow>(
        `select project_id, project_type, billing_model, project_start_date::varchar as project_start_date, project_end_date::varchar as project_end_date,
                phase, role, estimated_hours::double as estimated_hours, actual_hours::double as actual_hours
         from marts.fct_estimate_vs_actual
         where project_status = 'closed' and project_has_baseline and project_has_entries
           and project_start_date is not null and project_end_date is not null
         order by project_id, phase, role`,
    );
    return projectsFromRows(rows);
}

export async function quoteExists(w: Warehouse, quoteId: number): Promise<boolean> {
    return (await w.one(`select 1 from quotes.quotes where quote_id = $id`, { id: quoteId })) !== undefined;
}

/** The project a saved quote is linked to (null: none); undefined when there is no such quote. */
export async function linkedProject(w: Warehouse, quoteId: number): Promise<string | null | undefined> {
    return (await w.one<{ project_id: string | null }>(`select project_id from quotes.quotes where quote_id = $id`, { id: quoteId }))?.project_id;
}
