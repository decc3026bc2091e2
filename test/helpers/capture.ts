/** The hand-made firm the capture and review tests log time in (test/fixtures/capture-firm), served with a token per role. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { fixtureFiles } from './fixtures.ts';
import { servedFirm, type ServedFirm } from './server.ts';

export const CAPTURE_FIRM = 'test/fixtures/capture-firm';

export const TOKENS = {
    ada: { token: 'tok-ada-engineer-0001', person_id: 'P1', role: 'engineer' },
    grace: { token: 'tok-grace-manager-0002', person_id: 'P2', role: 'project_manager' },
    linus: { token: 'tok-linus-engineer-0003', person_id: 'P3', role: 'engineer' },
    barbara: { token: 'tok-barbara-manager-04', person_id: 'P4', role: 'project_manager' },
    edsger: { token: 'tok-edsger-leader-0005', person_id: 'P5', role: 'leadership' },
    alan: { token: 'tok-alan-admin-000006', person_id: 'A1', role: 'admin' },
    finance: { token: 'tok-finance-noperson-7', person_id: null, role: 'finance' },
} as const;

export type Who = keyof typeof TOKENS;

export async function servedCaptureFirm(name: string): Promise<ServedFirm> {
    return servedFirm(name, fixtureFiles(CAPTURE_FIRM), Object.values(TOKENS));
}

export interface Answer {
    status: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: any;
}

/** A request as `who` (a token), or in local mode when who is 'local'. */
export function client(firm: ServedFirm) {
    return async (who: Who | 'local', method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<Answer> => {
        const app: FastifyInstance = who === 'local' ? firm.local : firm.app;
        const headers = who === 'local' ? {} : { authorization: `Bearer ${TOKENS[who].token}` };
        const res = await app.inject({ method, url: `/api/${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
        return { status: res.statusCode, body: res.headers['content-type']?.includes('json') ? res.json() : res.body };
    };
}

/**
 * Until the marts include every write made so far: a write is answered once committed, and only its writer's
 * own reads wait for the refresh that follows; a test reading as someone else waits here first.
 */
export async function martsInclude(firm: ServedFirm): Promise<void> {
    await firm.app.refreshModels();
}

/** The capture firm served for the tests of one file (built before them, closed after), and a client of it. */
export function useCaptureFirm(name: string): { readonly firm: ServedFirm; readonly api: ReturnType<typeof client> } {
    let firm: ServedFirm | undefined;
    let api: ReturnType<typeof client> | undefined;
    beforeAll(async () => {
        firm = await servedCaptureFirm(name);
        api = client(firm);
    });
    afterAll(() => firm?.close());
    return {
        get firm() {
            if (!firm) throw new Error('the capture firm is served from beforeAll on');
            return firm;
        },
        get api() {
            if (!api) throw new Error('the capture firm is served from beforeAll on');
            return api;
        },
    };
}
