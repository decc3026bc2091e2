/**
 * The shape of a model's .yml, checked with zod when it is read: a misspelt key or a bad block fails the build
 * with the file and the path of the field, instead of being ignored. Test declarations are checked further
 * where they are turned into SQL (tests.ts); the semantic block is described in models/SEMANTIC.md.
 */
import { z } from 'zod';
import { semanticShape } from './semantic.ts';

export class ModelError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ModelError';
    }
}

// Kept as written (a folded block's final newline too): the definitions serve them as the .yml has them.
const text = z.string();
const columnTest = z.union([z.string(), z.record(z.string(), z.unknown())]);

/**
 * How a model is brought up to date after writes (warehouse/models/incremental.ts): by partition — its rows
 * for the dirty months (`by: month`), projects (`by: project`) or people (`by: person`) deleted and
 * recomputed, narrowed further to the dirty projects (`project:`) and people (`person:`) — or whole, with the
 * reason it cannot be partitioned honestly. Without the block a model is rebuilt whole.
 */
const columnName = z.string().regex(/^[a-z_][a-z0-9_]*$/);
/** Its columns that say which project, person and month a changed row belongs to: what it then dirties downstream (else everything). */
const changesShape = z.strictObject({ project: columnName.optional(), person: columnName.optional(), month: columnName.optional() });

export const refreshShape = z.union([
    z.strictObject({
        by: z.enum(['month', 'project', 'person']),
        /** The model's column holding the key: a date within the month (its first day, a work date), the project_id or the person_id. */
        column: columnName,
        /** A change in a month changes this model's rows of the later months too (cumulative figures). */
        onward: z.boolean().optional(),
        /** A project's rows depend only on that project's data (a dirty key keeps its project downstream). */
        per_project: z.boolean().optional(),
        /** Its column holding the project: a project's rows read only that project's data, so only the dirty projects' rows are recomputed, and downstream keeps them. */
        project: columnName.optional(),
        /** Its column holding the person: a person's rows read only that person's data, so only the dirty people's rows are recomputed, and downstream keeps them. */
        person: columnName.optional(),
        /** (by month) Its column holding the week (the Monday): a row reads its whole week, so the weeks overlapping the dirty months are recomputed. */
        weeks: columnName.optional(),
        /** Compare the recomputed partitions with what they held and dirty downstream only the changed rows' keys. */
        changes: changesShape.optional(),
    }),
    z.strictObject({
        whole: z.string().min(1),
        changes: changesShape.optional(),
    }),
]);

export type RefreshSpec = z.infer<typeof refreshShape>;

export const modelSpecShape = z.strictObject({
    grain: text.optional(),
    description: text.optional(),
    columns: z.array(z.strictObject({ name: z.string(), description: text.optional(), tests: z.array(columnTest).optional() })).optional(),
    tests: z.array(z.record(z.string(), z.unknown())).optional(),
    semantic: semanticShape.optional(),
    refresh: refreshShape.optional(),
});

export type ModelSpec = z.infer<typeof modelSpecShape>;

/** The problems zod found, one a line, each with the path of the field in the .yml (e.g. semantic.funnel.leaks[2].below). */
export function describeIssues(error: z.ZodError): string {
    return error.issues
        .map((i) => {
            const at = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n > 0 ? '.' : ''}${String(p)}`)).join('');
            return `  ${at || '(top)'}: ${i.message}`;
        })
        .join('\n');
}

/** A .yml's parsed document, checked; `where` names the file in the error. */
export function parseSpec(doc: unknown, where: string): ModelSpec | null {
    if (doc === null || doc === undefined) return null;
    const parsed = modelSpecShape.safeParse(doc);
    if (!parsed.success) throw new ModelError(`${where} is not a valid model .yml:\n${describeIssues(parsed.error)}`);
    return parsed.data;
}
