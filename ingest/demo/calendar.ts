/**
 * Calendar helpers on "day numbers" (days since 1970-01-01, UTC). Everything is computed with
 * Date.UTC / toISOString only, never with the local time zone or a locale.
 * Local timestamps are Central European time: +01:00, or +02:00 from the last Sunday of March to
 * the last Sunday of October (the generator only places times in daytime, after the 02:00 switch).
 */
export const DAY_MS = 86_400_000;

export function dayOf(y: number, m0: number, d: number): number {
    return Date.UTC(y, m0, d) / DAY_MS;
}

export function parseDay(s: string): number {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) throw new Error(`invalid date ${JSON.stringify(s)}: expected YYYY-MM-DD`);
    const day = dayOf(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (dayString(day) !== s) throw new Error(`invalid date ${JSON.stringify(s)}`);
    return day;
}

export function dayString(day: number): string {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function ymd(day: number): { y: number; m0: number; d: number } {
    const dt = new Date(day * DAY_MS);
    return { y: dt.getUTCFullYear(), m0: dt.getUTCMonth(), d: dt.getUTCDate() };
}

/** Day of week with Monday = 0 ... Sunday = 6. */
export function dow(day: number): number {
    return (((day + 3) % 7) + 7) % 7;
}

export function mondayOf(day: number): number {
    return day - dow(day);
}

/** y * 12 + month (0-based). */
export function monthKey(day: number): number {
    const { y, m0 } = ymd(day);
    return y * 12 + m0;
}

export function monthFirstDay(key: number): number {
    return dayOf(Math.floor(key / 12), key % 12, 1);
}

export function monthLastDay(key: number): number {
    return dayOf(Math.floor(key / 12), (key % 12) + 1, 0);
}

/** Same day-of-month n months later, clamped to the month's last day. */
export function addMonths(day: number, n: number): number {
    const { y, m0, d } = ymd(day);
    const key = y * 12 + m0 + n;
    const last = ymd(monthLastDay(key)).d;
    return dayOf(Math.floor(key / 12), key % 12, Math.min(d, last));
}

/** The next weekday on or after `day`. */
export function weekdayOnOrAfter(day: number): number {
    const w = dow(day);
    return w === 5 ? day + 2 : w === 6 ? day + 1 : day;
}

function lastSunday(y: number, m0: number): number {
    const last = dayOf(y, m0 + 1, 0);
    return last - ((dow(last) + 1) % 7);
}

export function isSummerTime(day: number): boolean {
    const { y } = ymd(day);
    return day >= lastSunday(y, 2) && day < lastSunday(y, 9);
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

let hmsTable: string[] | undefined;
/** 'HH:MM:SS' for each second of a day. */
function hms(): string[] {
    if (!hmsTable) {
        hmsTable = new Array<string>(86400);
        for (let s = 0; s < 86400; s++) hmsTable[s] = `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
    }
    return hmsTable;
}

/** Precomputed strings for a range of days: dates, offsets, month indexes. */
export class Calendar {
    readonly base: number;
    readonly last: number;
    private readonly dates: string[];
    private readonly offsets: string[];
    private readonly hms = hms();
    /** Month index relative to the first month of the window. */
    readonly monthIdx: Int32Array;
    readonly firstMonthKey: number;

    constructor(base: number, last: number, firstMonthKey: number) {
        this.base = base;
        this.last = last;
        this.firstMonthKey = firstMonthKey;
        const n = last - base + 1;
        this.dates = new Array<string>(n);
        this.offsets = new Array<string>(n);
        this.monthIdx = new Int32Array(n);
        for (let i = 0; i < n; i++) {
            const day = base + i;
            this.dates[i] = dayString(day);
            this.offsets[i] = isSummerTime(day) ? '+02:00' : '+01:00';
            this.monthIdx[i] = monthKey(day) - firstMonthKey;
        }
    }

    date(day: number): string {
        const s = this.dates[day - this.base];
        if (s === undefined) return dayString(day);
        return s;
    }

    month(day: number): number {
        const i = day - this.base;
        if (i >= 0 && i < this.monthIdx.length) return this.monthIdx[i] as number;
        return monthKey(day) - this.firstMonthKey;
    }

    /** Local timestamp with offset; `sec` may run past midnight. */
    ts(day: number, sec: number): string {
        while (sec >= 86400) {
            day++;
            sec -= 86400;
        }
        while (sec < 0) {
            day--;
            sec += 86400;
        }
        const i = day - this.base;
        const date = this.dates[i] ?? dayString(day);
        const off = this.offsets[i] ?? (isSummerTime(day) ? '+02:00' : '+01:00');
        return date + 'T' + this.hms[Math.floor(sec)] + off;
    }
}
