/**
 * The staged import as canonical inputs (people, clients, projects it creates; its time entries), and what
 * loading them would do to the warehouse: created, updated, unchanged. They go to canonical ingest
 * (ingest/canonical.ts) as staged rows, which it loads all or nothing under its own rules.
 *
 * The same entry twice in one import (two overlapping exports given together): the later file's row is the
 * entry, the earlier ones are counted as duplicates. An entry already in the warehouse keeps the status it
 * has there (approved stays approved) unless the export itself says approved. An entry that is approved or
 * invoiced here is frozen: an import that would change it leaves it as it is and counts it as `frozen`.
 */
import path from 'node:path';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { InputFile } from '../files.ts';
import { ENTRIES } from './entries.ts';
import { projectKey } from './resolve.ts';

export const CANONICAL_ENTRIES = 'imp_canonical_entries';

export interface WriteCounts {
    /** Entries the import holds (after duplicates), and their seconds. */
    entries: number;
    seconds: number;
    created: number;
    updated: number;
    unchanged: number;
    /** Entries the import would change that are approved or invoiced here: left as they are. */
    frozen: number;
    duplicates: number;
    duplicate_seconds: number;
}

export async function prepareEntries(warehouse: Warehouse, tool: string): Promise<WriteCounts> {
    await warehouse.run(`
        create or replace temp table ${CANONICAL_ENTRIES} as
        with repeated as (
            select hash(entry_id) as h from ${ENTRIES} where reason is null group by h having count(*) > 1
        ),

        -- an entry given once is its own version; of one given again, the last, ranked over the entries whose
        -- hash repeats (a superset of those given again: grouping by hash is cheaper than by the text)
        valid as (
            select *, 1 as version from ${ENTRIES} where reason is null and hash(entry_id) not in (select h from repeated)
            union all
            select *, row_number() over (partition by entry_id order by file_no desc, __row desc) as version
            from ${ENTRIES} where reason is null and hash(entry_id) in (select h from repeated)
        ),

        resolved as (
            select
                v.entry_id,
                p.person_id,
                pr.project_id,
                null::varchar as phase,
                v.task,
                v.activity,
                v.work_date,
                v.seconds::bigint as duration_seconds,
                v.billable,
                v.notes,
                ${literal(tool)} as source,
                v.logged_at,
                case when v.status = 'approved' then 'approved' else coalesce(t.status, v.status) end as status,
                case when v.status <> 'approved' and t.status = 'approved' then t.approved_by end as approved_by,
                case when v.status <> 'approved' and t.status = 'approved' then t.approved_at end as approved_at,
                v.started_at,
                v.ended_at,
                t.entry_id is not null as existed,
                t.entry_id is not null and (
                    t.person_id, t.project_id, t.task, t.activity, t.work_date, t.duration_seconds, t.billable, t.notes, t.source,
                    t.logged_at, t.started_at, t.ended_at
                ) is not distinct from (
                    p.person_id, pr.project_id, v.task, v.activity, v.work_date, v.seconds, v.billable, v.notes, ${literal(tool)},
                    v.logged_at, v.started_at, v.ended_at
                ) and (v.status <> 'approved' or t.status = 'approved') as same,
                t.entry_id is not null and (
                    t.status = 'approved'
                    or t.entry_id in (select entry_id from invoicing.billed_entries)
                    or t.entry_id in (select entry_id from canonical.invoice_line_entries)
                ) as frozen
            from valid v
            join imp_people p on p.person_key = v.person_key
            join imp_projects pr on pr.project_key = ${projectKey('v.client', 'v.project')}
            left join canonical.time_entries t on t.entry_id = v.entry_id
            where v.version = 1
        )

        -- not in key order: a load of 1M entries costs as much unsorted as sorted (the sort costs what it saves
        -- the key index the load rebuilds), and a smaller load, whose keys the index takes one by one, only
        -- paid for the sort
        select * from resolved`);
    const counts = await warehouse.one<WriteCounts>(`
        select
            count(*)::bigint as entries,
            coalesce(sum(duration_seconds), 0)::bigint as seconds,
            count(*) filter (where not existed)::bigint as created,
            count(*) filter (where existed and not same and not frozen)::bigint as updated,
            count(*) filter (where existed and not same and frozen)::bigint as frozen,
            count(*) filter (where same)::bigint as unchanged,
            (select count(*) from ${ENTRIES} where reason is null)::bigint - count(*) as duplicates,
            (select coalesce(sum(seconds), 0) from ${ENTRIES} where reason is null)::bigint - coalesce(sum(duration_seconds), 0)::bigint as duplicate_seconds
        from ${CANONICAL_ENTRIES}`);
    return counts!;
}

const ENTRY_COLUMNS =
    'entry_id, person_id, project_id, phase, task, activity, work_date, duration_seconds, billable, notes, source, logged_at, status, approved_by, approved_at, started_at, ended_at';

/**
 * A writer of canonical inputs: each call stages the rows of `select` (in the entity's columns) as the view
 * imp_write_<entity>, handed to canonical ingest as is; <entity>.csv in dir is where canonical ingest writes
 * them should it need to report on them line by line. No rows: no input.
 */
export function canonicalWriter(warehouse: Warehouse, dir: string): { files: InputFile[]; copy: (entity: InputFile['entity'], select: string) => Promise<void> } {
    const files: InputFile[] = [];
    const copy = async (entity: InputFile['entity'], select: string) => {
        const relation = `imp_write_${entity}`;
        await warehouse.run(`create or replace temp view ${relation} as ${select}`);
        const n = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}`);
        if (!n || n.n === 0) return;
        files.push({ path: path.join(dir, `${entity}.csv`), entity, format: 'csv', relation });
    };
    return { files, copy };
}

/** The canonical inputs of what the import creates and its changed entries. */
export async function writeCanonical(warehouse: Warehouse, dir: string): Promise<InputFile[]> {
    const { files, copy } = canonicalWriter(warehouse, dir);
    // The people and projects the import's entries name, once: the inputs below ask it several times.
    await warehouse.run(`create or replace temp table imp_entry_refs as select distinct person_id, project_id from ${CANONICAL_ENTRIES}`);
    await copy(
        'people',
        `select p.person_id, p.name, p.email, coalesce(p.role, 'unassigned') as role, null::varchar as department, p.first_day as start_date, null::date as end_date
        from imp_people p where p.how = 'new' and p.person_id in (select person_id from imp_entry_refs)`,
    );
    await copy('clients', newClientRows(`select client_id from imp_projects where project_id in (select project_id from imp_entry_refs)`));
    await copy('projects', newProjectRows(`select project_id from imp_entry_refs`));
    await copy('time_entries', `select ${ENTRY_COLUMNS} from ${CANONICAL_ENTRIES} where not same and not frozen`);
    return files;
}

/** The canonical rows (clients.csv) of the clients the import creates whose id `ids` (a query) selects. */
export function newClientRows(ids: string): string {
    return `select c.client_id, c.name, c.currency_or_default as currency from imp_clients c where c.how = 'new' and c.client_id in (${ids})`;
}

/** What a list gives a new project, as SQL over its row `l` (joined by `join`); the rest is the defaults. */
export interface ProjectGiven {
    join: string;
    code: string;
    start_date: string;
    end_date: string;
    status: string;
    budget_hours: string;
    contract_value: string;
}

/**
 * The canonical rows (projects.csv) of the projects the import creates whose id `ids` selects: the billing model
 * resolve.ts derived, project_type "imported", no manager, active from its first day, no end and no budget —
 * unless a list gives them (`given`).
 */
export function newProjectRows(ids: string, given?: ProjectGiven): string {
    return `select p.project_id, p.client_id, ${given?.code ?? 'p.code'} as code, p.name, p.billing_model, 'imported' as project_type, null as manager_id,
            ${given?.start_date ?? 'p.first_day'} as start_date, ${given?.end_date ?? 'null'} as end_date, ${given?.status ?? `'active'`} as status,
            ${given?.budget_hours ?? 'null'} as budget_hours, ${given?.contract_value ?? 'null'} as contract_value
        from imp_projects p ${given?.join ?? ''} where p.how = 'new' and p.project_id in (${ids})`;
}
