import { afterEach, describe, expect, it, vi } from 'vitest';
import { forget, getJson, invalidate } from '../../web/lib/api/client.ts';

describe('the API client’s answers', () => {
    afterEach(() => {
        vi.unstubAllGlobals();
        invalidate();
    });

    it('asks once per URL, and again for one URL forgotten (the Data page’s batches after a rejected load)', async () => {
        let served = 0;
        vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ n: ++served }), { status: 200, headers: { 'content-type': 'application/json' } }));
        expect(await getJson('batches', { limit: 500 })).toEqual({ n: 1 });
        expect(await getJson('batches', { limit: 500 })).toEqual({ n: 1 });
        expect(await getJson('health')).toEqual({ n: 2 });
        forget('batches', { limit: 500 });
        expect(await getJson('batches', { limit: 500 })).toEqual({ n: 3 });
        expect(await getJson('health')).toEqual({ n: 2 });
    });
});
