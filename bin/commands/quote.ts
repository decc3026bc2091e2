/**
 * `realize quote …`: the quote engine's command line.
 *
 *   realize quote backtest --csv FILE --estimate COL --actual COL --class COL[,COL] --date COL
 *                          [--date-format FMT] [--group COL] [--encoding ENC] [--min-class N]
 *                          [--items FILE] [--check] [--json]
 *   realize quote prepare-sip DIR --out FILE
 *   realize quote backtest --help
 *
 * backtest reads any table of work items (tasks, stories) as it is: DuckDB reads the CSV (delimiter sniffed,
 * every column as text); a file that is not UTF-8 is decoded in Node first (UTF-16 by its byte-order mark,
 * else Windows-1252, which DuckDB's latin-1 reader rejects for bytes 0x80–0x9F such as 0x92 ’) into a
 * temporary UTF-8 copy. Estimates and actuals are numbers (a decimal comma is accepted); NA, N/A, NaN, null,
 * none, ?, -, \N and empty cells are missing. Dates are parsed with --date-format (strptime, e.g. %d-%b-%y)
 * or, without it, with the first of a list of common formats that reads the most values as dates between
 * 1900 and 2200 (ISO 8601 timestamps with an offset too); a numeric column (years, sequence numbers) is used
 * as it is. --date-format iso reads ISO 8601, --date-format number a numeric column; a format given that reads
 * none of the column's values is a usage error that shows some of them. Rows with a missing or non-positive
 * estimate or actual, or no readable date, are counted by reason and skipped — the report lists them (an
 * unreadable date with one of its values). A class cell that is empty is the class (empty), one that is NA,
 * null, … or that a short row lacks is (missing). Exit 0 with a report, 1 with --check when a band is missed,
 * 2 on a usage error. --items writes every scored item as CSV (writeItemsCsv) so that anyone can rescore the
 * figures; --min-class limits the classes of the table and of the JSON to those held to a band. The time
 * shown is the whole command's.
 * With --group, each group is a project (models/quote/backtest.ts backtestGroups) running from its first row's
 * date to its last, and the figures carry the project backtest's censoring weights up to the latest date.
 *
 * prepare-sip writes the SiP dataset (../shared/datasets/sip) as one CSV of work items: Sip-task-info.csv
 * (Windows-1252, one row per task × developer) filtered as Jones does (StatusCode not CANCELLED, TEMPLATE,
 * CHRONICLE), one row per TaskNumber (estimate, actual, category and dates are the same on all its rows),
 * joined to est-act-dates.csv on TaskNumber (its dates are the same for all rows of a task).
 */
import path from 'node:path';
import { UsageError } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { parse, valueOptions } from './options.ts';
import { backtestCsv, writeItemsCsv } from './quote/backtest-csv.ts';
import { prepareSip } from './quote/prepare-sip.ts';
import { formatReport } from './quote/report.ts';
import { EMPTY_CLASS, MISSING_CLASS } from './quote/work-items.ts';

export { backtestCsv, writeItemsCsv, type BacktestCsvResult, type ScoredItem } from './quote/backtest-csv.ts';
export { prepareSip } from './quote/prepare-sip.ts';
export { formatBand, formatReport } from './quote/report.ts';
export { DATE_FORMATS, EMPTY_CLASS, MISSING_CLASS, readWorkItems, utf8Copy, type BacktestCsvOptions, type WorkItemsCsv } from './quote/work-items.ts';

const USAGE = `usage:
  realize quote backtest --csv FILE --estimate COL --actual COL --class COL[,COL] --date COL
                         [--date-format FMT] [--group COL] [--encoding ENC] [--min-class N]
                         [--items FILE] [--check] [--json]
  realize quote prepare-sip DIR --out FILE
  realize quote backtest --help`;

const HELP = `realize quote backtest — a time-ordered backtest of calibrated quote intervals on any work items

Each item (a task, a story) is forecast only from the items dated before it: P10, P50, P80 and P90 of its
actual from its estimate, then scored against its actual, beside two plain rules (one global ratio
distribution; plain per-class quantiles) scored on the same items.

${USAGE.replace('usage:\n', '')}

  --csv FILE          the work items, one a row (delimiter found; UTF-8, UTF-16 or Windows-1252)
  --estimate COL      the estimate (hours, minutes, points: any unit; a decimal comma is read)
  --actual COL        the actual, in any unit (the ratio actual ÷ estimate is what is forecast)
  --class COL[,COL]   the class columns, general to specific (e.g. Category,SubCategory); an empty cell
                      is the class ${EMPTY_CLASS}, NA, N/A, null, none, ?, - or a cell the row lacks ${MISSING_CLASS}
  --date COL          the order of the items: dates, timestamps or numbers (sprints, sequence numbers)
  --date-format FMT   how --date is written (strptime, e.g. %d-%b-%y, %m/%d/%Y %H:%M), iso or number;
                      without it, the common format that reads the most values is used
  --group COL         items of one group form a project (its rows are its lines), backtested as projects
  --encoding ENC      the file's encoding when it is not found (e.g. windows-1252)
  --min-class N       the classes shown, in the table and the JSON, and held to the per-class band:
                      those with at least N scored items (default 300)
  --items FILE        write every scored item as CSV: row, date, class columns, estimate, actual, P10, P50,
                      P80, P90 (with --group: the group and its weight), to rescore the results
  --check             exit 1 when a band is missed
  --json              the report as JSON

Bands: [P10, P90] coverage and the share at or below P80 within 80 ± 3 pp over all items; [P10, P90]
coverage within 80 ± 6 pp for every class with at least --min-class items; mean pinball loss (log hours,
P10/P50/P90) at most the better plain rule's; the P50's median relative error at most the raw estimate's.
Exit codes: 0 done (with --check: every band holds), 1 a band missed (--check only), 2 usage error.`;

export async function quoteCommand(args: string[]): Promise<number> {
    const started = performance.now();
    const [action, ...rest] = args;
    if (action === '--help' || action === '-h' || action === 'help' || (action === 'backtest' && rest.some((a) => a === '--help' || a === '-h'))) {
        console.log(HELP);
        return 0;
    }
    if (action === 'backtest') {
        const { values } = parse(rest, {
            ...valueOptions('csv', 'estimate', 'actual', 'class', 'date', 'date-format', 'group', 'encoding', 'min-class', 'items'),
            check: { type: 'boolean' },
            json: { type: 'boolean' },
        });
        const missing = (['csv', 'estimate', 'actual', 'class', 'date'] as const).filter((k) => !values[k]);
        if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`);
        const minClass = values['min-class'] === undefined ? 300 : Number(values['min-class']);
        if (!Number.isInteger(minClass) || minClass < 1) throw new UsageError(`--min-class must be a whole number ≥ 1`);
        const classColumns = values.class!.split(',').map((c) => c.trim()).filter(Boolean);
        const result = await backtestCsv(
            {
                csv: values.csv!,
                estimate: values.estimate!,
                actual: values.actual!,
                class: classColumns,
                date: values.date!,
                dateFormat: values['date-format'],
                group: values.group,
                encoding: values.encoding,
            },
            minClass,
        );
        if (values.items) writeItemsCsv(values.items, result, classColumns, !!values.group);
        // The classes shown are those held to a band; the time is the command's whole run.
        result.report.classes = result.report.classes.filter((c) => c.n >= minClass);
        result.seconds = (performance.now() - started) / 1000;
        if (values.json) {
            const { scored: _scored, ...shown } = result;
            process.stdout.write(JSON.stringify({ ...shown, min_class: minClass }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
        } else {
            console.log(`${result.file} (${result.encoding}): ${result.rows} rows, ${result.used} used`);
            for (const [reason, n] of Object.entries(result.skipped)) console.log(`  skipped ${n}: ${reason}`);
            if (result.date.note) console.log(`  date: ${result.date.note}`);
            console.log(formatReport(result, minClass));
            if (values.items) console.log(`scored items written to ${values.items}`);
        }
        return values.check && result.bands.some((b) => !b.ok) ? 1 : 0;
    }
    if (action === 'prepare-sip') {
        const { values, positionals } = parse(rest, { out: { type: 'string' } }, true);
        const [dir] = positionals;
        if (!dir || !values.out) throw new UsageError(USAGE);
        const warehouse = await Warehouse.open(':memory:', { migrate: false });
        try {
            const { tasks } = await prepareSip(warehouse, dir, path.resolve(values.out));
            console.log(`${values.out}: ${tasks} SiP tasks (Jones's filter, one row per task, with EstimateOn/StartedOn/CompletedOn)`);
        } finally {
            warehouse.close();
        }
        return 0;
    }
    throw new UsageError(USAGE);
}
