/**
 * The layout's rules that a reader would otherwise check by hand: no two modules import each other, however
 * far round (a circle makes load order matter and every module in it changes with the others).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from './helpers/import-graph.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('imports', () => {
    it('finds a circle of any length, type-only imports included, and names its files in order', () => {
        const graph: ImportGraph = new Map([
            ['a.ts', ['b.ts']],
            ['b.ts', ['c.ts', 'd.ts']],
            ['c.ts', ['a.ts']],
            ['d.ts', []],
            ['e.ts', ['e.ts']],
            ['f.ts', ['d.ts']],
        ]);
        expect(importCycles(graph)).toEqual([
            ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
            ['e.ts', 'e.ts'],
        ]);
    });

    it('reads the tree: server, warehouse, web and the tests are in the graph, with their imports', () => {
        const graph = importGraph(ROOT);
        expect(graph.get('server/app.ts')).toContain('server/plugins/auth.ts');
        expect(graph.get('warehouse/warehouse.ts')).toBeDefined();
        // `import type` and the web's $lib alias count.
        expect(graph.get('web/lib/app.svelte.ts')?.some((f) => f.startsWith('web/lib/api/'))).toBe(true);
        expect(graph.has('test/architecture.test.ts')).toBe(true);
        expect([...graph.keys()].some((f) => f.includes('node_modules'))).toBe(false);
    });

    it('has no circle among the repository’s modules', () => {
        const circles = importCycles(importGraph(ROOT)).map((c) => c.join(' → '));
        expect(circles).toEqual([]);
    });
});
