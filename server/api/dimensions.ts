/**
 * The labels behind the dashboard's filters (clients, projects, roles, departments, project types) and the
 * people directory, as a caller may see them: /api/dimensions and /api/session both answer it.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Caller } from '../plugins/auth.ts';
import { ROLE_GROUPS } from '../roles.ts';
import { clientLabels, departmentHeadcounts, monthRange, peopleDirectory, projectLabels, projectTypes, roleHeadcounts } from '../queries/dimensions.ts';
import type { ClientDim, Dimensions, PersonDim, ProjectDim } from '../schemas/dimensions.ts';
import { managesOwnOnly } from './access.ts';
import { firmContext } from './metric.ts';

/** What /api/dimensions answers to everyone; it changes only when the warehouse does. */
interface SharedDimensions {
    generation: number;
    first_month: string | null;
    last_month: string | null;
    clients: ClientDim[];
    projects: ProjectDim[];
    roles: Dimensions['roles'];
    departments: Dimensions['departments'];
    project_types: string[];
    people: PersonDim[];
}

const DIRECTORY_ROLES = ROLE_GROUPS.analysts;

/** A project's terms: money and budget, for those who see the project's figures (server/api/access.ts). */
export const TERMS = ['contract_value', 'budget_hours'] as const;
const TERMS_ROLES = ROLE_GROUPS.analysts;

/** The projects as the caller may see them: terms left out where the project's figures are not theirs. */
function projectsFor(caller: Caller, projects: ProjectDim[]): ProjectDim[] {
    const own = (p: ProjectDim) => TERMS_ROLES.includes(caller.role) && (!managesOwnOnly(caller) || (caller.person_id !== null && p.manager_id === caller.person_id));
    const terms = new Set<string>(TERMS);
    return projects.map((p) => (own(p) ? p : (Object.fromEntries(Object.entries(p).filter(([k]) => !terms.has(k))) as ProjectDim)));
}

/** The shared part, read once per committed generation of a warehouse (one reader per warehouse). */
const readers = new WeakMap<Warehouse, (asOf: string) => Promise<SharedDimensions>>();

function sharedReader(w: Warehouse): (asOf: string) => Promise<SharedDimensions> {
    let shared: Promise<SharedDimensions> | null = null;
    let sharedGeneration = -1;
    /** Read once per committed generation, the independent queries side by side on the warehouse's lanes. */
    return (asOf: string): Promise<SharedDimensions> => {
        const generation = w.generation;
        if (shared && sharedGeneration === generation) return shared;
        sharedGeneration = generation;
        const loading = Promise.all([
            monthRange(w, asOf),
            clientLabels(w),
            projectLabels(w),
            roleHeadcounts(w),
            departmentHeadcounts(w),
            projectTypes(w),
            peopleDirectory(w),
        ]).then(([range, clients, projects, roles, departments, types, people]) => ({
            generation,
            first_month: range?.first_month ?? null,
            last_month: range?.last_month ?? null,
            clients,
            projects,
            roles,
            departments,
            project_types: types,
            people,
        }));
        shared = loading;
        // A failed read is not kept: the next request tries again.
        loading.catch(() => {
            if (shared === loading) shared = null;
        });
        return loading;
    };
}

/** The dimensions as `caller` may see them. */
export async function dimensionsFor(warehouse: Warehouse, caller: Caller): Promise<Dimensions> {
    let sharedDimensions = readers.get(warehouse);
    if (!sharedDimensions) {
        sharedDimensions = sharedReader(warehouse);
        readers.set(warehouse, sharedDimensions);
    }
    const firm = await firmContext(warehouse);
    const d = await sharedDimensions(firm.as_of);
    // The directory labels drill-down rows for those who open them; an engineer sees themself only.
    const people = DIRECTORY_ROLES.includes(caller.role) ? d.people : caller.role === 'engineer' ? d.people.filter((p) => p.person_id === caller.person_id) : null;
    return {
        currency: firm.currency,
        as_of: firm.as_of,
        first_month: d.first_month,
        last_month: d.last_month,
        clients: d.clients,
        projects: projectsFor(caller, d.projects),
        roles: d.roles,
        departments: d.departments,
        project_types: d.project_types,
        people,
    };
}
