/** `realize quote prepare-sip`: the SiP dataset as one CSV of work items (quote.ts's header says how). */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../../ingest/files.ts';
import { literal, type Warehouse } from '../../../warehouse/warehouse.ts';
import { utf8Copy } from './work-items.ts';

/** The SQL of prepare-sip (see the header): one row per task of Jones's filter, with its dates. */
export async function prepareSip(warehouse: Warehouse, dir: string, out: string): Promise<{ tasks: number }> {
    const tasksFile = path.join(dir, 'Sip-task-info.csv');
    const datesFile = path.join(dir, 'est-act-dates.csv');
    for (const f of [tasksFile, datesFile]) if (!fs.existsSync(f)) throw new UsageError(`${f}: no such file (give the SiP folder)`);
    const tasks = utf8Copy(tasksFile, 'windows-1252');
    try {
        await warehouse.run(`
            copy (
                with task_rows as (
                    select * from read_csv(${literal(tasks.path)}, all_varchar = true, header = true)
                ),
                dates as (
                    select distinct TaskNumber, EstimateOn, StartedOn, CompletedOn
                    from read_csv(${literal(datesFile)}, all_varchar = true, header = true)
                ),
                kept as (
                    select
                        TaskNumber,
                        any_value(ProjectCode) as ProjectCode,
                        any_value(Category) as Category,
                        any_value(SubCategory) as SubCategory,
                        any_value(StatusCode) as StatusCode,
                        any_value(HoursEstimate) as HoursEstimate,
                        any_value(HoursActual) as HoursActual,
                    from task_rows
                    where StatusCode not in ('CANCELLED', 'TEMPLATE', 'CHRONICLE')
                    group by TaskNumber
                ),
                final as (
                    select kept.*, dates.EstimateOn, dates.StartedOn, dates.CompletedOn
                    from kept
                    left join dates using (TaskNumber)
                    order by TaskNumber::integer
                )
                select * from final
            ) to ${literal(out)} (header, delimiter ',')`);
        const n = await warehouse.one<{ n: number }>(`select count(*)::integer as n from read_csv(${literal(out)}, all_varchar = true, header = true)`);
        return { tasks: n!.n };
    } finally {
        if (tasks.temporary) fs.rmSync(path.dirname(tasks.path), { recursive: true, force: true });
    }
}
