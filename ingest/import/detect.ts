/**
 * What a whole import's files say about how they write dates and numbers, read from the cells of the columns
 * that hold them (a time report's dates and durations, a projects list's dates and budgets):
 *   date order    day-first or month-first, by the day/month dates only one order can read (13/03, 03/13);
 *                 given when the files cannot tell, else asked for (AmbiguousDates);
 *   decimal mark  ',' when more of the numbers show a decimal comma ("0,5", "2.001,0") than a point.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { UsageError } from '../files.ts';
import type { Field } from './entries.ts';
import { dateOrderVoteSql, decimalVoteSql, type DateOrder, type DecimalMark } from './parse.ts';

/** A column of a source relation (absent when the file lacks it). */
export interface SourceCells {
    relation: string;
    field: Field | undefined;
}

/** Dates that read as well day-first as month-first: the import asks which (the CLI's --date-order, the API's date_order). */
export class AmbiguousDates extends UsageError {
    readonly samples: string[];
    constructor(samples: string[]) {
        super(`the dates could be day-first or month-first (e.g. ${samples.map((s) => `"${s}"`).join(', ')}): say which with --date-order dmy or --date-order mdy`);
        this.samples = samples;
    }
}

/** The date order the files' day/month dates allow: detected, given, or asked for. */
export async function detectDateOrder(warehouse: Warehouse, dates: readonly SourceCells[], given?: DateOrder): Promise<DateOrder | null> {
    const votes = { dmy: 0, mdy: 0, both: 0 };
    const samples: string[] = [];
    for (const { relation, field } of dates) {
        if (!field) continue;
        const rows = await warehouse.all<{ vote: string; n: number; sample: string }>(
            `select ${dateOrderVoteSql(field.sql)} as vote, count(*)::bigint as n, min(${field.sql}) as sample from ${relation} group by 1`,
        );
        for (const r of rows) {
            if (r.vote === 'dmy' || r.vote === 'mdy' || r.vote === 'both') votes[r.vote] += r.n;
            if (r.vote === 'both' && samples.length < 3 && !samples.includes(r.sample)) samples.push(r.sample);
        }
    }
    if (given) return given;
    if (votes.dmy === 0 && votes.mdy === 0) {
        if (votes.both === 0) return null;
        throw new AmbiguousDates(samples);
    }
    // A few dates against the rest are wrong dates, reported as such; the order is the one most dates allow.
    return votes.dmy >= votes.mdy ? 'dmy' : 'mdy';
}

/** The decimal mark of the files' numbers: ',' when more of them say so. */
export async function detectDecimal(warehouse: Warehouse, numbers: readonly SourceCells[]): Promise<DecimalMark> {
    let comma = 0;
    let point = 0;
    for (const { relation, field } of numbers) {
        if (!field) continue;
        const rows = await warehouse.all<{ vote: string; n: number }>(`select ${decimalVoteSql(field.sql)} as vote, count(*)::bigint as n from ${relation} group by 1`);
        for (const r of rows) {
            if (r.vote === ',') comma += r.n;
            if (r.vote === '.') point += r.n;
        }
    }
    return comma > point ? ',' : '.';
}
