/**
 * What a write dirtied, and which of a partitioned model's rows that makes it recompute. A record names a
 * project, a person and a span of months, each null for "every": a time entry's write dirties its project
 * and person in its month; a rate card every person of its project from its month on; a setting everything.
 * A model narrows on the keys its `refresh:` block names (the month, project and person columns): its rows
 * matching a record are recomputed, and what it passes downstream keeps the keys its rows are narrowed on.
 */
import { addDays, weekStart } from '../../lib/dates.ts';
import { ident, literal } from '../warehouse.ts';
import type { RefreshSpec } from './spec.ts';

/** A change: a project and a person (null: every one) in the months from..to (from null: every month; to null: every month from `from` on). */
export interface Dirty {
    project: string | null;
    person: string | null;
    from: string | null;
    to: string | null;
}

export const EVERYTHING: Dirty = { project: null, person: null, from: null, to: null };

export type PartitionSpec = Extract<RefreshSpec, { by: string }>;

/** Fewer, equivalent records: everything swallows the rest; the same record once. */
export function simplify(records: Dirty[]): Dirty[] {
    if (records.length === 0) return [];
    if (records.some((r) => r.project === null && r.person === null && r.from === null)) return [EVERYTHING];
    const out = new Map<string, Dirty>();
    for (const r of records) out.set(`${r.project ?? ''}|${r.person ?? ''}|${r.from ?? ''}|${r.to ?? ''}`, r);
    return [...out.values()];
}

/** The model's columns a record narrows its rows on (undefined: not narrowed on that key). */
function keysOf(spec: PartitionSpec): { project?: string; person?: string; month?: string; week?: string } {
    return {
        project: spec.by === 'project' ? spec.column : spec.project,
        person: spec.by === 'person' ? spec.column : spec.person,
        month: spec.by === 'month' ? spec.column : undefined,
        week: spec.by === 'month' ? spec.weeks : undefined,
    };
}

/** What a model passes downstream after recomputing `input`, by its declaration (without `changes:`). */
export function passDown(spec: PartitionSpec, input: Dirty[]): Dirty[] {
    const keepProject = spec.project !== undefined || (spec.by === 'project' && spec.per_project === true) || (spec.by === 'month' && spec.per_project === true);
    const keepPerson = spec.person !== undefined || spec.by === 'person';
    return simplify(
        input.map((d) => {
            const months = spec.by === 'person' ? { from: null, to: null } : monthsOf(spec, d);
            return { project: keepProject ? d.project : null, person: keepPerson ? d.person : null, ...months };
        }),
    );
}

/** The months a model's recomputed rows of `d` lie in: the weeks overlapping its months reach into their neighbours. */
function monthsOf(spec: PartitionSpec, d: Dirty): { from: string | null; to: string | null } {
    if (d.from === null) return { from: null, to: null };
    if (spec.by !== 'month' || spec.weeks === undefined) return { from: d.from, to: spec.onward || d.to === null ? null : d.to };
    const from = monthOf(weekStart(d.from));
    if (spec.onward || d.to === null) return { from, to: null };
    return { from, to: monthOf(addDays(weekStart(lastDay(d.to)), 6)) };
}

/**
 * The predicate selecting a partitioned model's rows that `records` dirtied, in SQL with its keys as constants
 * (DuckDB pushes a constant list into the model's scans and across its joins on the column); null: every row.
 * Records are grouped by which keys they name: a group selects the cross product of its projects, people and
 * months — more rows than dirtied at most, never fewer.
 */
export function partitionFilter(spec: PartitionSpec, records: Dirty[]): string | null {
    const keys = keysOf(spec);
    const groups = new Map<string, { projects: Set<string>; people: Set<string>; spans: Dirty[] }>();
    for (const r of records) {
        const project = keys.project !== undefined ? r.project : null;
        const person = keys.person !== undefined ? r.person : null;
        const months = keys.month !== undefined && r.from !== null;
        if (project === null && person === null && !months) return null;
        const key = `${project === null ? '' : 'p'}${person === null ? '' : 'q'}${months ? 'm' : ''}`;
        const group = groups.get(key) ?? { projects: new Set<string>(), people: new Set<string>(), spans: [] };
        if (project !== null) group.projects.add(project);
        if (person !== null) group.people.add(person);
        if (months) group.spans.push(r);
        groups.set(key, group);
    }
    const terms = [...groups.values()].map((g) => {
        const parts: string[] = [];
        // A bulk load names thousands: a list that long selects most rows anyway, and costs more to plan than to read.
        const listed = (values: Set<string>) => values.size > 0 && values.size <= MAX_KEYS;
        if (listed(g.projects)) parts.push(oneOf(keys.project!, g.projects));
        if (listed(g.people)) parts.push(oneOf(keys.person!, g.people));
        if (g.spans.length > 0) parts.push(monthsTerm(keys, g.spans));
        if (parts.length === 0) return null;
        return parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`;
    });
    if (terms.some((t) => t === null)) return null;
    return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

/**
 * `column` is one of `values`: a single value as an equality, which DuckDB carries across the model's joins on
 * that column into the other side's scans (an `in` list, even of one, stays on the side it names).
 */
function oneOf(column: string, values: Set<string>): string {
    const sorted = [...values].sort();
    return sorted.length === 1 ? `${ident(column)} = ${literal(sorted[0]!)}` : `${ident(column)} in (${sorted.map(literal).join(', ')})`;
}

/** The most projects or people a filter lists; past it, a group selects every project's (person's) rows of its other keys. */
const MAX_KEYS = 1000;

/** The rows of the months `spans` cover: by the month column, or by the week column for the weeks overlapping them. */
function monthsTerm(keys: { month?: string; week?: string }, spans: Dirty[]): string {
    const terms = monthSpans(spans).map((s) => {
        if (keys.week !== undefined) {
            const week = ident(keys.week);
            const from = `${week} >= ${sqlDate(weekStart(s.from))}`;
            return s.to === null ? from : `(${from} and ${week} <= ${sqlDate(weekStart(lastDay(s.to)))})`;
        }
        const column = ident(keys.month!);
        const from = `${column} >= ${sqlDate(s.from)}`;
        return s.to === null ? from : `(${from} and ${column} < ${sqlDate(nextMonth(s.to))})`;
    });
    return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

/** Month spans (first days, inclusive; to null: open) covering `records` (each with a from), merged. */
function monthSpans(records: Dirty[]): { from: string; to: string | null }[] {
    const spans = records.map((r) => ({ from: r.from!, to: r.to })).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const merged: { from: string; to: string | null }[] = [];
    for (const s of spans) {
        const last = merged[merged.length - 1];
        if (last && (last.to === null || nextMonth(last.to) >= s.from)) {
            if (last.to !== null && (s.to === null || s.to > last.to)) last.to = s.to;
            continue;
        }
        merged.push({ ...s });
    }
    return merged;
}

const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const lastDay = (month: string) => addDays(nextMonth(month), -1);

function nextMonth(month: string): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

function sqlDate(day: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date: ${JSON.stringify(day)}`);
    return `date '${day}'`;
}
