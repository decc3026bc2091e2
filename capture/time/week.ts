/**
 * A person's week (ISO: Monday to Sunday): reading it, the grid that sets each cell's total, copying last
 * week's rows, submitting and withdrawing. A grid cell is one project › phase › activity on one day; the grid
 * owns only its cell's draft (or rejected) `grid` entries — time from the timer, the form or already
 * submitted stays as it is and counts toward the cell's total.
 */
import type { AuditWho } from '../audit.ts';
import { readDuration } from '../../lib/duration.ts';
import { CaptureError } from './errors.ts';
import { addDays, weekStart } from '../../lib/dates.ts';
import { type Capture, checkedFields, insertEntry, pick } from './entries.ts';
import { IDS, readEntries, type EntryView } from './read.ts';

export { addDays, weekStart };

export const weekDays = (monday: string) => Array.from({ length: 7 }, (_, i) => addDays(monday, i));

export const today = () => new Date().toISOString().slice(0, 10);

export interface Week {
    person_id: string;
    week_start: string;
    days: string[];
    entries: EntryView[];
    totals: { by_day: number[]; total_seconds: number };
    submitted: boolean;
    status_counts: { draft: number; submitted: number; approved: number; rejected: number };
}

/** The person's entries of the week; `projects` narrows them (a manager reading someone else's week). */
export async function readWeek(cap: Capture, personId: string, day: string, projects?: readonly string[]): Promise<Week> {
    const monday = weekStart(day);
    const days = weekDays(monday);
    let entries = await readEntries(
        cap.warehouse,
        `select entry_id from canonical.time_entries where person_id = $1 and work_date between $2::date and $3::date`,
        [personId, monday, days[6]!],
    );
    if (projects) entries = entries.filter((e) => projects.includes(e.project_id));
    const by_day = days.map((d) => entries.filter((e) => e.work_date === d).reduce((s, e) => s + e.duration_seconds, 0));
    const status_counts = { draft: 0, submitted: 0, approved: 0, rejected: 0 };
    for (const e of entries) status_counts[e.status]++;
    return {
        person_id: personId,
        week_start: monday,
        days,
        entries,
        totals: { by_day, total_seconds: by_day.reduce((a, b) => a + b, 0) },
        submitted: entries.length > 0 && status_counts.draft === 0 && status_counts.rejected === 0,
        status_counts,
    };
}

export interface GridRowInput {
    project_id: string;
    phase: string | null;
    activity: string;
    billable?: boolean;
    days: (string | null)[];
}

const cellKey = (project: string, phase: string | null, activity: string) => JSON.stringify([project, phase, activity]);
const editable = (e: EntryView) => e.source === 'grid' && (e.status === 'draft' || e.status === 'rejected') && !e.invoice_id;

/** Sets the grid's cells; a cell that cannot be read, or a day over 24 h, answers 400 with every such cell and writes nothing. */
export async function setGrid(cap: Capture, actor: AuditWho, personId: string, week: string, rows: readonly GridRowInput[]): Promise<Week> {
    const monday = weekStart(week);
    const days = weekDays(monday);
    const errors: { row: number; day: number | null; field: string; message: string }[] = [];
    const wanted: { row: number; key: string; input: GridRowInput; billable: boolean; seconds: (number | null)[] }[] = [];
    const seen = new Map<string, number>();
    for (const [i, input] of rows.entries()) {
        const key = cellKey(input.project_id, input.phase, input.activity);
        if (seen.has(key)) {
            errors.push({ row: i, day: null, field: 'project_id', message: `the same project, phase and activity as row ${seen.get(key)}` });
            continue;
        }
        seen.set(key, i);
        let billable = input.billable ?? false;
        try {
            billable = (await checkedFields(cap, personId, input)).billable;
        } catch (err) {
            if (!(err instanceof CaptureError)) throw err;
            errors.push({ row: i, day: null, field: err.field ?? 'project_id', message: err.message });
        }
        const seconds = input.days.map((text, d) => {
            if (text === null || text.trim() === '') return null;
            const reading = readDuration(text);
            if (!reading.ok) {
                errors.push({ row: i, day: d, field: `rows.${i}.days.${d}`, message: reading.message });
                return null;
            }
            return reading.seconds;
        });
        wanted.push({ row: i, key, input, billable, seconds });
    }
    if (errors.length > 0) throw gridProblem(errors);

    await cap.queue.write(async (ctx) => {
        await ctx.flush();
        const current = (await readWeek(cap, personId, monday)).entries;
        const dayErrors: typeof errors = [];
        // Each day's total once the grid is applied: the cells given, and every entry of rows not given.
        const totals = days.map((d) => current.filter((e) => e.work_date === d && !seen.has(cellKey(e.project_id, e.phase, e.activity))).reduce((s, e) => s + e.duration_seconds, 0));
        const plan: { cell: EntryView[]; kept: number; target: number; w: (typeof wanted)[number]; d: number }[] = [];
        for (const w of wanted) {
            for (let d = 0; d < 7; d++) {
                const cell = current.filter((e) => e.work_date === days[d] && cellKey(e.project_id, e.phase, e.activity) === w.key);
                const kept = cell.filter((e) => !editable(e)).reduce((s, e) => s + e.duration_seconds, 0);
                const have = cell.reduce((s, e) => s + e.duration_seconds, 0);
                const target = w.seconds[d] ?? 0;
                totals[d]! += Math.max(target, kept);
                if (target === have && (w.input.billable === undefined || cell.filter(editable).every((e) => e.billable === w.billable))) continue;
                if (target < kept) {
                    dayErrors.push({ row: w.row, day: d, field: `rows.${w.row}.days.${d}`, message: `${hours(kept)} h of this cell are submitted, approved, or entries of their own (the timer's, the form's, an import's): the cell cannot be less; change those in the week's entries` });
                    continue;
                }
                plan.push({ cell, kept, target, w, d });
            }
        }
        for (const [d, total] of totals.entries()) {
            if (total > 86_400) dayErrors.push({ row: wanted[0]?.row ?? 0, day: d, field: `days.${d}`, message: `${days[d]} would have ${hours(total)} h: a day has 24` });
        }
        if (dayErrors.length > 0) throw gridProblem(dayErrors);
        for (const { cell, kept, target, w, d } of plan) {
            const mine = cell.filter(editable);
            const gridPart = target - kept;
            const [first, ...rest] = mine;
            for (const e of gridPart === 0 ? mine : rest) {
                await cap.warehouse.run(`delete from canonical.time_entries where entry_id = $1`, [e.entry_id]);
                ctx.touch('time_entries', [e]);
                ctx.audit({ ...actor, action: 'delete', entity: 'time_entry', entity_id: e.entry_id, before: pick(e), detail: 'week grid' });
            }
            if (gridPart === 0) continue;
            if (first) {
                await cap.warehouse.run(`update canonical.time_entries set duration_seconds = $2, billable = $3, status = 'draft', logged_at = now() where entry_id = $1`, [first.entry_id, gridPart, w.billable]);
                ctx.touch('time_entries', [first]);
                ctx.audit({ ...actor, action: 'update', entity: 'time_entry', entity_id: first.entry_id, before: pick(first), after: { ...pick(first), duration_seconds: gridPart, billable: w.billable, status: 'draft' }, detail: 'week grid' });
            } else {
                await insertEntry(ctx, actor, personId, { project_id: w.input.project_id, phase: w.input.phase, activity: w.input.activity, work_date: days[d]!, duration_seconds: gridPart, source: 'grid' }, w.billable);
            }
        }
    });
    return readWeek(cap, personId, monday);
}

const hours = (seconds: number) => String(Math.round((seconds / 3600) * 100) / 100);

function gridProblem(errors: { row: number; day: number | null; field: string; message: string }[]): CaptureError {
    const first = errors[0]!;
    return new CaptureError(400, `${errors.length} cell${errors.length === 1 ? '' : 's'} of the grid cannot be saved: ${first.message}`, first.field, errors);
}

/** Last week's rows for this week: with `hours`, their time too, into cells of this week that are empty. */
export async function copyLastWeek(cap: Capture, actor: AuditWho, personId: string, week: string, withHours: boolean): Promise<Week & { rows: { project_id: string; phase: string | null; activity: string; billable: boolean }[] }> {
    const monday = weekStart(week);
    const previous = await readWeek(cap, personId, addDays(monday, -7));
    const rows = new Map<string, { project_id: string; phase: string | null; activity: string; billable: boolean }>();
    for (const e of previous.entries) rows.set(cellKey(e.project_id, e.phase, e.activity), { project_id: e.project_id, phase: e.phase, activity: e.activity, billable: e.billable });
    if (withHours && previous.entries.length > 0) {
        const current = await readWeek(cap, personId, monday);
        const filled = new Set(current.entries.map((e) => `${cellKey(e.project_id, e.phase, e.activity)}|${e.work_date}`));
        const cells = new Map<string, { e: EntryView; seconds: number; date: string }>();
        for (const e of previous.entries) {
            const date = addDays(e.work_date, 7);
            const key = `${cellKey(e.project_id, e.phase, e.activity)}|${date}`;
            if (filled.has(key)) continue;
            const cell = cells.get(key) ?? { e, seconds: 0, date };
            cell.seconds += e.duration_seconds;
            cells.set(key, cell);
        }
        const valid: { e: EntryView; seconds: number; date: string; billable: boolean }[] = [];
        for (const cell of cells.values()) {
            // A project closed since last week is left out of the copy.
            const project = await cap.scope.project(personId, cell.e.project_id);
            if (project) valid.push({ ...cell, billable: cell.e.billable });
        }
        if (valid.length > 0) {
            await cap.queue.write(async (ctx) => {
                for (const c of valid) {
                    await insertEntry(ctx, actor, personId, { project_id: c.e.project_id, phase: c.e.phase, activity: c.e.activity, task: c.e.task, work_date: c.date, duration_seconds: c.seconds, source: 'grid' }, c.billable);
                }
            });
        }
    }
    return { ...(await readWeek(cap, personId, monday)), rows: [...rows.values()] };
}

/** Submits the week's draft and rejected entries (a rejected one is submitted again as it is, or as fixed). */
export async function submitWeek(cap: Capture, actor: AuditWho, personId: string, week: string): Promise<Week> {
    return changeStatus(cap, actor, personId, week, ['draft', 'rejected'], 'submitted', 'submit', 'nothing to submit: the week has no draft or rejected entries');
}

/** Takes the week's submitted entries back to draft (approved ones stay approved). */
export async function withdrawWeek(cap: Capture, actor: AuditWho, personId: string, week: string): Promise<Week> {
    return changeStatus(cap, actor, personId, week, ['submitted'], 'draft', 'withdraw', 'nothing to withdraw: no entry of the week is submitted');
}

async function changeStatus(cap: Capture, actor: AuditWho, personId: string, week: string, from: string[], to: string, action: string, none: string): Promise<Week> {
    const monday = weekStart(week);
    await cap.queue.write(async (ctx) => {
        await ctx.flush();
        const entries = (await readWeek(cap, personId, monday)).entries.filter((e) => from.includes(e.status) && !e.invoice_id);
        if (entries.length === 0) throw new CaptureError(409, none, 'week');
        await cap.warehouse.run(
            `update canonical.time_entries set status = $1 where entry_id in (${IDS('$2')})`,
            [to, JSON.stringify(entries.map((e) => e.entry_id))],
        );
        ctx.touch('time_entries', entries);
        ctx.audit(...entries.map((e) => ({ ...actor, action, entity: 'time_entry', entity_id: e.entry_id, before: { status: e.status }, after: { status: to }, detail: `week of ${monday}` })));
    });
    return readWeek(cap, personId, monday);
}
