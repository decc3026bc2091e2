import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeServerNote } from '../../bin/commands/server-file.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { realize, realizeBeside } from '../helpers/cli.ts';
import { tempDir, TINY, tinyWith } from '../helpers/fixtures.ts';

describe('the realize command line', () => {
    it('ingest --json prints the report and exits 1 when a row is rejected, 0 when loaded', async () => {
        const db = path.join(tempDir(), 'r.duckdb');
        const bad = tinyWith({ 'clients.csv': 'client_id,name,currency\nC1,Acme,EUR\nC2,Globex,usd\n' });
        const rejected = realize('ingest', bad, '--db', db, '--json', '--no-models');
        expect(rejected.code).toBe(1);
        const report = JSON.parse(rejected.stdout);
        expect(report.rejects).toEqual([
            { file: path.join(bad, 'clients.csv'), line: 3, column: 'currency', value: 'usd', reason: 'not a 3-letter ISO currency code (e.g. EUR)' },
        ]);
        const loaded = realize('ingest', TINY, '--db', db, '--json', '--no-models');
        expect(loaded.code).toBe(0);
        expect(JSON.parse(loaded.stdout).status).toBe('loaded');
    });

    it('exits 2 with one line on usage errors', () => {
        const missing = realize('ingest', '/nonexistent/folder');
        expect(missing.code).toBe(2);
        expect(missing.stderr.trim()).toBe('realize ingest: /nonexistent/folder: no such file or folder');
        const unknown = realize('frobnicate');
        expect(unknown.code).toBe(2);
        const entity = realize('ingest', path.join(TINY, 'people.csv'), '--entity', 'persons');
        expect(entity.code).toBe(2);
        expect(entity.stderr).toContain('unknown entity "persons"');
    });

    it('says in one line which process holds the database, and exits 3', async () => {
        const db = path.join(tempDir(), 'locked.duckdb');
        const holder = await Warehouse.open(db);
        try {
            const run = realize('ingest', TINY, '--db', db);
            expect(run.code).toBe(3);
            const lines = run.stderr.trim().split('\n');
            expect(lines).toHaveLength(1);
            expect(lines[0]).toContain(`${db} is in use by process ${process.pid}`);
            expect(lines[0]).toContain('Stop that process');
        } finally {
            holder.close();
        }
    });

    it('hands files to the server that holds the database, and prints its refusal in one line, exit 1', async () => {
        const db = path.join(tempDir(), 'served.duckdb');
        const holder = await Warehouse.open(db);
        // A server that refuses every upload as too large, as a realize server does past its upload limit.
        const server = http.createServer((req, res) => {
            req.resume();
            req.on('end', () => {
                res.writeHead(413, { 'content-type': 'application/problem+json' });
                res.end(JSON.stringify({ title: 'Upload too large', status: 413, detail: "this upload is over the server's limit of 1 KiB" }));
            });
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const removeNote = writeServerNote(db, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        try {
            const run = await realizeBeside('ingest', TINY, '--db', db);
            expect(run.code).toBe(1);
            const lines = run.stderr.trim().split('\n');
            expect(lines.at(-1)).toMatch(/^realize ingest: the server at http:\/\/127\.0\.0\.1:\d+ refused the upload \(413\): this upload is over the server's limit of 1 KiB$/);
            expect(run.stderr).not.toMatch(/\n\s+at /);
        } finally {
            removeNote();
            server.close();
            holder.close();
        }
    });
});
