/**
 * The canonical loader's tests' setup: an in-memory warehouse for each test, loading files into it, counting a
 * table, and a load of the tiny firm with one file replaced that must be refused row by row with nothing loaded;
 * and time entries written as CSV lines.
 */
import path from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { ingestFiles, type RejectedRow } from '../../ingest/canonical.ts';
import { ENTITIES } from '../../ingest/entities.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tinyWith } from './fixtures.ts';

/** A fresh in-memory warehouse for each test of the calling file (opened before it, closed after). */
export function canonicalWarehouse() {
    let warehouse: Warehouse | null = null;
    beforeEach(async () => {
        warehouse = await Warehouse.open(':memory:');
    });
    afterEach(() => warehouse?.close());
    const db = {
        get warehouse(): Warehouse {
            if (!warehouse) throw new Error('the warehouse opens before each test');
            return warehouse;
        },
        load: async (...paths: string[]) => ingestFiles(db.warehouse, resolveInputs(paths).files),
        count: async (table: string) => (await db.warehouse.one<{ n: number }>(`select count(*)::integer as n from ${table}`))!.n,
        /** Loads the tiny firm with one file replaced, expecting exactly these report rows and nothing loaded. */
        async expectRejected(file: string, text: string, expected: Omit<RejectedRow, 'file'>[], extra: Record<string, string | null> = {}) {
            const dir = tinyWith({ [file]: text, ...extra });
            const report = await ingestFiles(db.warehouse, resolveInputs([dir]).files);
            expect(report.ok).toBe(false);
            expect(report.status).toBe('rejected');
            const shown = path.join(dir, file);
            expect(report.rejects).toEqual(expected.map((r) => ({ file: shown, ...r })));
            for (const e of ENTITIES) expect(await db.count(`canonical.${e.name}`), `${e.name} after a rejected batch`).toBe(0);
            const f = report.files.find((x) => x.file === shown)!;
            expect(f.status).toBe('rejected');
            expect(f.rejected).toBe(new Set(expected.map((r) => r.line)).size);
            return report;
        },
    };
    return db;
}

export const TE_HEAD = 'entry_id,person_id,project_id,phase,task,activity,work_date,duration_seconds,billable,notes,source,logged_at,status,approved_by,approved_at,started_at,ended_at\n';

/** A time entry of the tiny firm as a CSV line under TE_HEAD: P1's hour of development on PRJ1, with `over` changed. */
export function te(id: string, over: Partial<Record<string, string>> = {}): string {
    const base: Record<string, string> = {
        entry_id: id,
        person_id: 'P1',
        project_id: 'PRJ1',
        phase: 'build',
        task: '',
        activity: 'development',
        work_date: '2024-01-02',
        duration_seconds: '3600',
        billable: 'true',
        notes: '',
        source: 'timer',
        logged_at: '2024-01-02T18:00:00+00:00',
        status: 'submitted',
        approved_by: '',
        approved_at: '',
        started_at: '',
        ended_at: '',
        ...over,
    };
    return TE_HEAD.trim().split(',').map((c) => base[c]).join(',') + '\n';
}

/** No invoice line entries: the tiny firm's links would name entries a test replaces. */
export const noLinks = { 'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n' };
