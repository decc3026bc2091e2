import { describe, expect, it } from 'vitest';
import { bannerLines, seededLine } from '../../bin/commands/start-banner.ts';

describe('what realize start prints', () => {
    it('leads with where to open it, then the database and mode, the demo accounts when there are any, and the limits', () => {
        const lines = bannerLines({
            url: 'http://127.0.0.1:3000',
            mode: 'local mode: every caller is leadership',
            database: 'data/realize.duckdb',
            limits: 'memory limit 3 GB',
            accounts: [
                { role: 'leadership', login: 'lead@demo', password: 'pw1' },
                { role: 'engineer', login: 'eng@demo', password: 'pw2' },
            ],
        });
        expect(lines).toEqual([
            'Realize is running: open http://127.0.0.1:3000',
            '  data/realize.duckdb, local mode: every caller is leadership',
            '  demo accounts (demo only):',
            // roles padded to the longest ("leadership", 10 characters)
            '    leadership  lead@demo / pw1',
            '    engineer    eng@demo / pw2',
            '  memory limit 3 GB',
        ]);
    });

    it('says nothing of accounts when the firm has none', () => {
        const lines = bannerLines({ url: 'http://127.0.0.1:3000', mode: 'm', database: 'd', limits: 'l' });
        expect(lines.some((l) => l.includes('accounts'))).toBe(false);
        expect(lines[0]).toBe('Realize is running: open http://127.0.0.1:3000');
    });

    it('says how long the seed took and what it seeded', () => {
        expect(seededLine(47.6, { people: 150, clients: 31, projects: 120, time_entries: 399_526 })).toBe('seeded the demo firm in 48 s: 150 people, 31 clients, 120 projects, 399,526 time entries');
    });
});
