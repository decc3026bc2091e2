/**
 * Real-data acceptance of the quote backtest on SiP and CESAW tasks, through the same code path as
 * `realize quote backtest` (bin/commands/quote.ts backtestCsv):
 *
 *   node test/real-data/quote-backtest.check.ts     (datasets: $DATASETS, else ../shared/datasets next to the repo)
 *
 * - SiP: `realize quote prepare-sip` (SQL through a Warehouse: Sip-task-info.csv decoded from Windows-1252,
 *   StatusCode not CANCELLED/TEMPLATE/CHRONICLE, one row per TaskNumber, joined to est-act-dates.csv on
 *   TaskNumber) writes a prepared CSV; the backtest reads it with --estimate HoursEstimate --actual
 *   HoursActual --class Category,SubCategory --date EstimateOn --date-format %d-%b-%y.
 * - CESAW: the raw CESAW_task_fact.csv with --estimate task_plan_time_minutes --actual
 *   task_actual_time_minutes --class phase_short_name --date task_actual_start_date (rows with plan or actual
 *   ≤ 0, and the 841 without a start date, are skipped and counted).
 *
 * Bands (checkBands): [P10, P90] coverage and the share ≤ P80 within 80 ± 3 pp overall; [P10, P90] coverage
 * within 80 ± 6 pp for every class with ≥ 300 scored items; mean pinball loss (log hours, P10/P50/P90) at most
 * the better baseline's (one global ratio distribution; plain per-class quantiles); the P50's median relative
 * error at most the raw estimate's. The other datasets with an estimate and an actual per item:
 * quote-datasets.check.ts.
 *
 * Exit codes: 0 every band holds; 1 a figure left its band (or the run failed); 2 the datasets are not there —
 * the check did not run, which is never reported as a pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backtestCsv, formatReport, prepareSip, type BacktestCsvOptions } from '../../bin/commands/quote.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { datasetsOrExit, finishCheck, recordError } from '../helpers/check.ts';

const started = performance.now();
const datasets = datasetsOrExit(['sip/Sip-task-info.csv', 'sip/est-act-dates.csv', 'cesaw/CESAW_task_fact.csv'], (absent, at) =>
    `quote backtest check NOT RUN: ${absent.join(', ')} missing under ${at}. Set DATASETS to the folder holding sip/ and cesaw/.`,
);

const failures: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-quote-check-'));
try {
    const sipCsv = path.join(tmp, 'sip-tasks.csv');
    const warehouse = await Warehouse.open(':memory:', { migrate: false });
    let tasks: number;
    try {
        ({ tasks } = await prepareSip(warehouse, path.join(datasets, 'sip'), sipCsv));
    } finally {
        warehouse.close();
    }
    // Jones's filter gives 8,252 tasks (../shared/datasets/README.md).
    if (tasks !== 8252) failures.push(`SiP preparation: ${tasks} tasks, expected 8,252`);
    console.log(`SiP prepared: ${tasks} tasks (expected 8,252)`);

    const runs: [string, BacktestCsvOptions][] = [
        [
            'SiP tasks (class Category / SubCategory, date EstimateOn)',
            { csv: sipCsv, estimate: 'HoursEstimate', actual: 'HoursActual', class: ['Category', 'SubCategory'], date: 'EstimateOn', dateFormat: '%d-%b-%y' },
        ],
        [
            'CESAW tasks (class phase_short_name, date task_actual_start_date)',
            {
                csv: path.join(datasets, 'cesaw/CESAW_task_fact.csv'),
                estimate: 'task_plan_time_minutes',
                actual: 'task_actual_time_minutes',
                class: ['phase_short_name'],
                date: 'task_actual_start_date',
                dateFormat: '%m/%d/%Y %H:%M',
            },
        ],
    ];
    for (const [name, options] of runs) {
        const t0 = performance.now();
        const result = await backtestCsv(options);
        console.log(`\n== ${name}: ${result.rows} rows, ${result.used} used (${((performance.now() - t0) / 1000).toFixed(1)} s with reading)`);
        for (const [reason, n] of Object.entries(result.skipped)) console.log(`  skipped ${n}: ${reason}`);
        console.log(formatReport(result));
        for (const b of result.bands.filter((x) => !x.ok)) failures.push(`${name}: ${b.what}`);
    }
} catch (err) {
    recordError(failures, err);
} finally {
    fs.rmSync(tmp, { recursive: true, force: true });
}

finishCheck('quote backtest check', failures, started);
