/**
 * A refresh tests only what it recomputed (warehouse/models/tests.ts): row tests and unique run over the rows
 * of the recomputed partitions, a query test declared `scoped: true` over its rows of those partitions, and any
 * other query test over everything; a model's tests run in one statement. The table: January holds a null
 * and a duplicate key, February a negative n (its day sums negative); the firm's n sum to 1 + 2 + 3 + 4 − 5 = 5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTests, testsOf } from '../../warehouse/models/tests.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

let warehouse: Warehouse;
beforeAll(async () => {
    warehouse = await Warehouse.open(':memory:', { migrate: false });
    await warehouse.run(`create schema marts`);
    await warehouse.run(
        `create table marts.t as select * from (values
            ('a', date '2025-01-03', 1), ('a', date '2025-01-09', 2), (null, date '2025-01-10', 3),
            ('b', date '2025-02-03', 4), ('c', date '2025-02-04', -5)) v(k, d, n)`,
    );
});
afterAll(() => warehouse.close());

const spec = {
    columns: [{ name: 'k', tests: ['not_null', 'unique'] }],
    tests: [
        { name: 'n is positive', expression: 'n > 0' },
        { name: 'months sum positive', scoped: true, query: `select d, sum(n) as n from marts.t group by d having sum(n) <= 0` },
        { name: 'the firm sums over 5', query: `select sum(n) as n from marts.t having sum(n) <= 5` },
    ],
};

async function failures(where?: string): Promise<Record<string, number>> {
    const tests = testsOf('marts.t', spec, 't.yml');
    const results = await runTests(warehouse, [{ relation: 'marts.t', tests, where }]);
    return Object.fromEntries(results.map((r) => [r.test, r.failures]));
}

describe('model tests in a refresh', () => {
    it('run over the whole table in a build', async () => {
        expect(await failures()).toEqual({ 'not_null(k)': 1, 'unique(k)': 1, 'n is positive': 1, 'months sum positive': 1, 'the firm sums over 5': 1 });
    });

    it('run row tests, unique and scoped queries over the recomputed rows only; other queries over everything', async () => {
        // February recomputed: the negative row and its day; January's null and duplicate are not looked at.
        expect(await failures(`d >= date '2025-02-01'`)).toEqual({ 'not_null(k)': 0, 'unique(k)': 0, 'n is positive': 1, 'months sum positive': 1, 'the firm sums over 5': 1 });
        expect(await failures(`d < date '2025-02-01'`)).toEqual({ 'not_null(k)': 1, 'unique(k)': 1, 'n is positive': 0, 'months sum positive': 0, 'the firm sums over 5': 1 });
    });

    it('name the test that cannot run, though they run together', async () => {
        const tests = testsOf('marts.t', { tests: [{ name: 'fine', expression: 'n > -10' }, { name: 'broken', query: 'select nothing from marts.t' }] }, 't.yml');
        await expect(runTests(warehouse, [{ relation: 'marts.t', tests }])).rejects.toThrow(/test broken of marts.t could not run/);
    });

    it('refuse a scoped flag that is not true or false', () => {
        expect(() => testsOf('marts.t', { tests: [{ name: 'x', scoped: 'yes', query: 'select 1' }] }, 't.yml')).toThrow(/scoped \(of test x\) is true or false/);
    });
});
