/**
 * The timer: one running per person (capture.timers), kept in the warehouse so it survives a reload and a
 * server restart. Stopping saves the time as entries (source timer, with started_at/ended_at so overlapping
 * intervals are flagged): one per UTC day when it ran past midnight, none of them over 24 h.
 */
import type { AuditWho } from '../audit.ts';
import type { WriteContext } from '../write-queue.ts';
import { CaptureError } from './errors.ts';
import { type Capture, checkedFields, insertEntry, viewOf } from './entries.ts';
import type { EntryView } from './read.ts';

export interface RunningTimer {
    project_id: string;
    project_name: string | null;
    phase: string | null;
    activity: string;
    notes: string | null;
    billable: boolean;
    started_at: string;
}

export async function runningTimer(cap: Capture, personId: string): Promise<RunningTimer | null> {
    const row = await cap.warehouse.one<RunningTimer>(
        `select t.project_id, p.name as project_name, t.phase, t.activity, t.notes, t.billable, t.started_at
         from capture.timers t left join canonical.projects p on p.project_id = t.project_id
         where t.person_id = $1`,
        [personId],
    );
    return row ?? null;
}

export interface TimerStart {
    project_id: string;
    phase: string | null;
    activity: string;
    notes?: string | null;
    billable?: boolean;
}

/** The intervals of [start, end) cut at each UTC midnight. */
export function splitByDay(start: Date, end: Date): { date: string; from: Date; to: Date }[] {
    const parts: { date: string; from: Date; to: Date }[] = [];
    let from = start;
    while (from < end) {
        const midnight = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1));
        const to = midnight < end ? midnight : end;
        parts.push({ date: from.toISOString().slice(0, 10), from, to });
        from = to;
    }
    if (parts.length === 0) parts.push({ date: start.toISOString().slice(0, 10), from: start, to: start });
    return parts;
}

/** Stops the person's timer inside a job: its entries, or none when no timer runs. */
async function stopIn(cap: Capture, ctx: WriteContext, actor: AuditWho, personId: string): Promise<EntryView[]> {
    const timer = await runningTimer(cap, personId);
    if (!timer) return [];
    const end = new Date();
    const start = new Date(timer.started_at);
    await cap.warehouse.run(`delete from capture.timers where person_id = $1`, [personId]);
    const saved: EntryView[] = [];
    for (const part of splitByDay(start, end < start ? start : end)) {
        const row = await insertEntry(
            ctx,
            actor,
            personId,
            {
                project_id: timer.project_id,
                phase: timer.phase,
                activity: timer.activity,
                notes: timer.notes,
                work_date: part.date,
                duration_seconds: Math.round((part.to.getTime() - part.from.getTime()) / 1000),
                source: 'timer',
                started_at: part.from.toISOString(),
                ended_at: part.to.toISOString(),
            },
            timer.billable,
        );
        saved.push(viewOf(row, timer.project_name));
    }
    ctx.audit({ ...actor, action: 'stop', entity: 'timer', entity_id: personId, before: timer, after: { entries: saved.map((e) => e.entry_id) } });
    return saved;
}

export async function startTimer(cap: Capture, actor: AuditWho, personId: string, input: TimerStart): Promise<{ running: RunningTimer; stopped: EntryView[] }> {
    const { billable, project_name } = await checkedFields(cap, personId, input);
    return cap.queue.write(async (ctx) => {
        const stopped = await stopIn(cap, ctx, actor, personId);
        const started_at = new Date().toISOString();
        const running: RunningTimer = { project_id: input.project_id, project_name, phase: input.phase, activity: input.activity, notes: input.notes ?? null, billable, started_at };
        await cap.warehouse.run(
            `insert into capture.timers (person_id, project_id, phase, activity, notes, billable, started_at, started_by) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [personId, input.project_id, input.phase, input.activity, running.notes, billable, started_at, actor.actor],
        );
        ctx.audit({ ...actor, action: 'start', entity: 'timer', entity_id: personId, after: running });
        return { running, stopped };
    });
}

export async function stopTimer(cap: Capture, actor: AuditWho, personId: string): Promise<{ entry: EntryView; entries: EntryView[] }> {
    if (!(await runningTimer(cap, personId))) throw new CaptureError(409, `no timer is running for ${personId}`);
    const entries = await cap.queue.write(async (ctx) => {
        const saved = await stopIn(cap, ctx, actor, personId);
        if (saved.length === 0) throw new CaptureError(409, `no timer is running for ${personId}`);
        return saved;
    });
    return { entry: entries[entries.length - 1]!, entries };
}

export async function discardTimer(cap: Capture, actor: AuditWho, personId: string): Promise<void> {
    const timer = await runningTimer(cap, personId);
    if (!timer) throw new CaptureError(409, `no timer is running for ${personId}`);
    await cap.queue.write(async (ctx) => {
        await cap.warehouse.run(`delete from capture.timers where person_id = $1`, [personId]);
        ctx.audit({ ...actor, action: 'discard', entity: 'timer', entity_id: personId, before: timer });
    });
}
