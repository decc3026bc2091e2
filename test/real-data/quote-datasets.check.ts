/**
 * Real-data acceptance of the quote backtest on the other datasets of ../shared/datasets with an estimate and
 * an actual per item, through the code of `realize quote backtest` (bin/commands/quote.ts backtestCsv):
 *
 *   node test/real-data/quote-datasets.check.ts     (datasets: $DATASETS, else ../shared/datasets next to the repo)
 *
 * - TAWOS (tawos-sp-vs-effort): the RQ2_RQ3 issues with both story points and time spent (636 of 47,205, in
 *   29 Jira projects), story points as the estimate and minutes as the actual, class project / issue type,
 *   ordered by Creation_Date. The RQ1 files carry no date: of their 425 issues with both, 345 are RQ2_RQ3's
 *   (same time spent), 80 cannot be ordered in time.
 * - hemmati2018 (eseur-projects): a Jira export, Original Estimate vs Time Spent (seconds), class Issue Type,
 *   date Created (dd/mm/yyyy hh:mm), the file as it is.
 * - 23003405-est_agile (eseur-projects): story points vs hours spent of the resolved issues (Fixed, Done: an open
 *   issue's time is not final), class Project, ordered by sprint (an issue spanning sprints "10,11" by its last).
 * The other ESEUR sets with an estimate and an actual are too small for a time-ordered backtest (18 to 49 items
 * against 30 of warm-up), or have no order (Regression-models is sorted by its outcome); Little06 estimates
 * schedules, not effort (models/quote/README.md gives its figures).
 *
 * Bands (checkBands): [P10, P90] coverage and the share ≤ P80 within 80 ± 3 pp; [P10, P90] coverage within
 * 80 ± 6 pp for every class with ≥ 300 scored items; mean pinball loss at most the better baseline's; the P50's
 * median relative error at most the raw estimate's. And the figures are rescored from the --items CSV
 * (writeItemsCsv) alone, as anyone could: the same coverage, share ≤ P80, pinball and median relative error.
 *
 * Exit codes: 0 every band holds; 1 a figure left its band (or the run failed); 2 the datasets are not there —
 * the check did not run, which is never reported as a pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backtestCsv, formatReport, writeItemsCsv, type BacktestCsvOptions } from '../../bin/commands/quote.ts';
import type { Figures } from '../../models/quote/metrics.ts';
import { Warehouse, literal } from '../../warehouse/warehouse.ts';
import { datasetsOrExit, finishCheck, recordError } from '../helpers/check.ts';

const started = performance.now();
const datasets = datasetsOrExit(['tawos-sp-vs-effort/RQ2_RQ3', 'eseur-projects/hemmati2018.csv', 'eseur-projects/23003405-est_agile.csv'], (absent, at) =>
    `quote datasets check NOT RUN: ${absent.join(', ')} missing under ${at}. Set DATASETS to the folder holding them.`,
);

/** Rescoring from the --items CSV alone: a plain CSV reader (the file has no quoted numbers) and the figures' definitions. */
function rescore(file: string): Pick<Figures, 'n' | 'coverage_p10_p90' | 'share_le_p80' | 'pinball' | 'mdre_p50'> {
    const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const at = (name: string) => cols.indexOf(name) - cols.length;
    const rows = lines.map((l) => l.split(',')).map((c) => ({ e: +c.at(at('estimate'))!, a: +c.at(at('actual'))!, q: ['p10', 'p50', 'p80', 'p90'].map((k) => +c.at(at(k))!) }));
    const loss = (y: number, q: number, tau: number) => (y >= q ? tau * (y - q) : (1 - tau) * (q - y));
    let inside = 0;
    let le80 = 0;
    let pin = 0;
    const re: number[] = [];
    for (const { a, q } of rows) {
        if (a >= q[0]! && a <= q[3]!) inside++;
        if (a <= q[2]!) le80++;
        const y = Math.log(a);
        pin += loss(y, Math.log(q[0]!), 0.1) + loss(y, Math.log(q[1]!), 0.5) + loss(y, Math.log(q[3]!), 0.9);
        re.push(Math.abs(q[1]! - a) / a);
    }
    re.sort((x, y) => x - y);
    const n = rows.length;
    const mid = n % 2 ? re[(n - 1) / 2]! : (re[n / 2 - 1]! + re[n / 2]!) / 2;
    return { n, coverage_p10_p90: inside / n, share_le_p80: le80 / n, pinball: pin / (3 * n), mdre_p50: mid };
}

const failures: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-quote-datasets-'));
try {
    const tawos = path.join(tmp, 'tawos.csv');
    const agile = path.join(tmp, 'est-agile.csv');
    const warehouse = await Warehouse.open(':memory:', { migrate: false });
    try {
        await warehouse.run(`
            copy (
                select split_part(Issue_Key, '-', 1) as project, Type, Story_Point, Timespent, Creation_Date
                from read_csv(${literal(path.join(datasets, 'tawos-sp-vs-effort/RQ2_RQ3/*.csv'))}, all_varchar = true, header = true, union_by_name = true)
                where Story_Point <> 'NULL' and Timespent <> 'NULL'
                order by Creation_Date, Issue_Key
            ) to ${literal(tawos)} (header)`);
        await warehouse.run(`
            copy (
                select Project, "Story.Points" as story_points, "Time.Spent" as hours, list_max(string_split(Sprint, ',')::integer[]) as sprint
                from read_csv(${literal(path.join(datasets, 'eseur-projects/23003405-est_agile.csv'))}, all_varchar = true, header = true)
                where Resolution in ('Fixed', 'Done')
            ) to ${literal(agile)} (header)`);
    } finally {
        warehouse.close();
    }

    const runs: [string, BacktestCsvOptions][] = [
        ['TAWOS issues (story points vs minutes; class project / issue type, date created)', { csv: tawos, estimate: 'Story_Point', actual: 'Timespent', class: ['project', 'Type'], date: 'Creation_Date' }],
        [
            'hemmati2018 Jira export (original estimate vs time spent; class issue type, date created)',
            { csv: path.join(datasets, 'eseur-projects/hemmati2018.csv'), estimate: 'Original Estimate', actual: 'Time Spent', class: ['Issue Type'], date: 'Created', dateFormat: '%d/%m/%Y %H:%M' },
        ],
        ['est_agile issues (story points vs hours, resolved; class project, ordered by sprint)', { csv: agile, estimate: 'story_points', actual: 'hours', class: ['Project'], date: 'sprint' }],
    ];
    for (const [k, [name, options]] of runs.entries()) {
        const result = await backtestCsv(options);
        console.log(`\n== ${name}: ${result.rows} rows, ${result.used} used`);
        for (const [reason, n] of Object.entries(result.skipped)) console.log(`  skipped ${n}: ${reason}`);
        console.log(formatReport(result));
        for (const b of result.bands.filter((x) => !x.ok)) failures.push(`${name}: ${b.what}`);
        // Rescore from the CSV of scored items.
        const file = path.join(tmp, `items-${k}.csv`);
        writeItemsCsv(file, result, options.class, false);
        const again = rescore(file);
        const m = result.report.overall.method;
        const same = again.n === m.n && (['coverage_p10_p90', 'share_le_p80', 'pinball', 'mdre_p50'] as const).every((f) => Math.abs(again[f] - m[f]) < 1e-9);
        console.log(`  rescored from the items CSV: ${same ? 'the same figures' : `DIFFERENT: ${JSON.stringify(again)}`}`);
        if (!same) failures.push(`${name}: the items CSV does not rescore to the report's figures`);
    }
} catch (err) {
    recordError(failures, err);
} finally {
    fs.rmSync(tmp, { recursive: true, force: true });
}

finishCheck('quote datasets check', failures, started);
