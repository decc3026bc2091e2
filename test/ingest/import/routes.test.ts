/**
 * The imports API on the finance-funnel fixture in local mode: upload (preview), dry run, import, the marts
 * refreshed; the one-request import the CLI uses while a server holds the database; refusals naming their
 * parameter. Figures worked out by hand from test/fixtures/import-edge/toggl-may-b.csv: Ada's 1 h twice and
 * Grace's 15 min = 3 entries, 8,100 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedFixture, type ServedFixture } from '../../helpers/server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/import-edge');
const BOUNDARY = '----realize-import-boundary';

function multipart(files: { name: string; content: string | Buffer }[]): Buffer {
    const chunks: Buffer[] = [];
    for (const f of files) {
        chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: text/csv\r\n\r\n`));
        chunks.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return Buffer.concat(chunks);
}

let served: ServedFixture;
beforeAll(async () => {
    served = await servedFixture('test/fixtures/finance-funnel');
});
afterAll(async () => served.close());

const post = (url: string, files?: { name: string; content: string | Buffer }[]) =>
    served.app.inject({ method: 'POST', url, headers: files ? { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } : {}, payload: files ? multipart(files) : undefined });

const entries = async () => (await served.warehouse.one<{ n: number; s: number }>(`select count(*)::integer as n, coalesce(sum(duration_seconds), 0)::integer as s from canonical.time_entries where source = 'toggl'`))!;

describe('upload, preview, dry run, import', () => {
    it('shows the tool, the first rows and the columns read, then imports exactly what the dry run said', async () => {
        const content = fs.readFileSync(path.join(FIXTURES, 'toggl-may-b.csv'));
        const uploaded = await post('/api/imports/uploads', [{ name: 'may.csv', content }]);
        expect(uploaded.statusCode).toBe(200);
        const { upload_id, files } = uploaded.json();
        expect(files[0]).toMatchObject({ file: 'may.csv', tool: 'toggl', format: 'csv', delimiter: ',' });
        expect(files[0].rows).toHaveLength(3);
        expect(files[0].mapping).toContainEqual({ field: 'duration', column: 'Duration' });

        const dry = await post(`/api/imports/uploads/${upload_id}/run?dry_run=true`);
        expect(dry.statusCode).toBe(200);
        expect(dry.json()).toMatchObject({ status: 'dry_run', created: 3, seconds_imported: 8_100, build: null });
        expect(await entries()).toEqual({ n: 0, s: 0 });

        const done = await post(`/api/imports/uploads/${upload_id}/run`);
        expect(done.json()).toMatchObject({ status: 'imported', created: 3, seconds_imported: 8_100, build: { ok: true } });
        expect(await entries()).toEqual({ n: 3, s: 8_100 });
        // The upload is gone once imported.
        expect((await post(`/api/imports/uploads/${upload_id}/run`)).statusCode).toBe(404);
        const runs = await served.app.inject({ method: 'GET', url: '/api/imports' });
        expect(runs.json().runs[0]).toMatchObject({ tool: 'toggl', rows_imported: 3, seconds_imported: 8_100 });
    });

    it('imports in one request, as the CLI does, and again changes nothing', async () => {
        const content = fs.readFileSync(path.join(FIXTURES, 'toggl-may-a.csv'));
        const again = await post('/api/imports?tool=toggl', [{ name: 'may-a.csv', content }]);
        // Both of its entries came with may-b.csv above.
        expect(again.json()).toMatchObject({ status: 'unchanged', unchanged: 2, imported: 0 });
    });

    it('shows a projects list as such in the preview, with the columns it reads', async () => {
        const content = fs.readFileSync(path.join(FIXTURES, 'harvest-projects-later.csv'));
        const uploaded = await post('/api/imports/uploads', [{ name: 'projects.csv', content }]);
        expect(uploaded.statusCode).toBe(200);
        const { upload_id, files } = uploaded.json();
        expect(files[0]).toMatchObject({ file: 'projects.csv', tool: 'harvest', kind: 'projects' });
        expect(files[0].mapping).toContainEqual({ field: 'budget', column: 'Budget' });
        expect(files[0].mapping).toContainEqual({ field: 'budgetBy', column: 'Budget By' });
        // Two projects of a new client, Acme GmbH.
        const dry = await post(`/api/imports/uploads/${upload_id}/run?dry_run=true&tool=harvest`);
        expect(dry.json()).toMatchObject({ status: 'dry_run', files: [{ kind: 'projects' }], created: 2 });
        expect(dry.json().created_entities.map((e: { kind: string }) => e.kind)).toEqual(['client', 'project', 'project']);
    });

    it('refuses naming the parameter: dates that cannot tell their order, a bad mapping, no file', async () => {
        const ambiguous = await post('/api/imports?tool=clockify', [{ name: 'c.csv', content: fs.readFileSync(path.join(FIXTURES, 'clockify-ambiguous.csv')) }]);
        expect(ambiguous.statusCode).toBe(400);
        expect(ambiguous.json()).toMatchObject({ parameter: 'date_order' });
        const map = await post('/api/imports?map=nobody', [{ name: 'c.csv', content: 'a,b\n1,2\n' }]);
        expect(map.statusCode).toBe(400);
        expect(map.json()).toMatchObject({ parameter: 'map' });
        const none = await post('/api/imports/uploads');
        expect(none.statusCode).toBe(415);
    });
});
