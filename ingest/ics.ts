/**
 * iCalendar (RFC 5545) files, as calendars export them (Google, Outlook, Apple, Fastmail): the events and
 * their occurrences. Plain TypeScript, no dependencies.
 *
 * What is read: folded lines (a line beginning with a space or tab continues the previous one), escaped text
 * (\n \, \; \\), VEVENTs (VTIMEZONE, VALARM and the rest are passed over), DTSTART/DTEND/DURATION as UTC
 * (…Z), in a zone (TZID=, an IANA name or a Windows one such as "W. Europe Standard Time"; an unknown zone is
 * read in the caller's zone and said so), floating (the caller's zone) or all-day (VALUE=DATE); STATUS,
 * SUMMARY, ORGANIZER, ATTENDEE (e-mail and PARTSTAT); RRULE with FREQ DAILY, WEEKLY, MONTHLY (on the start's
 * day of the month) or YEARLY, INTERVAL, COUNT, UNTIL and, for WEEKLY, BYDAY; EXDATE; and RECURRENCE-ID
 * (a moved or cancelled occurrence replaces the one it names). Repeats are expanded in wall-clock time, so a
 * weekly 09:00 meeting stays at 09:00 across a daylight-saving change.
 */

export interface IcsTime {
    /** YYYY-MM-DD as written. */
    date: string;
    /** HH:MM:SS as written; null for an all-day value. */
    time: string | null;
    /** 'UTC', 'floating', or the TZID given. */
    zone: string;
}

export interface Attendee {
    email: string;
    /** ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION … (upper case); null when not given. */
    partstat: string | null;
}

export interface RecurrenceRule {
    freq: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
    interval: number;
    count: number | null;
    until: IcsTime | null;
    /** Weekdays 0 = Monday … 6 = Sunday (WEEKLY only). */
    byDay: number[] | null;
}

export interface IcsEvent {
    uid: string;
    summary: string;
    status: string | null;
    start: IcsTime;
    end: IcsTime | null;
    /** DURATION in seconds, when given instead of DTEND. */
    durationSeconds: number | null;
    rrule: RecurrenceRule | null;
    /** Why the event's RRULE cannot be expanded (it is then skipped with this reason). */
    rruleProblem: string | null;
    exdates: IcsTime[];
    recurrenceId: IcsTime | null;
    organizer: string | null;
    attendees: Attendee[];
    /** The line of its BEGIN:VEVENT. */
    line: number;
}

export interface IcsProblem {
    line: number;
    reason: string;
}

/** One occurrence of an event, in absolute time. */
export interface Occurrence {
    event: IcsEvent;
    /** `<UID>@<original start>`: stable across uploads, and the same for an occurrence moved by RECURRENCE-ID. */
    key: string;
    allDay: boolean;
    /** The start's date in the event's own zone (the caller's zone for UTC and floating times). */
    localDate: string;
    /** HH:MM in that zone; null all day. */
    localTime: string | null;
    startMs: number;
    endMs: number;
    /** Set when the event's zone was not known and the caller's was used. */
    zoneNote: string | null;
}

interface ContentLine {
    name: string;
    params: Record<string, string>;
    value: string;
    line: number;
}

/** Unfolds and splits the lines: NAME;PARAM=value;PARAM="quoted:value":VALUE. */
function contentLines(text: string): ContentLine[] {
    const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
    const out: ContentLine[] = [];
    let current: { text: string; line: number } | null = null;
    const flush = () => {
        if (!current || current.text.trim() === '') return;
        const parsed = splitLine(current.text, current.line);
        if (parsed) out.push(parsed);
    };
    raw.forEach((l, i) => {
        if ((l.startsWith(' ') || l.startsWith('\t')) && current) current.text += l.slice(1);
        else {
            flush();
            current = { text: l, line: i + 1 };
        }
    });
    flush();
    return out;
}

function splitLine(text: string, line: number): ContentLine | null {
    let i = 0;
    let inQuote = false;
    let colon = -1;
    for (; i < text.length; i++) {
        const ch = text[i];
        if (ch === '"') inQuote = !inQuote;
        else if (ch === ':' && !inQuote) {
            colon = i;
            break;
        }
    }
    if (colon < 0) return null;
    const head = text.slice(0, colon);
    const parts: string[] = [];
    let buf = '';
    inQuote = false;
    for (const ch of head) {
        if (ch === '"') inQuote = !inQuote;
        if (ch === ';' && !inQuote) {
            parts.push(buf);
            buf = '';
        } else buf += ch;
    }
    parts.push(buf);
    const params: Record<string, string> = {};
    for (const p of parts.slice(1)) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
    }
    return { name: parts[0]!.toUpperCase(), params, value: text.slice(colon + 1), line };
}

const unescapeText = (v: string) => v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** A DATE or DATE-TIME value: 20250203, 20250203T090000, 20250203T090000Z. */
function readTime(value: string, params: Record<string, string>): IcsTime | null {
    const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
    if (!m) return null;
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    if (!validDate(date)) return null;
    if (m[4] === undefined || params.VALUE === 'DATE') return { date, time: null, zone: 'floating' };
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60) return null;
    return { date, time: `${m[4]}:${m[5]}:${m[6]}`, zone: m[7] ? 'UTC' : (params.TZID ?? 'floating') };
}

function validDate(date: string): boolean {
    const d = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** DURATION: P1D, PT1H30M, -PT15M (negative is refused), P1W. */
function readDuration(value: string): number | null {
    const m = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value.trim());
    if (!m || value.trim() === 'P' || value.trim().endsWith('T')) return null;
    const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
    return w! * 604800 + d! * 86400 + h! * 3600 + min! * 60 + s!;
}

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function readRule(value: string, start: IcsTime): { rule: RecurrenceRule | null; problem: string | null } {
    const parts = Object.fromEntries(
        value
            .split(';')
            .filter(Boolean)
            .map((p) => {
                const eq = p.indexOf('=');
                return [p.slice(0, eq).toUpperCase(), p.slice(eq + 1).toUpperCase()];
            }),
    ) as Record<string, string>;
    const freq = parts.FREQ;
    if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY' && freq !== 'YEARLY') return { rule: null, problem: `repeats ${freq ?? 'without FREQ'}: only daily, weekly, monthly and yearly repeats are read` };
    const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'WKST']);
    const unknown = Object.keys(parts).filter((k) => !known.has(k) && !(k === 'BYMONTHDAY' && freq === 'MONTHLY' && Number(parts[k]) === Number(start.date.slice(8))));
    if (unknown.length > 0) return { rule: null, problem: `a repeat rule with ${unknown.join(', ')} is not read` };
    if (parts.BYDAY && freq !== 'WEEKLY') return { rule: null, problem: `BYDAY on a ${freq.toLowerCase()} repeat is not read` };
    const interval = parts.INTERVAL === undefined ? 1 : Number(parts.INTERVAL);
    if (!Number.isInteger(interval) || interval < 1) return { rule: null, problem: `INTERVAL=${parts.INTERVAL} is not a whole number from 1` };
    const count = parts.COUNT === undefined ? null : Number(parts.COUNT);
    if (count !== null && (!Number.isInteger(count) || count < 1)) return { rule: null, problem: `COUNT=${parts.COUNT} is not a whole number from 1` };
    const until = parts.UNTIL === undefined ? null : readTime(parts.UNTIL, {});
    if (parts.UNTIL !== undefined && !until) return { rule: null, problem: `UNTIL=${parts.UNTIL} is not a date` };
    let byDay: number[] | null = null;
    if (parts.BYDAY) {
        byDay = parts.BYDAY.split(',').map((d) => DAYS.indexOf(d));
        if (byDay.some((d) => d < 0)) return { rule: null, problem: `BYDAY=${parts.BYDAY}: only plain weekdays (MO,TU,…) are read` };
    }
    return { rule: { freq, interval, count, until, byDay }, problem: null };
}

/** The events of a calendar file, and the lines that could not be read. */
export function parseIcs(text: string): { events: IcsEvent[]; problems: IcsProblem[] } {
    const lines = contentLines(text);
    const events: IcsEvent[] = [];
    const problems: IcsProblem[] = [];
    if (!lines.some((l) => l.name === 'BEGIN' && l.value.trim().toUpperCase() === 'VCALENDAR')) {
        problems.push({ line: 1, reason: 'not an iCalendar file (no BEGIN:VCALENDAR)' });
        return { events, problems };
    }
    let depth: string[] = [];
    let ev: Partial<IcsEvent> & { exdates: IcsTime[]; attendees: Attendee[]; rruleText?: string; bad?: string } = { exdates: [], attendees: [] };
    for (const l of lines) {
        const value = l.value.trim().toUpperCase();
        if (l.name === 'BEGIN') {
            depth.push(value);
            if (value === 'VEVENT' && depth.length === 2) ev = { exdates: [], attendees: [], line: l.line };
            continue;
        }
        if (l.name === 'END') {
            const closing = depth.pop();
            if (closing === 'VEVENT' && depth.length === 1) finishEvent(ev, events, problems);
            continue;
        }
        if (depth.length !== 2 || depth[1] !== 'VEVENT') continue;
        switch (l.name) {
            case 'UID':
                ev.uid = l.value.trim();
                break;
            case 'SUMMARY':
                ev.summary = unescapeText(l.value).trim();
                break;
            case 'STATUS':
                ev.status = value;
                break;
            case 'DTSTART':
            case 'DTEND':
            case 'RECURRENCE-ID': {
                const t = readTime(l.value, l.params);
                if (!t) ev.bad ??= `${l.name} "${l.value}" is not a date or time`;
                else if (l.name === 'DTSTART') ev.start = t;
                else if (l.name === 'DTEND') ev.end = t;
                else ev.recurrenceId = t;
                break;
            }
            case 'DURATION': {
                const d = readDuration(l.value);
                if (d === null) ev.bad ??= `DURATION "${l.value}" is not a duration`;
                else ev.durationSeconds = d;
                break;
            }
            case 'RRULE':
                ev.rruleText = l.value.trim();
                break;
            case 'EXDATE':
                for (const v of l.value.split(',')) {
                    const t = readTime(v, l.params);
                    if (t) ev.exdates.push(t);
                    else problems.push({ line: l.line, reason: `EXDATE "${v}" is not a date or time; ignored` });
                }
                break;
            case 'ORGANIZER':
                ev.organizer = emailOf(l.value);
                break;
            case 'ATTENDEE': {
                const email = emailOf(l.value) ?? (l.params.EMAIL ? l.params.EMAIL.toLowerCase() : null);
                if (email) ev.attendees.push({ email, partstat: l.params.PARTSTAT?.toUpperCase() ?? null });
                break;
            }
        }
    }
    return { events, problems };
}

function emailOf(value: string): string | null {
    const v = value.trim().replace(/^mailto:/i, '');
    return /^[^\s@]+@[^\s@]+$/.test(v) ? v.toLowerCase() : null;
}

function finishEvent(ev: Partial<IcsEvent> & { exdates: IcsTime[]; attendees: Attendee[]; rruleText?: string; bad?: string }, events: IcsEvent[], problems: IcsProblem[]): void {
    const line = ev.line ?? 0;
    if (ev.bad) return void problems.push({ line, reason: `event ${ev.uid ?? '(no UID)'}: ${ev.bad}` });
    if (!ev.uid) return void problems.push({ line, reason: 'an event without a UID' });
    if (!ev.start) return void problems.push({ line, reason: `event ${ev.uid}: no DTSTART` });
    const { rule, problem } = ev.rruleText ? readRule(ev.rruleText, ev.start) : { rule: null, problem: null };
    events.push({
        uid: ev.uid,
        summary: ev.summary ?? '',
        status: ev.status ?? null,
        start: ev.start,
        end: ev.end ?? null,
        durationSeconds: ev.durationSeconds ?? null,
        rrule: rule,
        rruleProblem: problem,
        exdates: ev.exdates,
        recurrenceId: ev.recurrenceId ?? null,
        organizer: ev.organizer ?? null,
        attendees: ev.attendees,
        line,
    });
}

/** Windows zone names Outlook and Exchange write as TZID, for the zones firms mostly sit in. */
const WINDOWS_ZONES: Record<string, string> = {
    'W. Europe Standard Time': 'Europe/Berlin',
    'Central Europe Standard Time': 'Europe/Budapest',
    'Romance Standard Time': 'Europe/Paris',
    'Central European Standard Time': 'Europe/Warsaw',
    'GMT Standard Time': 'Europe/London',
    'Greenwich Standard Time': 'Atlantic/Reykjavik',
    'E. Europe Standard Time': 'Europe/Chisinau',
    'FLE Standard Time': 'Europe/Kiev',
    'GTB Standard Time': 'Europe/Bucharest',
    'Russian Standard Time': 'Europe/Moscow',
    'Eastern Standard Time': 'America/New_York',
    'Central Standard Time': 'America/Chicago',
    'Mountain Standard Time': 'America/Denver',
    'Pacific Standard Time': 'America/Los_Angeles',
    'India Standard Time': 'Asia/Kolkata',
    'China Standard Time': 'Asia/Shanghai',
    'Tokyo Standard Time': 'Asia/Tokyo',
    'AUS Eastern Standard Time': 'Australia/Sydney',
    UTC: 'UTC',
};

const zoneNames = new Set(Intl.supportedValuesOf('timeZone'));

/** The IANA zone of a TZID, or null when it is not one this reads. */
export function ianaZone(tzid: string): string | null {
    const name = tzid.replace(/^\/+/, '');
    if (name === 'UTC' || name === 'Etc/UTC' || name === 'GMT') return 'UTC';
    if (zoneNames.has(name)) return name;
    return WINDOWS_ZONES[name] ?? null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds to add to UTC to read the wall clock in `zone` at the instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
    if (zone === 'UTC') return 0;
    let f = formatters.get(zone);
    if (!f) {
        f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
        formatters.set(zone, f);
    }
    const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a wall-clock time in `zone` names (a time skipped by a DST change moves forward). */
export function wallToUtc(wallMs: number, zone: string): number {
    let guess = wallMs - offsetAt(zone, wallMs);
    guess = wallMs - offsetAt(zone, guess);
    return guess;
}

/** The wall clock in `zone` at an instant, as the ms of that wall time read as UTC. */
export function utcToWall(utcMs: number, zone: string): number {
    return utcMs + offsetAt(zone, utcMs);
}

const wallOf = (t: IcsTime) => Date.parse(`${t.date}T${t.time ?? '00:00:00'}Z`);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86_400_000;

/** How an event's wall times become instants: its zone, or the caller's for floating and unknown zones. */
function zoneFor(t: IcsTime, callerZone: string): { zone: string; note: string | null } {
    if (t.zone === 'UTC') return { zone: 'UTC', note: null };
    if (t.zone === 'floating') return { zone: callerZone, note: null };
    const iana = ianaZone(t.zone);
    return iana ? { zone: iana, note: null } : { zone: callerZone, note: `time zone "${t.zone}" not known: read as ${callerZone}` };
}

/** The wall-clock starts (ms, read as UTC) of an event's repeats, from its start up to `untilWall`. */
function repeatStarts(ev: IcsEvent, untilWall: number, untilUtc: (wall: number) => number): number[] {
    const first = wallOf(ev.start);
    const rule = ev.rrule;
    if (!rule) return [first];
    const out: number[] = [];
    const ruleUntil = rule.until;
    const passedUntil = (wall: number) => {
        if (!ruleUntil) return false;
        if (ruleUntil.time === null) return wall >= Date.parse(`${ruleUntil.date}T00:00:00Z`) + DAY;
        if (ruleUntil.zone === 'UTC') return untilUtc(wall) > wallOf(ruleUntil);
        return wall > wallOf(ruleUntil);
    };
    const push = (wall: number): boolean => {
        if (wall < first) return true;
        if (passedUntil(wall) || wall > untilWall || (rule.count !== null && out.length >= rule.count)) return false;
        out.push(wall);
        return true;
    };
    const startDay = new Date(first);
    const timeOfDay = first - Date.parse(`${ev.start.date}T00:00:00Z`);
    for (let n = 0; n < 20000; n++) {
        if (rule.freq === 'DAILY') {
            if (!push(first + n * rule.interval * DAY)) break;
        } else if (rule.freq === 'WEEKLY') {
            const weekday = (startDay.getUTCDay() + 6) % 7;
            const monday = Date.parse(`${ev.start.date}T00:00:00Z`) - weekday * DAY + n * rule.interval * 7 * DAY;
            const days = (rule.byDay ?? [weekday]).slice().sort((a, b) => a - b);
            let go = true;
            for (const d of days) if (!(go = push(monday + d * DAY + timeOfDay))) break;
            if (!go) break;
        } else {
            const months = rule.freq === 'MONTHLY' ? n * rule.interval : n * rule.interval * 12;
            const y = startDay.getUTCFullYear() + Math.floor((startDay.getUTCMonth() + months) / 12);
            const m = (startDay.getUTCMonth() + months) % 12;
            const wall = Date.UTC(y, m, startDay.getUTCDate()) + timeOfDay;
            // The 31st in a shorter month (or 29 February in another year) does not happen that month.
            if (new Date(wall).getUTCDate() !== startDay.getUTCDate()) continue;
            if (!push(wall)) break;
        }
    }
    return out;
}

export interface ExpandOptions {
    /** The zone for floating times, UTC times' dates and unknown zones. */
    timeZone: string;
    /** Occurrences starting from this date (YYYY-MM-DD, inclusive) … */
    from: string;
    /** … up to this date (inclusive), in their own zone. */
    to: string;
}

/** Every occurrence of the events starting within the period; overridden occurrences (RECURRENCE-ID) replaced. */
export function occurrences(events: readonly IcsEvent[], options: ExpandOptions): Occurrence[] {
    const masters = events.filter((e) => !e.recurrenceId);
    const overrides = events.filter((e) => e.recurrenceId);
    const out: Occurrence[] = [];
    const overridden = new Set<string>();
    const instant = (t: IcsTime, zone: string) => (t.time === null ? Date.parse(`${t.date}T00:00:00Z`) : t.zone === 'UTC' ? wallOf(t) : wallToUtc(wallOf(t), zone));
    const keyOf = (uid: string, t: IcsTime, zone: string) => `${uid}@${t.time === null ? t.date : new Date(instant(t, zone)).toISOString()}`;
    for (const o of overrides) overridden.add(keyOf(o.uid, o.recurrenceId!, zoneFor(o.recurrenceId!, options.timeZone).zone));
    const fromWall = Date.parse(`${options.from}T00:00:00Z`);
    const toWall = Date.parse(`${options.to}T00:00:00Z`) + DAY - 1;
    const emit = (ev: IcsEvent, startWall: number, key: string) => {
        const allDay = ev.start.time === null;
        const { zone, note } = zoneFor(ev.start, options.timeZone);
        const startMs = allDay ? startWall : ev.start.zone === 'UTC' ? startWall : wallToUtc(startWall, zone);
        let endMs: number;
        if (ev.durationSeconds !== null) endMs = startMs + ev.durationSeconds * 1000;
        else if (ev.end) {
            const length = ev.end.time === null || ev.end.zone === ev.start.zone ? wallOf(ev.end) - wallOf(ev.start) : instant(ev.end, zoneFor(ev.end, options.timeZone).zone) - instant(ev.start, zone);
            // A length in wall time, made an instant from this occurrence's own start (DST moves both).
            endMs = allDay || ev.end.zone === 'UTC' ? startMs + length : ev.end.zone === ev.start.zone ? wallToUtc(startWall + length, zone) : startMs + length;
        } else endMs = allDay ? startMs + DAY : startMs;
        const wall = allDay ? startWall : utcToWall(startMs, ev.start.zone === 'UTC' ? options.timeZone : zone);
        const localDate = isoDate(wall);
        if (localDate < options.from || localDate > options.to) return;
        out.push({ event: ev, key, allDay, localDate, localTime: allDay ? null : new Date(wall).toISOString().slice(11, 16), startMs, endMs, zoneNote: note });
    };
    for (const ev of masters) {
        if (ev.rruleProblem) {
            emit(ev, wallOf(ev.start), `${ev.uid}@${ev.start.date}`);
            continue;
        }
        const { zone } = zoneFor(ev.start, options.timeZone);
        const exdates = new Set(ev.exdates.map((t) => (t.time === null ? t.date : new Date(instant(t, zoneFor(t, options.timeZone).zone)).toISOString())));
        // Two days of slack either side: the period is in each event's own zone.
        for (const wall of repeatStarts(ev, toWall + 2 * DAY, (w) => (ev.start.zone === 'UTC' ? w : wallToUtc(w, zone)))) {
            if (wall < fromWall - 2 * DAY) continue;
            const t: IcsTime = { date: isoDate(wall), time: ev.start.time === null ? null : new Date(wall).toISOString().slice(11, 19), zone: ev.start.zone };
            const id = t.time === null ? t.date : new Date(instant(t, zone)).toISOString();
            if (exdates.has(id) || exdates.has(t.date) && ev.exdates.some((x) => x.time === null)) continue;
            const key = `${ev.uid}@${id}`;
            if (overridden.has(key)) continue;
            emit(ev, wall, key);
        }
    }
    for (const o of overrides) emit(o, wallOf(o.start), keyOf(o.uid, o.recurrenceId!, zoneFor(o.recurrenceId!, options.timeZone).zone));
    return out.sort((a, b) => a.startMs - b.startMs || a.key.localeCompare(b.key));
}
