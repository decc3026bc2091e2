import { describe, expect, it } from 'vitest';
import { clock, dayLabel, editFormOf, editsOf, mondayOf, shiftWeek, uploadSummary } from '../../../web/lib/features/time/suggestions.ts';
import type { Suggestion } from '../../../server/schemas/suggestions.ts';

const s: Suggestion = {
    suggestion_id: 'cal-1',
    person_id: 'P1',
    source: 'calendar',
    work_date: '2024-03-04',
    starts_at: '2024-03-04T10:00:00Z',
    project_id: 'PRJ1',
    project_name: 'Acme portal',
    client_name: 'Acme',
    phase: null,
    activity: 'meeting',
    seconds: 5400,
    billable: true,
    notes: 'Review',
    evidence: 'Meeting "Review"',
    status: 'suggested',
    entry_id: null,
};

describe('the Suggestions panel', () => {
    it('shows durations as h:mm and days as the week grid does', () => {
        expect([clock(5400), clock(900), clock(86_400), clock(89)]).toEqual(['1:30', '0:15', '24:00', '0:01']);
        expect(dayLabel('2024-03-04')).toBe('Mon 4 Mar');
        expect(dayLabel('2024-03-10')).toBe('Sun 10 Mar');
    });

    it('sends only what the person changed when confirming an edited suggestion', () => {
        const form = editFormOf(s);
        expect(editsOf(s, form, null)).toEqual({});
        expect(editsOf(s, { ...form, duration: '1:15', phase: ' build ', billable: false }, 'P1')).toEqual({ person_id: 'P1', duration: '1:15', phase: 'build', billable: false });
        expect(editsOf(s, { ...form, notes: '' }, null)).toEqual({ notes: null });
    });

    it('moves by weeks from their Monday', () => {
        expect(mondayOf('2024-03-10')).toBe('2024-03-04');
        expect(mondayOf('2024-03-04')).toBe('2024-03-04');
        expect(shiftWeek('2024-03-04', -1)).toBe('2024-02-26');
        expect(shiftWeek('2024-12-30', 1)).toBe('2025-01-06');
    });

    it('says what an upload did', () => {
        expect(uploadSummary({ created: 2, updated: 0, unchanged: 1, decided: 1, withdrawn: 0, skipped: [1], problems: [] })).toBe('2 new, 0 updated, 1 unchanged, 1 already decided, 1 skipped.');
    });
});
