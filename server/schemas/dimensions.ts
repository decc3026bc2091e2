/**
 * The labels behind the filters and the people directory (GET /api/dimensions, and /api/session's
 * dimensions), as server/api/dimensions.ts reads them from the dimension marts.
 */
import { z } from 'zod';
import { projectClient, projectDates } from './common.ts';

export const clientLabel = z.object({
    client_id: z.string(),
    client_name: z.string(),
    currency: z.string(),
    projects: z.number(),
    active_projects: z.number(),
});

export const projectLabel = z.object({
    project_id: z.string(),
    code: z.string().nullable(),
    project_name: z.string(),
    ...projectClient,
    billing_model: z.string(),
    is_client_work: z.boolean(),
    project_type: z.string(),
    manager_id: z.string().nullable(),
    manager_name: z.string().nullable(),
    ...projectDates,
    status: z.enum(['active', 'closed']),
    budget_hours: z.number().nullable().optional().describe('A project’s terms: absent where they are not the caller’s to see'),
    contract_value: z.number().nullable().optional().describe('A project’s terms: absent where they are not the caller’s to see'),
    currency: z.string(),
});

export const personLabel = z.object({
    person_id: z.string(),
    name: z.string(),
    role: z.string(),
    department: z.string(),
    is_active: z.boolean(),
    weekly_hours: z.number().nullable(),
});

export const dimensionsAnswer = z.object({
    currency: z.string(),
    as_of: z.string(),
    first_month: z.string().nullable(),
    last_month: z.string().nullable(),
    clients: z.array(clientLabel),
    projects: z.array(projectLabel),
    roles: z.array(z.object({ role: z.string(), people: z.number() })),
    departments: z.array(z.object({ department: z.string(), people: z.number() })),
    project_types: z.array(z.string()),
    people: z.array(personLabel).nullable(),
});

export type ClientDim = z.infer<typeof clientLabel>;
export type ProjectDim = z.infer<typeof projectLabel>;
export type PersonDim = z.infer<typeof personLabel>;
export type Dimensions = z.infer<typeof dimensionsAnswer>;
