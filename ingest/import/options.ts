/** How an import runs: the options its caller gives, and what every import has beside its files. */
import type { AuditWho } from '../../capture/audit.ts';
import type { ColumnMapping } from '../generic.ts';
import type { DateOrder } from './parse.ts';
import type { GivenMapping } from './resolve.ts';
import type { ToolName } from './tools.ts';

export interface ImportOptions {
    tool: ToolName | 'auto';
    dryRun?: boolean;
    /** Create unknown people, clients and projects (default); false rejects their entries. */
    create?: boolean;
    dateOrder?: DateOrder;
    timeZone?: string;
    mappings?: GivenMapping[];
    /** The generic tool's column mapping. */
    columns?: ColumnMapping | null;
    /** Who imports (the audit log's who and where); default the command line's user. */
    who?: AuditWho;
    /** The name each file goes by in the report (an upload's own name), by path. */
    names?: Readonly<Record<string, string>>;
    rejectsKeptPerReason?: number;
}

/** What every import has beside its files: when it started, its scratch folder, how many rejects it lists per reason. */
export interface ImportRun {
    started: number;
    scratch: string;
    keep: number;
}

