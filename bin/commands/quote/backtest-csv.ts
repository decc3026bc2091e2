/** `realize quote backtest`'s work: a table of work items read, backtested, and each scored item written out. */
import fs from 'node:fs';
import { backtestGroups, backtestItems, checkBands, type BacktestReport, type BandCheck } from '../../../models/quote/backtest.ts';
import { csvField } from '../../../web/lib/csv.ts';
import { readWorkItems, type BacktestCsvOptions, type WorkItemsCsv } from './work-items.ts';

export interface BacktestCsvResult extends Omit<WorkItemsCsv, 'items' | 'itemRows'> {
    report: BacktestReport;
    bands: BandCheck[];
    /** The whole run, reading the file included, in seconds. */
    seconds: number;
    /** Every scored item (or project, with --group), in scoring order: what --items writes. */
    scored: ScoredItem[];
}

/** One scored item as --items writes it. */
export interface ScoredItem {
    /** The item's data row in the file (1-based, the header not counted); with --group, the group's first row. */
    row: number;
    /** Its date as read: YYYY-MM-DD (with the time of day when it has one), or the number of a numeric column. */
    date: string;
    /** Its class values (with --group: the group). */
    class: string[];
    estimate: number;
    actual: number;
    p10: number;
    p50: number;
    p80: number;
    p90: number;
    /** With --group: the project's censoring weight in every figure. */
    weight?: number;
}

/** Reads a CSV of work items and backtests it (the work of `realize quote backtest`). */
export async function backtestCsv(options: BacktestCsvOptions, minClass = 300): Promise<BacktestCsvResult> {
    const started = performance.now();
    const { items, itemRows, ...read } = await readWorkItems(options);
    const report = options.group ? backtestGroups(items, { keepForecasts: true }) : backtestItems(items, { keepForecasts: true });
    const when = (time: number) => (read.date.format === 'number' ? String(time) : dateText(time));
    let scored: ScoredItem[];
    if (options.group) {
        // A group's row and date are its first row's.
        const first = new Map<string, number>();
        items.forEach((it, k) => {
            const g = it.group ?? '';
            const seen = first.get(g);
            if (seen === undefined || it.time < items[seen]!.time) first.set(g, k);
        });
        scored = report.forecasts!.map((f) => {
            const k = first.get(f.id!)!;
            return { row: itemRows[k]!, date: when(items[k]!.time), class: [f.id!], estimate: f.estimate, actual: f.actual, ...levels(f.hours), weight: f.weight ?? 1 };
        });
    } else {
        scored = report.forecasts!.map((f) => {
            const it = items[f.index]!;
            return { row: itemRows[f.index]!, date: when(it.time), class: [...it.class], estimate: it.estimate, actual: it.actual, ...levels(f.hours) };
        });
    }
    delete report.forecasts;
    return { ...read, report, bands: checkBands(report, minClass), seconds: (performance.now() - started) / 1000, scored };
}

const levels = (h: readonly number[]) => ({ p10: h[0]!, p50: h[1]!, p80: h[2]!, p90: h[3]! });

/** Days since 1970-01-01 as YYYY-MM-DD, with the time of day (UTC) when there is one. */
function dateText(days: number): string {
    const iso = new Date(Math.round(days * 86_400_000)).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/**
 * Writes the scored items as CSV (--items): row, date, the class columns (with --group, the group), estimate,
 * actual, P10, P50, P80, P90 (and weight with --group), numbers in full precision so that anyone can rescore
 * them. Text cells go through the dashboard's csvField: one a spreadsheet would run as a formula is written as
 * text.
 */
export function writeItemsCsv(file: string, result: Pick<BacktestCsvResult, 'scored'>, classColumns: readonly string[], grouped: boolean): void {
    const header = ['row', 'date', ...(grouped ? ['group'] : classColumns), 'estimate', 'actual', 'p10', 'p50', 'p80', 'p90', ...(grouped ? ['weight'] : [])];
    const lines = [header.map((h) => csvField(h)).join(',')];
    for (const it of result.scored) {
        const numbers = [it.estimate, it.actual, it.p10, it.p50, it.p80, it.p90, ...(grouped ? [it.weight ?? 1] : [])];
        lines.push([String(it.row), csvField(it.date), ...it.class.map((c) => csvField(c)), ...numbers.map((x) => csvField(String(x), true))].join(','));
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
}

