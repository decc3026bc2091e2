/**
 * Approved and invoiced entries are frozen for uploads too: a file that would change one is refused whole
 * (409 naming the entries), an identical re-upload stays unchanged, and a draft in the same file may change.
 * In the capture firm H1 is approved and H2 approved and invoiced (I1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServedFirm } from '../../helpers/server.ts';
import { CAPTURE_FIRM, servedCaptureFirm } from '../../helpers/capture.ts';

const BOUNDARY = 'capture-freeze-boundary';
const ENTRIES = fs.readFileSync(path.join(CAPTURE_FIRM, 'time_entries.csv'), 'utf8');

let firm: ServedFirm;
beforeAll(async () => {
    firm = await servedCaptureFirm('freeze');
});
afterAll(() => firm?.close());

const upload = (content: string) =>
    firm.local.inject({
        method: 'POST',
        url: '/api/ingest',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="time_entries.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${BOUNDARY}--\r\n`),
    });

const durationOf = async (id: string) => (await firm.warehouse.one<{ d: number }>(`select duration_seconds as d from canonical.time_entries where entry_id = $1`, [id]))!.d;

describe('uploads and frozen entries', () => {
    it('an identical re-upload is unchanged', async () => {
        const res = await upload(ENTRIES);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().files[0]).toMatchObject({ status: 'unchanged', unchanged: 4 });
    });

    it('refuses a file that changes an approved or an invoiced entry, whole, naming them', async () => {
        const draft = 'H9,P1,T1,build,,development,2026-11-20,1800,true,,form,2026-11-20T18:00:00+00:00,draft,,,,';
        const changed = ENTRIES.replace('H1,P1,T1,build,,development,2026-11-02,3600', 'H1,P1,T1,build,,development,2026-11-02,7200')
            .replace('H2,P1,T1,build,,development,2026-11-03,3600', 'H2,P1,T1,build,,development,2026-11-03,5400')
            .trimEnd()
            .concat(`\n${draft}\n`);
        const res = await upload(changed);
        expect(res.statusCode, res.body).toBe(409);
        expect(res.json().entry_ids).toEqual(['H1', 'H2']);
        expect(res.json().detail).toMatch(/frozen/);
        expect(await durationOf('H1')).toBe(3600);
        expect(await durationOf('H2')).toBe(3600);
        expect(await firm.warehouse.one(`select 1 from canonical.time_entries where entry_id = 'H9'`)).toBeUndefined();
    });
});
