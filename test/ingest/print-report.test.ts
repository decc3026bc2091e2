import { afterEach, describe, expect, it, vi } from 'vitest';
import { printReport } from '../../bin/commands/ingest.ts';
import type { IngestReport, RejectedRow } from '../../ingest/canonical.ts';

afterEach(() => vi.restoreAllMocks());

/** What printReport writes, stdout and stderr in order. */
function printed(report: IngestReport): string[] {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    printReport(report, false);
    return lines;
}

describe('realize ingest prints a rejected report', () => {
    it('the first problems, then every problem counted by reason, and how many the report lists', () => {
        const rejects: RejectedRow[] = Array.from({ length: 2000 }, (_, i) => ({
            file: 'time_entries.csv',
            line: i + 2,
            column: i < 1000 ? 'work_date' : 'status',
            value: 'x',
            reason: i < 1000 ? 'not a date (YYYY-MM-DD)' : 'must be one of: draft, submitted, approved, rejected',
        }));
        const lines = printed({
            ok: false,
            status: 'rejected',
            files: [{ file: 'time_entries.csv', entity: 'time_entries', content_hash: 'h', batch_id: null, status: 'rejected', rows: 1_000_000, inserted: 0, replaced: 0, unchanged: 0, rejected: 1_000_000 }],
            rejects,
            rejects_total: 1_333_334,
            reject_counts: [
                { file: 'time_entries.csv', reason: 'not a date (YYYY-MM-DD)', count: 1_000_000 },
                { file: 'time_entries.csv', reason: 'must be one of: draft, submitted, approved, rejected', count: 333_334 },
            ],
            rejects_kept_per_reason: 1000,
            ignored: [],
            duration_ms: 6_700,
        });
        expect(lines.filter((l) => l.startsWith('time_entries.csv:')).length).toBe(50);
        expect(lines.slice(-5)).toEqual([
            'problems by file and reason (1,333,334 in all):',
            '  time_entries.csv: 1,000,000 × not a date (YYYY-MM-DD)',
            '  time_entries.csv: 333,334 × must be one of: draft, submitted, approved, rejected',
            '50 shown above; --json lists 2,000: the first 1,000 of each file and reason',
            'rejected: 1,333,334 problem(s) in 1,000,000 row(s); nothing was loaded (6.7 s)',
        ]);
    });
});
