/**
 * The import page's pieces without a DOM: an upload with progress (XMLHttpRequest: fetch reports none for
 * uploads), the report's rejected rows as a CSV safe for spreadsheets (a time or a billing import's), the
 * report's figures as rows, and billing history's files sent with its query.
 */
import { ApiError, apiUrl } from '$lib/api/client.ts';
import { authHeaders } from '$lib/api/session.ts';
import type { ImportReport, ImportRun } from '$lib/api/types.ts';
import type { BillingAnswer, BillingImportQuery } from '../../../../server/schemas/imports.ts';
import { billingParams } from './billing.ts';
import { csvField } from '$lib/csv.ts';
import { formatNumber } from '$lib/format.ts';
import type { Column, TableData } from '$lib/table.ts';

/** POSTs a multipart form to /api/<path>, calling onProgress with the share sent (0–1); resolves with the JSON answer. */
export function postWithProgress<T>(path: string, form: FormData | null, onProgress: (sent: number) => void, params: Record<string, string | undefined> = {}): Promise<T> {
    return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', apiUrl(path, params));
        xhr.setRequestHeader('accept', 'application/json');
        for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
        xhr.upload.onprogress = (e) => {
            if (e.lengthComputable) onProgress(e.loaded / e.total);
        };
        xhr.onerror = () => reject(new ApiError(0, 'The server cannot be reached', 'Check that the server is still running, then retry.'));
        xhr.onload = () => {
            let body: { title?: string; detail?: string } | null = null;
            try {
                body = JSON.parse(xhr.responseText) as { title?: string; detail?: string };
            } catch {
                body = null;
            }
            if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as T);
            else reject(new ApiError(xhr.status, body?.title ?? `HTTP ${xhr.status}`, body?.detail ?? xhr.statusText));
        };
        xhr.send(form);
    });
}

/** The rejected rows of a report as CSV: file, line, reason, value; every text cell through csvField. */
export function rejectsCsv(report: Pick<ImportReport, 'rejects'>): string {
    const lines = ['file,line,reason,value'];
    for (const r of report.rejects) {
        lines.push([csvField(r.file), r.line === null ? '' : csvField(String(r.line), true), csvField(r.reason), csvField(r.value ?? '')].join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
}

/** Rejected rows counted per file and reason, in one line: "a.csv: bad date (3); b.csv: …". */
export function rejectCountsText(counts: readonly { file: string; reason: string; count: number }[], locale: string): string {
    return counts.map((c) => `${c.file}: ${c.reason} (${formatNumber(c.count, locale)})`).join('; ');
}

/** Why a load refused an import's rows (it loads all or nothing), naming the first five rows at fault. */
export function refusedLoadText(rejects: readonly { file: string; line: number | null; reason: string }[]): string {
    return `The load refused the rows (nothing was imported): ${rejects
        .slice(0, 5)
        .map((r) => `${r.file}:${r.line ?? '?'} ${r.reason}`)
        .join('; ')}`;
}

/** An import of clients and projects lists only (no time report): its figures count clients and projects, not entries. */
export function isListImport(report: Pick<ImportReport, 'files'>): boolean {
    return report.files.length > 0 && report.files.every((f) => f.kind !== 'time');
}

/** What an import did or would do, one row per outcome, with hours from seconds (exact seconds beside them). */
export function outcomeRows(report: ImportReport): { outcome: string; rows: number; seconds: number | null }[] {
    const would = report.dry_run ? 'would be ' : '';
    if (isListImport(report)) {
        return [
            { outcome: `${would}created`, rows: report.created, seconds: null },
            { outcome: `${would}updated`, rows: report.updated, seconds: null },
            { outcome: 'unchanged', rows: report.unchanged, seconds: null },
            { outcome: 'clients and projects in all', rows: report.created + report.updated + report.unchanged, seconds: null },
            { outcome: 'duplicates (the same client or project again)', rows: report.duplicates, seconds: null },
            { outcome: 'rejected', rows: report.rejected, seconds: null },
        ];
    }
    return [
        { outcome: `${would}created`, rows: report.created, seconds: null },
        { outcome: `${would}updated`, rows: report.updated, seconds: null },
        { outcome: 'unchanged', rows: report.unchanged, seconds: null },
        { outcome: 'entries in all', rows: report.created + report.updated + report.unchanged, seconds: report.seconds_imported },
        { outcome: 'duplicates (the same entry in two files)', rows: report.duplicates, seconds: report.seconds_duplicate },
        { outcome: 'rejected', rows: report.rejected, seconds: report.seconds_rejected },
    ];
}

/** Sends the files to POST /api/imports/billing (dry run or import), calling onProgress with the share sent. */
export function postBilling(files: readonly File[], q: Pick<BillingImportQuery, 'tool' | 'dry_run' | 'create'>, onProgress: (sent: number) => void = () => undefined): Promise<BillingAnswer> {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    return postWithProgress<BillingAnswer>('imports/billing', form, onProgress, billingParams(q));
}

/** Where a row of an import's files stands and what is wrong with it, as a rejected or a noted row shows it. */
const ROW_PROBLEM_COLUMNS: Column[] = [
    { key: 'file', label: 'File', kind: 'text' },
    { key: 'line', label: 'Line', kind: 'number' },
    { key: 'reason', label: 'Reason', kind: 'text' },
];

type RowProblem = { file: string; line: number | null; reason: string; value: string | null };

/** An import's rejected rows with what they held (`valueLabel`: "Values" where a whole row is quoted). */
export function rejectsTable(rejects: RowProblem[], valueLabel = 'Value'): TableData {
    return { columns: [...ROW_PROBLEM_COLUMNS, { key: 'value', label: valueLabel, kind: 'text' }], rows: rejects };
}

/** A billing import's rows imported with a change, counted once or skipped (billing.ts noteRows), each with its kind. */
export function noteTable(notes: (RowProblem & { kind: string })[]): TableData {
    return { columns: [{ key: 'kind', label: 'What', kind: 'text' }, ...ROW_PROBLEM_COLUMNS], rows: notes };
}

/** The past imports: when, which tool and files, by whom, the rows imported and rejected, and the hours. */
export function runsTable(runs: ImportRun[]): TableData {
    return {
        columns: [
            { key: 'finished_at', label: 'When', kind: 'text' },
            { key: 'tool', label: 'Tool', kind: 'label' },
            { key: 'files', label: 'Files', kind: 'text' },
            { key: 'created_by', label: 'By', kind: 'text' },
            { key: 'rows_imported', label: 'Imported', kind: 'number' },
            { key: 'rows_rejected', label: 'Rejected', kind: 'number' },
            { key: 'hours', label: 'Hours', kind: 'number' },
        ],
        rows: runs.map((r) => ({ ...r, hours: r.seconds_imported / 3600 })),
    };
}
