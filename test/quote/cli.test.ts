/**
 * `realize quote backtest` on a file as real files come: Windows-1252 text, NA cells, non-positive values, a
 * decimal comma, dd-Mon-yy dates (bin/commands/quote.ts).
 *
 * The file: 45 data rows. 40 are usable (estimates 1…8 h, actual = estimate × 0.75…1.5, dates 01-Jan-21 on,
 * one a day); then one row each with estimate NA, estimate "abc", estimate 0, actual -1, and no date. So 40
 * used, 5 skipped by reason, and with 30 items of warm-up 10 scored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtestCsv, quoteCommand, utf8Copy } from '../../bin/commands/quote.ts';
import { UsageError } from '../../ingest/files.ts';

let dir: string;
let file: string;
const MONTHS = ['Jan', 'Feb', 'Mar'];

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quote-cli-'));
    file = path.join(dir, 'tasks.csv');
    const lines = ['Id;Summary;Kind;Est;Act;Raised'];
    for (let i = 0; i < 40; i++) {
        const est = 1 + (i % 8);
        const act = (est * [0.75, 1, 1.25, 1.5][i % 4]!).toString().replace('.', ',');
        const day = new Date(Date.UTC(2021, 0, 1 + i));
        const date = `${String(day.getUTCDate()).padStart(2, '0')}-${MONTHS[day.getUTCMonth()]}-21`;
        lines.push(`${i};Caf\u00e9 \u2019fix\u2019 ${i};${i % 2 ? 'Bug' : 'Feature'};${est};${act};${date}`);
    }
    lines.push('40;x;Bug;NA;3;01-Mar-21', '41;x;Bug;abc;3;01-Mar-21', '42;x;Bug;0;3;01-Mar-21', '43;x;Bug;2;-1;01-Mar-21', '44;x;Bug;2;3;');
    // Windows-1252: é = 0xE9, ’ = 0x92.
    const text = lines.join('\r\n') + '\r\n';
    const bytes = Buffer.from([...text].map((c) => (c === '\u2019' ? 0x92 : c.charCodeAt(0))));
    fs.writeFileSync(file, bytes);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('realize quote backtest', () => {
    it('reads a Windows-1252 file with NA, bad values and dd-Mon-yy dates, and says what it skipped', async () => {
        const r = await backtestCsv({ csv: file, estimate: 'Est', actual: 'Act', class: ['Kind'], date: 'Raised' });
        expect(r.encoding).toBe('windows-1252');
        expect(r.rows).toBe(45);
        expect(r.used).toBe(40);
        expect(r.skipped).toEqual({
            'estimate missing': 1,
            'estimate not a number': 1,
            'estimate ≤ 0': 1,
            'actual ≤ 0': 1,
            'date missing or unreadable': 1,
        });
        expect(r.date.format).toBe('%d-%b-%y');
        expect(r.report.scored).toBe(10);
        expect(r.report.warmup).toBe(30);
        expect(r.report.classes.map((c) => c.class).sort()).toEqual(['Bug', 'Feature']);
        // An explicit format gives the same.
        const again = await backtestCsv({ csv: file, estimate: 'est', actual: 'act', class: ['kind'], date: 'raised', dateFormat: '%d-%b-%y', encoding: 'windows-1252' });
        expect(again.report.overall).toEqual(r.report.overall);
    });

    it('reads a UTF-8 file with a byte-order mark, ISO timestamps with offsets, and thousands separators', async () => {
        const iso = path.join(dir, 'jira.csv');
        const rows = ['\uFEFFkey,est,act,created,type'];
        for (let i = 0; i < 35; i++) {
            const day = String(1 + (i % 28)).padStart(2, '0');
            rows.push(`K${i},"1,${i % 2 ? '5' : '500'}",${i % 2 ? '2' : '1600'},2016-0${1 + Math.floor(i / 28)}-${day}T08:26:00.000+0200,Bug`);
        }
        fs.writeFileSync(iso, rows.join('\n') + '\n');
        const r = await backtestCsv({ csv: iso, estimate: 'est', actual: 'act', class: ['type'], date: 'created' });
        expect(r.encoding).toBe('utf-8');
        expect(r.date.format).toBe('iso');
        expect(r.used).toBe(35);
        expect(r.report.scored).toBe(5);
    });

    it('decodes Windows-1252 faithfully', () => {
        const copy = utf8Copy(file);
        try {
            expect(fs.readFileSync(copy.path, 'utf8')).toContain('Caf\u00e9 \u2019fix\u2019 0');
        } finally {
            fs.rmSync(path.dirname(copy.path), { recursive: true, force: true });
        }
    });

    it('names the columns when one is unknown, and refuses missing options (usage errors, exit 2)', async () => {
        await expect(backtestCsv({ csv: file, estimate: 'Estimate', actual: 'Act', class: ['Kind'], date: 'Raised' })).rejects.toThrow(
            new UsageError('--estimate Estimate: no such column. The file\u2019s columns are: Id, Summary, Kind, Est, Act, Raised'.replace('\u2019', "'")),
        );
        await expect(quoteCommand(['backtest', '--csv', file])).rejects.toBeInstanceOf(UsageError);
        await expect(quoteCommand(['nonsense'])).rejects.toBeInstanceOf(UsageError);
        await expect(backtestCsv({ csv: path.join(dir, 'none.csv'), estimate: 'a', actual: 'b', class: ['c'], date: 'd' })).rejects.toBeInstanceOf(UsageError);
    });
});
