import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration } from '../../lib/duration.ts';
import { entryChangeBody, newEntryBody, weekGridBody } from '../../server/schemas/time.ts';
import { decisionBody, flagResolveBody } from '../../server/schemas/review.ts';

describe('parseDuration', () => {
    it.each([
        ['1.5', 5400],
        ['1,5', 5400],
        ['1:30', 5400],
        ['0:05', 300],
        ['90m', 5400],
        ['90 min', 5400],
        ['2h', 7200],
        ['1h30m', 5400],
        ['1h 30m', 5400],
        ['1.25h', 4500],
        ['.5', 1800],
        ['8', 28800],
        ['0', 0],
        ['24', 86400],
        ['24:00', 86400],
        ['45s', 45],
        [' 2H ', 7200],
    ])('%s is %i seconds', (text, seconds) => {
        expect(parseDuration(text)).toBe(seconds);
    });

    it.each([
        ['-1', /negative/],
        ['-0:30', /negative/],
        ['25', /more than 24 hours/],
        ['24:01', /more than 24 hours/],
        ['1500m', /more than 24 hours/],
        ['1:75', /00 to 59/],
        ['', /enter a duration/],
        ['   ', /enter a duration/],
        ['abc', /not a duration/],
        ['1.5.2', /not a duration/],
        ['h', /not a duration/],
        ['1e3', /not a duration/],
        ['0x10', /not a duration/],
        ['Infinity', /not a duration/],
    ])('%j is refused with a message', (text, message) => {
        const reading = readDuration(text);
        expect(reading.ok).toBe(false);
        if (!reading.ok) expect(reading.message).toMatch(message);
        expect(() => parseDuration(text)).toThrow(RangeError);
    });

    it('formats seconds as the grid shows them', () => {
        expect(formatDuration(5400)).toBe('1:30');
        expect(formatDuration(300)).toBe('0:05');
        expect(formatDuration(86400)).toBe('24:00');
        expect(formatDuration(parseDuration('1.33'))).toBe('1:20');
    });
});

describe('the capture schemas', () => {
    const base = { project_id: 'P1', phase: 'build', activity: 'development', work_date: '2026-03-02' };

    it('reads a typed duration into seconds and names the field when it is wrong', () => {
        expect(newEntryBody.parse({ ...base, duration: '1:30' })).toMatchObject({ duration: 5400, source: 'form' });
        const bad = newEntryBody.safeParse({ ...base, duration: '-2' });
        expect(bad.success).toBe(false);
        expect(bad.error?.issues[0]?.path).toEqual(['duration']);
        const none = newEntryBody.safeParse(base);
        expect(none.error?.issues.map((i) => i.path.join('.'))).toEqual(['duration']);
        expect(newEntryBody.safeParse({ ...base, duration: '1', duration_seconds: 3600 }).success).toBe(false);
        expect(newEntryBody.safeParse({ ...base, duration_seconds: 86401 }).success).toBe(false);
        expect(newEntryBody.safeParse({ ...base, duration: '1', work_date: '2026-02-30' }).success).toBe(false);
        expect(newEntryBody.safeParse({ ...base, duration: '1', status: 'approved' }).success).toBe(false);
    });

    it('takes a partial change', () => {
        expect(entryChangeBody.parse({ duration: '2h' })).toEqual({ duration: 7200 });
        expect(entryChangeBody.safeParse({ status: 'approved' }).success).toBe(false);
    });

    it('takes a grid of seven cells per row', () => {
        const row = { project_id: 'P1', phase: null, activity: 'qa', days: ['1.5', null, '', null, null, null, null] };
        expect(weekGridBody.parse({ week: '2026-03-04', rows: [row] }).rows[0]?.days[0]).toBe('1.5');
        expect(weekGridBody.safeParse({ week: '2026-03-04', rows: [{ ...row, days: ['1'] }] }).success).toBe(false);
    });

    it('needs a comment to reject, and entries or a person-week to decide on', () => {
        expect(decisionBody.safeParse({ decision: 'reject', entry_ids: ['e1'] }).error?.issues[0]?.path).toEqual(['comment']);
        expect(decisionBody.safeParse({ decision: 'approve' }).success).toBe(false);
        expect(decisionBody.safeParse({ decision: 'approve', person_week: { person_id: 'a', project_id: 'b', week: '2026-03-02' } }).success).toBe(true);
        expect(flagResolveBody.safeParse({ group_id: 'g', resolution: 'dismissed', reason: '' }).success).toBe(false);
        expect(flagResolveBody.safeParse({ group_id: 'g', resolution: 'dismissed', reason: 'estimate was raised' }).success).toBe(true);
    });
});
