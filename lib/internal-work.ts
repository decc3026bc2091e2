/**
 * Internal work: a project without a client (PRODUCT.md: projects.client_id may be empty for internal work;
 * its billing model is non_billable). Wherever the product names a project's client — a grouping by client,
 * a project's label, a timesheet row — internal work is named INTERNAL_CLIENT_NAME, defined here once.
 *
 * Plain TypeScript with no imports: the server's answers and the dashboard's pages name it the same way.
 */

export const INTERNAL_CLIENT_NAME = 'Internal';

/** The name shown for a project's client: the client's own, or INTERNAL_CLIENT_NAME when it has none. */
export function clientNameOf(clientName: string | null | undefined): string {
    return clientName ?? INTERNAL_CLIENT_NAME;
}
