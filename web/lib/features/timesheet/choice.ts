/**
 * Choosing project › phase › activity from what the API offers the person (GET /api/time/options: active
 * projects they are assigned to or have logged on), and the billable default that follows the choice.
 */
import type { ProjectOption } from './types.ts';

export interface Choice {
    project_id: string;
    phase: string;
    activity: string;
    billable: boolean;
}

/** Billable as the activity says, else as the project says. */
export function billableDefault(project: ProjectOption | undefined, activity: string): boolean {
    if (!project) return true;
    return project.activities.find((a) => a.activity === activity)?.billable_default ?? project.billable_default;
}

/**
 * The choice after one of its parts changed: a new project takes its first phase and activity (when the old
 * ones are not its), and billable follows the project and activity unless the person set it.
 */
export function rechoose(projects: ProjectOption[], choice: Choice, changed: 'project_id' | 'phase' | 'activity' | 'billable'): Choice {
    if (changed === 'billable') return choice;
    const project = projects.find((p) => p.project_id === choice.project_id);
    if (!project) return { ...choice, phase: '', activity: '' };
    const phase = project.phases.includes(choice.phase) ? choice.phase : (project.phases[0] ?? '');
    const activity = project.activities.some((a) => a.activity === choice.activity) ? choice.activity : (project.activities[0]?.activity ?? '');
    return { project_id: project.project_id, phase, activity, billable: billableDefault(project, activity) };
}

export function projectLabel(p: ProjectOption): string {
    return `${p.client_name} · ${p.name}`;
}

/** Elapsed time since an instant as h:mm:ss (a running timer). */
export function elapsed(startedAt: string, now: number): string {
    const s = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
    return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
