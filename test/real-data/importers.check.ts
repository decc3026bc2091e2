/**
 * Exactness of the importers on every time-tracking export in ../shared/datasets/tool-exports:
 *
 *   node test/real-data/importers.check.ts     (datasets: $DATASETS, else ../shared/datasets next to the repo)
 *
 * For each file, imported alone into an empty warehouse:
 *   - every data row is an entry or a rejected row with its line and reason (rows counted here, independently);
 *   - the seconds of the import's entries plus those of its rejected rows equal the file's own total, to the
 *     second, computed here from its duration column (Duration / Duration (h) h:mm:ss, Harvest's decimal Hours,
 *     or end − start of solidtime's generic ISO timestamps) by a parser that shares nothing with the importers;
 *   - importing it again changes nothing (every entry unchanged).
 * Then the overlapping exports of one account (toggl-real/jalavery-timetrackR, three successive years) imported
 * together and one after the other give the same entries, each once: their seconds are the distinct rows' total.
 * Clockify's files write dates MM/DD/YYYY (their SOURCE.md); the ones whose dates cannot tell are given that order.
 * The clients and projects lists (Harvest's clients and projects exports, Clockify's projects reports), each
 * imported alone, then again: the tool and kind recognised with tool auto, every row a client or project, each
 * with the client, code, status, billing model and budget worked out by hand below (names with special
 * characters as this file's own CSV reader reads them), and the second import unchanged.
 *
 * Exit codes: 0 all hold; 1 a figure is off (or the run failed); 2 the datasets are not there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importFiles, type ImportOptions, type ImportReport } from '../../ingest/import/run.ts';
import { checker, datasetsOrExit, finishCheck, fresh, recordError } from '../helpers/check.ts';
import { csvRecords } from '../helpers/csv.ts';

const started = performance.now();
const datasets = datasetsOrExit(['tool-exports'], ([absent], at) => `the tool exports are missing at ${path.join(at, absent!)}: set DATASETS to the datasets folder (../shared/datasets)`);
const root = path.join(datasets, 'tool-exports');

/** The non-blank records of a CSV text, read by the tests' own reader (independent of the product's). */
const records = (text: string): string[][] => csvRecords(text).filter((r) => r.some((c) => c !== ''));

/** MM/DD/YYYY and a 12-hour clock (`10:23 AM`, `11:23:01 AM`) → epoch milliseconds (UTC). */
function clock12(date: string, time: string): number {
    const [mo, d, y] = date.split('/').map(Number);
    const m = /^(\d+):(\d+)(?::(\d+))? ?(AM|PM)$/.exec(time)!;
    const h = (Number(m[1]) % 12) + (m[4] === 'PM' ? 12 : 0);
    return Date.UTC(y!, mo! - 1, d!, h, Number(m[2]), Number(m[3] ?? 0));
}

/** The file's own total: Σ of its duration column, in seconds. */
function fileTotal(file: string): { rows: number; seconds: number } {
    const [header, ...rows] = records(fs.readFileSync(file, 'utf8'));
    const col = (name: string) => header!.indexOf(name);
    const hms = (v: string) => {
        const [h, m, s] = v.split(':').map(Number);
        return h! * 3600 + m! * 60 + s!;
    };
    let seconds = 0;
    for (const r of rows) {
        if (col('Duration') >= 0) seconds += hms(r[col('Duration')]!);
        else if (col('Duration (h)') >= 0) seconds += hms(r[col('Duration (h)')]!);
        else if (col('Hours') >= 0) seconds += Math.round(Number(r[col('Hours')]!.replaceAll('.', '').replace(',', '.')) * 3600);
        else if (col('start') >= 0) seconds += (Date.parse(r[col('end')]!) - Date.parse(r[col('start')]!)) / 1000;
        else if (col('End Time') >= 0) seconds += (clock12(r[col('End Date')]!, r[col('End Time')]!) - clock12(r[col('Start Date')]!, r[col('Start Time')]!)) / 1000;
        else throw new Error(`${file}: no duration column`);
    }
    return { rows: rows.length, seconds };
}

const failures: string[] = [];
const expect = checker(failures);

const exports: { file: string; tool: ImportOptions['tool']; options?: Partial<ImportOptions> }[] = [
    ...fs.readdirSync(path.join(root, 'toggl-real')).flatMap((d) =>
        fs.statSync(path.join(root, 'toggl-real', d)).isDirectory()
            ? fs.readdirSync(path.join(root, 'toggl-real', d)).filter((f) => f.endsWith('.csv')).map((f) => ({ file: path.join(root, 'toggl-real', d, f), tool: 'toggl' as const }))
            : [],
    ),
    ...fs
        .readdirSync(path.join(root, 'solidtime-fixtures'))
        .filter((f) => /time_entries.*\.csv$/.test(f))
        .map((f) => {
            const tool = f.split('_')[0] as ImportOptions['tool'];
            return { file: path.join(root, 'solidtime-fixtures', f), tool, options: tool === 'clockify' ? { dateOrder: 'mdy' as const } : {} };
        }),
    ...fs
        .readdirSync(path.join(root, 'invoiceninja-fixtures'))
        .filter((f) => /toggl/i.test(f))
        .map((f) => ({ file: path.join(root, 'invoiceninja-fixtures', f), tool: 'toggl' as const })),
];

try {
    for (const e of exports) {
        const name = path.relative(root, e.file);
        console.log(name);
        const own = fileTotal(e.file);
        await fresh(async (w) => {
            const first: ImportReport = await importFiles(w, [e.file], { tool: e.tool, ...e.options });
            const accounted = first.created + first.duplicates + first.rejected;
            expect(first.rows_read === own.rows && accounted === own.rows, `${name}: ${own.rows} rows = ${first.created} entries + ${first.duplicates} duplicates + ${first.rejected} rejected`);
            expect(first.rejects.length === first.rejected && first.rejects.every((r) => r.reason && r.line), `${name}: every rejected row names its line and reason`);
            const seconds = first.seconds_imported + first.seconds_duplicate + first.seconds_rejected;
            expect(seconds === own.seconds, `${name}: ${first.seconds_imported} s imported + ${first.seconds_rejected} s rejected = the file's ${own.seconds} s`);
            const again = await importFiles(w, [e.file], { tool: e.tool, ...e.options });
            expect(again.imported === 0 && again.unchanged === first.created, `${name}: imported again, ${again.unchanged} unchanged, ${again.imported} imported`);
        });
    }
    // The Toggl data export (JSON) of solidtime's fixtures has clients, projects and users but no time entries.
    const json = path.join(root, 'solidtime-fixtures', 'toggl_data_import_test_1');
    await fresh(async (w) => {
        const r = await importFiles(w, [json], { tool: 'toggl' });
        expect(r.rows_read === 0 && r.rejected === 0, `toggl_data_import_test_1: a data export without time entries reads 0 rows`);
    });

    await checkLists();

    const jalavery = path.join(root, 'toggl-real', 'jalavery-timetrackR');
    const files = fs.readdirSync(jalavery).filter((f) => f.endsWith('.csv')).sort().map((f) => path.join(jalavery, f));
    // Distinct rows (the fingerprint's fields and occurrence) across the three exports, counted here.
    const distinct = new Map<string, number>();
    for (const f of files) {
        const [header, ...rows] = records(fs.readFileSync(f, 'utf8'));
        const seen = new Map<string, number>();
        const at = (n: string) => header!.indexOf(n);
        for (const r of rows) {
            const key = ['Email', 'Start date', 'Start time', 'Client', 'Project', 'Task', 'Description', 'Duration'].map((n) => r[at(n)]).join('|');
            const n = (seen.get(key) ?? 0) + 1;
            seen.set(key, n);
            const [h, m, s] = r[at('Duration')]!.split(':').map(Number);
            distinct.set(`${key}#${n}`, h! * 3600 + m! * 60 + s!);
        }
    }
    const distinctSeconds = [...distinct.values()].reduce((a, b) => a + b, 0);
    console.log('jalavery-timetrackR: three overlapping exports');
    await fresh(async (w) => {
        const together = await importFiles(w, files, { tool: 'toggl' });
        expect(together.created === distinct.size && together.seconds_imported === distinctSeconds, `together: ${together.created} entries, ${together.seconds_imported} s = ${distinct.size} distinct rows, ${distinctSeconds} s`);
    });
    await fresh(async (w) => {
        let created = 0;
        for (const f of files) created += (await importFiles(w, [f], { tool: 'toggl' })).created;
        expect(created === distinct.size, `one after the other: ${created} entries created in all = ${distinct.size}`);
    });
} catch (err) {
    recordError(failures, err);
}
finishCheck('importers', failures, started);

interface ListProject {
    /** null: internal work (a project without a client). */
    client: string | null;
    name: string;
    status: string;
    billing_model: string;
    budget_hours: number | null;
}

/** The solidtime fixtures' clients and projects lists: what each must create, worked out by hand from the files. */
async function checkLists(): Promise<void> {
    const dir = path.join(root, 'solidtime-fixtures');
    const cells = (file: string) => records(fs.readFileSync(path.join(dir, file), 'utf8'));
    const [, ...harvestClients] = cells('harvest_clients_import_test_1.csv');
    const [, , special] = cells('harvest_projects_import_test_1.csv');
    const T_AND_M = 'time_and_materials';
    const INTERNAL = 'non_billable';
    type List = { file: string; tool: string; kind: string; clients: string[]; projects: ListProject[] };
    /** A Clockify projects report: the clients and projects it must create. */
    const clockifyProjects = (file: string, clients: string[], projects: ListProject[]): List => ({ file, tool: 'clockify', kind: 'projects', clients, projects });
    const lists: List[] = [
        // Client Name, Address: Harvest's sample client and one whose name has every special character and an emoji.
        { file: 'harvest_clients_import_test_1.csv', tool: 'harvest', kind: 'clients', clients: harvestClients.map((r) => r[0]!), projects: [] },
        {
            file: 'harvest_projects_import_test_1.csv',
            tool: 'harvest',
            kind: 'projects',
            clients: ['Example Client', special![0]!],
            projects: [
                // Budget By Hours, Budget "50,0": 50 h; 20,01 of 20,01 hours billable: time and materials.
                { client: 'Example Client', name: 'Example Project', status: 'active', billing_model: T_AND_M, budget_hours: 50 },
                // Budget "0,0": no budget; no hours tracked: billable, as a new Harvest project is.
                { client: special![0]!, name: special![1]!, status: 'active', billing_model: T_AND_M, budget_hours: null },
            ],
        },
        clockifyProjects('clockify_projects_import_test_1.csv', ['Big Company'], [
            // Estimated (h) 1001.11; Billability Yes.
            { client: 'Big Company', name: 'Project for Big Company', status: 'active', billing_model: T_AND_M, budget_hours: 1001.11 },
            // No client: internal work, a project without a client and non_billable whatever its Billability says.
            { client: null, name: 'Project without Client', status: 'active', billing_model: INTERNAL, budget_hours: null },
        ]),
        clockifyProjects('clockify_projects_import_test_2.csv', ['Big Company'], [
            { client: 'Big Company', name: 'Active Project', status: 'active', billing_model: T_AND_M, budget_hours: 100 },
            // Status Archived: closed.
            { client: null, name: 'Archived Project', status: 'closed', billing_model: INTERNAL, budget_hours: null },
        ]),
        clockifyProjects('clockify_projects_import_test_3.csv', [], [
            { client: null, name: 'Project With Activities', status: 'active', billing_model: INTERNAL, budget_hours: null },
        ]),
        // No Client column: a project without a client (internal work).
        clockifyProjects('clockify_projects_import_test_4.csv', [], [
            { client: null, name: 'Project Without Client Column', status: 'active', billing_model: INTERNAL, budget_hours: 100 },
        ]),
    ];
    const today = new Date().toISOString().slice(0, 10);
    const sorted = <T>(xs: T[]) => xs.map((x) => JSON.stringify(x)).sort();
    for (const l of lists) {
        console.log(`solidtime-fixtures/${l.file}`);
        const rows = cells(l.file).length - 1;
        await fresh(async (w) => {
            const first = await importFiles(w, [path.join(dir, l.file)], { tool: 'auto' });
            const f = first.files[0]!;
            expect(f.tool === l.tool && f.kind === l.kind, `${l.file}: read as a ${f.tool} ${f.kind} list`);
            expect(first.rows_read === rows && first.created === rows && first.rejected === 0, `${l.file}: ${rows} rows = ${first.created} created, ${first.rejected} rejected`);
            const clients = await w.all<{ name: string }>(`select name from canonical.clients`);
            expect(JSON.stringify(sorted(clients.map((c) => c.name))) === JSON.stringify(sorted(l.clients)), `${l.file}: clients ${l.clients.length} as listed`);
            const projects = await w.all<ListProject & { start_date: string; code: string | null; end_date: string | null; contract_value: number | null }>(
                `select c.name as client, p.name, p.status, p.billing_model, p.budget_hours::double as budget_hours, p.start_date::varchar as start_date,
                    p.code, p.end_date, p.contract_value::double as contract_value
                from canonical.projects p left join canonical.clients c using (client_id)`,
            );
            const got = projects.map(({ client, name, status, billing_model, budget_hours }) => ({ client, name, status, billing_model, budget_hours }));
            expect(JSON.stringify(sorted(got)) === JSON.stringify(sorted(l.projects)), `${l.file}: projects ${JSON.stringify(got.map((p) => [p.name.slice(0, 30), p.status, p.budget_hours]))}`);
            // Neither tool's list gives a code, an end date, a fee budget or (but for none here) a start date.
            expect(projects.every((p) => p.start_date === today && p.code === null && p.end_date === null && p.contract_value === null), `${l.file}: new projects start today, no code, end or fee budget`);
            const again = await importFiles(w, [path.join(dir, l.file)], { tool: l.tool as ImportOptions['tool'] });
            expect(again.status === 'unchanged' && again.unchanged === rows, `${l.file}: imported again as ${l.tool}, ${again.unchanged} unchanged`);
        });
    }
}
