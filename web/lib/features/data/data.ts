/** The Data page's tables: ingest batches, a batch's rejected rows, the review flags by rule. */
import type { Batch, Reject } from '../../api/types.ts';
import { humanize } from '../../format.ts';
import type { Row, TableData } from '../../table.ts';

const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function batchTable(batches: Batch[]): TableData {
    return {
        columns: [
            { key: 'batch_id', label: 'Batch', kind: 'number' },
            { key: 'finished_at', label: 'Loaded at', kind: 'text' },
            { key: 'entity', label: 'Entity', kind: 'text' },
            { key: 'file', label: 'File', kind: 'text' },
            { key: 'status', label: 'Status', kind: 'label' },
            { key: 'rows_in_file', label: 'Rows in file', kind: 'number' },
            { key: 'rows_inserted', label: 'Inserted', kind: 'number' },
            { key: 'rows_replaced', label: 'Replaced', kind: 'number' },
            { key: 'rows_unchanged', label: 'Unchanged', kind: 'number' },
            { key: 'rows_rejected', label: 'Rejected', kind: 'number' },
        ],
        rows: batches.map((b) => ({ ...b, key: String(b.batch_id), file: basename(b.file_name), finished_at: b.finished_at.slice(0, 19) })),
    };
}

export function rejectTable(rejects: Reject[]): TableData {
    return {
        columns: [
            { key: 'file', label: 'File', kind: 'text' },
            { key: 'line', label: 'Line', kind: 'number' },
            { key: 'column', label: 'Column', kind: 'text' },
            { key: 'value', label: 'Value', kind: 'text' },
            { key: 'reason', label: 'Why it was rejected', kind: 'text' },
        ],
        rows: rejects.map((r) => ({ ...r, file: basename(r.file) })),
    };
}

/**
 * Each rule's meaning, read from the review-flags model's description, where every rule has a paragraph
 * starting "rule_name — ".
 */
export function ruleDefinitions(description: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const para of description.split(/\n+/)) {
        const m = /^\s*([a-z][a-z0-9_]*) — ([\s\S]+)$/.exec(para);
        if (m) out[m[1]!] = m[2]!.replace(/\s+/g, ' ').trim();
    }
    return out;
}

export function flagRows(rows: Record<string, string | number | boolean | null>[], definitions: Record<string, string>): Row[] {
    return rows
        .map((r) => ({
            key: String(r.rule),
            rule: humanize(String(r.rule)).replace('12h', '12 h'),
            flags: typeof r.flags === 'number' ? r.flags : null,
            people: typeof r.people === 'number' ? r.people : null,
            hours: typeof r.hours === 'number' ? r.hours : null,
            meaning: definitions[String(r.rule)] ?? '',
        }))
        .sort((a, b) => (b.flags ?? 0) - (a.flags ?? 0));
}

export function flagTable(rows: Row[]): TableData {
    return {
        columns: [
            { key: 'rule', label: 'Rule', kind: 'text' },
            { key: 'flags', label: 'Flags', kind: 'number' },
            { key: 'people', label: 'People', kind: 'number' },
            { key: 'hours', label: 'Hours flagged', kind: 'hours' },
        ],
        rows,
    };
}
