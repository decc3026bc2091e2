/** Invoice runs: the 5th (or next weekday) of the month after each month of the window. */
import { monthFirstDay, weekdayOnOrAfter } from '../calendar.ts';
import type { PlanWindow, Run } from './types.ts';

/** The runs up to the end day, and for each day of the window (and the day after) the index of the first run after it. */
export function invoiceRuns(win: PlanWindow): { runs: Run[]; runAfter: Int32Array } {
    const { startDay, endDay, nMonths, firstMonthKey } = win;
    const runs: Run[] = [];
    for (let m = 0; m < nMonths; m++) {
        const day = weekdayOnOrAfter(monthFirstDay(firstMonthKey + m + 1) + 4);
        if (day <= endDay) runs.push({ month: m, day });
    }
    const runAfter = new Int32Array(endDay - startDay + 2);
    for (let d = startDay, k = 0; d <= endDay + 1; d++) {
        while (k < runs.length && runs[k]!.day <= d) k++;
        runAfter[d - startDay] = k;
    }
    return { runs, runAfter };
}
