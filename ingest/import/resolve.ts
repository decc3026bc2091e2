/**
 * Who, for whom, on what: the people, clients and projects an import names, resolved to canonical rows.
 *   people    by a remembered mapping, then e-mail (case-insensitive), then name (case-insensitive; the
 *             lowest person_id when several share it);
 *   clients   by mapping, then name; an entry with no client is internal work and resolves no client;
 *   projects  by mapping, then name within the resolved client (internal work: among the projects without a
 *             client); no project → "(no project)".
 * What resolves to nothing is created (ids: a slug of the name and 6 hex digits of its key, e.g.
 * `peter-tester-3f2a1b`) unless the import says not to (then its entries are rejected, naming it). Every
 * resolution is remembered (import.mappings) when the import commits, and a mapping given with the import
 * (`--map`) overrides them all.
 * New people get role "unassigned" unless the export names one; new projects are time_and_materials when
 * any of their imported entries is billable, else non_billable, project_type "imported", active, from their
 * first imported day; a new project of internal work has no client and is non_billable whatever its entries
 * say (PRODUCT.md: a project without a client is internal work; its billable entries are flagged for review);
 * new clients take the currency the export gives, else the firm's reporting currency.
 * A project's key (import.mappings) is `<client>/<project>`, lowercased; internal work's client part is
 * "(no client)", the key earlier imports remembered it by, so their mappings still resolve.
 * Clients and projects resolve the same way whatever the rows are: a time report's entries, or the rows of a
 * clients or projects list (lists.ts), which give `billable` and a start date (`work_date`) of their own.
 */
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { UsageError } from '../files.ts';
import { ENTRIES } from './entries.ts';

/** The client part of an internal project's key (not a client: internal work has none). */
export const NO_CLIENT = '(no client)';
export const NO_PROJECT = '(no project)';

export interface GivenMapping {
    kind: 'person' | 'client' | 'project';
    /** As import.mappings keys it: a lowercased e-mail or `name:<name>`, a client name, `<client>/<project>`. */
    source_key: string;
    target_id: string;
}

/** A mapping as written on the command line or in a query: `person:ada@example.com=p001`, `client:acme=c01`, `project:acme/website=pr07`. */
export function parseMapping(text: string): GivenMapping {
    const m = /^(person|client|project):(.+)=(.+)$/.exec(text);
    if (!m) throw new UsageError(`"${text}" is not a mapping: give person:<e-mail or name:Name>=<person_id>, client:<name>=<client_id> or project:<client>/<project>=<project_id>`);
    return { kind: m[1] as GivenMapping['kind'], source_key: m[2]!.toLowerCase(), target_id: m[3]! };
}

export interface Created {
    kind: 'person' | 'client' | 'project';
    id: string;
    name: string;
    /** The client's name, for a project ("Internal" for internal work: lib/internal-work.ts). */
    client: string | null;
}

/** A row's client key (its name lowercased), as imp_clients keys it; null for internal work (no client). */
export function clientKey(client: string): string {
    return `lower(nullif(${client}, ''))`;
}

/** A row's project key, `<client>/<project name>` lowercased (internal work's client part "(no client)", an empty project "(no project)"), as imp_projects keys it. */
export function projectKey(client: string, project: string): string {
    return `coalesce(${clientKey(client)}, ${literal(NO_CLIENT)}) || '/' || lower(coalesce(nullif(${project}, ''), ${literal(NO_PROJECT)}))`;
}

const slug = (x: string, key: string) =>
    `trim(left(regexp_replace(lower(strip_accents(${x})), '[^a-z0-9]+', '-', 'g'), 40), '-') || '-' || left(md5(${key}), 6)`;

const mapped = (kind: string, key: string) =>
    `coalesce((select g.target_id from imp_given g where g.kind = '${kind}' and g.source_key = ${key} limit 1), ` +
    `(select m.target_id from import.mappings m where m.kind = '${kind}' and m.source_key = ${key}))`;

async function loadGiven(warehouse: Warehouse, given: readonly GivenMapping[]): Promise<void> {
    await warehouse.run(`create or replace temp table imp_given (kind varchar, source_key varchar, target_id varchar)`);
    for (const m of given) await warehouse.run(`insert into imp_given values ($1, $2, $3)`, [m.kind, m.source_key.toLowerCase(), m.target_id]);
}

/** Resolves the staged entries' people, clients and projects into imp_people, imp_clients, imp_projects. */
export async function resolveEntities(warehouse: Warehouse, given: readonly GivenMapping[], create: boolean): Promise<void> {
    await loadGiven(warehouse, given);

    await warehouse.run(`
        create or replace temp table imp_people as
        with wanted as (
            select person_key, any_value(person_name order by file_no desc, __row desc) as name, any_value(email) as email,
                any_value(role) as role, min(work_date) as first_day
            from ${ENTRIES} where reason is null group by person_key
        ),

        found as (
            select
                w.*,
                ${mapped('person', 'w.person_key')} as by_mapping,
                (select min(p.person_id) from canonical.people p where w.email is not null and lower(p.email) = w.email) as by_email,
                (select min(p.person_id) from canonical.people p where lower(trim(p.name)) = lower(w.name)) as by_name
            from wanted w
        ),

        final as (
            select
                *,
                coalesce(by_mapping, by_email, by_name, case when ${create} then ${slug('name', 'person_key')} end) as person_id,
                case when by_mapping is not null then 'mapping' when by_email is not null then 'e-mail'
                    when by_name is not null then 'name' else 'new' end as how
            from found
        )

        select * from final`);
    await resolveWork(warehouse, create, ENTRIES, ENTRIES);
}

/**
 * Resolves the clients and projects of a list's rows into imp_clients and imp_projects, as a time import's are.
 * `clients`: relation of rows naming a client (client, currency, file_no, __row, reason); `projects`: of rows
 * naming a project (those and project, project_code, billable, work_date).
 */
export async function resolveClientsAndProjects(warehouse: Warehouse, given: readonly GivenMapping[], create: boolean, clients: string, projects: string): Promise<void> {
    await loadGiven(warehouse, given);
    await resolveWork(warehouse, create, clients, projects);
}

async function resolveWork(warehouse: Warehouse, create: boolean, clients: string, projects: string): Promise<void> {
    await warehouse.run(`
        create or replace temp table imp_clients as
        with wanted as (
            select ${clientKey('client')} as client_key,
                any_value(client order by file_no desc, __row desc) as name,
                mode(currency) as currency
            from ${clients} where reason is null and ${clientKey('client')} is not null group by all
        ),

        found as (
            select
                w.*,
                ${mapped('client', 'w.client_key')} as by_mapping,
                (select min(c.client_id) from canonical.clients c where lower(trim(c.name)) = w.client_key) as by_name
            from wanted w
        ),

        final as (
            select
                *,
                coalesce(by_mapping, by_name, case when ${create} then ${slug('name', 'client_key')} end) as client_id,
                case when by_mapping is not null then 'mapping' when by_name is not null then 'name' else 'new' end as how,
                coalesce(currency, (select value from canonical.settings where key = 'reporting_currency'), 'USD') as currency_or_default
            from found
        )

        select * from final`);

    await warehouse.run(`
        create or replace temp table imp_projects as
        with wanted as (
            select
                ${clientKey('client')} as client_key,
                ${projectKey('client', 'project')} as project_key,
                any_value(coalesce(nullif(project, ''), ${literal(NO_PROJECT)}) order by file_no desc, __row desc) as name,
                any_value(project_code) as code,
                bool_or(billable) as any_billable,
                min(work_date) as first_day
            from ${projects} where reason is null group by all
        ),

        found as (
            select
                w.*,
                w.client_key is null as internal,
                c.client_id,
                c.name as client_name,
                ${mapped('project', 'w.project_key')} as by_mapping,
                case
                    when w.client_key is null then
                        (select min(p.project_id) from canonical.projects p where p.client_id is null and lower(trim(p.name)) = lower(w.name))
                    else (select min(p.project_id) from canonical.projects p where p.client_id = c.client_id and lower(trim(p.name)) = lower(w.name))
                end as by_name
            from wanted w
            left join imp_clients c on c.client_key = w.client_key
        ),

        final as (
            select
                *,
                coalesce(by_mapping, by_name, case when ${create} and (internal or client_id is not null) then ${slug('name', 'project_key')} end) as project_id,
                case when by_mapping is not null then 'mapping' when by_name is not null then 'name' else 'new' end as how,
                case when not internal and any_billable then 'time_and_materials' else 'non_billable' end as billing_model
            from found
        )

        select * from final`);
}

/** Entries whose person, client or project resolved to nothing (the import creates none): rejected, naming it. */
export async function rejectUnresolved(warehouse: Warehouse): Promise<void> {
    await warehouse.run(`
        update ${ENTRIES} e set reason = case
                when p.person_id is null then 'unknown person "' || p.name || '" (not created: map it to someone, or allow creating)'
                when not pr.internal and pr.client_id is null then 'unknown client "' || e.client || '" (not created: map it, or allow creating)'
                when pr.internal then 'unknown internal project "' || pr.name || '" (not created: map it, or allow creating)'
                else 'unknown project "' || pr.name || '" of "' || pr.client_name || '" (not created: map it, or allow creating)'
            end
        from imp_people p, imp_projects pr
        where e.reason is null
            and p.person_key = e.person_key
            and pr.project_key = ${projectKey('e.client', 'e.project')}
            and (p.person_id is null or pr.project_id is null)`);
}

/** What the import would create: new people (unless it resolved none: a list), clients and projects. */
export async function createdEntities(warehouse: Warehouse, people = true): Promise<Created[]> {
    return warehouse.all<Created>(`
        ${people ? `select 'person' as kind, person_id as id, name, null as client from imp_people where how = 'new' and person_id is not null union all` : ''}
        select 'client' as kind, client_id as id, name, null as client from imp_clients where how = 'new' and client_id is not null
        union all
        select 'project', project_id, name, case when internal then ${literal(INTERNAL_CLIENT_NAME)} else client_name end
        from imp_projects where how = 'new' and project_id is not null
        order by kind, name`);
}

/** Remembers every resolution of this import for the next one (the first mapping of a key stays); people unless it resolved none. */
export async function rememberMappings(warehouse: Warehouse, actor: string | null, people = true): Promise<void> {
    await warehouse.run(
        `insert into import.mappings
        select kind, source_key, target_id, now(), $1 from (
            ${people ? `select 'person' as kind, person_key as source_key, person_id as target_id from imp_people where person_id is not null union all` : ''}
            select 'client' as kind, client_key as source_key, client_id as target_id from imp_clients where client_id is not null
            union all select 'project', project_key, project_id from imp_projects where project_id is not null
        ) m
        where not exists (select 1 from import.mappings x where x.kind = m.kind and x.source_key = m.source_key)`,
        [actor],
    );
}
