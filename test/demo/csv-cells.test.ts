/**
 * The demo's canonical files are data for Realize's own ingest, which reads every cell literally: a text
 * cell written with a spreadsheet's single quote before it would load with the quote. So those files are
 * written as they are, and hold what a spreadsheet may open safely all the same: no text cell begins with
 * = + - @, a tab or a carriage return; only numbers (credit lines) are negative. (The dashboard's CSVs
 * escape such cells: web/lib/csv.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../ingest/demo/index.ts';
import { csvRecords } from '../helpers/csv.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-demo-cells-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the demo firm’s canonical files', () => {
    it('hold no cell a spreadsheet would run as a formula', async () => {
        await writeDemo({ outDir: dir, entries: 12_000, seed: 7 });
        const formulas: string[] = [];
        let negatives = 0;
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
            const [header, ...rows] = csvRecords(fs.readFileSync(path.join(dir, file), 'utf8'));
            for (const row of rows) {
                row.forEach((cell, i) => {
                    if (!/^[=+\-@\t\r]/.test(cell)) return;
                    if (/^-\d+(\.\d+)?$/.test(cell)) negatives++;
                    else formulas.push(`${file} ${header![i]}: ${cell}`);
                });
            }
        }
        expect(formulas).toEqual([]);
        // The check reads the cells it means to: the credit lines' negative amounts are there.
        expect(negatives).toBeGreaterThan(0);
    });
});
