import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildModels, ModelError, modelsCurrent, readModels, readSemantic } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir } from '../helpers/fixtures.ts';

function modelsDir(files: Record<string, string>): string {
    const dir = tempDir('realize-models-');
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

describe('the model builder', () => {
    it('orders models by the schema-qualified names they read', () => {
        const dir = modelsDir({
            'marts/a/fct_b.sql': 'select * from intermediate.int_a join staging.stg_x using (id)',
            'intermediate/int_a.sql': 'select * from staging.stg_x',
            'staging/stg_x.sql': 'select 1 as id -- reads marts.fct_b only in a comment',
        });
        expect(readModels(dir).map((m) => [m.relation, m.dependsOn])).toEqual([
            ['staging.stg_x', []],
            ['intermediate.int_a', ['staging.stg_x']],
            ['marts.fct_b', ['intermediate.int_a', 'staging.stg_x']],
        ]);
    });

    it('fails on an unknown model, naming the model that reads it', () => {
        const dir = modelsDir({ 'marts/fct_a.sql': 'select * from intermediate.int_missing' });
        expect(() => readModels(dir)).toThrow(/marts\.fct_a .* reads intermediate\.int_missing, which is not a model/);
    });

    it('fails on a cycle', () => {
        const dir = modelsDir({ 'intermediate/int_a.sql': 'select * from intermediate.int_b', 'intermediate/int_b.sql': 'select * from intermediate.int_a' });
        expect(() => readModels(dir)).toThrow(/cycle: intermediate\.int_a → intermediate\.int_b → intermediate\.int_a/);
    });

    it('runs the .yml tests and rolls the build back when one fails, naming model and test', async () => {
        warehouse = await Warehouse.open(':memory:');
        const good = modelsDir({
            'marts/fct_n.sql': 'select 1 as id, 10 as amount',
            'marts/fct_n.yml': 'grain: one row\ncolumns:\n  - name: id\n    tests: [unique, not_null]\ntests:\n  - name: amount positive\n    expression: amount > 0\n',
        });
        const result = await buildModels(warehouse, { dir: good });
        expect(result.tests.map((t) => [t.test, t.failures])).toEqual([
            ['unique(id)', 0],
            ['not_null(id)', 0],
            ['amount positive', 0],
        ]);
        const bad = modelsDir({
            'marts/fct_n.sql': 'select 1 as id, -5 as amount union all select 1, 3',
            'marts/fct_n.yml': 'grain: one row\ncolumns:\n  - name: id\n    tests: [unique]\ntests:\n  - name: amount positive\n    expression: amount > 0\n',
        });
        await expect(buildModels(warehouse, { dir: bad })).rejects.toThrow(ModelError);
        await expect(buildModels(warehouse, { dir: bad })).rejects.toThrow(/marts\.fct_n: test unique\(id\) failed for 1 row\(s\)[\s\S]*marts\.fct_n: test amount positive failed for 1 row/);
        // The previous build is kept.
        expect(await warehouse.all('select * from marts.fct_n')).toEqual([{ id: 1, amount: 10 }]);
    });

    it('records what it built from, so a warehouse built by other models is known to need a rebuild', async () => {
        warehouse = await Warehouse.open(':memory:');
        const dir = modelsDir({ 'marts/fct_n.sql': 'select 1 as id', 'marts/fct_n.yml': 'grain: one row\n' });
        expect(await modelsCurrent(warehouse, dir)).toBe(false);
        await buildModels(warehouse, { dir });
        expect(await modelsCurrent(warehouse, dir)).toBe(true);
        fs.writeFileSync(path.join(dir, 'marts/fct_n.yml'), 'grain: one row per id\n');
        expect(await modelsCurrent(warehouse, dir)).toBe(false);
        // A failed build keeps the previous build and its record.
        fs.writeFileSync(path.join(dir, 'marts/fct_n.sql'), 'select nope from');
        await expect(buildModels(warehouse, { dir })).rejects.toThrow(ModelError);
        fs.writeFileSync(path.join(dir, 'marts/fct_n.sql'), 'select 1 as id');
        fs.writeFileSync(path.join(dir, 'marts/fct_n.yml'), 'grain: one row\n');
        expect(await modelsCurrent(warehouse, dir)).toBe(true);
    });

    it('builds over what holds a model’s name, of either kind, and again over its own build', async () => {
        warehouse = await Warehouse.open(':memory:');
        // Left by another version: a table where a staging model (a view) goes, a view where a table goes.
        for (const schema of ['staging', 'intermediate']) await warehouse.run(`create schema ${schema}`);
        await warehouse.run('create table staging.stg_x as select 0 as id');
        await warehouse.run('create view intermediate.int_a as select 0 as id');
        const dir = modelsDir({ 'staging/stg_x.sql': 'select 1 as id', 'intermediate/int_a.sql': 'select id + 1 as id from staging.stg_x' });
        const kinds = () =>
            warehouse!.all(`select table_schema || '.' || table_name as relation, table_type as kind from information_schema.tables where table_schema in ('staging', 'intermediate') order by 1`);
        for (let build = 0; build < 2; build++) {
            await buildModels(warehouse, { dir });
            expect(await kinds()).toEqual([
                { relation: 'intermediate.int_a', kind: 'BASE TABLE' },
                { relation: 'staging.stg_x', kind: 'VIEW' },
            ]);
            expect(await warehouse.all('select id from intermediate.int_a')).toEqual([{ id: 2 }]);
        }
    });

    it('a model that does not compile names its file', async () => {
        warehouse = await Warehouse.open(':memory:');
        const dir = modelsDir({ 'marts/fct_x.sql': 'select nope from' });
        await expect(buildModels(warehouse, { dir })).rejects.toThrow(/model marts\.fct_x \(.*fct_x\.sql\) failed to build/);
    });
});

/** A mart and the semantic block of its .yml (models/SEMANTIC.md), for the reader's checks. */
const metricYml = (metric: string) =>
    `grain: one row per project × month\nsemantic:\n  metrics:\n    - name: revenue\n      summary: Revenue\n      description: Revenue by month\n` +
    `      roles: money\n      grain: project × month\n      date: {column: month, grain: month}\n      dimensions: {month: month, project: project_id}\n` +
    `      filters: {project_id: project_id}\n${metric}`;
const revenueSql = `select 'P1' as project_id, date '2024-01-01' as month, 100 as revenue`;

describe('the semantic block of a mart’s .yml', () => {
    it('is read with its mart, and the marts’ descriptions with it', () => {
        const dir = modelsDir({
            'marts/fct_revenue.sql': revenueSql,
            'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue)}\n') + 'columns:\n  - name: revenue\n    description: " Revenue recognized. "\n',
        });
        const semantic = readSemantic(dir);
        expect(semantic.metrics.map((m) => [m.name, m.mart, m.measures])).toEqual([['revenue', 'marts.fct_revenue', { revenue: 'sum(revenue)' }]]);
        expect(semantic.marts['marts.fct_revenue']!.columns).toEqual({ revenue: 'Revenue recognized.' });
        expect(semantic.funnel).toBeNull();
    });

    it('fails on a bad block, naming the file and the path of the field', () => {
        const misspelt = modelsDir({ 'marts/fct_revenue.sql': revenueSql, 'marts/fct_revenue.yml': metricYml('      measure: {revenue: sum(revenue)}\n') });
        expect(() => readModels(misspelt)).toThrow(/fct_revenue\.yml is not a valid model \.yml:[\s\S]*semantic\.metrics\[0\]\.measures: /);
        expect(() => readModels(misspelt)).toThrow(/semantic\.metrics\[0\]: Unrecognized key: "measure"/);
        const ratio = modelsDir({
            'marts/fct_revenue.sql': revenueSql,
            'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue)}\n      ratios: {share: [revenue, cost]}\n'),
        });
        expect(() => readModels(ratio)).toThrow(/semantic\.metrics\[0\]\.ratios\.share\[1\]: cost is not a measure of revenue/);
        // What is money is declared by measure or ratio name, and a sum names money measures only.
        const money = modelsDir({
            'marts/fct_revenue.sql': revenueSql,
            'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue), hours: sum(1)}\n      money: [revenue, price]\n      sums: {revenue: [hours, -revenue]}\n'),
        });
        expect(() => readModels(money)).toThrow(/semantic\.metrics\[0\]\.money\[1\]: price is not a measure or a ratio of revenue/);
        expect(() => readModels(money)).toThrow(/semantic\.metrics\[0\]\.sums\.revenue\[0\]: hours is not a money measure of revenue/);
        const typo = modelsDir({ 'marts/fct_revenue.sql': revenueSql, 'marts/fct_revenue.yml': 'grain: one row\nsemantics: {}\n' });
        expect(() => readModels(typo)).toThrow(/\(top\): Unrecognized key: "semantics"/);
    });

    it('declares each route once, across marts', () => {
        const dir = modelsDir({
            'marts/fct_revenue.sql': revenueSql,
            'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue)}\n'),
            'marts/fct_revenue_again.sql': revenueSql,
            'marts/fct_revenue_again.yml': metricYml('      measures: {revenue: sum(revenue)}\n'),
        });
        expect(() => readModels(dir)).toThrow(/fct_revenue_again\.yml: metric revenue is also declared by .*fct_revenue\.yml/);
    });

    it('fails the build when the mart lacks a column it names or a measure does not run, keeping the previous build', async () => {
        warehouse = await Warehouse.open(':memory:');
        const good = modelsDir({ 'marts/fct_revenue.sql': revenueSql, 'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue)}\n') });
        await buildModels(warehouse, { dir: good });
        const column = modelsDir({
            'marts/fct_revenue.sql': revenueSql,
            'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenue)}\n').replace('{project_id: project_id}', '{project_id: project_id, client_id: client_id}'),
        });
        await expect(buildModels(warehouse, { dir: column })).rejects.toThrow(/fct_revenue\.yml: metric revenue reads client_id, which marts\.fct_revenue does not have/);
        const measure = modelsDir({ 'marts/fct_revenue.sql': revenueSql, 'marts/fct_revenue.yml': metricYml('      measures: {revenue: sum(revenu)}\n') });
        await expect(buildModels(warehouse, { dir: measure })).rejects.toThrow(/fct_revenue\.yml: metric revenue does not run over marts\.fct_revenue: .*revenu/);
        expect(await modelsCurrent(warehouse, good)).toBe(true);
    });

    it('checks a funnel’s stages and leaks: a leak below a stage that is not one, or below the last, and keys declared twice', () => {
        const funnel = (leaks: string) =>
            `grain: one row\nsemantic:\n  funnel:\n    summary: s\n    description: d\n    roles: money\n    grain: month\n    date: {column: month, grain: month}\n` +
            `    filters: {project_id: project_id}\n    rows: {mart: marts.fct_rows}\n    stages:\n      - {key: a_value, label: A}\n      - {key: b_value, label: B}\n    leaks:\n${leaks}`;
        const leak = (key: string, below: string) => `      - {key: ${key}, column: ${key}_value, label: L, definition: D, colour: orange, below: ${below}}\n`;
        const files = (leaks: string) => ({ 'marts/fct_rows.sql': 'select 1 as x', 'marts/fct_f.sql': 'select 1 as x', 'marts/fct_f.yml': funnel(leaks) });
        expect(readSemantic(modelsDir(files(leak('lost', 'a_value')))).funnel!.leaks.map((l) => l.key)).toEqual(['lost']);
        expect(() => readModels(modelsDir(files(leak('lost', 'c_value'))))).toThrow(/semantic\.funnel\.leaks\[0\]\.below: c_value is not a stage \(a_value, b_value\)/);
        expect(() => readModels(modelsDir(files(leak('lost', 'b_value'))))).toThrow(/semantic\.funnel\.leaks\[0\]\.below: b_value is the last stage/);
        expect(() => readModels(modelsDir(files(leak('lost', 'a_value') + leak('lost', 'a_value'))))).toThrow(/semantic\.funnel\.leaks\[1\]\.key: lost is declared twice/);
        expect(() => readModels(modelsDir(files(leak('lost', 'a_value').replace('}', ', filters: {project_id: project_id}}'))))).toThrow(/leaks\[0\]\.filters\.project_id: project_id is a filter of the funnel already/);
    });
});
