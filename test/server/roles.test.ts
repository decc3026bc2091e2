/**
 * Who may use what is stated once (server/roles.ts): every route serves one of its groups, every page is
 * offered only to roles that every route it reads serves, and GET /api/me answers each caller the pages
 * that are theirs — so the dashboard never offers a page the API refuses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILLS } from '../../server/api/drill.ts';
import { METRICS } from '../../server/api/catalog.ts';
import { buildApp } from '../../server/app.ts';
import { homeFor, mayOpen, PAGES, pagesFor, ROLE_GROUPS, ROLES, type Role } from '../../server/roles.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { routeRoles } from '../helpers/routes.ts';

let dir: string;
let warehouse: Warehouse;
let roles: Map<string, readonly Role[] | null>;
let tokens: FastifyInstance;

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));
const groupOf = (list: readonly Role[]) => Object.entries(ROLE_GROUPS).find(([, g]) => sameRoles(g, list))?.[0];

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-roles-'));
    // Nothing is read from the warehouse: the roles are asked for before any handler runs.
    warehouse = await Warehouse.open(path.join(dir, 'roles.duckdb'));
    roles = await routeRoles(await buildApp({ warehouse, uploadDir: path.join(dir, 'uploads') }));
    const file = path.join(dir, 'tokens.json');
    fs.writeFileSync(file, JSON.stringify(ROLES.map((role) => ({ token: `${role}-token-of-the-roles-test`, person_id: null, role }))));
    tokens = await buildApp({ warehouse, tokensFile: file, uploadDir: path.join(dir, 'uploads-tokens') });
});

afterAll(async () => {
    await tokens?.close();
    warehouse?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the roles, stated once', () => {
    it('gives every route that names roles one of the groups, and so the metrics and drill-downs', () => {
        expect(roles.size).toBeGreaterThan(20);
        const adHoc = [...roles].filter(([, r]) => r !== null && !groupOf(r)).map(([route, r]) => `${route}: ${r!.join(', ')}`);
        expect(adHoc).toEqual([]);
        expect(METRICS.filter((m) => !groupOf(m.roles)).map((m) => m.name)).toEqual([]);
        expect(DRILLS.filter((d) => !groupOf(d.roles)).map((d) => d.metric)).toEqual([]);
    });

    it('offers a page only to roles that every route it reads serves', () => {
        for (const page of PAGES) {
            expect(page.reads.length, page.href).toBeGreaterThan(0);
            for (const route of page.reads) {
                expect(roles.has(route), `${page.label} reads ${route}, which the server does not serve`).toBe(true);
                const served = roles.get(route) ?? ROLES;
                const refused = page.roles.filter((r) => !served.includes(r));
                expect(refused, `${page.label} is offered to ${refused.join(', ')}, but ${route} serves ${served.join(', ')}`).toEqual([]);
            }
        }
    });

    it('does not offer engineers the quote pages: quoting is for sales and delivery leads', () => {
        expect(pagesFor('engineer').map((p) => p.href)).toEqual(['/people', '/suggestions', '/time']);
        expect(roles.get('POST /api/quotes')).not.toContain('engineer');
        expect(mayOpen('engineer', '/quotes')).toBe(false);
        expect(mayOpen('engineer', '/calibration')).toBe(false);
    });

    it('starts every role on one of its own pages', () => {
        for (const role of ROLES) expect(pagesFor(role).map((p) => p.href), role).toContain(homeFor(role));
    });
});

describe('GET /api/me', () => {
    it('answers each role the pages it may open, and where it starts', async () => {
        for (const role of ROLES) {
            const res = await tokens.inject({ url: '/api/me', headers: { authorization: `Bearer ${role}-token-of-the-roles-test` } });
            expect(res.statusCode).toBe(200);
            expect(res.json(), role).toMatchObject({ role, pages: pagesFor(role).map((p) => ({ href: p.href, label: p.label })), home: homeFor(role) });
        }
        const engineer = await tokens.inject({ url: '/api/me', headers: { authorization: 'Bearer engineer-token-of-the-roles-test' } });
        expect(engineer.json().pages).toEqual([
            { href: '/people', label: 'People & capacity' },
            { href: '/suggestions', label: 'Suggestions' },
            { href: '/time', label: 'Timesheet' },
        ]);
        const sales = await tokens.inject({ url: '/api/me', headers: { authorization: 'Bearer sales-token-of-the-roles-test' } });
        expect(sales.json().pages.map((p: { label: string }) => p.label)).toEqual(['Closeout', 'Quotes', 'Calibration', 'Suggestions', 'Timesheet']);
    });
});
