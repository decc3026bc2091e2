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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestCsv, quoteCommand, utf8Copy } from '../../bin/commands/quote.ts';
import { UsageError } from '../../ingest/files.ts';
import { QuoteRng } from '../../models/quote/rng.ts';

/** Runs `realize quote …` and returns its exit code and what it printed. */
async function run(args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
        return { code: await quoteCommand(args), out: lines.join('\n') };
    } finally {
        log.mockRestore();
        write.mockRestore();
    }
}

/**
 * 3,000 items a day apart in 2020–2028, class A steady and class B overrunning more and more (as in the backtest's
 * drift test), where every band holds; one item's class is "=1+1", which a spreadsheet would run as a formula.
 */
function driftCsv(file: string): void {
    const rng = new QuoteRng(9);
    const lines = ['key,kind,est,act,day'];
    for (let i = 0; i < 3000; i++) {
        const cls = rng.next() < 0.5 ? 'A' : 'B';
        const drift = cls === 'B' ? (1.2 * i) / 3000 : 0;
        const noise = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
        const estimate = 1 + Math.floor(rng.next() * 20);
        const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 3) * 86_400_000).toISOString().slice(0, 10);
        lines.push(`K${i},${i === 2000 ? '=1+1' : cls},${estimate},${estimate * Math.exp(drift + 0.5 * noise)},${day}`);
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
}

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
            'date missing': 1,
        });
        expect(r.seconds).toBeGreaterThanOrEqual(r.report.runtime_ms / 1000);
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

    it('prints its usage on --help', async () => {
        for (const args of [['backtest', '--help'], ['backtest', '--csv', file, '-h'], ['--help']]) {
            const { code, out } = await run(args);
            expect(code).toBe(0);
            for (const flag of ['--items FILE', '--check', '--min-class N', '--date-format FMT']) expect(out).toContain(flag);
            expect(out).not.toMatch(/issue/i);
        }
    });

    it('exits 1 with --check when a band is missed, 0 when every band holds; names the bands by what they check', async () => {
        const small = ['backtest', '--csv', file, '--estimate', 'Est', '--actual', 'Act', '--class', 'Kind', '--date', 'Raised'];
        const missed = await run([...small, '--check']);
        expect(missed.code).toBe(1);
        // 10 scored items: 7 at or below P80.
        expect(missed.out).toContain('MISS share at or below P80, all items: 70.00% (band 77.00%…83.00%)');
        expect(missed.out).not.toMatch(/issue/i);
        expect((await run(small)).code).toBe(0);
        const drift = path.join(dir, 'drift.csv');
        driftCsv(drift);
        const held = await run(['backtest', '--csv', drift, '--estimate', 'est', '--actual', 'act', '--class', 'kind', '--date', 'day', '--check']);
        expect(held.out).not.toContain('MISS');
        expect(held.code).toBe(0);
    });

    it('writes every scored item with --items, formula cells as text, and the file rescores to the report', async () => {
        const drift = path.join(dir, 'drift.csv');
        driftCsv(drift);
        const items = path.join(dir, 'items.csv');
        const { out } = await run(['backtest', '--csv', drift, '--estimate', 'est', '--actual', 'act', '--class', 'kind', '--date', 'day', '--items', items, '--json']);
        const report = JSON.parse(out);
        const [header, ...rows] = fs.readFileSync(items, 'utf8').trim().split('\n');
        expect(header).toBe('row,date,kind,estimate,actual,p10,p50,p80,p90');
        expect(rows).toHaveLength(report.report.scored);
        // Row 2001 of the file (its item 2000) holds the formula-like class, written as text.
        const formula = rows.find((r) => r.startsWith('2001,'))!;
        expect(formula).toMatch(/^2001,\d{4}-\d{2}-\d{2},"'=1\+1",/);
        // Rescored from the file alone: the report's coverage and share at or below P80.
        const cells = rows.map((r) => r.split(',').slice(-6).map(Number));
        const inside = cells.filter(([, a, p10, , , p90]) => a! >= p10! && a! <= p90!).length / cells.length;
        const le80 = cells.filter(([, a, , , p80]) => a! <= p80!).length / cells.length;
        expect(inside).toBe(report.report.overall.method.coverage_p10_p90);
        expect(le80).toBe(report.report.overall.method.share_le_p80);
        // Dates in order, as read.
        expect(rows[0]!.split(',')[1]).toBe('2020-01-11');
    });

    it('limits the classes of the JSON to those of --min-class, as the table', async () => {
        const drift = path.join(dir, 'drift.csv');
        driftCsv(drift);
        const args = ['backtest', '--csv', drift, '--estimate', 'est', '--actual', 'act', '--class', 'kind', '--date', 'day', '--json'];
        const all = JSON.parse((await run([...args, '--min-class', '1'])).out);
        expect(all.report.classes.map((c: { class: string }) => c.class).sort()).toEqual(['=1+1', 'A', 'B']);
        const big = JSON.parse((await run([...args, '--min-class', '1000'])).out);
        expect(big.report.classes.map((c: { class: string }) => c.class).sort()).toEqual(['A', 'B']);
        expect(big.min_class).toBe(1000);
        expect(big.scored).toBeUndefined();
        // The time shown is the whole run's: reading the file included.
        expect(big.seconds).toBeGreaterThanOrEqual(big.report.runtime_ms / 1000);
    });

    it('says when --date-format reads no date, with values it saw', async () => {
        const args = { csv: file, estimate: 'Est', actual: 'Act', class: ['Kind'], date: 'Raised' };
        await expect(backtestCsv({ ...args, dateFormat: '%Y-%m-%d' })).rejects.toThrow(
            new UsageError(
                '--date-format %Y-%m-%d reads none of the 44 values of Raised (e.g. "01-Jan-21", "02-Jan-21", "03-Jan-21"); give the format those values are in (strptime, e.g. %d/%m/%Y %H:%M), iso or number, or leave --date-format out to have it found',
            ),
        );
        // A format that reads some: the others are skipped, with one of their values.
        const mixed = path.join(dir, 'mixed.csv');
        fs.writeFileSync(mixed, ['e,a,c,d', ...Array.from({ length: 34 }, (_, i) => `2,3,x,2021-01-${String(1 + (i % 28)).padStart(2, '0')}`), '2,3,x,31/12/2021'].join('\n'));
        const r = await backtestCsv({ csv: mixed, estimate: 'e', actual: 'a', class: ['c'], date: 'd', dateFormat: '%Y-%m-%d' });
        expect(r.skipped).toEqual({ 'date not readable as %Y-%m-%d (e.g. "31/12/2021")': 1 });
    });

    it('tells an empty class cell from a missing one', async () => {
        const classes = path.join(dir, 'classes.csv');
        const lines = ['e,a,d,kind'];
        for (let i = 0; i < 40; i++) lines.push(`2,3,${i + 1},${['Bug', '', 'NA', '"  "'][i % 4]}`);
        lines.push('2,3,41');
        fs.writeFileSync(classes, lines.join('\n') + '\n');
        const r = await backtestCsv({ csv: classes, estimate: 'e', actual: 'a', class: ['kind'], date: 'd' }, 1);
        expect(r.used).toBe(41);
        const byClass = Object.fromEntries(r.report.classes.map((c) => [c.class, c.n]));
        // Dates 31–41 are scored: Bug on 33 and 37; empty on 34, 38 and blank on 32, 36, 40; NA on 31, 35, 39 and the
        // short row, 41.
        expect(byClass).toEqual({ Bug: 2, '(empty)': 5, '(missing)': 4 });
    });
});
