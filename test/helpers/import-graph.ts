/**
 * The import graph of the repository's own TypeScript (.ts and .svelte.ts files, node_modules and build
 * output left out), read with TypeScript's own pre-processor: static imports and re-exports, `import type`
 * included (a type-only circle still ties two modules together), and dynamic `import('…')`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Folders that hold no source of ours. */
const SKIP = new Set(['node_modules', 'build', 'data', 'test-results', 'results', 'coverage']);

export type ImportGraph = Map<string, string[]>;

/** Every .ts file below `root`, as paths relative to it. */
export function sourceFiles(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (entry.name.startsWith('.') || SKIP.has(entry.name)) continue;
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path.relative(root, full));
        }
    };
    walk(root);
    return out.sort();
}

/** The file an import names, relative to `root`, when it is one of ours (packages and $app/… are not). */
function resolve(root: string, from: string, specifier: string, known: ReadonlySet<string>): string | null {
    let base: string;
    if (specifier.startsWith('$lib/')) base = path.join('web/lib', specifier.slice('$lib/'.length));
    else if (specifier.startsWith('.')) base = path.join(path.dirname(from), specifier);
    else return null;
    for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
        const rel = path.normalize(candidate);
        if (known.has(rel)) return rel;
    }
    return null;
}

export function importGraph(root: string): ImportGraph {
    const files = sourceFiles(root);
    const known = new Set(files);
    const graph: ImportGraph = new Map();
    for (const file of files) {
        const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
        const targets = new Set<string>();
        for (const imported of info.importedFiles) {
            const target = resolve(root, file, imported.fileName, known);
            if (target) targets.add(target);
        }
        graph.set(file, [...targets].sort());
    }
    return graph;
}

/**
 * One circle per strongly connected group of files (Tarjan), each as the files in import order with the
 * first repeated at the end: ['a.ts', 'b.ts', 'a.ts'].
 */
export function importCycles(graph: ImportGraph): string[][] {
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const groups: string[][] = [];
    const connect = (v: string) => {
        index.set(v, next);
        low.set(v, next);
        next += 1;
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                connect(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) === index.get(v)) {
            const group: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                group.push(w);
            } while (w !== v);
            if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
        }
    };
    for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
    return groups.map((group) => circleIn(graph, new Set(group))).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A shortest circle through the first file (by name) of a strongly connected group, by breadth-first search. */
function circleIn(graph: ImportGraph, group: ReadonlySet<string>): string[] {
    const start = [...group].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const v = queue.shift()!;
        for (const w of graph.get(v) ?? []) {
            if (!group.has(w)) continue;
            if (w === start) {
                const path = [start];
                for (let u = v; u !== start; u = previous.get(u)!) path.splice(1, 0, u);
                return [...path, start];
            }
            if (!previous.has(w)) {
                previous.set(w, v);
                queue.push(w);
            }
        }
    }
    return [start, start];
}
