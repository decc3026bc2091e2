/**
 * What a drill-down's rows can be grouped by (GET /api/drill/:metric?group_by=…), and the column of the rows each
 * grouping groups on: a part offers those whose column its rows have and that it can be filtered to
 * (server/api/drill-groups.ts groupingsOf), so that a group opens as the same drill-down filtered to it.
 *
 * Plain data with no imports: the dashboard imports it as it is (web/lib/drill-groups.ts).
 */
export const DRILL_GROUPINGS = { project: 'project_id', person: 'person_id', client: 'client_id', month: 'month' } as const;
export type DrillGrouping = keyof typeof DRILL_GROUPINGS;
