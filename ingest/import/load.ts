/**
 * A planned import's canonical files loaded through canonical ingest (all or nothing), and in the same
 * transaction what the import leaves beside them: the resolutions remembered for the next import, the run
 * recorded (import.runs), and the audit — the import, each file's upload, and any row it changed in place
 * (with its values before and after).
 */
import { cliActor, recordAudit, recordAudits, recordUpload, type AuditEvent, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ingestFiles } from '../canonical.ts';
import type { InputFile } from '../files.ts';
import { recordRun, type ImportReport } from './report.ts';
import { rememberMappings } from './resolve.ts';

/** A row the import changes in place, as its audit event says it (who is the import's). */
export type Change = Omit<AuditEvent, keyof AuditWho>;

export interface LoadOptions {
    /** The tool the import's files came from ('import' when several). */
    tool: string;
    who?: AuditWho;
    /** When the import started (ms since the epoch). */
    started: number;
    /** What the import's counts count, for the audit's detail: "entries", "clients and projects". */
    counted: string;
    /** The import resolved people (a time report) whose mappings are remembered. */
    people: boolean;
    /** Events of the rows it changes in place, with their before and after. */
    changes?: readonly Change[];
}

/** Loads the files; sets the report's ingest, and ok and status when the load refuses them. */
export async function loadImport(warehouse: Warehouse, files: readonly InputFile[], report: ImportReport, o: LoadOptions): Promise<void> {
    const who = o.who ?? cliActor();
    const names = Object.fromEntries(files.map((f) => [f.path, `${o.tool} import: ${f.entity}`]));
    report.ingest = await ingestFiles(warehouse, files, {
        actor: who.actor,
        names,
        // In the load's transaction: the mappings, the import's record and its audit commit with it.
        beforeCommit: async (loaded) => {
            await rememberMappings(warehouse, who.actor, o.people);
            const run = await recordRun(warehouse, o.tool, report, who.actor, o.started);
            await recordAudit(warehouse, {
                ...who,
                action: 'import',
                entity: 'import',
                entity_id: String(run),
                after: { tool: o.tool, files: report.files.map((f) => f.file), created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected, seconds: report.seconds_imported },
                detail: `${o.tool}: ${report.imported} ${o.counted} imported (${report.created} new, ${report.updated} updated), ${report.rejected} rows rejected`,
            });
            await recordAudits(warehouse, (o.changes ?? []).map((c) => ({ ...c, ...who })));
            await recordUpload(warehouse, who, loaded);
        },
    });
    if (!report.ingest.ok) {
        report.ok = false;
        report.status = 'rejected';
    }
}
