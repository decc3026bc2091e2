import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, type EntityName } from '../../ingest/entities.ts';
import { csvRecords } from '../helpers/csv.ts';
import { defaultDemoEnd, writeDemo, type DemoResult } from '../../ingest/demo/index.ts';

// DEMO_TEST_SEED, DEMO_TEST_END and DEMO_TEST_SIZE override the case (to sweep seeds, end dates and sizes by hand).
const SEED = Number(process.env.DEMO_TEST_SEED ?? 42);
const END = process.env.DEMO_TEST_END ?? '2025-05-31';
const SIZE = Number(process.env.DEMO_TEST_SIZE ?? 20_000);
const day = (s: string, add = 0): string => new Date(Date.parse(s + 'T00:00:00Z') + add * 86400000).toISOString().slice(0, 10);
/** First day of the 24-month window ending at END. */
const START = ((): string => {
    const e = new Date(END + 'T00:00:00Z');
    const x = new Date(Date.UTC(e.getUTCFullYear() - 2, e.getUTCMonth(), e.getUTCDate()));
    if (x.getUTCMonth() !== e.getUTCMonth()) x.setUTCDate(0);
    return day(x.toISOString().slice(0, 10), 1);
})();

type Row = Record<string, string>;
interface Data {
    raw: Record<string, string[][]>;
    t: Record<EntityName, Row[]>;
}

async function load(result: DemoResult): Promise<Data> {
    const raw: Record<string, string[][]> = {};
    const t = {} as Record<EntityName, Row[]>;
    for (const e of ENTITIES) {
        const rows = csvRecords(await readFile(result.files[e.name]!, 'utf8'));
        raw[e.name] = rows;
        const header = rows[0]!;
        t[e.name] = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
    }
    return { raw, t };
}

async function hashes(result: DemoResult): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [name, file] of Object.entries(result.files)) out[name] = createHash('sha256').update(await readFile(file)).digest('hex');
    return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const MONEY = /^-?\d+\.\d{2}$/;
const DEC = /^\d+(\.\d{1,4})?$/;
const cents = (s: string): number => Math.round(Number(s) * 100);
const tt = (s: string): number => Math.round(Number(s) * 10000);

let dir: string;
let a: DemoResult;
let d: Data;
let progressCalls = 0;

beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'realize-demo-'));
    a = await writeDemo({ outDir: join(dir, 'a'), seed: SEED, end: END, entries: SIZE, onProgress: () => progressCalls++ });
    d = await load(a);
});

afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
});

describe('demo generator', () => {
    it('is deterministic: same seed and end give identical bytes, another seed differs', async () => {
        const b = await writeDemo({ outDir: join(dir, 'b'), seed: SEED, end: END, entries: SIZE });
        const c = await writeDemo({ outDir: join(dir, 'c'), seed: SEED + 1, end: END, entries: SIZE });
        const ha = await hashes(a);
        expect(await hashes(b)).toEqual(ha);
        const hc = await hashes(c);
        expect(hc.time_entries).not.toBe(ha.time_entries);
        expect(hc.projects).not.toBe(ha.projects);
        expect(b.rows).toEqual(a.rows);
    });

    it('writes one file per entity with the canonical header and well-formed rows', () => {
        expect(Object.keys(a.files).sort()).toEqual(ENTITIES.map((e) => e.name).sort());
        for (const e of ENTITIES) {
            expect(a.files[e.name]!.endsWith(`/${e.name}.csv`)).toBe(true);
            const rows = d.raw[e.name]!;
            expect(rows[0], e.name).toEqual(e.columns.map((c) => c.name));
            expect(a.rows[e.name], e.name).toBe(rows.length - 1);
            for (const r of rows) expect(r.length, e.name).toBe(e.columns.length);
            const bad: string[] = [];
            for (const c of e.columns) {
                for (const row of d.t[e.name]) {
                    const v = row[c.name]!;
                    if (v === '') {
                        if (c.required) bad.push(`${c.name} empty`);
                        continue;
                    }
                    if (c.values && !c.values.includes(v)) bad.push(`${c.name} = ${v}`);
                    const ok =
                        c.type === 'date'
                            ? DATE.test(v)
                            : c.type === 'timestamp'
                              ? TS.test(v) && !Number.isNaN(Date.parse(v))
                              : c.type === 'money'
                                ? MONEY.test(v)
                                : c.type === 'decimal'
                                  ? DEC.test(v)
                                  : c.type === 'integer' || c.type === 'seconds'
                                    ? /^\d+$/.test(v)
                                    : c.type === 'boolean'
                                      ? v === 'true' || v === 'false'
                                      : true;
                    if (!ok) bad.push(`${c.name} = ${JSON.stringify(v)}`);
                    if (c.type !== 'text' && c.min !== undefined && !(c.minExclusive ? Number(v) > c.min : Number(v) >= c.min)) bad.push(`${c.name} = ${v} < min`);
                    if (c.type !== 'text' && c.max !== undefined && Number(v) > c.max) bad.push(`${c.name} = ${v} > max`);
                }
            }
            expect(bad.slice(0, 10), e.name).toEqual([]);
        }
        expect(d.t.settings.map((r) => r.key).sort()).toEqual(['as_of', 'firm_name', 'reporting_currency']);
        expect(d.t.settings.find((r) => r.key === 'as_of')?.value).toBe(END);
        // the target count is met closely
        expect(Math.abs(d.t.time_entries.length - SIZE) / SIZE).toBeLessThan(0.1);
        expect(progressCalls).toBeGreaterThan(10);
    });

    it('has unique keys and every reference resolves', () => {
        for (const e of ENTITIES) {
            const keys = d.t[e.name].map((r) => e.key.map((k) => r[k]).join('\u0001'));
            expect(new Set(keys).size, e.name).toBe(keys.length);
        }
        const ids = (n: EntityName, col: string): Set<string> => new Set(d.t[n].map((r) => r[col]!));
        const people = ids('people', 'person_id');
        const clients = ids('clients', 'client_id');
        const projects = ids('projects', 'project_id');
        const milestones = ids('milestones', 'milestone_id');
        const invoices = ids('invoices', 'invoice_id');
        const entries = ids('time_entries', 'entry_id');
        const lines = new Set(d.t.invoice_lines.map((r) => `${r.invoice_id}#${r.line_no}`));
        const expectIn = (set: Set<string>, v: string, what: string): void => {
            if (!set.has(v)) expect.fail(`${what}: ${v} does not resolve`);
        };
        for (const e of ENTITIES) {
            for (const c of e.columns) {
                if (!c.references) continue;
                const target = ids(c.references.entity, c.references.column);
                for (const r of d.t[e.name]) if (r[c.name] !== '') expectIn(target, r[c.name]!, `${e.name}.${c.name}`);
            }
        }
        for (const r of d.t.invoice_line_entries) expectIn(lines, `${r.invoice_id}#${r.line_no}`, 'invoice_line_entries line');
        for (const r of d.t.projects) expect(d.t.people.find((p) => p.person_id === r.manager_id)?.role).toBe('project_manager');
        for (const r of d.t.rate_cards) {
            if (r.scope === 'client') expectIn(clients, r.scope_id!, 'rate card client');
            else if (r.scope === 'project' || r.scope === 'project_role') expectIn(projects, r.scope_id!, 'rate card project');
            else if (r.scope === 'person') expectIn(people, r.scope_id!, 'rate card person');
            else expect(r.scope_id).toBe('');
            if (r.scope === 'role' || r.scope === 'project_role') expect(r.role).not.toBe('');
            else expect(r.role).toBe('');
        }
        // people work only while employed; only the marked review-flag cases fall outside a project's dates
        const person = new Map(d.t.people.map((p) => [p.person_id!, p]));
        const proj = new Map(d.t.projects.map((p) => [p.project_id!, p]));
        const bad: string[] = [];
        for (const e of d.t.time_entries) {
            const p = person.get(e.person_id!)!;
            if (e.work_date! < p.start_date! || (p.end_date !== '' && e.work_date! > p.end_date!)) bad.push(`${e.entry_id} outside employment`);
            const pr = proj.get(e.project_id!)!;
            const outside = e.work_date! < pr.start_date! || (pr.end_date !== '' && e.work_date! > pr.end_date!);
            if (outside && !/^\[flag:(before-start|after-close|future)\]/.test(e.notes!)) bad.push(`${e.entry_id} outside ${pr.project_id}`);
        }
        expect(bad.slice(0, 10)).toEqual([]);
        expect(milestones.size).toBeGreaterThan(0);
        expect(invoices.size).toBeGreaterThan(0);
        expect(entries.size).toBe(d.t.time_entries.length);
        expect([...ids('time_entries', 'entry_id')].every((x) => /^E\d{9}$/.test(x))).toBe(true);
    });

    it('bills only approved billable T&M entries, each at most once, with exact time lines', () => {
        const entry = new Map(d.t.time_entries.map((e) => [e.entry_id!, e]));
        const project = new Map(d.t.projects.map((p) => [p.project_id!, p]));
        const client = new Map(d.t.clients.map((c) => [c.client_id!, c]));
        const invoice = new Map(d.t.invoices.map((i) => [i.invoice_id!, i]));
        const seen = new Set<string>();
        const secsByLine = new Map<string, number>();
        for (const r of d.t.invoice_line_entries) {
            const e = entry.get(r.entry_id!)!;
            expect(e.status).toBe('approved');
            expect(e.billable).toBe('true');
            expect(project.get(e.project_id!)!.billing_model).toBe('time_and_materials');
            expect(seen.has(r.entry_id!), `entry ${r.entry_id} billed twice`).toBe(false);
            seen.add(r.entry_id!);
            const key = `${r.invoice_id}#${r.line_no}`;
            secsByLine.set(key, (secsByLine.get(key) ?? 0) + Number(e.duration_seconds));
            // billed on a run after approval
            expect(invoice.get(r.invoice_id!)!.issue_date! > e.approved_at!.slice(0, 10)).toBe(true);
        }
        expect(seen.size).toBeGreaterThan(100);
        const totals = new Map<string, number>();
        for (const l of d.t.invoice_lines) {
            const key = `${l.invoice_id}#${l.line_no}`;
            totals.set(l.invoice_id!, (totals.get(l.invoice_id!) ?? 0) + cents(l.amount!));
            expect(l.period_start).toMatch(DATE);
            expect(l.period_end).toMatch(DATE);
            expect(l.period_start! <= l.period_end!).toBe(true);
            if (l.kind === 'time') {
                const secs = secsByLine.get(key);
                expect(secs, `time line ${key} lists entries`).toBeGreaterThan(0);
                // hours = Σ seconds / 3600 exactly (4 decimals), amount = round(hours × rate, 2)
                expect(tt(l.hours!) * 3600).toBe(secs! * 10000);
                const exact = (tt(l.hours!) * cents(l.rate!)) / 10000;
                expect(cents(l.amount!)).toBe(Math.floor(exact + 0.5));
            } else {
                expect(secsByLine.has(key), `${l.kind} line ${key} lists entries`).toBe(false);
            }
            if (l.kind === 'milestone') expect(l.milestone_id).not.toBe('');
            else expect(l.milestone_id).toBe('');
            if (l.kind === 'overage') expect(cents(l.amount!)).toBe(Math.floor((tt(l.hours!) * cents(l.rate!)) / 10000 + 0.5));
            if (l.kind === 'adjustment') expect(cents(l.amount!)).toBeLessThan(0);
            // lines are consistent with the project's billing model and client
            const p = project.get(l.project_id!)!;
            const inv = invoice.get(l.invoice_id!)!;
            expect(p.client_id).toBe(inv.client_id);
            const model = { time: 'time_and_materials', fixed_fee: 'fixed_fee', milestone: 'milestone', retainer_fee: 'retainer', overage: 'retainer' }[l.kind as string];
            if (model) expect(p.billing_model).toBe(model);
        }
        for (const i of d.t.invoices) {
            expect(i.currency).toBe(client.get(i.client_id!)!.currency);
            expect(totals.get(i.invoice_id!)!, i.invoice_id).toBeGreaterThan(0);
            expect(i.due_date! >= i.issue_date!).toBe(true);
        }
        // credit notes within the invoice total; payments within what is owed
        const credited = new Map<string, number>();
        for (const c of d.t.credit_notes) {
            credited.set(c.invoice_id!, (credited.get(c.invoice_id!) ?? 0) + cents(c.amount!));
            expect(cents(c.amount!)).toBeLessThanOrEqual(totals.get(c.invoice_id!)!);
            expect(c.issue_date! <= END).toBe(true);
        }
        const paid = new Map<string, number>();
        for (const p of d.t.payments) {
            paid.set(p.invoice_id!, (paid.get(p.invoice_id!) ?? 0) + cents(p.amount!));
            expect(p.paid_date! <= END).toBe(true);
        }
        let overdue = 0;
        let partial = 0;
        for (const i of d.t.invoices) {
            const owed = totals.get(i.invoice_id!)! - (credited.get(i.invoice_id!) ?? 0);
            const got = paid.get(i.invoice_id!) ?? 0;
            expect(got).toBeLessThanOrEqual(owed);
            if (i.status === 'paid') expect(got).toBe(owed);
            if (i.status === 'draft' || i.status === 'void') expect(got).toBe(0);
            if (i.status === 'issued' && got === 0 && i.due_date! < END) overdue++;
            if (i.status === 'issued' && got > 0) partial++;
        }
        expect(overdue).toBeGreaterThan(0);
        expect(partial).toBeGreaterThan(0);
        expect(new Set(d.t.invoices.map((i) => i.status))).toEqual(new Set(['draft', 'issued', 'paid', 'void']));
        expect(new Set(d.t.credit_notes.map((c) => c.reason))).toEqual(new Set(['dispute', 'discount', 'error']));
        expect(new Set(d.t.invoice_lines.map((l) => l.kind))).toEqual(new Set(['time', 'fixed_fee', 'milestone', 'retainer_fee', 'overage', 'adjustment']));
        // approved-unbilled leak: recent approved billable T&M entries not on any invoice
        const unbilled = d.t.time_entries.filter(
            (e) => e.status === 'approved' && e.billable === 'true' && project.get(e.project_id!)!.billing_model === 'time_and_materials' && !seen.has(e.entry_id!),
        );
        expect(unbilled.length).toBeGreaterThan(0);
    });

    it('contains every review-flag case of PRODUCT.md', () => {
        const E = d.t.time_entries;
        const project = new Map(d.t.projects.map((p) => [p.project_id!, p]));
        const role = new Map(d.t.people.map((p) => [p.person_id!, p.role!]));
        const count = (pred: (e: Row) => boolean): number => E.filter(pred).length;
        // > 12 h in a day
        const perDay = new Map<string, number>();
        for (const e of E) perDay.set(`${e.person_id}|${e.work_date}`, (perDay.get(`${e.person_id}|${e.work_date}`) ?? 0) + Number(e.duration_seconds));
        expect([...perDay.values()].filter((s) => s > 12 * 3600).length).toBeGreaterThan(0);
        expect(Math.max(...perDay.values())).toBeLessThanOrEqual(24 * 3600);
        // in the future
        expect(count((e) => e.work_date! > END)).toBeGreaterThan(0);
        // on closed projects / outside the project's dates
        expect(count((e) => project.get(e.project_id!)!.status === 'closed' && e.work_date! > project.get(e.project_id!)!.end_date!)).toBeGreaterThan(0);
        expect(count((e) => e.work_date! < project.get(e.project_id!)!.start_date!)).toBeGreaterThan(0);
        // billable admin; billable on a non_billable project
        expect(count((e) => e.billable === 'true' && e.activity === 'admin')).toBeGreaterThan(0);
        expect(count((e) => e.billable === 'true' && project.get(e.project_id!)!.billing_model === 'non_billable')).toBeGreaterThan(0);
        expect(count((e) => e.billable === 'false' && e.activity === 'meeting' && project.get(e.project_id!)!.billing_model !== 'non_billable')).toBeGreaterThan(0);
        expect(count((e) => project.get(e.project_id!)!.billing_model === 'non_billable' && e.billable === 'true')).toBeLessThan(count((e) => project.get(e.project_id!)!.billing_model === 'non_billable') / 100);
        // phase / role not in the plan
        const plan = new Set(d.t.plan_lines.filter((l) => l.baseline === 'true').map((l) => `${l.project_id}|${l.phase}|${l.role}`));
        const planPhase = new Set(d.t.plan_lines.filter((l) => l.baseline === 'true').map((l) => `${l.project_id}|${l.phase}`));
        const client = (e: Row): boolean => project.get(e.project_id!)!.billing_model !== 'non_billable';
        const unplannedPhase = count((e) => client(e) && !planPhase.has(`${e.project_id}|${e.phase}`));
        const unplannedRole = count((e) => client(e) && planPhase.has(`${e.project_id}|${e.phase}`) && !plan.has(`${e.project_id}|${e.phase}|${role.get(e.person_id!)}`));
        expect(unplannedPhase).toBeGreaterThan(0);
        expect(unplannedRole).toBeGreaterThan(0);
        expect(unplannedPhase + unplannedRole).toBeLessThan(count(client) * 0.05);
        // phase burn > 100%
        const est = new Map<string, number>();
        for (const l of d.t.plan_lines) if (l.baseline === 'true') est.set(`${l.project_id}|${l.phase}`, (est.get(`${l.project_id}|${l.phase}`) ?? 0) + Number(l.estimated_hours) * 3600);
        const act = new Map<string, number>();
        for (const e of E) act.set(`${e.project_id}|${e.phase}`, (act.get(`${e.project_id}|${e.phase}`) ?? 0) + Number(e.duration_seconds));
        expect([...est].filter(([k, v]) => (act.get(k) ?? 0) > v).length).toBeGreaterThan(0);
        // duplicates
        const dup = new Map<string, number>();
        for (const e of E) {
            const k = [e.person_id, e.project_id, e.work_date, e.duration_seconds, e.notes].join('|');
            dup.set(k, (dup.get(k) ?? 0) + 1);
        }
        expect([...dup.values()].some((n) => n > 1)).toBe(true);
        // overlapping timer intervals; every timer interval matches its duration
        const timers = E.filter((e) => e.started_at !== '');
        expect(timers.length).toBeGreaterThan(0);
        for (const e of timers) {
            expect(e.source).toBe('timer');
            expect((Date.parse(e.ended_at!) - Date.parse(e.started_at!)) / 1000).toBe(Number(e.duration_seconds));
        }
        const byPerson = new Map<string, Row[]>();
        for (const e of timers) byPerson.set(e.person_id!, [...(byPerson.get(e.person_id!) ?? []), e]);
        let overlaps = 0;
        for (const list of byPerson.values()) {
            list.sort((x, y) => Date.parse(x.started_at!) - Date.parse(y.started_at!));
            for (let i = 1; i < list.length; i++) if (Date.parse(list[i]!.started_at!) < Date.parse(list[i - 1]!.ended_at!)) overlaps++;
        }
        expect(overlaps).toBeGreaterThan(0);
        // zero duration; weekends
        expect(count((e) => e.duration_seconds === '0')).toBeGreaterThan(0);
        expect(count((e) => [0, 6].includes(new Date(e.work_date + 'T00:00:00Z').getUTCDay()))).toBeGreaterThan(0);
        // markers for each injected kind
        const kinds = new Set(E.filter((e) => e.notes!.startsWith('[flag:')).map((e) => e.notes!.slice(6, e.notes!.indexOf(']'))));
        for (const k of ['over12h', 'future', 'before-start', 'after-close', 'billable-admin', 'billable-internal', 'unplanned-phase', 'unplanned-role', 'duplicate', 'overlap', 'zero', 'weekend']) {
            expect(kinds.has(k), k).toBe(true);
        }
    });

    it('covers the firm: models, types, roles, people changes, rates, contracts, logging behaviour', () => {
        const models = new Set(d.t.projects.map((p) => p.billing_model));
        expect(models).toEqual(new Set(['time_and_materials', 'fixed_fee', 'retainer', 'milestone', 'non_billable']));
        expect(new Set(d.t.projects.filter((p) => p.billing_model !== 'non_billable').map((p) => p.project_type)).size).toBeGreaterThanOrEqual(5);
        expect(new Set(d.t.people.map((p) => p.role)).size).toBeGreaterThanOrEqual(8);
        expect(new Set(d.t.projects.map((p) => p.status))).toEqual(new Set(['active', 'closed']));
        for (const p of d.t.projects) {
            if (p.status === 'closed') expect(p.end_date! < END).toBe(true);
            if (p.billing_model === 'fixed_fee' || p.billing_model === 'milestone') {
                expect(p.budget_hours).not.toBe('');
                expect(p.contract_value).not.toBe('');
            }
            if (p.billing_model === 'retainer') expect(d.t.retainer_terms.some((t) => t.project_id === p.project_id)).toBe(true);
            if (p.billing_model !== 'non_billable') expect(d.t.plan_lines.some((l) => l.project_id === p.project_id && l.baseline === 'true')).toBe(true);
        }
        const start = START;
        expect(d.t.people.some((p) => p.start_date! >= start)).toBe(true);
        expect(d.t.people.some((p) => p.end_date !== '' && p.end_date! <= END)).toBe(true);
        const changes = (rows: Row[]): number => {
            const n = new Map<string, number>();
            for (const r of rows) n.set(r.person_id!, (n.get(r.person_id!) ?? 0) + 1);
            return [...n.values()].filter((x) => x > 1).length;
        };
        expect(changes(d.t.person_capacity)).toBeGreaterThan(0);
        expect(changes(d.t.cost_rates)).toBeGreaterThan(0);
        expect(new Set(d.t.person_capacity.map((c) => c.weekly_hours)).size).toBeGreaterThan(1);
        expect(d.t.cost_rates.filter((c) => c.currency === 'EUR').length).toBeGreaterThan(d.t.cost_rates.length * 0.8);
        expect(new Set(d.t.rate_cards.map((r) => r.scope))).toEqual(new Set(['firm', 'client', 'project', 'role', 'person', 'project_role']));
        expect(d.t.rate_cards.some((r) => r.effective_to !== '')).toBe(true);
        const roleCards = d.t.rate_cards.filter((r) => r.scope === 'role');
        expect(new Set(roleCards.map((r) => r.role))).toEqual(new Set(d.t.people.map((p) => p.role)));
        expect(new Set(roleCards.map((r) => r.effective_from)).size).toBeGreaterThan(1);
        // retainer terms change at least once; rollover 0..3
        const terms = new Map<string, number>();
        for (const t of d.t.retainer_terms) {
            terms.set(t.project_id!, (terms.get(t.project_id!) ?? 0) + 1);
            expect(Number(t.rollover_months)).toBeLessThanOrEqual(3);
        }
        expect([...terms.values()].some((n) => n > 1)).toBe(true);
        expect(d.t.milestones.some((m) => m.signed_off_date !== '')).toBe(true);
        expect(d.t.milestones.some((m) => m.signed_off_date === '')).toBe(true);
        // fx: every non-reporting currency covers the whole window
        const currencies = new Set([...d.t.clients.map((c) => c.currency), ...d.t.cost_rates.map((c) => c.currency)]);
        expect(currencies.size).toBeGreaterThan(1);
        for (const cur of currencies) {
            const dates = d.t.fx_rates.filter((r) => r.currency === cur).map((r) => r.date!);
            expect(dates.length, cur).toBeGreaterThan(700);
            expect(dates[0]! <= start, cur).toBe(true);
            expect(dates[dates.length - 1], cur).toBe(END);
        }
        // entries: span, statuses, sources, approvals after logging, same-day / batch / late logging
        const E = d.t.time_entries;
        const dates = E.map((e) => e.work_date!).sort();
        expect(dates[0]! >= start && dates[0]! < day(start, 7)).toBe(true);
        expect(new Set(E.map((e) => e.status))).toEqual(new Set(['draft', 'submitted', 'approved', 'rejected']));
        for (const s of ['timer', 'week_grid', 'import']) expect(E.some((e) => e.source === s)).toBe(true);
        const bad: string[] = [];
        for (const e of E) {
            const logged = Date.parse(e.logged_at!);
            if (e.status === 'approved') {
                if (e.approved_by === '' || e.approved_by === e.person_id || !(Date.parse(e.approved_at!) > logged)) bad.push(`approval of ${e.entry_id}`);
            } else if (e.approved_by !== '' || e.approved_at !== '') bad.push(`approval fields on ${e.status} ${e.entry_id}`);
            if (e.logged_at!.slice(0, 10) > END) bad.push(`${e.entry_id} logged after the end`);
            if (logged < Date.parse(e.work_date + 'T00:00:00+02:00') && e.work_date! <= END) bad.push(`${e.entry_id} logged before its day`);
        }
        expect(bad.slice(0, 10)).toEqual([]);
        const lagDays = E.map((e) => (Date.parse(e.logged_at!) - Date.parse(e.work_date + 'T23:59:59+01:00')) / 86400000);
        expect(lagDays.filter((x) => x <= 1).length).toBeGreaterThan(E.length / 2);
        expect(lagDays.filter((x) => x > 7).length).toBeGreaterThan(0);
        // Friday batches: Monday–Thursday work logged on that week's Friday
        const dayMs = 86400000;
        const friday = E.filter((e) => {
            const w = new Date(e.work_date + 'T00:00:00Z');
            const wd = (w.getUTCDay() + 6) % 7;
            return wd < 4 && e.logged_at!.slice(0, 10) === new Date(w.getTime() + (4 - wd) * dayMs).toISOString().slice(0, 10);
        });
        expect(friday.length).toBeGreaterThan(E.length / 50);
        // missing days: employed weekdays without any entry
        const worked = new Set(E.map((e) => `${e.person_id}|${e.work_date}`));
        let missing = 0;
        for (const p of d.t.people) {
            const from = p.start_date! > start ? p.start_date! : start;
            const to = p.end_date !== '' && p.end_date! < day(END, -60) ? p.end_date! : day(END, -60);
            for (let x = from; x <= to; x = day(x, 1)) {
                const wd = new Date(x + 'T00:00:00Z').getUTCDay();
                if (wd !== 0 && wd !== 6 && !worked.has(`${p.person_id}|${x}`)) missing++;
            }
        }
        expect(missing).toBeGreaterThan(0);
        const recent = E.filter((e) => e.work_date! > day(END, -7) && e.work_date! <= END);
        expect(recent.filter((e) => e.status !== 'approved').length).toBeGreaterThan(recent.length * 0.3);
    });

    it('defaults the end to the last day of the previous month', () => {
        expect(defaultDemoEnd(new Date(Date.UTC(2025, 2, 15)))).toBe('2025-02-28');
        expect(defaultDemoEnd(new Date(Date.UTC(2025, 0, 1)))).toBe('2024-12-31');
        expect(defaultDemoEnd(new Date(Date.UTC(2024, 2, 31, 23)))).toBe('2024-02-29');
    });
});
