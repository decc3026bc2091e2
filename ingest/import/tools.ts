/**
 * The tools an export can come from, how each is recognised from its header, and its column map: a time report's
 * (EntryFields), or a clients or projects list's (ListFields).
 */
import { clockifyFields, clockifyProjectFields, isClockify, isClockifyProjects } from '../clockify.ts';
import { UsageError } from '../files.ts';
import { genericFields, type ColumnMapping } from '../generic.ts';
import { harvestClientFields, harvestFields, harvestProjectFields, isHarvest, isHarvestClients, isHarvestProjects } from '../harvest.ts';
import { isJira, jiraFields } from '../jira.ts';
import { isKimai, kimaiFields } from '../kimai.ts';
import { isToggl, togglFields } from '../toggl.ts';
import type { EntryFields } from './entries.ts';
import type { ListFields } from './list-stage.ts';

export const TOOL_NAMES = ['toggl', 'clockify', 'harvest', 'kimai', 'jira', 'generic'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

const DETECTORS: [ToolName, (header: readonly string[]) => boolean][] = [
    ['toggl', isToggl],
    ['clockify', isClockify],
    ['harvest', isHarvest],
    ['kimai', isKimai],
    ['jira', isJira],
];

/** The lists a tool exports besides its time report: how each is recognised, and its column map. */
const LISTS: [ToolName, (header: readonly string[]) => boolean, (header: readonly string[]) => ListFields][] = [
    ['harvest', isHarvestClients, harvestClientFields],
    ['harvest', isHarvestProjects, harvestProjectFields],
    ['clockify', isClockifyProjects, clockifyProjectFields],
];

/** The clients or projects list this header is (of the named tool, or of any with 'auto'), or null: a time report. */
export function detectList(tool: ToolName | 'auto', header: readonly string[]): { tool: ToolName; fields: ListFields } | null {
    const found = LISTS.find(([t, matches]) => (tool === 'auto' || t === tool) && matches(header));
    return found ? { tool: found[0], fields: found[2](header) } : null;
}

export function isToolName(name: string): name is ToolName {
    return (TOOL_NAMES as readonly string[]).includes(name);
}

/** The tool whose export has this header, or null. */
export function detectTool(header: readonly string[]): ToolName | null {
    return DETECTORS.find(([, matches]) => matches(header))?.[0] ?? null;
}

export function toolFields(tool: ToolName, header: readonly string[], columns: ColumnMapping | null): EntryFields {
    switch (tool) {
        case 'toggl':
            return togglFields(header);
        case 'clockify':
            return clockifyFields(header);
        case 'harvest':
            return harvestFields(header);
        case 'kimai':
            return kimaiFields(header);
        case 'jira':
            return jiraFields(header);
        case 'generic':
            return genericFields(header, columns);
    }
}

/** A file named for a tool must carry that tool's columns (else the report would be all "is empty"). */
export function checkFields(tool: ToolName, fields: EntryFields, file: string, header: readonly string[]): void {
    const missing: string[] = [];
    if (!fields.user && !fields.email) missing.push('a person (user or e-mail)');
    if (!fields.startDate) missing.push('a date or start');
    if (!fields.duration && !fields.hours && !fields.endTime && !fields.endDate) missing.push('a duration, hours or an end');
    if (missing.length > 0) {
        throw new UsageError(
            `${file}: not a ${tool} time export: no column for ${missing.join(', ')} (its columns: ${header.slice(0, 30).join(', ')})` +
                (tool === 'generic' ? '; give a column mapping' : ''),
        );
    }
}
