/**
 * An import of a tool's clients and projects lists (Harvest's clients and projects exports, Clockify's projects
 * report), which firms bring before their time so that projects carry their codes, dates, status and budgets:
 *   1. stage each list's rows (list-stage.ts) with the date order and decimal mark detected over all its files;
 *   2. resolve clients and projects exactly as a time import does (resolve.ts: remembered mappings, then the
 *      name; a project by its name within its client; a project without a client as an entry without one);
 *   3. compare with the warehouse: a client or project it does not have is created (with the defaults a time
 *      import gives a new project, write.ts, and what the list says beside them: a new project without a start
 *      date starts on the day of the import, or on its end date when that is earlier); a project it has
 *      takes the fields the list gives — code, start and end dates, status, budget_hours, contract_value — an
 *      empty cell leaving the field as it is; its name, client, billing model, type and manager stay. A client
 *      it has is unchanged (a list gives no client field to update);
 *   4. unless a dry run: the new and changed rows load through canonical ingest (load.ts) and each project
 *      changed in place is audited with its fields before and after.
 * The same client or project twice in an import: the later row (file order, then line) is the one imported,
 * the earlier ones count as duplicates. Every row is created, updated, unchanged, a duplicate or rejected with
 * its file, line, reason and value; importing the same lists again changes nothing.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { InputFile } from '../files.ts';
import { detectLayout } from './detect.ts';
import type { Field } from './entries.ts';
import { LIST_ROWS, listDates, listNumbers, listRowKey, rejectUnresolvedRows, stageList, type ListFields } from './list-stage.ts';
import { loadImport, type Change } from './load.ts';
import { collectRejects, fileReport, plannedReport, rejectedPerFile, type ImportReport } from './report.ts';
import { clientKey, createdEntities, projectKey, resolveClientsAndProjects } from './resolve.ts';
import type { ImportOptions, ImportRun } from './options.ts';
import type { SourceFile } from './source.ts';
import type { ToolName } from './tools.ts';
import { canonicalWriter, newClientRows, newProjectRows } from './write.ts';

export interface ListSource {
    source: SourceFile;
    tool: ToolName;
    fields: ListFields;
}

/** The winning rows of projects lists, resolved, with the warehouse's project beside them (imp_list_projects). */
const PROJECTS = 'imp_list_projects';
/** The project fields a list may give, in canonical order. */
const GIVEN = ['code', 'start_date', 'end_date', 'status', 'budget_hours', 'contract_value'] as const;
const PROJECT_COLUMNS = 'project_id, client_id, code, name, billing_model, project_type, manager_id, start_date, end_date, status, budget_hours, contract_value';

export async function importLists(warehouse: Warehouse, lists: readonly ListSource[], options: ImportOptions, run: ImportRun): Promise<ImportReport> {
    const planned = await warehouse.transaction(async () => {
        const cells = (pick: (f: ListFields) => (Field | undefined)[]) => lists.flatMap((l) => pick(l.fields).map((field) => ({ relation: l.source.relation, field })));
        const { dateOrder, decimal } = await detectLayout(warehouse, cells(listDates), cells(listNumbers), options.dateOrder);
        for (const [i, l] of lists.entries()) await stageList(warehouse, l.source, l.fields, { dateOrder, decimal, fileNo: i }, i === 0);
        const create = options.create !== false;
        await resolveClientsAndProjects(
            warehouse,
            options.mappings ?? [],
            create,
            `(select client, currency, file_no, __row, reason from ${LIST_ROWS})`,
            `(select * from ${LIST_ROWS} where kind = 'projects')`,
        );
        if (!create) await rejectUnresolvedRows(warehouse);
        const counts = await compare(warehouse);
        const created = await createdEntities(warehouse, false);
        const files = options.dryRun ? [] : await writeLists(warehouse, run.scratch);
        const changes = options.dryRun ? [] : await changedProjects(warehouse);
        const rejected = await collectRejects(warehouse, LIST_ROWS, lists.map((l) => l.source), run.keep, null);
        return { dateOrder, decimal, counts, created, files, changes, rejected };
    });
    const { counts, rejected } = planned;
    const perFile = rejectedPerFile(rejected.counts);
    const tool = lists.every((l) => l.tool === lists[0]!.tool) ? lists[0]!.tool : 'import';
    const files = lists.map((l) => fileReport(l.source, l.tool, l.fields.kind, perFile));
    // A list's rows have no duration, and nothing of a list is frozen.
    const report = plannedReport(options.dryRun ?? false, files, planned, { ...counts, frozen: 0, seconds: 0, duplicate_seconds: 0 }, rejected, planned.created, run.keep);
    if (!options.dryRun && planned.files.length > 0) {
        await loadImport(warehouse, planned.files, report, { tool, who: options.who, started: run.started, counted: 'clients and projects', people: false, changes: planned.changes });
    }
    report.duration_ms = Date.now() - run.started;
    return report;
}

interface ListCounts {
    created: number;
    updated: number;
    unchanged: number;
    duplicates: number;
}

/** Each winning row's outcome: projects into imp_list_projects (new values beside the warehouse's), then the counts. */
async function compare(warehouse: Warehouse): Promise<ListCounts> {
    const after = (f: (typeof GIVEN)[number]) => (f === 'code' ? `coalesce(w.project_code, t.code)` : `coalesce(w.${f}, t.${f})`);
    await warehouse.run(`
        create or replace temp table ${PROJECTS} as
        with valid as (
            select r.*, row_number() over (partition by ${listRowKey('r')} order by r.file_no desc, r.__row desc) as version
            from ${LIST_ROWS} r where r.reason is null
        ),

        final as (
            select
                w.file,
                w.__row,
                p.project_id,
                p.how,
                w.start_date as list_start_date,
                w.end_date as list_end_date,
                w.project_code as list_code,
                w.status as list_status,
                w.budget_hours as list_budget_hours,
                w.contract_value as list_contract_value,
                t.project_id is not null as existed,
                ${GIVEN.map((f) => `t.${f} as before_${f}, ${after(f)} as after_${f}`).join(',\n                ')},
                t.project_id is not null and (${GIVEN.map((f) => `t.${f}`).join(', ')}) is not distinct from (${GIVEN.map(after).join(', ')}) as same
            from valid w
            join imp_projects p on p.project_key = ${projectKey('w.client', 'w.project')}
            left join canonical.projects t on t.project_id = p.project_id
            where w.version = 1 and w.kind = 'projects'
        )

        select * from final`);
    const counts = await warehouse.one<ListCounts>(`
        with clients as (
            select c.how = 'new' as created
            from (select r.*, row_number() over (partition by ${listRowKey('r')} order by r.file_no desc, r.__row desc) as version from ${LIST_ROWS} r where r.reason is null) w
            join imp_clients c on c.client_key = ${clientKey('w.client')}
            where w.version = 1 and w.kind = 'clients'
        )

        select
            (select count(*) filter (where created) from clients)::bigint + (select count(*) filter (where not existed) from ${PROJECTS})::bigint as created,
            (select count(*) filter (where existed and not same) from ${PROJECTS})::bigint as updated,
            (select count(*) filter (where not created) from clients)::bigint + (select count(*) filter (where same) from ${PROJECTS})::bigint as unchanged,
            (select count(*) from ${LIST_ROWS} where reason is null)::bigint - (select count(*) from clients)::bigint - (select count(*) from ${PROJECTS})::bigint as duplicates`);
    return counts!;
}

/** The canonical files of what the lists create and change: new clients, new and changed projects. */
async function writeLists(warehouse: Warehouse, dir: string): Promise<InputFile[]> {
    const { files, copy } = canonicalWriter(warehouse, dir);
    await copy('clients', newClientRows(`select client_id from imp_clients`));
    const created = newProjectRows(`select project_id from ${PROJECTS} where not existed`, {
        join: `join ${PROJECTS} l on l.project_id = p.project_id`,
        code: 'l.list_code',
        start_date: 'coalesce(l.list_start_date, least(current_date, coalesce(l.list_end_date, current_date)))',
        end_date: 'l.list_end_date',
        status: `coalesce(l.list_status, 'active')`,
        budget_hours: 'l.list_budget_hours',
        contract_value: 'l.list_contract_value',
    });
    const changed = `
        select t.project_id, t.client_id, l.after_code, t.name, t.billing_model, t.project_type, t.manager_id, l.after_start_date, l.after_end_date,
            l.after_status, l.after_budget_hours, l.after_contract_value
        from ${PROJECTS} l join canonical.projects t on t.project_id = l.project_id
        where l.existed and not l.same`;
    await copy('projects', `select ${PROJECT_COLUMNS} from (${created}) union all ${changed}`);
    return files;
}

/** The audit events of the projects the lists change in place: the fields they give, before and after. */
async function changedProjects(warehouse: Warehouse): Promise<Change[]> {
    // JSON-safe: hours as a number, money (exact) and dates as text.
    const text = (x: string) => (x.endsWith('budget_hours') ? `${x}::double` : `${x}::varchar`);
    const rows = await warehouse.all<Record<string, string | number | null>>(
        `select project_id, file, ${GIVEN.flatMap((f) => [`${text(`before_${f}`)} as before_${f}`, `${text(`after_${f}`)} as after_${f}`]).join(', ')}
        from ${PROJECTS} where existed and not same order by project_id`,
    );
    return rows.map((r) => ({
        action: 'update',
        entity: 'project',
        entity_id: String(r.project_id),
        before: Object.fromEntries(GIVEN.map((f) => [f, r[`before_${f}`] ?? null])),
        after: Object.fromEntries(GIVEN.map((f) => [f, r[`after_${f}`] ?? null])),
        detail: `from the projects list ${r.file}`,
    }));
}
