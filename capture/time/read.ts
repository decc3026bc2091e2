/**
 * Entries as the timesheet and the review show them: the canonical row with its project's name, the invoice
 * that bills it (invoicing.billed_entries, or an invoice loaded from a file) and the latest rejection's
 * comment while it is being fixed.
 */
import type { Params, Warehouse } from '../../warehouse/warehouse.ts';

/** A subquery of the ids in a bound JSON array parameter (`JSON.stringify(ids)`). */
export const IDS = (param: string) => `select unnest(from_json(${param}::json, '["VARCHAR"]')) as entry_id`;

export interface EntryView {
    entry_id: string;
    person_id: string;
    project_id: string;
    project_name: string | null;
    phase: string | null;
    activity: string;
    task: string | null;
    work_date: string;
    duration_seconds: number;
    billable: boolean;
    notes: string | null;
    source: string | null;
    status: 'draft' | 'submitted' | 'approved' | 'rejected';
    logged_at: string;
    approved_by: string | null;
    approved_at: string | null;
    invoice_id: string | null;
    rejection: { comment: string; by: string; at: string } | null;
}

interface Raw extends Omit<EntryView, 'rejection'> {
    rejection_comment: string | null;
    rejection_by: string | null;
    rejection_at: string | null;
}

/**
 * The entries `picked` selects (a query of entry_id over canonical.time_entries written by our code, its
 * values bound in `params`), in work-date and logging order.
 */
export async function readEntries(warehouse: Warehouse, picked: string, params: Params = []): Promise<EntryView[]> {
    const rows = await warehouse.all<Raw>(
        `with picked as (
            ${picked}
        ),
        entries as (
            select e.* from canonical.time_entries e where e.entry_id in (select entry_id from picked)
        ),
        invoiced as (
            select entry_id, min(invoice_id) as invoice_id
            from (
                select entry_id, invoice_id from invoicing.billed_entries where entry_id in (select entry_id from entries)
                union all
                select entry_id, invoice_id from canonical.invoice_line_entries where entry_id in (select entry_id from entries)
            )
            group by entry_id
        ),
        rejections as (
            select entry_id, arg_max(decision, decided_at) as decision, arg_max(comment, decided_at) as comment,
                arg_max(decided_by, decided_at) as decided_by, max(decided_at) as decided_at
            from capture.review_comments
            where entry_id in (select entry_id from entries)
            group by entry_id
        ),
        final as (
            select
                e.entry_id, e.person_id, e.project_id, p.name as project_name, e.phase, e.activity, e.task,
                e.work_date, e.duration_seconds, e.billable, e.notes, e.source, e.status, e.logged_at,
                e.approved_by, e.approved_at, i.invoice_id,
                case when r.decision = 'reject' and e.status <> 'approved' then r.comment end as rejection_comment,
                case when r.decision = 'reject' and e.status <> 'approved' then r.decided_by end as rejection_by,
                case when r.decision = 'reject' and e.status <> 'approved' then r.decided_at end as rejection_at,
            from entries e
            left join canonical.projects p on p.project_id = e.project_id
            left join invoiced i on i.entry_id = e.entry_id
            left join rejections r on r.entry_id = e.entry_id
        )
        select * from final
        order by work_date, logged_at, entry_id`,
        params,
    );
    return rows.map(({ rejection_comment, rejection_by, rejection_at, ...row }) => ({
        ...row,
        rejection: rejection_comment !== null ? { comment: rejection_comment, by: rejection_by ?? '', at: rejection_at ?? '' } : null,
    }));
}

export async function readEntry(warehouse: Warehouse, entryId: string): Promise<EntryView | undefined> {
    return (await readEntries(warehouse, `select $1::varchar as entry_id`, [entryId]))[0];
}
