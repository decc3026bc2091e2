/**
 * The audit writer (capture/audit.ts) and the writers that record through it: an event commits with its write
 * or not at all; an upload, a rebuild and a quote change each leave their event with who, from where, and the
 * values before and after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, recordAudits } from '../../capture/audit.ts';
import { linkQuote, saveQuote, type QuoteAnswer, type QuoteInput } from '../../server/api/quotes.ts';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';
import { TINY } from '../helpers/fixtures.ts';

interface EventRow {
    event_id: number;
    actor: string;
    actor_role: string | null;
    person_id: string | null;
    address: string | null;
    action: string;
    entity: string;
    entity_id: string | null;
    before: string | null;
    after: string | null;
    reason: string | null;
    detail: string | null;
}

let served: ServedFixture;
beforeAll(async () => {
    served = await servedFixture(TINY);
});
afterAll(async () => served?.close());

const events = (where = 'true', params: string[] = []) =>
    served.warehouse.all<EventRow>(`select event_id::integer as event_id, * exclude (event_id, occurred_at) from audit.events where ${where} order by event_id`, params);

describe('recordAudit', () => {
    it('appends an event with who, from where, and the values as JSON, stamped with the time it happened', async () => {
        const started = Date.now();
        await served.warehouse.transaction(() =>
            recordAudit(served.warehouse, {
                actor: 'finance:F1',
                role: 'finance',
                person_id: 'F1',
                address: '10.0.0.7',
                action: 'update',
                entity: 'rate_card',
                entity_id: 'firm',
                before: { hourly_rate: 100, big: 12n },
                after: { hourly_rate: 110 },
                reason: 'yearly increase',
            }),
        );
        const [row] = await events(`entity = 'rate_card'`);
        expect(row).toMatchObject({ actor: 'finance:F1', actor_role: 'finance', person_id: 'F1', address: '10.0.0.7', action: 'update', entity_id: 'firm', reason: 'yearly increase', detail: null });
        expect(JSON.parse(row!.before!)).toEqual({ hourly_rate: 100, big: 12 });
        expect(JSON.parse(row!.after!)).toEqual({ hourly_rate: 110 });
        const at = await served.warehouse.one<{ at: string }>(`select occurred_at::varchar as at from audit.events where entity = 'rate_card'`);
        expect(Date.parse(at!.at) + 1000).toBeGreaterThanOrEqual(started);
    });

    it('is rolled back with the write it records', async () => {
        const failing = served.warehouse.transaction(async () => {
            await recordAudit(served.warehouse, { actor: 'local', action: 'delete', entity: 'doomed' });
            throw new Error('the write failed');
        });
        await expect(failing).rejects.toThrow('the write failed');
        expect(await events(`entity = 'doomed'`)).toEqual([]);
    });

    it('appends many events in one call, past one statement’s 500, in order', async () => {
        // 1 203 events: chunks of 500, 500 and 203.
        const many = Array.from({ length: 1203 }, (_, i) => ({ actor: 'local', action: 'approve', entity: 'bulk', entity_id: `E${i}` }));
        await served.warehouse.transaction(() => recordAudits(served.warehouse, many));
        const rows = await events(`entity = 'bulk'`);
        expect(rows.map((r) => r.entity_id)).toEqual(many.map((m) => m.entity_id));
    });
});

describe('the writers record their changes', () => {
    it('POST /api/models/build: a rebuild, with its outcome', async () => {
        const res = await served.app.inject({ method: 'POST', url: '/api/models/build', remoteAddress: '127.0.0.9' });
        expect(res.statusCode).toBe(200);
        const [row] = await events(`action = 'rebuild'`);
        expect(row).toMatchObject({ actor: 'local', actor_role: 'leadership', address: '127.0.0.9', entity: 'models' });
        expect(row!.detail).toMatch(/^\d+ models built in \d+ ms$/);
    });

    it('POST /api/ingest: one event per file, naming its batch and what it loaded; a refused upload says so', async () => {
        const people = fs.readFileSync(path.join(TINY, 'people.csv'), 'utf8').trimEnd();
        const extra = `${people}\nP9,Pat Ninth,p9@tiny.example,developer,Engineering,2024-01-01,\n`;
        const upload = (text: string) => {
            const b = 'audit-boundary';
            const body = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n--${b}--\r\n`;
            return served.app.inject({ method: 'POST', url: '/api/ingest', headers: { 'content-type': `multipart/form-data; boundary=${b}` }, payload: body });
        };
        const loaded = await upload(extra);
        expect(loaded.statusCode).toBe(200);
        const batch = loaded.json().files[0].batch_id as number;
        const [row] = await events(`action = 'upload'`);
        expect(row).toMatchObject({ actor: 'local', entity: 'people', entity_id: String(batch), detail: 'people.csv: loaded' });
        // The tiny firm's people plus one: one row inserted, the others unchanged.
        expect(JSON.parse(row!.after!)).toMatchObject({ file: 'people.csv', status: 'loaded', inserted: 1 });

        // A person without a name breaks a rule: nothing loads, and the record says so.
        const refused = await upload(`${people}\nP10,,p10@tiny.example,developer,Engineering,2024-01-01,\n`);
        expect(refused.json().status).toBe('rejected');
        const rows = await events(`action = 'upload'`);
        expect(rows).toHaveLength(2);
        expect(rows[1]).toMatchObject({ entity: 'people', entity_id: null });
        expect(rows[1]!.detail).toMatch(/^refused: 1 of \d+ rows broke a rule, nothing was loaded$/);
    });

    it('a saved quote and a change of its project, with the project before and after', async () => {
        const generation = served.warehouse.generation;
        const who = { actor: 'sales:S1', role: 'sales', person_id: 'S1', address: '10.1.1.1' };
        const input = { project_type: 'web_app', billing_model: 'fixed_fee', target_margin: 0.3, confidence: 0.8, plan: [] } as unknown as QuoteInput;
        const answer = { as_of: '2024-06-30', currency: 'EUR', price: { price: 1000 } } as unknown as QuoteAnswer;
        const saved = await saveQuote(served.warehouse, input, answer, who);
        await linkQuote(served.warehouse, saved.quote_id, 'PRJ-1', who);
        const rows = await events(`entity = 'quote'`);
        expect(rows.map((r) => [r.action, r.actor, r.entity_id])).toEqual([
            ['create', 'sales:S1', String(saved.quote_id)],
            ['update', 'sales:S1', String(saved.quote_id)],
        ]);
        expect(JSON.parse(rows[1]!.before!)).toEqual({ project_id: null });
        expect(JSON.parse(rows[1]!.after!)).toEqual({ project_id: 'PRJ-1' });
        // Quotes are not model inputs: saving one leaves the cached answers standing.
        expect(served.warehouse.generation).toBe(generation);
        // A quote that does not exist changes nothing and records nothing.
        expect(await linkQuote(served.warehouse, 987654, 'PRJ-1', who)).toBeNull();
        expect(await events(`entity = 'quote'`)).toHaveLength(2);
    });
});
