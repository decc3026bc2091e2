import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ianaZone, occurrences, parseIcs, wallToUtc } from '../../../ingest/ics.ts';

const fixture = fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/suggestions/calendar.ics'), 'utf8');
const window = { timeZone: 'Europe/Vienna', from: '2025-03-20', to: '2025-04-13' };

describe('the iCalendar reader', () => {
    const { events, problems } = parseIcs(fixture);

    it('reads every event, unfolds lines and unescapes text, and passes over alarms and zones', () => {
        expect(problems).toEqual([]);
        expect(events.map((e) => e.uid)).toEqual([
            'weekly-acme@example.com',
            'weekly-acme@example.com',
            'weekly-acme@example.com',
            'globex-kickoff',
            'standup',
            'holiday',
            'declined',
            'cancelled',
            'focus',
            'outlook-zone',
        ]);
        expect(events[0]!.summary).toBe('Acme weekly , status');
        expect(events[3]!.summary).toBe('Kickoff with the Globex team about the new onboarding flow and the data migration');
        expect(events[0]!.attendees).toEqual([
            { email: 'ann@firm.example', partstat: 'ACCEPTED' },
            { email: 'bob@eu.acme.com', partstat: 'ACCEPTED' },
        ]);
        expect(events[0]!.rrule).toEqual({ freq: 'WEEKLY', interval: 1, count: 6, until: null, byDay: [0, 3] });
        expect(events[6]!.attendees[0]).toEqual({ email: 'ann@firm.example', partstat: 'DECLINED' });
    });

    it('expands repeats in wall-clock time across a daylight-saving change, with EXDATE, COUNT, UNTIL and moved or cancelled occurrences', () => {
        const occs = occurrences(events, window);
        const weekly = occs.filter((o) => o.event.uid === 'weekly-acme@example.com');
        // COUNT=6 from Monday 24 March on Mondays and Thursdays: 24, 27 (EXDATE), 31 (moved to 1 April 14:00), 3, 7 (cancelled), 10 April.
        expect(weekly.map((o) => [o.localDate, o.localTime, (o.endMs - o.startMs) / 1000, o.event.status])).toEqual([
            ['2025-03-24', '09:00', 3600, null],
            ['2025-04-01', '14:00', 1800, null],
            ['2025-04-03', '09:00', 3600, null],
            ['2025-04-07', '09:00', 3600, 'CANCELLED'],
            ['2025-04-10', '09:00', 3600, null],
        ]);
        // 09:00 in Vienna is 08:00 UTC before 30 March and 07:00 UTC after.
        expect(new Date(weekly[0]!.startMs).toISOString()).toBe('2025-03-24T08:00:00.000Z');
        expect(new Date(weekly[2]!.startMs).toISOString()).toBe('2025-04-03T07:00:00.000Z');
        // The moved occurrence keeps the key of the one it replaces.
        expect(weekly[1]!.key).toBe('weekly-acme@example.com@2025-03-31T07:00:00.000Z');
        const standup = occs.filter((o) => o.event.uid === 'standup');
        expect(standup.map((o) => [o.localDate, o.localTime])).toEqual([
            ['2025-03-24', '09:30'],
            ['2025-03-25', '09:30'],
            ['2025-03-26', '09:30'],
        ]);
        const kickoff = occs.find((o) => o.event.uid === 'globex-kickoff')!;
        expect([kickoff.localDate, kickoff.localTime, (kickoff.endMs - kickoff.startMs) / 1000]).toEqual(['2025-03-25', '14:00', 5400]);
        const outlook = occs.find((o) => o.event.uid === 'outlook-zone')!;
        expect([new Date(outlook.startMs).toISOString(), outlook.zoneNote]).toEqual(['2025-03-26T10:00:00.000Z', null]);
        expect(occs.find((o) => o.event.uid === 'holiday')!.allDay).toBe(true);
    });

    it('keeps to the period asked for', () => {
        const occs = occurrences(events, { timeZone: 'UTC', from: '2025-04-02', to: '2025-04-08' });
        expect(occs.map((o) => `${o.event.uid} ${o.localDate}`)).toEqual(['weekly-acme@example.com 2025-04-03', 'weekly-acme@example.com 2025-04-07']);
    });

    it('says what it cannot read', () => {
        expect(parseIcs('hello').problems[0]!.reason).toMatch(/not an iCalendar/);
        const broken = parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:2025-13-45\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20250101T100000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:m\nDTSTART:20250101T100000Z\nRRULE:FREQ=MONTHLY;BYDAY=2TU\nEND:VEVENT\nEND:VCALENDAR');
        expect(broken.problems.map((p) => p.reason)).toEqual(['event x: DTSTART "2025-13-45" is not a date or time', 'an event without a UID']);
        expect(broken.events[0]!.rruleProblem).toBe('BYDAY on a monthly repeat is not read');
    });

    it('reads zones by IANA or Windows name, and unknown ones in the caller’s zone', () => {
        expect(ianaZone('W. Europe Standard Time')).toBe('Europe/Berlin');
        expect(ianaZone('America/New_York')).toBe('America/New_York');
        expect(ianaZone('Mars/Olympus')).toBeNull();
        // 02:30 on 30 March 2025 does not exist in Vienna: it moves forward to 03:30 CEST = 01:30 UTC.
        expect(new Date(wallToUtc(Date.parse('2025-03-30T02:30:00Z'), 'Europe/Vienna')).toISOString()).toBe('2025-03-30T01:30:00.000Z');
        const odd = parseIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:z\nDTSTART;TZID=Mars/Olympus:20250101T100000\nDURATION:PT45M\nEND:VEVENT\nEND:VCALENDAR');
        const [occ] = occurrences(odd.events, { timeZone: 'Europe/Vienna', from: '2025-01-01', to: '2025-01-01' });
        expect([new Date(occ!.startMs).toISOString(), (occ!.endMs - occ!.startMs) / 1000, occ!.zoneNote]).toEqual(['2025-01-01T09:00:00.000Z', 2700, 'time zone "Mars/Olympus" not known: read as Europe/Vienna']);
    });
});
