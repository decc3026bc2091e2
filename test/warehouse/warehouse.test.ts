/**
 * The warehouse's result values: what every route and model test relies on. Integers that fit become
 * numbers (larger ones fail loudly), decimals numbers, dates 'YYYY-MM-DD', timestamps ISO 8601 in UTC,
 * nulls null, whatever the column's type, and rows keep their order across DuckDB's 2,048-row chunks.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../warehouse/warehouse.ts';

let w: Warehouse;
beforeAll(async () => {
    w = await Warehouse.open(':memory:', { migrate: false });
});
afterAll(() => w.close());

describe('threads', () => {
    it('gives each of a server’s connections a share of the cores, and bulk work all of them', async () => {
        const cores = os.availableParallelism();
        const server = await Warehouse.open(':memory:', { migrate: false, connections: 4 });
        const threads = async () => (await server.one<{ t: number }>(`select current_setting('threads')::integer as t`))!.t;
        try {
            const share = Math.max(1, Math.floor(cores / 4));
            expect(await threads()).toBe(share);
            const seen: number[] = [];
            // Two bulk jobs overlap: the count returns only when the last ends.
            let release!: () => void;
            const gate = new Promise<void>((r) => (release = r));
            const first = server.withAllCores(async () => {
                seen.push(await threads());
                await gate;
                seen.push(await threads());
            });
            await server.withAllCores(async () => seen.push(await threads()));
            seen.push(await threads());
            release();
            await first;
            expect(seen).toEqual([cores, cores, cores, cores]);
            expect(await threads()).toBe(share);
        } finally {
            server.close();
        }
        const command = await Warehouse.open(':memory:', { migrate: false });
        expect((await command.one<{ t: number }>(`select current_setting('threads')::integer as t`))!.t).toBe(cores);
        command.close();
    });
});

describe('Warehouse.all values', () => {
    it('converts each type to its JSON-safe value', async () => {
        const row = await w.one(
            `select true as b, 7::tinyint as ti, -300::smallint as si, 70000::integer as i, 4000000000::uinteger as ui,
                    9007199254740991::bigint as big, 12::hugeint as huge, 1.25::float as f, 0.1::double as d,
                    123.456789::decimal(18,6) as dec18, 1234567.891234::decimal(38,6) as dec38,
                    'senior_developer' as s, 'Zoë ✓' as utf8, date '2026-02-28' as day,
                    timestamp '2026-03-01 12:34:56.789' as ts, [1, 2] as list, {'a': 1, 'b': 'x'} as struct`,
        );
        expect(row).toEqual({
            b: true,
            ti: 7,
            si: -300,
            i: 70000,
            ui: 4000000000,
            big: 9007199254740991,
            huge: 12,
            f: 1.25,
            d: 0.1,
            dec18: 123.456789,
            dec38: 1234567.891234,
            s: 'senior_developer',
            utf8: 'Zoë ✓',
            day: '2026-02-28',
            ts: '2026-03-01T12:34:56.789Z',
            list: [1, 2],
            struct: { a: 1, b: 'x' },
        });
    });

    it('gives null for a null of any type', async () => {
        const row = await w.one(
            `select null::boolean as b, null::integer as i, null::bigint as big, null::double as d, null::decimal(18,2) as dec,
                    null::varchar as s, null::date as day, null::timestamp as ts`,
        );
        expect(Object.values(row!)).toEqual(Array(8).fill(null));
    });

    it('refuses an integer beyond 2^53 rather than rounding it', async () => {
        await expect(w.all(`select 9007199254740993::bigint as n`)).rejects.toThrow(/does not fit a JavaScript number/);
    });

    it('keeps row order and each row its own dates across chunks', async () => {
        const rows = await w.all<{ n: number; day: string | null; label: string }>(
            `select n::integer as n, case when n % 7 = 0 then null else date '2026-01-01' + (n % 40)::integer end as day, 'row ' || n as label
             from range(5000) t(n) order by n`,
        );
        expect(rows).toHaveLength(5000);
        for (const n of [0, 1, 2047, 2048, 2049, 4999]) {
            const day = n % 7 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + (n % 40))).toISOString().slice(0, 10);
            expect(rows[n]).toEqual({ n, day, label: `row ${n}` });
        }
    });

    it('binds named parameters and returns no rows for an empty result', async () => {
        expect(await w.all(`select $x::integer + 1 as y`, { x: 41 })).toEqual([{ y: 42 }]);
        expect(await w.all(`select 1 as a where false`)).toEqual([]);
    });
});

describe('Warehouse.allJson', () => {
    it('writes the rows all() returns, in order, for text, numbers, booleans, dates and nulls', async () => {
        // Doubles across 40 orders of magnitude, thirds, -0 and extremes: DuckDB must write each in a form
        // that parses back to the same double.
        const select = `select i, 'r' || (i % 7) as s, case when i % 5 = 0 then 'Zoë "✓"\n' end as t, i % 2 = 0 as b,
                   date '2024-01-01' + (i % 400)::integer as day, (i % 9)::integer as n, 9007199254740991::bigint as big,
                   (hash(i) % 1000000007)::double / 999983 * pow(10, (i % 40) - 20) as d, (i / 3)::double as third,
                   -0.0::double as nz, case when i % 3 = 0 then null else 1e300 end as huge, 5e-324 as tiny,
                   round(i * 1.005, 2)::decimal(18,2) as money
            from range(5000) r(i) where i >= $from`;
        const rows = await w.all(`${select} order by s desc, i`, { from: 10 });
        const json = await w.allJson(select, ['s', 'i'], { from: 10 });
        expect(rows.length).toBe(4990);
        const parsed = JSON.parse(json) as Record<string, unknown>[];
        // allJson orders ascending by the names it is given; all() was asked for s desc: compare by key.
        const byKey = new Map(parsed.map((r) => [r.i, r]));
        for (const row of rows) expect(byKey.get(row.i)).toStrictEqual(row);
        expect(parsed.map((r) => `${r.s}:${r.i}`)).toEqual([...rows].sort((a, b) => (a.s as string).localeCompare(b.s as string) || (a.i as number) - (b.i as number)).map((r) => `${r.s}:${r.i}`));
        expect(Object.keys(parsed[0]!)).toEqual(Object.keys(rows[0]!));
    });

    it('writes an empty array for no rows', async () => {
        expect(await w.allJson(`select 1 as a where false`, ['a'])).toBe('[]');
        expect(await w.allJson(`select 1 as a`, [])).toBe('[{"a":1}]');
    });
});
