/** The planning window (24 months ending at the end day, in weeks) and the weekday arithmetic over it. */
import { Calendar, addMonths, dow, monthKey, mondayOf, ymd } from '../calendar.ts';
import type { Item, PlanOptions, PlanWindow } from './types.ts';

/** At or above this many entries the firm has its full size (150 people, 120 projects). */
export const FULL_SIZE_ENTRIES = 165_000;

export function planWindow(opts: PlanOptions): PlanWindow {
    const { seed, endDay } = opts;
    const startDay = addMonths(endDay, -24) + 1;
    const firstMonthKey = monthKey(startDay);
    const nMonths = monthKey(endDay) - firstMonthKey + 1;
    const monday0 = mondayOf(startDay);
    const W = Math.floor((endDay - monday0) / 7) + 1;
    const mondays: number[] = [];
    for (let w = 0; w < W; w++) mondays.push(monday0 + 7 * w);
    const cal = new Calendar(monday0 - 14, endDay + 200, firstMonthKey);
    const scale = Math.min(1, opts.entries / FULL_SIZE_ENTRIES);
    const startYear = ymd(startDay).y;
    const endYear = ymd(endDay).y;
    return { seed, startDay, endDay, firstMonthKey, nMonths, monday0, weeks: W, mondays, cal, scale, startYear, endYear };
}

export function weekdaysBetween(a: number, b: number): number {
    let n = 0;
    for (let d = a; d <= b; d++) if (dow(d) < 5) n++;
    return n;
}

/** The share of an item's weekdays that fall inside the window. */
export function windowShare(win: PlanWindow, it: Item): number {
    const total = weekdaysBetween(it.sDay, it.eDay);
    const inside = weekdaysBetween(Math.max(it.sDay, win.startDay), Math.min(it.eDay, win.endDay));
    return total > 0 ? inside / total : 0;
}
