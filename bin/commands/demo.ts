import fs from 'node:fs';
import path from 'node:path';
import { writeDemo } from '../../ingest/demo/index.ts';
import { entity, type EntityName } from '../../ingest/entities.ts';
import { readType } from '../../ingest/rules.ts';
import { UsageError } from '../../ingest/files.ts';
import { csvToParquet } from '../../warehouse/convert.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { integer, isoDate, parse, valueOptions } from './options.ts';

export async function demoCommand(args: string[]): Promise<number> {
    const { values } = parse(args, valueOptions('out', 'seed', 'end', 'entries', 'format'));
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'parquet') throw new UsageError(`--format must be csv or parquet, got "${format}"`);
    const outDir = path.resolve(values.out ?? 'data/demo');
    fs.mkdirSync(outDir, { recursive: true });
    const tty = process.stderr.isTTY;
    const result = await writeDemo({
        outDir,
        seed: integer(values.seed, 'seed', 42),
        end: isoDate(values.end, 'end'),
        entries: integer(values.entries, 'entries', 400_000, 1),
        onProgress: tty ? (done, total) => process.stderr.write(`\r\x1b[Ktime entries: ${done} / ${total}`) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    if (format === 'parquet') {
        const scratch = await Warehouse.open(':memory:', { migrate: false });
        try {
            for (const [name, csv] of Object.entries(result.files)) {
                const columns = Object.fromEntries(
                    (fs.readFileSync(csv, 'utf8').slice(0, 4096).split(/\r?\n/)[0] ?? '')
                        .split(',')
                        .map((c) => [c, readType(entity(name as EntityName).columns.find((x) => x.name === c)?.type ?? 'text')]),
                );
                await csvToParquet(scratch, csv, csv.replace(/\.csv$/, '.parquet'), columns);
                fs.rmSync(csv);
            }
        } finally {
            scratch.close();
        }
    }
    for (const [name, rows] of Object.entries(result.rows)) console.log(`${name.padEnd(22)} ${String(rows).padStart(10)}`);
    console.log(`wrote the demo firm to ${outDir} (${format})`);
    return 0;
}
