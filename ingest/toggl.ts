/**
 * Toggl Track → canonical time entries.
 *
 * Detailed report CSV, both layouts: the classic one (`User,Email,Client,Project,Task,Description,Billable,
 * Start date,Start time,End date,End time,Duration,Tags,Amount (EUR)`, the Amount column absent on free plans or
 * named `Amount ()`) and the current one (`Member` for User, `Stop date`/`Stop time` for End, extra columns
 * ignored). Duration is h:mm:ss; dates ISO. The CSV has no entry ids: entries are fingerprinted
 * (ingest/import/entries.ts). Tags are a comma-separated list, kept in the entry's notes as `[a, b]`.
 *
 * Toggl's JSON: a list of time entries as its API and data export write them (`id`, `start`, `stop`,
 * `duration` in seconds, `description`, `project_id`/`project_name`, `client_name`, `tags`, `billable`,
 * `user_id`, `task_id`), alone or in the data-export folder beside `projects.json`, `clients.json`,
 * `workspace_users.json` and `tasks/`, which name the ids. Entry ids are Toggl's own: `toggl-<id>`.
 * A running entry (negative duration) is not an entry yet: it is reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntryFields } from './import/entries.ts';
import { currencyInHeader, has, pick } from './import/fields.ts';

export const TOGGL = 'toggl';

export function isToggl(header: readonly string[]): boolean {
    return (has(header, 'Email', 'Start date', 'Start time', 'Duration') && (has(header, 'User') || has(header, 'Member'))) || has(header, 'toggl_id');
}

export function togglFields(header: readonly string[]): EntryFields {
    return {
        id: pick(header, 'toggl_id', 'ID', 'Id'),
        user: pick(header, 'User', 'Member'),
        email: pick(header, 'Email'),
        client: pick(header, 'Client'),
        project: pick(header, 'Project'),
        task: pick(header, 'Task'),
        description: pick(header, 'Description'),
        billable: pick(header, 'Billable'),
        startDate: pick(header, 'Start date'),
        startTime: pick(header, 'Start time'),
        endDate: pick(header, 'End date', 'Stop date'),
        endTime: pick(header, 'End time', 'Stop time'),
        duration: pick(header, 'Duration'),
        tags: pick(header, 'Tags'),
        currency: currencyInHeader(header, 'Amount'),
    };
}

interface TogglJsonEntry {
    id?: number | string;
    start?: string;
    stop?: string | null;
    duration?: number;
    description?: string | null;
    project_id?: number | null;
    pid?: number | null;
    project_name?: string | null;
    client_name?: string | null;
    task_id?: number | null;
    task_name?: string | null;
    tags?: string[] | null;
    billable?: boolean;
    user_id?: number | null;
    uid?: number | null;
    user_name?: string | null;
    email?: string | null;
}

interface Named {
    id: number;
    name: string;
    client_id?: number | null;
    cid?: number | null;
    email?: string;
    uid?: number;
}

const csv = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function readJson(file: string): unknown {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Toggl JSON (a file of entries, or a data-export folder) → a CSV in the detailed report's layout plus
 * `toggl_id`, so it goes the same way as the CSV. Returns the CSV's path and how many entries it holds.
 */
export function togglJsonToCsv(input: string, out: string): { entries: number } {
    const dir = fs.statSync(input).isDirectory() ? input : path.dirname(input);
    const files = fs.statSync(input).isDirectory()
        ? fs.readdirSync(dir).filter((f) => /time_entries.*\.json$/i.test(f)).map((f) => path.join(dir, f))
        : [input];
    const named = (file: string): Named[] => (fs.existsSync(path.join(dir, file)) ? (readJson(path.join(dir, file)) as Named[]) : []);
    const projects = new Map(named('projects.json').map((p) => [p.id, p]));
    const clients = new Map(named('clients.json').map((c) => [c.id, c]));
    const users = new Map(named('workspace_users.json').flatMap((u) => [[u.uid ?? u.id, u] as const, [u.id, u] as const]));
    const tasks = new Map<number, Named>();
    if (fs.existsSync(path.join(dir, 'tasks'))) {
        for (const f of fs.readdirSync(path.join(dir, 'tasks'))) for (const t of readJson(path.join(dir, 'tasks', f)) as Named[]) tasks.set(t.id, t);
    }
    const lines = ['toggl_id,User,Email,Client,Project,Task,Description,Billable,Start date,Duration,Tags'];
    let entries = 0;
    for (const file of files) {
        const data = readJson(file);
        const list = (Array.isArray(data) ? data : ((data as { time_entries?: unknown[] }).time_entries ?? [])) as TogglJsonEntry[];
        for (const e of list) {
            const project = projects.get(Number(e.project_id ?? e.pid));
            const client = project ? clients.get(Number(project.client_id ?? project.cid)) : undefined;
            const user = users.get(Number(e.user_id ?? e.uid));
            const task = e.task_id ? tasks.get(e.task_id) : undefined;
            // A running entry's duration is negative (minus its start as a Unix time): left empty, it is reported.
            const seconds = typeof e.duration === 'number' && e.duration >= 0 ? `${e.duration}s` : '';
            lines.push(
                [
                    e.id,
                    e.user_name ?? user?.name,
                    e.email ?? user?.email,
                    e.client_name ?? client?.name,
                    e.project_name ?? project?.name,
                    e.task_name ?? task?.name,
                    e.description,
                    e.billable ? 'Yes' : 'No',
                    e.start,
                    seconds,
                    (e.tags ?? []).join(', '),
                ]
                    .map(csv)
                    .join(','),
            );
            entries++;
        }
    }
    fs.writeFileSync(out, lines.join('\n') + '\n');
    return { entries };
}
