import type { TimeEntry } from '../../web/lib/features/timesheet/types.ts';

/** A time entry as the API answers it: a draft hour of billable development on Alpha's Build phase, with `over` on top. */
export function timeEntry(over: Partial<TimeEntry> = {}): TimeEntry {
    return {
        entry_id: 'e',
        project_id: 'P1',
        project_name: 'Alpha',
        phase: 'Build',
        activity: 'development',
        task: null,
        work_date: '2026-11-30',
        duration_seconds: 3600,
        billable: true,
        notes: null,
        source: 'grid',
        status: 'draft',
        logged_at: '2026-12-01T10:00:00Z',
        rejection: null,
        person_id: 'E1',
        approved_by: null,
        approved_at: null,
        invoice_id: null,
        ...over,
    };
}
