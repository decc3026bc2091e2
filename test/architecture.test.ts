/**
 * The layout's rules that a reader would otherwise check by hand: no two modules import each other, however
 * far round (a circle makes load order matter and every module in it changes with the others), and route
 * files hold no SQL: they call the named queries of server/queries/ (STYLE.md, "Where the next things go").
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, sourceFiles, type ImportGraph } from './helpers/import-graph.ts';

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

describe('route files', () => {
    /** A call of the warehouse's SQL methods (all, one, run, allJson), whatever the statement is held in. */
    const SQL_CALL = /\b(warehouse|w)\s*\.\s*(all|one|run|allJson)\b/g;

    it('find a statement run in a route file', () => {
        expect('const r = await app.warehouse.one<{ n: number }>(`select 1`);'.match(SQL_CALL)).toHaveLength(1);
        expect("rows = await w.all('select * from t', []);".match(SQL_CALL)).toHaveLength(1);
        expect('const rows = page ? await app.warehouse\n    .all<Row>(page, pageParams) : [];'.match(SQL_CALL)).toHaveLength(1);
        expect('const rows = await latestBatches(app.warehouse, limit);'.match(SQL_CALL)).toBeNull();
    });

    it('run no SQL of their own: they call named queries', () => {
        const routes = sourceFiles(ROOT).filter((f) => f.startsWith('server/routes/'));
        expect(routes.length).toBeGreaterThan(10);
        const inline = routes.flatMap((f) => (fs.readFileSync(path.join(ROOT, f), 'utf8').match(SQL_CALL) ?? []).map((m) => `${f}: ${m}`));
        expect(inline).toEqual([]);
    });
});
