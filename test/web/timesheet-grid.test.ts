/**
 * The week grid's model: entries summed per row and day, cells read with the API's duration parser, what
 * changed since the last answer (only that is sent), totals as typed, the server's per-cell refusals put
 * beside their cells, locked cells, the arrow keys.
 */
import { describe, expect, it } from 'vitest';
import {
    addDays,
    addRow,
    applyErrors,
    cellStatus,
    gridFromWeek,
    isDirty,
    isLocked,
    keepAdded,
    mergeTyped,
    mondayOf,
    neighbour,
    rowIsDirty,
    totals,
    validate,
    weekBody,
    type GridRow,
} from '../../web/lib/features/timesheet/grid.ts';
import type { TimeEntry } from '../../web/lib/features/timesheet/types.ts';
import { timeEntry } from '../helpers/time-entry.ts';

const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'];

const entry = (over: Partial<TimeEntry>): TimeEntry => timeEntry({ work_date: DAYS[0]!, ...over });

const week = {
    days: DAYS,
    entries: [
        entry({ entry_id: 'a', duration_seconds: 3600 }),
        entry({ entry_id: 'b', duration_seconds: 1800, source: 'timer' }), // same cell: 1:30 in all
        entry({ entry_id: 'c', work_date: DAYS[2]!, duration_seconds: 7200, status: 'approved' }),
        entry({ entry_id: 'd', project_id: 'P0', project_name: 'Zeta', phase: 'Design', work_date: DAYS[1]!, duration_seconds: 900, status: 'rejected', rejection: { comment: 'wrong phase', by: 'pm', at: '2026-12-05T09:00:00Z' } }),
        entry({ entry_id: 'e', activity: 'meetings', billable: false, work_date: DAYS[4]!, duration_seconds: 2700 }),
    ],
};

function type(rows: GridRow[], r: number, d: number, text: string): GridRow[] {
    return rows.map((row, i) => (i !== r ? row : { ...row, cells: row.cells.map((c, j) => (j === d ? { ...c, text } : c)) }));
}

describe('the grid of a week', () => {
    it('sums entries per project › phase › activity and day, shown as h:mm', () => {
        const rows = gridFromWeek(week);
        expect(rows.map((r) => [r.project_name, r.phase, r.activity, r.billable])).toEqual([
            ['Alpha', 'Build', 'development', true],
            ['Alpha', 'Build', 'meetings', false],
            ['Zeta', 'Design', 'development', true],
        ]);
        expect(rows[0]!.cells.map((c) => c.text)).toEqual(['1:30', '', '2:00', '', '', '', '']);
        expect(rows[0]!.cells[0]!.saved).toBe(5400);
        expect(rows[1]!.cells[4]!.text).toBe('0:45');
        expect(rows[2]!.cells[1]!.rejection?.comment).toBe('wrong phase');
    });

    it('takes a row’s billable from the time the grid may change (its draft or rejected grid entries)', () => {
        const mixed = gridFromWeek({ days: DAYS, entries: [entry({ entry_id: 'x', status: 'approved', billable: true }), entry({ entry_id: 'y', work_date: DAYS[1]!, billable: false }), entry({ entry_id: 'z', work_date: DAYS[2]!, billable: true, source: 'timer' })] });
        expect(mixed).toHaveLength(1);
        expect(mixed[0]!.billable).toBe(false);
        expect(gridFromWeek({ days: DAYS, entries: [entry({ status: 'approved', billable: false })] })[0]!.billable).toBe(false);
    });

    it('locks approved and submitted cells, names the most binding status', () => {
        const rows = gridFromWeek(week);
        expect(isLocked(rows[0]!.cells[2]!)).toBe(true);
        expect(cellStatus(rows[0]!.cells[2]!)).toBe('approved');
        expect(isLocked(rows[2]!.cells[1]!)).toBe(false);
        expect(cellStatus(rows[2]!.cells[1]!)).toBe('rejected');
        expect(cellStatus(rows[0]!.cells[1]!)).toBeNull();
        expect(isLocked(gridFromWeek({ days: DAYS, entries: [entry({ status: 'submitted' })] })[0]!.cells[0]!)).toBe(true);
    });
});

describe('typing in cells', () => {
    it('is a change only when the seconds differ: 1.5 over a saved 1:30 is not', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 0, 0, '1.5');
        expect(isDirty(rows[0]!.cells[0]!)).toBe(false);
        rows = type(rows, 0, 0, '2');
        expect(isDirty(rows[0]!.cells[0]!)).toBe(true);
        rows = type(rows, 0, 1, '  ');
        expect(isDirty(rows[0]!.cells[1]!)).toBe(false); // still empty
        rows = type(rows, 0, 1, 'soon');
        expect(isDirty(rows[0]!.cells[1]!)).toBe(true);
    });

    it('shows a total to the minute and sends it to the second: an untouched 8:18:23 is no change and goes as 29903s', () => {
        let rows = gridFromWeek({ days: DAYS, entries: [entry({ duration_seconds: 29_903, status: 'submitted' }), entry({ entry_id: 'g', work_date: DAYS[1]! })] });
        expect(rows[0]!.cells[0]!.text).toBe('8:18');
        expect(isDirty(rows[0]!.cells[0]!)).toBe(false);
        rows = type(rows, 0, 1, '2');
        expect(weekBody('2026-11-30', rows).body.rows[0]!.days).toEqual(['29903s', '2', null, null, null, null, null]);
        expect(isDirty(type(rows, 0, 0, '8:19').at(0)!.cells[0]!)).toBe(true);
    });

    it('totals per day, row and week as typed (a cell that does not read counts what is saved)', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 0, 0, '2'); // 5400 → 7200
        rows = type(rows, 1, 0, '1:15'); // 4500
        rows = type(rows, 0, 2, 'x'); // unreadable: counts the saved 7200
        const t = totals(rows);
        expect(t.byDay).toEqual([7200 + 4500, 900, 7200, 0, 2700, 0, 0]);
        expect(t.byRow).toEqual([7200 + 7200, 4500 + 2700, 900]);
        expect(t.week).toBe(7200 + 7200 + 4500 + 2700 + 900);
    });

    it('checks every cell with the API parser and names the problem beside it', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 0, 1, '25');
        rows = type(rows, 1, 1, '-1');
        rows = type(rows, 2, 3, '90m');
        const v = validate(rows);
        expect(v.ok).toBe(false);
        expect(v.rows[0]!.cells[1]!.error).toMatch(/\S/);
        expect(v.rows[1]!.cells[1]!.error).toMatch(/\S/);
        expect(v.rows[2]!.cells[3]!.error).toBeNull();
        expect(v.rows[0]!.cells[1]!.text).toBe('25'); // what was typed stays
        expect(validate(type(gridFromWeek(week), 0, 1, '1:30')).ok).toBe(true);
    });
});

describe('saving', () => {
    it('sends only rows with a change, all seven days as they stand (an empty cell null)', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 1, 0, '1:15');
        rows = type(rows, 2, 1, '0.25'); // same as saved 900 s: no change
        const { body, index } = weekBody('2026-11-30', rows);
        expect(index).toEqual([1]);
        expect(body).toEqual({ week: '2026-11-30', rows: [{ project_id: 'P1', phase: 'Build', activity: 'meetings', billable: false, days: ['1:15', null, null, null, '2700s', null, null] }] });
        // A cleared cell is sent empty: no time that day.
        expect(weekBody('2026-11-30', type(rows, 1, 4, ' ')).body.rows[0]!.days).toEqual(['1:15', null, null, null, null, null, null]);
    });

    it('puts the server’s per-cell refusals beside their cells, mapping its row numbers back to the grid', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 2, 5, '3');
        rows = type(rows, 1, 0, '1');
        const { index } = weekBody('2026-11-30', rows);
        expect(index).toEqual([1, 2]);
        const out = applyErrors(rows, index, [
            { row: 1, day: 5, field: 'duration', message: 'the project is closed' },
            { row: 0, day: null, field: 'phase', message: 'no such phase' },
        ]);
        expect(out[2]!.cells[5]!.error).toBe('the project is closed');
        expect(out[1]!.cells[0]!.error).toBe('no such phase'); // a row's error: on its first changed cell
        expect(out[2]!.cells[5]!.text).toBe('3');
        expect(out[0]!.cells.every((c) => c.error === null)).toBe(true);
    });

    it('keeps what was typed and not saved when a new answer arrives, and unsaved added rows', () => {
        let rows = gridFromWeek(week);
        rows = type(rows, 0, 3, '4');
        rows = addRow(rows, { project_id: 'P9', project_name: 'New', phase: 'Run', activity: 'support', billable: true })!;
        rows = type(rows, 3, 0, '2');
        const fresh = gridFromWeek({ days: DAYS, entries: [...week.entries, entry({ entry_id: 'f', work_date: DAYS[6]!, duration_seconds: 600 })] });
        const merged = mergeTyped(fresh, rows);
        expect(merged[0]!.cells[3]!.text).toBe('4');
        expect(merged[0]!.cells[6]!.text).toBe('0:10');
        expect(merged.at(-1)!.project_id).toBe('P9');
        expect(merged.at(-1)!.cells[0]!.text).toBe('2');
    });

    it('sends a row whose billable was changed, and keeps rows added and not yet filled after a save', () => {
        let rows = gridFromWeek(week);
        rows = rows.map((r, i) => (i === 2 ? { ...r, billable: false } : r));
        expect(rowIsDirty(rows[2]!)).toBe(true);
        expect(weekBody('2026-11-30', rows).body.rows).toEqual([{ project_id: 'P0', phase: 'Design', activity: 'development', billable: false, days: [null, '900s', null, null, null, null, null] }]);
        const added = addRow(rows, { project_id: 'P9', project_name: 'New', phase: null, activity: 'support', billable: true })!;
        expect(rowIsDirty(added.at(-1)!)).toBe(false);
        expect(keepAdded(gridFromWeek(week), added).map((r) => r.project_id)).toEqual(['P1', 'P1', 'P0', 'P9']);
        expect(keepAdded(gridFromWeek(week), gridFromWeek(week))).toHaveLength(3);
    });

    it('adds a row once (billable or not, a project › phase › activity is one row)', () => {
        const rows = gridFromWeek(week);
        expect(addRow(rows, { project_id: 'P1', project_name: 'Alpha', phase: 'Build', activity: 'development', billable: true })).toBeNull();
        expect(addRow(rows, { project_id: 'P1', project_name: 'Alpha', phase: 'Build', activity: 'development', billable: false })).toBeNull();
        expect(addRow(rows, { project_id: 'P1', project_name: 'Alpha', phase: 'Test', activity: 'development', billable: true })).toHaveLength(4);
    });
});

describe('the keyboard and the calendar', () => {
    it('moves with the arrows: up and down in a day, left and right along the row and over its ends', () => {
        expect(neighbour({ row: 1, day: 3 }, 'ArrowUp', 3)).toEqual({ row: 0, day: 3 });
        expect(neighbour({ row: 0, day: 3 }, 'ArrowUp', 3)).toBeNull();
        expect(neighbour({ row: 2, day: 3 }, 'ArrowDown', 3)).toBeNull();
        expect(neighbour({ row: 0, day: 6 }, 'ArrowRight', 3)).toEqual({ row: 1, day: 0 });
        expect(neighbour({ row: 1, day: 0 }, 'ArrowLeft', 3)).toEqual({ row: 0, day: 6 });
        expect(neighbour({ row: 0, day: 0 }, 'ArrowLeft', 3)).toBeNull();
        expect(neighbour({ row: 0, day: 0 }, 'Enter', 3)).toBeNull();
    });

    it('finds a week’s Monday (ISO weeks) and steps days across months', () => {
        expect(mondayOf('2026-12-06')).toBe('2026-11-30'); // a Sunday
        expect(mondayOf('2026-11-30')).toBe('2026-11-30');
        expect(mondayOf('2027-01-01')).toBe('2026-12-28');
        expect(addDays('2026-11-30', -7)).toBe('2026-11-23');
        expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    });
});
