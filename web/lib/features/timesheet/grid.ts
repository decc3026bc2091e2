/**
 * The week grid's model, pure of the DOM: rows = project › phase › activity (and whether it is billable), columns =
 * Monday..Sunday. A cell holds what the person typed (`1.5`, `1:30`, `90m`); it is read with the same
 * duration parser the API uses, so a cell is wrong here exactly when the server would refuse it. The grid
 * knows which cells changed since the last answer (only those rows are sent), the totals per day, row and
 * week as typed, which cells are locked (submitted or approved), and where the keyboard goes next.
 */
import { cellDuration, formatDuration } from './duration.ts';
import type { TimeEntry, WeekAnswer } from './types.ts';

export const DAYS = 7;
export type Status = TimeEntry['status'];

export interface Cell {
    /** What the person typed (or the saved total as h:mm). */
    text: string;
    /** The saved total, in seconds (0 for an empty cell). */
    saved: number;
    /** The statuses of the entries behind the cell. */
    statuses: Status[];
    /** A rejected entry's comment (the manager's), when the cell holds one. */
    rejection: TimeEntry['rejection'];
    /** The problem with what was typed, by this page's check or the server's. */
    error: string | null;
}

export interface GridRow {
    /** project › phase › activity: one row per combination (a cell is that row's day, as the API sets it). */
    key: string;
    project_id: string;
    project_name: string;
    phase: string | null;
    activity: string;
    billable: boolean;
    /** Billable as saved (the person may change it while the row's time is draft). */
    savedBillable: boolean;
    cells: Cell[];
    /** A row added in this page and not yet saved. */
    added: boolean;
}

export function rowKey(r: { project_id: string; phase: string | null; activity: string }): string {
    return JSON.stringify([r.project_id, r.phase, r.activity]);
}

function emptyCell(): Cell {
    return { text: '', saved: 0, statuses: [], rejection: null, error: null };
}

/** The grid of a week's answer: the entries summed per row and day, rows in project, phase, activity order. */
export function gridFromWeek(week: Pick<WeekAnswer, 'days' | 'entries'>): GridRow[] {
    const rows = new Map<string, GridRow>();
    // A row's billable is what the time the grid may change says (its draft or rejected grid entries), else what any of its time says.
    const fromEditable = new Set<string>();
    const editable = (e: TimeEntry) => e.source === 'grid' && (e.status === 'draft' || e.status === 'rejected');
    for (const e of week.entries) {
        const key = rowKey(e);
        let row = rows.get(key);
        if (!row) {
            row = { key, project_id: e.project_id, project_name: e.project_name ?? e.project_id, phase: e.phase, activity: e.activity, billable: e.billable, savedBillable: e.billable, cells: Array.from({ length: DAYS }, emptyCell), added: false };
            rows.set(key, row);
        }
        const day = week.days.indexOf(e.work_date.slice(0, 10));
        if (day < 0) continue;
        if (editable(e) && !fromEditable.has(key)) {
            row.billable = row.savedBillable = e.billable;
            fromEditable.add(key);
        }
        const cell = row.cells[day]!;
        cell.saved += e.duration_seconds;
        cell.statuses.push(e.status);
        if (e.status === 'rejected' && e.rejection) cell.rejection = e.rejection;
    }
    for (const row of rows.values()) for (const cell of row.cells) cell.text = cell.statuses.length ? formatDuration(cell.saved) : '';
    return [...rows.values()].sort((a, b) => a.project_name.localeCompare(b.project_name) || (a.phase ?? '').localeCompare(b.phase ?? '') || a.activity.localeCompare(b.activity));
}

/**
 * Keeps what the person typed and has not saved when a new answer arrives (another row saved, the timer
 * stopped): changed cells of rows present in both keep their text, unsaved added rows stay.
 */
export function mergeTyped(next: GridRow[], previous: GridRow[]): GridRow[] {
    const old = new Map(previous.map((r) => [r.key, r]));
    const out = next.map((row) => {
        const before = old.get(row.key);
        if (!before) return row;
        return { ...row, billable: before.billable !== before.savedBillable ? before.billable : row.billable, cells: row.cells.map((cell, d) => (isDirty(before.cells[d]!) ? { ...cell, text: before.cells[d]!.text, error: before.cells[d]!.error } : cell)) };
    });
    return keepAdded(out, previous);
}

/** Rows added in the page and not in the answer (nothing typed in them yet, or not saved) stay, at the end. */
export function keepAdded(next: GridRow[], previous: GridRow[]): GridRow[] {
    const present = new Set(next.map((r) => r.key));
    return [...next, ...previous.filter((r) => r.added && !present.has(r.key))];
}

/** Seconds a cell's text stands for; null when it is not a duration (its error says why). */
export function cellSeconds(cell: Cell): number | null {
    const r = cellDuration(cell.text);
    return r.ok ? r.seconds : null;
}

/**
 * Whether a cell differs from what is saved (`1.5` over a saved 1:30 does not). A saved total is shown to
 * the minute: its own text (1:30 for 1:30:20) is no change.
 */
export function isDirty(cell: Cell): boolean {
    if (cell.statuses.length > 0 && cell.text.trim() === formatDuration(cell.saved)) return false;
    const s = cellSeconds(cell);
    return s === null || s !== cell.saved;
}

export function rowIsDirty(row: GridRow): boolean {
    return row.billable !== row.savedBillable || row.cells.some(isDirty);
}

/** A cell the person cannot change: it holds a submitted or approved entry (withdraw the week, or ask for a reopening). */
export function isLocked(cell: Cell): boolean {
    return cell.statuses.some((s) => s === 'submitted' || s === 'approved');
}

/** The cell's state as the page shows it: the most binding status behind it. */
export function cellStatus(cell: Cell): Status | null {
    for (const s of ['approved', 'submitted', 'rejected', 'draft'] as const) if (cell.statuses.includes(s)) return s;
    return null;
}

/** Checks every cell as typed; returns the grid with each cell's error (null when it reads) and whether all read. */
export function validate(rows: GridRow[]): { rows: GridRow[]; ok: boolean } {
    let ok = true;
    const out = rows.map((row) => ({
        ...row,
        cells: row.cells.map((cell) => {
            const r = cellDuration(cell.text);
            if (!r.ok) ok = false;
            return { ...cell, error: r.ok ? null : r.message };
        }),
    }));
    return { rows: out, ok };
}

export interface Totals {
    byDay: number[];
    byRow: number[];
    week: number;
}

/** Totals as typed: a cell that does not read counts what is saved in it. */
export function totals(rows: GridRow[]): Totals {
    const byDay = Array<number>(DAYS).fill(0);
    const byRow = rows.map((row) =>
        row.cells.reduce((sum, cell, d) => {
            const s = cellSeconds(cell) ?? cell.saved;
            byDay[d]! += s;
            return sum + s;
        }, 0),
    );
    return { byDay, byRow, week: byRow.reduce((a, b) => a + b, 0) };
}

export interface WeekRowBody {
    project_id: string;
    phase: string | null;
    activity: string;
    billable: boolean;
    days: (string | null)[];
}

/**
 * What PUT /api/time/week is sent: the rows with a changed cell, all seven days as they stand (a cell sets
 * its day's total; an empty one is null: no time). An unchanged cell is sent as its exact saved seconds
 * (`1:30` on screen may be 1:30:20). Rows left out are not touched. `index` maps the body's rows back to the grid's.
 */
export function weekBody(week: string, rows: GridRow[]): { body: { week: string; rows: WeekRowBody[] }; index: number[] } {
    const index: number[] = [];
    const out: WeekRowBody[] = [];
    rows.forEach((row, i) => {
        if (!rowIsDirty(row)) return;
        index.push(i);
        out.push({
            project_id: row.project_id,
            phase: row.phase,
            activity: row.activity,
            billable: row.billable,
            days: row.cells.map((cell) => (isDirty(cell) ? cell.text.trim() || null : cell.saved > 0 ? `${cell.saved}s` : null)),
        });
    });
    return { body: { week, rows: out }, index };
}

export interface CellError {
    row: number;
    day: number | null;
    field?: string | null;
    message: string;
}

/** The server's refusal put beside its cells (a row's own error on its first changed cell); what was typed stays. */
export function applyErrors(rows: GridRow[], index: number[], errors: CellError[]): GridRow[] {
    const out = rows.map((row) => ({ ...row, cells: row.cells.map((c) => ({ ...c, error: null as string | null })) }));
    for (const e of errors) {
        const row = out[index[e.row] ?? -1];
        if (!row) continue;
        const day = e.day ?? Math.max(0, row.cells.findIndex(isDirty));
        const cell = row.cells[day];
        if (cell) cell.error = cell.error ? `${cell.error}; ${e.message}` : e.message;
    }
    return out;
}

/** A new row (not yet saved); null when the grid has it already. */
export function addRow(rows: GridRow[], r: { project_id: string; project_name: string; phase: string | null; activity: string; billable: boolean }): GridRow[] | null {
    const key = rowKey(r);
    if (rows.some((x) => x.key === key)) return null;
    return [...rows, { ...r, key, savedBillable: r.billable, cells: Array.from({ length: DAYS }, emptyCell), added: true }];
}

/**
 * Where the arrow keys go from a cell: up and down in the same day, left and right along the row (at the
 * row's end to the next row's first day, as Tab does). Null at the edge.
 */
export function neighbour(at: { row: number; day: number }, key: string, rowCount: number): { row: number; day: number } | null {
    const { row, day } = at;
    switch (key) {
        case 'ArrowUp':
            return row > 0 ? { row: row - 1, day } : null;
        case 'ArrowDown':
            return row < rowCount - 1 ? { row: row + 1, day } : null;
        case 'ArrowLeft':
            if (day > 0) return { row, day: day - 1 };
            return row > 0 ? { row: row - 1, day: DAYS - 1 } : null;
        case 'ArrowRight':
            if (day < DAYS - 1) return { row, day: day + 1 };
            return row < rowCount - 1 ? { row: row + 1, day: 0 } : null;
        default:
            return null;
    }
}

/** The Monday of the ISO week a date falls in, as YYYY-MM-DD (UTC). */
export function mondayOf(iso: string): string {
    const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
    const back = (d.getUTCDay() + 6) % 7;
    d.setUTCDate(d.getUTCDate() - back);
    return d.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
    const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
}
