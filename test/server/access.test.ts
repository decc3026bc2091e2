/**
 * Who sees which person's figures (server/api/access.ts; README "Access"), on a firm small enough to work
 * out by hand, with a tokens file naming a director, a finance lead, two project managers and an engineer.
 *
 * March 2024 (as_of 2024-03-31). Everyone starts on Monday 4 March at 40 h a week: 20 working days × 8 h =
 * 160 capacity hours in March. Projects: PA (managed by M1), PB (managed by M2), PI (internal, no manager).
 *
 *   entry  person  project  date        hours  billable  activity
 *   A1     E1      PA       2024-03-04  8      yes       development
 *   A2     E1      PB       2024-03-05  8      yes       development
 *   A3     E2      PB       2024-03-05  4      yes       development
 *   A4     E3      PA       2024-03-06  2      yes       development
 *   A5     E3      PI       2024-03-12  8      no        admin
 *   A6     M1      PA       2024-03-07  1      yes       pm
 *   A7     M2      PB       2024-03-07  1      yes       pm
 *   A8     X1      PI       2024-03-04  2      no        admin
 *   A9     E1      PA       2024-03-13  1      yes       admin      ← billable admin: a review flag on PA
 *   A10    E2      PB       2024-03-14  1      yes       admin      ← billable admin: a review flag on PB
 *
 * M1's people (logged time on PA in March): E1, E3, M1. From 11 March on: E1 only (A9); E3's PA day is the 6th.
 * M2's people: E1, E2, M2.
 * Utilization in March = billable hours ÷ 160: E1 17 h → 0.10625, E2 5 h → 0.03125, E3 2 h → 0.0125,
 * M1 1 h → 0.00625, M2 1 h → 0.00625, X1 0, F1 0.
 * Logging latency covers all of a person's work: E1 17 h, E3 10 h (2 on PA + 8 internal), M1 1 h.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { servedFirm, type ServedFirm } from '../helpers/server.ts';
import { PAGES } from '../../server/roles.ts';

const FILES: Record<string, string> = {
    'settings.csv': 'key,value\nreporting_currency,EUR\nfirm_name,Access Ltd\nas_of,2024-03-31\n',
    'clients.csv': 'client_id,name,currency\nC1,Acme,EUR\nCI,Access Ltd,EUR\n',
    'people.csv': [
        'person_id,name,email,role,department,start_date,end_date',
        'X1,Xena Exec,x1@access.example,director,Leadership,2024-03-04,',
        'F1,Finn Ledger,f1@access.example,accountant,Finance,2024-03-04,',
        'M1,Mia Manager,m1@access.example,project_manager,Delivery,2024-03-04,',
        'M2,Max Manager,m2@access.example,project_manager,Delivery,2024-03-04,',
        'E1,Eve Engineer,e1@access.example,developer,Engineering,2024-03-04,',
        'E2,Eli Engineer,e2@access.example,developer,Engineering,2024-03-04,',
        'E3,Ivy Designer,e3@access.example,designer,Design,2024-03-04,',
    ].join('\n'),
    'person_capacity.csv': ['person_id,effective_from,weekly_hours', ...['X1', 'F1', 'M1', 'M2', 'E1', 'E2', 'E3'].map((p) => `${p},2024-03-04,40`)].join('\n'),
    'cost_rates.csv': ['person_id,effective_from,hourly_cost,currency', ...['X1', 'F1', 'M1', 'M2', 'E1', 'E2', 'E3'].map((p) => `${p},2024-03-04,50.00,EUR`)].join('\n'),
    'rate_cards.csv': 'scope,scope_id,role,effective_from,effective_to,hourly_rate,currency\nfirm,,,2024-01-01,,100.00,EUR\n',
    'projects.csv': [
        'project_id,client_id,code,name,billing_model,project_type,manager_id,start_date,end_date,status,budget_hours,contract_value',
        'PA,C1,PA,Portal,time_and_materials,web_app,M1,2024-03-01,,active,,',
        'PB,C1,PB,Billing,time_and_materials,web_app,M2,2024-03-01,,active,,',
        'PI,CI,PI,Internal,non_billable,internal,,2024-01-01,,active,,',
    ].join('\n'),
    'plan_lines.csv': [
        'project_id,phase,role,estimated_hours,baseline',
        'PA,build,developer,100,true',
        'PA,build,designer,100,true',
        'PA,pm,project_manager,100,true',
        'PB,build,developer,100,true',
        'PB,pm,project_manager,100,true',
    ].join('\n'),
    'time_entries.csv': [
        'entry_id,person_id,project_id,phase,task,activity,work_date,hours,billable,notes,source,logged_at,status,approved_by,approved_at,started_at,ended_at',
        'A1,E1,PA,build,,development,2024-03-04,8,true,,timer,2024-03-04T18:00:00+00:00,submitted,,,,',
        'A2,E1,PB,build,,development,2024-03-05,8,true,,timer,2024-03-05T18:00:00+00:00,submitted,,,,',
        'A3,E2,PB,build,,development,2024-03-05,4,true,,timer,2024-03-05T18:00:00+00:00,submitted,,,,',
        'A4,E3,PA,build,,development,2024-03-06,2,true,,timer,2024-03-06T18:00:00+00:00,submitted,,,,',
        'A5,E3,PI,build,,admin,2024-03-12,8,false,,timer,2024-03-12T18:00:00+00:00,submitted,,,,',
        'A6,M1,PA,pm,,pm,2024-03-07,1,true,,timer,2024-03-07T18:00:00+00:00,submitted,,,,',
        'A7,M2,PB,pm,,pm,2024-03-07,1,true,,timer,2024-03-07T18:00:00+00:00,submitted,,,,',
        'A8,X1,PI,build,,admin,2024-03-04,2,false,,timer,2024-03-04T18:00:00+00:00,submitted,,,,',
        'A9,E1,PA,build,,admin,2024-03-13,1,true,,timer,2024-03-13T18:00:00+00:00,submitted,,,,',
        'A10,E2,PB,build,,admin,2024-03-14,1,true,,timer,2024-03-14T18:00:00+00:00,submitted,,,,',
    ].join('\n'),
};

const TOKENS = [
    { token: 'director-token-0000000', person_id: 'X1', role: 'leadership' },
    { token: 'finance-token-00000000', person_id: 'F1', role: 'finance' },
    { token: 'manager-1-token-000000', person_id: 'M1', role: 'project_manager' },
    { token: 'manager-2-token-000000', person_id: 'M2', role: 'project_manager' },
    { token: 'engineer-token-0000000', person_id: 'E2', role: 'engineer' },
    { token: 'nobody-pm-token-000000', person_id: null, role: 'project_manager' },
];

let firm: ServedFirm;
let warehouse: Warehouse;
let app: FastifyInstance;
let local: FastifyInstance;

beforeAll(async () => {
    firm = await servedFirm('access', FILES, TOKENS);
    ({ warehouse, app, local } = firm);
});

afterAll(async () => firm?.close());

const TOKEN_OF: Record<string, string> = { X1: TOKENS[0]!.token, F1: TOKENS[1]!.token, M1: TOKENS[2]!.token, M2: TOKENS[3]!.token, E2: TOKENS[4]!.token, none: TOKENS[5]!.token };

async function as(who: keyof typeof TOKEN_OF | 'local' | 'anonymous', url: string) {
    const server = who === 'local' ? local : app;
    const headers: Record<string, string> = who === 'local' || who === 'anonymous' ? {} : { authorization: `Bearer ${TOKEN_OF[who]}` };
    const res = await server.inject({ method: 'GET', url, headers });
    return { status: res.statusCode, type: String(res.headers['content-type']), body: res.json() as Record<string, unknown> & { rows: Record<string, unknown>[] } };
}

const MARCH = 'from=2024-03-01&to=2024-03-31';
/** Every page of the dashboard, as /api/me lists them before signing in (and to local mode’s one user). */
const ALL_PAGES = PAGES.map(({ href, label }) => ({ href, label }));
const people = (rows: Record<string, unknown>[]) => rows.map((r) => r.person);
const utilizationOf = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((r) => [r.person, r.utilization]));

describe('individual figures', () => {
    it('gives a project manager the people of the projects they manage, whole (utilization is person × week over all work)', async () => {
        const m1 = await as('M1', `/api/utilization?group_by=person&${MARCH}`);
        expect(m1.status).toBe(200);
        expect(utilizationOf(m1.body.rows)).toEqual({ E1: 0.10625, E3: 0.0125, M1: 0.00625 });
        expect(m1.body.scope).toBe('the people who logged time on the projects you manage (all their work)');
        const m2 = await as('M2', `/api/utilization?group_by=person&${MARCH}`);
        expect(utilizationOf(m2.body.rows)).toEqual({ E1: 0.10625, E2: 0.03125, M2: 0.00625 });

        // One of their people by id; someone else's is a 403 that says why.
        const eve = await as('M1', `/api/utilization?person_id=E1&group_by=week&${MARCH}`);
        expect(eve.status).toBe(200);
        expect(eve.body.rows.map((r) => [r.week, r.billable_hours])).toEqual([
            ['2024-03-04', 16],
            ['2024-03-11', 1],
            ['2024-03-18', 0],
            ['2024-03-25', 0],
        ]);
        const eli = await as('M1', `/api/utilization?person_id=E2&${MARCH}`);
        expect(eli.status).toBe(403);
        expect(eli.type).toContain('application/problem+json');
        expect(eli.body.detail).toBe('E2 has logged no time between 2024-03-01 and 2024-03-31 on a project you manage; a project manager sees only the people of their projects.');
    });

    it('counts a manager’s people over the period asked for', async () => {
        // From 11 March, only E1 logged time on PA (A9); E3's day on PA was the 6th.
        const later = await as('M1', '/api/logging-latency?group_by=person&from=2024-03-11&to=2024-03-31');
        expect(later.status).toBe(200);
        expect(people(later.body.rows)).toEqual(['E1']);
        expect((await as('M1', '/api/utilization?person_id=E3&from=2024-03-11&to=2024-03-31')).status).toBe(403);
        expect((await as('M1', `/api/utilization?person_id=E3&${MARCH}`)).status).toBe(200);
    });

    it('gives a manager logging latency over all their people’s work, and review flags of their projects only', async () => {
        const latency = await as('M1', `/api/logging-latency?group_by=person&${MARCH}`);
        expect(Object.fromEntries(latency.body.rows.map((r) => [r.person, r.hours]))).toEqual({ E1: 17, E3: 10, M1: 1 });

        const flags = await as('M1', `/api/review-flags?group_by=person,project,rule&${MARCH}`);
        expect(flags.status).toBe(200);
        expect(flags.body.scope).toBe('the projects you manage, and the people who logged time on them');
        // Independently from the flags themselves: PA's flags, and the project-less ones (missing days) of E1, E3, M1.
        const expected = await warehouse.all<{ person_id: string | null; project_id: string | null; rule: string; flags: number }>(
            `select person_id, project_id, rule, count(*)::integer as flags from marts.fct_review_flags
             where work_date between '2024-03-01' and '2024-03-31'
               and (project_id = 'PA' or (project_id is null and person_id in ('E1', 'E3', 'M1')))
             group by all order by all`,
        );
        const got = flags.body.rows.map((r) => ({ person_id: r.person, project_id: r.project, rule: r.rule, flags: r.flags }));
        const key = (r: { person_id: unknown; project_id: unknown; rule: unknown }) => `${r.person_id}|${r.project_id}|${r.rule}`;
        expect(got.map(key).sort()).toEqual(expected.map(key).sort());
        expect(Object.fromEntries(got.map((r) => [key(r), r.flags]))).toEqual(Object.fromEntries(expected.map((r) => [key(r), r.flags])));
        // The billable admin hour on PA (A9) is there; the one on PB (A10, E2) is M2's to see.
        expect(got.filter((r) => r.rule === 'billable_admin').map(key)).toEqual(['E1|PA|billable_admin']);
        const m2 = await as('M2', `/api/review-flags?group_by=person,project,rule&${MARCH}`);
        expect(m2.body.rows.filter((r) => r.rule === 'billable_admin').map((r) => key({ person_id: r.person, project_id: r.project, rule: r.rule }))).toEqual(['E2|PB|billable_admin']);
        // E1 also works on PB, but their flags there are not M1's: PA's, and their missing days (no project).
        const e1 = await as('M1', `/api/review-flags?person_id=E1&group_by=project&${MARCH}`);
        expect(e1.body.rows.map((r) => r.project)).toEqual(['PA', null]);
    });

    it('gives an engineer themself only, and only when asked for by id', async () => {
        const own = await as('E2', `/api/utilization?person_id=E2&${MARCH}`);
        expect(own.status).toBe(200);
        expect(own.body.rows).toHaveLength(1);
        expect(own.body.rows[0]!.utilization).toBe(0.03125);
        expect(own.body.scope).toBe('your own figures');
        const ownFlags = await as('E2', `/api/review-flags?person_id=E2&group_by=project,rule&${MARCH}`);
        expect(ownFlags.status).toBe(200);
        expect(ownFlags.body.rows.filter((r) => r.rule === 'billable_admin').map((r) => r.project)).toEqual(['PB']);
        for (const url of [`/api/utilization?person_id=E1&${MARCH}`, `/api/utilization?group_by=person&${MARCH}`, `/api/utilization?group_by=role&${MARCH}`, '/api/logging-latency']) {
            const res = await as('E2', url);
            expect(res.status, url).toBe(403);
            expect(res.body.detail, url).toContain('person_id=E2');
        }
        // Money is not theirs at all.
        expect((await as('E2', '/api/realization')).status).toBe(403);
    });

    it('gives leadership and finance aggregates, and a 403 that says why when they ask for individuals', async () => {
        for (const who of ['X1', 'F1', 'local'] as const) {
            const byRole = await as(who, `/api/utilization?group_by=role&${MARCH}`);
            expect(byRole.status, who).toBe(200);
            // developer: E1 17 h + E2 5 h billable over 2 × 160 h.
            expect(byRole.body.rows.find((r) => r.role === 'developer')?.utilization, who).toBe(22 / 320);
            expect(byRole.body.scope).toBeUndefined();
            const departments = await as(who, `/api/utilization/by-department?group_by=none&${MARCH}`);
            expect(departments.status, who).toBe(200);
            for (const url of [`/api/utilization?group_by=person&${MARCH}`, `/api/utilization?person_id=E1`, `/api/logging-latency?group_by=week,person`]) {
                const res = await as(who, url);
                expect(res.status, `${who} ${url}`).toBe(403);
                expect(res.type).toContain('application/problem+json');
                expect(res.body.title).toBe('Not allowed: individual figures');
                expect(res.body.detail).toContain('sees people in aggregate — group by role or department');
            }
        }
        expect((await as('X1', '/api/review-flags?group_by=person')).status).toBe(403);
        expect((await as('X1', '/api/review-flags?group_by=rule')).status).toBe(200);
        // Review flags are the managers' weekly pass: finance gets none, except their own.
        expect((await as('F1', '/api/review-flags?group_by=rule')).status).toBe(403);
    });

    it('lets anyone see their own figures', async () => {
        const exec = await as('X1', `/api/utilization?person_id=X1&${MARCH}`);
        expect(exec.status).toBe(200);
        expect(exec.body.rows[0]!.utilization).toBe(0);
        expect(exec.body.rows[0]!.internal_hours).toBe(2);
        expect((await as('F1', `/api/review-flags?person_id=F1&${MARCH}`)).status).toBe(200);
        expect((await as('M1', `/api/utilization?person_id=M1&${MARCH}`)).body.rows[0]!.utilization).toBe(0.00625);
    });

    it('refuses a manager whose token names no person, and anyone without a known token', async () => {
        const nobody = await as('none', '/api/utilization?group_by=person');
        expect(nobody.status).toBe(403);
        expect(nobody.body.detail).toContain('names no person');
        const anonymous = await as('anonymous', '/api/utilization?group_by=role');
        expect(anonymous.status).toBe(401);
        // Aggregates stay open to managers.
        expect((await as('M1', `/api/utilization?group_by=role&${MARCH}`)).status).toBe(200);
        // Metrics without a person in their grain are untouched: the grain check still comes first.
        expect((await as('X1', '/api/realization?person_id=E1')).status).toBe(400);
    });
});

describe('who the dashboard is talking to', () => {
    it('tells a client the mode and the signed-in person, without a 401', async () => {
        expect((await as('anonymous', '/api/me')).body).toEqual({
            mode: 'tokens',
            signed_in: false,
            reason: null,
            role: null,
            person_id: null,
            email: null,
            name: null,
            person_role: null,
            department: null,
            pages: ALL_PAGES,
            home: '/',
        });
        const wrong = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Bearer not-a-token-at-all-000' } });
        expect(wrong.statusCode).toBe(200);
        expect(wrong.json()).toMatchObject({ signed_in: false, reason: 'The token is not one this server knows.' });
        expect((await as('M1', '/api/me')).body).toEqual({
            mode: 'tokens',
            signed_in: true,
            reason: null,
            role: 'project_manager',
            person_id: 'M1',
            email: null,
            name: 'Mia Manager',
            person_role: 'project_manager',
            department: 'Delivery',
            pages: [
                { href: '/people', label: 'People & capacity' },
                { href: '/closeout', label: 'Closeout' },
                { href: '/quotes', label: 'Quotes' },
                { href: '/calibration', label: 'Calibration' },
                { href: '/data', label: 'Data' },
                { href: '/suggestions', label: 'Suggestions' },
                { href: '/time', label: 'Timesheet' },
                { href: '/review', label: 'Review' },
            ],
            home: '/people',
        });
        expect((await as('local', '/api/me')).body).toMatchObject({ mode: 'local', signed_in: true, role: 'leadership', person_id: null, pages: ALL_PAGES, home: '/' });
    });

    it('starts a dashboard in one request: who, and the labels and definitions only when signed in', async () => {
        const out = await as('anonymous', '/api/session');
        expect(out.status).toBe(200);
        expect(out.body).toMatchObject({ me: { mode: 'tokens', signed_in: false }, dimensions: null, definitions: null });
        const m1 = await as('M1', '/api/session');
        expect(m1.body.me).toEqual((await as('M1', '/api/me')).body);
        expect(m1.body.dimensions).toEqual((await as('M1', '/api/dimensions')).body);
        expect(m1.body.definitions).toEqual((await as('M1', '/api/definitions')).body);
        expect((await as('E2', '/api/session')).body.dimensions).toEqual((await as('E2', '/api/dimensions')).body);
    });

    it('gives everyone the labels, and the people directory to those who open drill-downs', async () => {
        const directory = (b: Record<string, unknown>) => (b.people as { person_id: string }[] | null)?.map((p) => p.person_id) ?? null;
        expect(directory((await as('X1', '/api/dimensions')).body)).toHaveLength(7);
        expect(directory((await as('F1', '/api/dimensions')).body)).toHaveLength(7);
        expect(directory((await as('M1', '/api/dimensions')).body)).toHaveLength(7);
        const engineer = await as('E2', '/api/dimensions');
        expect(engineer.status).toBe(200);
        expect(directory(engineer.body)).toEqual(['E2']);
        expect((engineer.body.projects as unknown[]).length).toBe(3);
    });

    it('states the rule in the OpenAPI description of each metric that has individuals', async () => {
        const doc = (await local.inject({ method: 'GET', url: '/docs/json' })).json();
        for (const route of ['/api/utilization', '/api/logging-latency', '/api/review-flags']) {
            expect(doc.paths[route].get.description, route).toContain('A project_manager gets the people who logged time, between from and to, on a project they manage');
        }
        expect(doc.paths['/api/realization'].get.description).not.toContain('project_manager gets the people');
    });
});

describe('answers kept until the warehouse changes', () => {
    it('keeps an answer per caller and drops it when a transaction commits', async () => {
        const url = `/api/utilization?group_by=person&${MARCH}`;
        // Same request, other managers: each their own people, from the cache or not.
        for (let i = 0; i < 2; i++) {
            expect(people((await as('M1', url)).body.rows)).toEqual(['E1', 'E3', 'M1']);
            expect(people((await as('M2', url)).body.rows)).toEqual(['E1', 'E2', 'M2']);
        }
        const before = (await as('E2', `/api/utilization?person_id=E2&${MARCH}`)).body.rows[0]!.billable_hours;
        expect(before).toBe(5);
        // A committed change (as an ingest or a model build makes) is seen by the next request.
        await warehouse.transaction(() => warehouse.run(`update marts.fct_utilization set billable_hours = billable_hours + 1 where person_id = 'E2' and work_date = '2024-03-04'`));
        try {
            expect((await as('E2', `/api/utilization?person_id=E2&${MARCH}`)).body.rows[0]!.billable_hours).toBe(6);
        } finally {
            await warehouse.transaction(() => warehouse.run(`update marts.fct_utilization set billable_hours = billable_hours - 1 where person_id = 'E2' and work_date = '2024-03-04'`));
        }
        expect((await as('E2', `/api/utilization?person_id=E2&${MARCH}`)).body.rows[0]!.billable_hours).toBe(5);
    });
});

describe('drill-downs', () => {
    it('give a project manager the rows of the projects they manage, and leadership every row', async () => {
        // Billable hours in March: PA = A1 8 + A4 2 + A6 1 + A9 1 = 12; PB = A2 8 + A3 4 + A7 1 + A10 1 = 14.
        const url = `/api/drill/utilization?part=billable_hours&page_size=100&${MARCH}`;
        const m1 = await as('M1', url);
        expect(m1.status).toBe(200);
        expect(new Set(m1.body.rows.map((r) => r.project_id))).toEqual(new Set(['PA']));
        expect(m1.body.total_rows).toBe(4);
        expect(m1.body.total_amount).toBe(12);
        const m2 = await as('M2', url);
        expect(m2.body.rows.map((r) => r.entry_id).sort()).toEqual(['A10', 'A2', 'A3', 'A7']);
        expect(m2.body.total_amount).toBe(14);
        // Asking for another manager's project gives nothing of it.
        expect((await as('M1', `${url}&project_id=PB`)).body.total_rows).toBe(0);
        const director = await as('X1', url);
        expect(director.body.total_rows).toBe(8);
        expect(director.body.total_amount).toBe(26);
        // A manager token that names no person has no projects to see.
        expect((await as('none', url)).status).toBe(403);
        // Engineers and sales do not open other people's entries.
        expect((await as('E2', url)).status).toBe(403);
    });
});
