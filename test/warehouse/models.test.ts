import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildModels, ModelError, modelsCurrent, readModels } from '../../warehouse/models.ts';
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

    it('a model that does not compile names its file', async () => {
        warehouse = await Warehouse.open(':memory:');
        const dir = modelsDir({ 'marts/fct_x.sql': 'select nope from' });
        await expect(buildModels(warehouse, { dir })).rejects.toThrow(/model marts\.fct_x \(.*fct_x\.sql\) failed to build/);
    });
});
