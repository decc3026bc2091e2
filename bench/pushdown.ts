/**
 * Whether each partitioned model's refresh filter reaches its scans: for a one-entry write (a project, a person,
 * a month), the model's SQL filtered as the refresh filters it is profiled (explain analyze), and the most rows
 * any one operator handled is printed beside the model's row count. A filter that reaches the scans handles a
 * few rows; one stopped by a materialized CTE, a window over other keys or an aggregate handles them all.
 *
 *   node bench/pushdown.ts [--db data/bench/live-400000.duckdb] [--project P0027] [--person …] [--month 2025-04-01]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readModels } from '../warehouse/models/read.ts';
import { partitionFilter } from '../warehouse/models/partitions.ts';
import { canonicalTables } from '../warehouse/models/build.ts';
import { Warehouse } from '../warehouse/warehouse.ts';

const { values: args } = parseArgs({
    options: {
        db: { type: 'string', default: 'data/bench/live-400000.duckdb' },
        project: { type: 'string' },
        person: { type: 'string' },
        month: { type: 'string', default: '2025-04-01' },
        only: { type: 'string' },
    },
});
const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'realize-pushdown-')), 'copy.duckdb');
fs.copyFileSync(args.db, copy);
const warehouse = await Warehouse.open(copy, { migrate: false, threads: 1 });
try {
    const entry = await warehouse.one<{ project_id: string; person_id: string }>(
        `select project_id, person_id from canonical.time_entries where work_date >= $1::date order by work_date, entry_id limit 1`,
        [args.month],
    );
    const dirty = [{ project: args.project ?? entry!.project_id, person: args.person ?? entry!.person_id, from: args.month!, to: args.month! }];
    console.log(`a write of ${dirty[0]!.project} × ${dirty[0]!.person} in ${args.month}`);
    for (const m of readModels(undefined, await canonicalTables(warehouse))) {
        const spec = m.spec?.refresh;
        if (m.layer === 'staging' || !spec || !('by' in spec)) continue;
        if (args.only && !m.relation.includes(args.only)) continue;
        const where = partitionFilter(spec, dirty);
        if (where === null) continue;
        const total = await warehouse.one<{ n: number }>(`select count(*)::integer as n from ${m.layer}.${m.name}`);
        const started = performance.now();
        const plan = await warehouse.all<{ explain_value: string }>(`explain analyze select * from (${m.sql}) where ${where}`);
        const ms = Math.round(performance.now() - started);
        const text = plan.map((r) => r.explain_value).join('\n');
        const counts = [...text.matchAll(/([\d,]+) rows/g)].map((r) => Number(r[1]!.replaceAll(',', '')));
        console.log(`${m.relation.padEnd(56)} ${String(ms).padStart(6)} ms  most rows in an operator ${Math.max(...counts).toLocaleString('en').padStart(10)} of ${total!.n.toLocaleString('en')} in the model`);
    }
} finally {
    warehouse.close();
}
