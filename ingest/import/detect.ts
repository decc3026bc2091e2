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

/**
 * The date order and decimal mark of an import's files: one scan of each file for both. The date order is
 * the one its day/month dates allow (a few dates against the rest are wrong dates, reported as such), given
 * when they cannot tell, else asked for (AmbiguousDates); the decimal mark is ',' when more numbers say so.
 */
export async function detectLayout(
    warehouse: Warehouse,
    dates: readonly SourceCells[],
    numbers: readonly SourceCells[],
    given?: DateOrder,
): Promise<{ dateOrder: DateOrder | null; decimal: DecimalMark }> {
    const votes = { dmy: 0, mdy: 0, both: 0, comma: 0, point: 0 };
    const samples: string[] = [];
    const relations = [...new Set([...dates, ...numbers].filter((c) => c.field).map((c) => c.relation))];
    for (const relation of relations) {
        const dateFields = dates.filter((c) => c.relation === relation && c.field).map((c) => c.field!.sql);
        const numberFields = numbers.filter((c) => c.relation === relation && c.field).map((c) => c.field!.sql);
        // Each cell's vote once, in a column, then counted.
        const cellVotes = [
            ...dateFields.flatMap((x, i) => [`${dateOrderVoteSql(x)} as date_${i}`, `${x} as cell_${i}`]),
            ...numberFields.map((x, i) => `${decimalVoteSql(x)} as number_${i}`),
        ];
        const counted = [
            ...dateFields.flatMap((_, i) => [
                `count(*) filter (where date_${i} = 'dmy')::bigint as dmy_${i}`,
                `count(*) filter (where date_${i} = 'mdy')::bigint as mdy_${i}`,
                `count(*) filter (where date_${i} = 'both')::bigint as both_${i}`,
                `min(cell_${i}) filter (where date_${i} = 'both') as sample_${i}`,
            ]),
            ...numberFields.flatMap((_, i) => [
                `count(*) filter (where number_${i} = ',')::bigint as comma_${i}`,
                `count(*) filter (where number_${i} = '.')::bigint as point_${i}`,
            ]),
        ];
        const r = (await warehouse.one<Record<string, number | string | null>>(`select ${counted.join(', ')} from (select ${cellVotes.join(', ')} from ${relation})`))!;
        dateFields.forEach((_, i) => {
            votes.dmy += Number(r[`dmy_${i}`]);
            votes.mdy += Number(r[`mdy_${i}`]);
            votes.both += Number(r[`both_${i}`]);
            const sample = r[`sample_${i}`];
            if (typeof sample === 'string' && samples.length < 3 && !samples.includes(sample)) samples.push(sample);
        });
        numberFields.forEach((_, i) => {
            votes.comma += Number(r[`comma_${i}`]);
            votes.point += Number(r[`point_${i}`]);
        });
    }
    const decimal: DecimalMark = votes.comma > votes.point ? ',' : '.';
    if (given) return { dateOrder: given, decimal };
    if (votes.dmy === 0 && votes.mdy === 0) {
        if (votes.both === 0) return { dateOrder: null, decimal };
        throw new AmbiguousDates(samples);
    }
    return { dateOrder: votes.dmy >= votes.mdy ? 'dmy' : 'mdy', decimal };
}
