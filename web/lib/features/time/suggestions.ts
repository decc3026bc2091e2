/**
 * The Suggestions panel's logic, apart from the page: durations shown as h:mm, the day a suggestion falls on,
 * the edits a confirmation sends (only what the person changed), and the browser's own time zone for reading
 * a calendar's floating times.
 */
import type { Suggestion } from '../../../../server/schemas/suggestions.ts';

/** 5400 → "1:30". */
export function clock(seconds: number): string {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon 4 Mar" for 2024-03-04. */
export function dayLabel(date: string): string {
    const d = new Date(`${date}T00:00:00Z`);
    const month = d.toLocaleString('en', { month: 'short', timeZone: 'UTC' });
    return `${WEEKDAYS[(d.getUTCDay() + 6) % 7]} ${d.getUTCDate()} ${month}`;
}

/** The form a suggestion is edited in: its values as the inputs hold them. */
export interface EditForm {
    project_id: string;
    phase: string;
    activity: string;
    work_date: string;
    duration: string;
    billable: boolean;
    notes: string;
}

export function editFormOf(s: Suggestion): EditForm {
    return {
        project_id: s.project_id ?? '',
        phase: s.phase ?? '',
        activity: s.activity,
        work_date: s.work_date,
        duration: clock(s.seconds),
        billable: s.billable,
        notes: s.notes ?? '',
    };
}

/** What a confirmation sends: the fields the person changed (all of them, as typed, for the server to check). */
export function editsOf(s: Suggestion, form: EditForm, personId: string | null): Record<string, unknown> {
    const out: Record<string, unknown> = personId ? { person_id: personId } : {};
    const before = editFormOf(s);
    if (form.project_id !== before.project_id) out.project_id = form.project_id;
    if (form.phase.trim() !== before.phase) out.phase = form.phase.trim() === '' ? null : form.phase.trim();
    if (form.activity.trim() !== before.activity) out.activity = form.activity.trim();
    if (form.work_date !== before.work_date) out.work_date = form.work_date;
    if (form.duration.trim() !== before.duration) out.duration = form.duration.trim();
    if (form.billable !== before.billable) out.billable = form.billable;
    if (form.notes !== before.notes) out.notes = form.notes === '' ? null : form.notes;
    return out;
}

/** The browser's IANA time zone (UTC when it says none). */
export function browserZone(): string {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
        return 'UTC';
    }
}

/** Monday of the week `days` weeks after the one starting `monday`. */
export function shiftWeek(monday: string, weeks: number): string {
    return new Date(Date.parse(`${monday}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of a date's ISO week. */
export function mondayOf(date: string): string {
    const d = Date.parse(`${date}T00:00:00Z`);
    return new Date(d - ((new Date(d).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/** One line saying what an upload did. */
export function uploadSummary(r: { created: number; updated: number; unchanged: number; decided: number; withdrawn: number; skipped: unknown[]; problems: unknown[] }): string {
    const parts = [`${r.created} new`, `${r.updated} updated`, `${r.unchanged} unchanged`];
    if (r.decided > 0) parts.push(`${r.decided} already decided`);
    if (r.withdrawn > 0) parts.push(`${r.withdrawn} withdrawn (cancelled or declined)`);
    if (r.skipped.length > 0) parts.push(`${r.skipped.length} skipped`);
    if (r.problems.length > 0) parts.push(`${r.problems.length} line${r.problems.length === 1 ? '' : 's'} not read`);
    return `${parts.join(', ')}.`;
}
