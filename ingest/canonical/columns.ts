/**
 * A file's columns, checked against its entity, and the SQL that turns its text cells into the entity's
 * columns: both the fast path and the report path stage through stagedColumns, so they read a file alike.
 */
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { Column, Entity } from '../entities.ts';
import { parseCell, readType } from '../rules.ts';
import { clip, type RejectedRow } from './report.ts';

/**
 * Columns the file provides, in entity order, each in the form the file gives it (an alternative, such as
 * time entries' hours, stands where the column it replaces would).
 */
export function fileColumns(e: Entity, header: readonly string[], fileName: string): { columns: Column[]; problems: RejectedRow[] } {
    const problems: RejectedRow[] = [];
    const known = new Map(e.columns.map((c) => [c.name, c]));
    const used = (e.alternatives ?? []).filter((a) => header.includes(a.column.name));
    for (const a of used) {
        known.set(a.column.name, a.column);
        if (header.includes(a.replaces)) {
            problems.push({ file: fileName, line: 1, column: a.column.name, value: a.column.name, reason: `give ${a.column.name} or ${a.replaces}, not both` });
        }
    }
    const replaced = new Set(used.map((a) => a.replaces));
    const seen = new Set<string>();
    for (const h of header) {
        if (!known.has(h)) problems.push({ file: fileName, line: 1, column: clip(h), value: clip(h), reason: 'unknown column' });
        else if (seen.has(h)) problems.push({ file: fileName, line: 1, column: h, value: h, reason: 'column appears twice' });
        seen.add(h);
    }
    for (const c of e.columns) {
        if (c.required && !seen.has(c.name) && !replaced.has(c.name)) {
            problems.push({ file: fileName, line: 1, column: c.name, value: null, reason: 'missing required column' });
        }
    }
    const columns: Column[] = [];
    for (const c of e.columns) {
        const alternative = used.find((a) => a.replaces === c.name);
        if (alternative && !seen.has(c.name)) columns.push(alternative.column);
        else if (seen.has(c.name)) columns.push(c);
    }
    return { columns, problems };
}

/** SQL turning a cell read as text (or already typed) into its canonical value. */
function normalized(c: Column, source: string): string {
    if (c.type === 'text') {
        // An empty cell is no value. Text is kept as given otherwise (no trimming), in both paths alike.
        const value = `nullif(${source}, '')`;
        return c.emptyAsBlank ? `coalesce(${value}, '')` : value;
    }
    return source;
}

/**
 * The select list of a staged relation over a source of text cells (one varchar column per header field):
 * each given column parsed (rules.ts parseCell) with its text beside it as `<column>__raw`, and every column
 * the file does not give as the warehouse will hold it (null, or '' when emptyAsBlank), so that rules
 * across columns read the same whichever columns a file gives. Both paths stage through this.
 */
export function stagedColumns(e: Entity, columns: readonly Column[]): string {
    const given = new Set(columns.map((c) => c.name));
    const replaced = new Set((e.alternatives ?? []).filter((a) => given.has(a.column.name)).map((a) => a.replaces));
    const parsed = columns.map((c) => {
        const text = `nullif(${ident(c.name)}, '')`;
        const value = c.type === 'text' ? normalized(c, ident(c.name)) : parseCell(c.type, text);
        return `${value} as ${ident(c.name)}, ${text} as ${ident(c.name + '__raw')}`;
    });
    return [...parsed, ...absentColumns(e, given, replaced)].join(', ');
}

/**
 * The same select list over a relation whose columns already hold values (an import's staged rows): each
 * given column cast to the type a file's cell is read as, so the rules read it as they read a parsed file,
 * with nothing to parse. A text column's `<column>__raw` is its text; a typed value has none to quote, and
 * its `__raw` only says whether there is a value ('' or null): the rules read it for that alone (a missing
 * value; a cell that did not parse, which a typed value cannot be), and writing every value out as text
 * would cost more than the load.
 */
export function typedColumns(e: Entity, columns: readonly Column[]): string {
    const given = new Set(columns.map((c) => c.name));
    const replaced = new Set((e.alternatives ?? []).filter((a) => given.has(a.column.name)).map((a) => a.replaces));
    const typed = columns.map((c) => {
        const col = ident(c.name);
        if (c.type === 'text') return `${normalized(c, `${col}::varchar`)} as ${col}, nullif(${col}::varchar, '') as ${ident(c.name + '__raw')}`;
        return `${col}::${readType(c.type)} as ${col}, case when ${col} is not null then '' end as ${ident(c.name + '__raw')}`;
    });
    return [...typed, ...absentColumns(e, given, replaced)].join(', ');
}

/** Every column a file does not give, as the warehouse will hold it (null, or '' when emptyAsBlank). */
function absentColumns(e: Entity, given: ReadonlySet<string>, replaced: ReadonlySet<string>): string[] {
    return e.columns
        .filter((c) => !given.has(c.name) && !replaced.has(c.name))
        .map((c) => `${c.emptyAsBlank ? `''` : `null::${readType(c.type)}`} as ${ident(c.name)}`);
}

/** Every header field as text, for read_csv's columns. */
export function textSpec(header: readonly string[]): string {
    return header.map((h) => `${literal(h)}: 'varchar'`).join(', ');
}

/**
 * The types of the entity's table in the warehouse, by column: a value its column cannot hold is a rule
 * (rules.ts storageRule) rather than a failed insert.
 */
export async function storedTypes(warehouse: Warehouse, e: Entity): Promise<Map<string, string>> {
    const rows = await warehouse.all<{ column_name: string; data_type: string }>(
        `select column_name, data_type from information_schema.columns where table_schema = 'canonical' and table_name = $1`,
        [e.name],
    );
    return new Map(rows.map((r) => [r.column_name, r.data_type]));
}
