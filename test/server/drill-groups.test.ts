/**
 * GET /api/drill/:metric?group_by=… on a firm small enough to work out by hand: one line per project, person,
 * client or month with its row count and subtotals, largest amount first, paged; the money subtotals add up to
 * the drill-down's total to the cent, and a group opens as the same drill-down filtered to it.
 *
 * The firm (EUR, as of 2024-02-29): one firm-wide bill rate of 33.36/h and a cost rate of 50.00/h; projects P1 and
 * P2 of client C1, P3 of client C2, all time and materials; M1 manages P1 and P3, M2 manages P2. Four billable
 * entries, whole seconds each (0.1 h = 360 s):
 *
 *   entry  person  project  date        hours  standard value (× 33.36)  cost (× 50)
 *   T1     E1      P1       2024-01-15  1.1    36.696                    55.00
 *   T2     E1      P2       2024-02-12  0.1     3.336                     5.00
 *   T3     E2      P2       2024-02-13  0.2     6.672                    10.00
 *   T4     E2      P3       2024-02-14  0.1     3.336                     5.00
 *                                       1.5    50.040 → total 50.04     75.00
 *
 * By project: P1 36.696, P2 10.008, P3 3.336. Rounded one by one, 36.70 + 10.01 + 3.34 = 50.05, a cent more than
 * the total. By the largest remainder: 36.69 + 10.00 + 3.33 = 50.02 leaves 2 cents; P2's remainder (0.8 of a cent)
 * is the largest, then P1 and P3 tie at 0.6 and the larger part, P1, takes it: P1 36.70, P2 10.01, P3 3.33.
 * By person: E1 40.032, E2 10.008 → 40.03 + 10.00 leaves 1 cent, to E2 (0.8): E1 40.03, E2 10.01.
 * By client: C1 46.704, C2 3.336 → 46.70 + 3.33 leaves 1 cent, to C2 (0.6 > 0.4): C1 46.70, C2 3.34.
 * By month: January 36.696, February 13.344 → 36.69 + 13.34 leaves 1 cent, to January: 36.70 and 13.34.
 * M1's projects only (P1, P3), in utilization's rows (hours the amount): 1.1 h + 0.1 h = 1.2 h; standard value
 * 36.696 + 3.336 = 40.032 → 40.03, and 36.69 + 3.33 leaves 1 cent, the tie at 0.6 to the larger P1: P1 36.70,
 * P3 3.33 (by person the same: E1 worked P1, E2 P3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedFirm, type ServedFirm } from '../helpers/server.ts';

const entry = (id: string, person: string, project: string, date: string, hours: number) =>
    `${id},${person},${project},build,,development,${date},${hours},true,,timer,${date}T18:00:00+00:00,submitted,,,,`;

const FILES: Record<string, string> = {
    'settings.csv': 'key,value\nreporting_currency,EUR\nfirm_name,Groups Ltd\nas_of,2024-02-29\n',
    'clients.csv': 'client_id,name,currency\nC1,Acme,EUR\nC2,Borealis,EUR\n',
    'people.csv': [
        'person_id,name,email,role,department,start_date,end_date',
        'X1,Xena Exec,x1@groups.example,director,Leadership,2024-01-01,',
        'M1,Mia Manager,m1@groups.example,project_manager,Delivery,2024-01-01,',
        'M2,Max Manager,m2@groups.example,project_manager,Delivery,2024-01-01,',
        'E1,Eve Engineer,e1@groups.example,developer,Engineering,2024-01-01,',
        'E2,Ed Engineer,e2@groups.example,developer,Engineering,2024-01-01,',
    ].join('\n'),
    'person_capacity.csv': ['person_id,effective_from,weekly_hours', ...['X1', 'M1', 'M2', 'E1', 'E2'].map((p) => `${p},2024-01-01,40`)].join('\n'),
    'cost_rates.csv': ['person_id,effective_from,hourly_cost,currency', ...['X1', 'M1', 'M2', 'E1', 'E2'].map((p) => `${p},2024-01-01,50.00,EUR`)].join('\n'),
    'rate_cards.csv': 'scope,scope_id,role,effective_from,effective_to,hourly_rate,currency\nfirm,,,2024-01-01,,33.36,EUR\n',
    'projects.csv': [
        'project_id,client_id,code,name,billing_model,project_type,manager_id,start_date,end_date,status,budget_hours,contract_value',
        'P1,C1,A1,Portal,time_and_materials,web_app,M1,2024-01-01,,active,,',
        'P2,C1,A2,Billing,time_and_materials,web_app,M2,2024-01-01,,active,,',
        'P3,C2,B1,Ledger,time_and_materials,web_app,M1,2024-01-01,,active,,',
    ].join('\n'),
    'time_entries.csv': [
        'entry_id,person_id,project_id,phase,task,activity,work_date,hours,billable,notes,source,logged_at,status,approved_by,approved_at,started_at,ended_at',
        entry('T1', 'E1', 'P1', '2024-01-15', 1.1),
        entry('T2', 'E1', 'P2', '2024-02-12', 0.1),
        entry('T3', 'E2', 'P2', '2024-02-13', 0.2),
        entry('T4', 'E2', 'P3', '2024-02-14', 0.1),
    ].join('\n'),
};

const TOKENS = [
    { token: 'groups-leadership-token', person_id: 'X1', role: 'leadership' },
    { token: 'groups-manager-1-token0', person_id: 'M1', role: 'project_manager' },
    { token: 'groups-engineer-token00', person_id: 'E1', role: 'engineer' },
];

let firm: ServedFirm;

beforeAll(async () => {
    firm = await servedFirm('drill-groups', FILES, TOKENS);
}, 120_000);

afterAll(async () => {
    await firm?.close();
});

type Answer = {
    total_rows: number;
    total_amount: number;
    total_groups?: number;
    group_by: string | null;
    groupings: string[];
    columns: string[];
    money_columns: string[];
    rows: Record<string, string | number | null>[];
    group_totals?: Record<string, number>;
};

const ask = (url: string, token = TOKENS[0]!.token) => firm.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
async function get(url: string, token?: string): Promise<Answer> {
    const res = await ask(url, token);
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json();
}
const cents = (v: number) => Math.round(v * 100);
const sumCents = (rows: Answer['rows'], column: string) => rows.reduce((s, r) => s + cents(r[column] as number), 0);
/** The groups as [key, amount] pairs. */
const pairs = (a: Answer, key: string, amount = 'std_value') => a.rows.map((r) => [r[key], r[amount]]);

const STANDARD = '/api/drill/realization?part=standard_value';

describe('a drill-down grouped', () => {
    it('by project: row counts and subtotals, largest first, adding up to the total where rounding each group would not', async () => {
        const a = await get(`${STANDARD}&group_by=project`);
        expect(a.group_by).toBe('project');
        expect(a.groupings).toEqual(['project', 'person', 'client', 'month']);
        expect(a.columns).toEqual(['project_id', 'row_count', 'std_value', 'hours', 'cost_value']);
        expect(a.money_columns).toEqual(['std_value', 'cost_value']);
        expect(a.rows).toEqual([
            { project_id: 'P1', row_count: 1, std_value: 36.7, hours: expect.closeTo(1.1, 9), cost_value: 55 },
            { project_id: 'P2', row_count: 2, std_value: 10.01, hours: expect.closeTo(0.3, 9), cost_value: 15 },
            { project_id: 'P3', row_count: 1, std_value: 3.33, hours: expect.closeTo(0.1, 9), cost_value: 5 },
        ]);
        expect(a.total_rows).toBe(4);
        expect(a.total_groups).toBe(3);
        expect(a.total_amount).toBe(50.04);
        expect(a.group_totals).toEqual({ row_count: 4, std_value: 50.04, hours: expect.closeTo(1.5, 6), cost_value: 75 });
        // Each group rounded on its own would be a cent over (36.70 + 10.01 + 3.34): the apportioned ones are not.
        expect(cents(36.696) + cents(10.008) + cents(3.336)).toBe(5005);
        expect(sumCents(a.rows, 'std_value')).toBe(cents(a.total_amount));
        // The same total as the rows ungrouped.
        expect((await get(STANDARD)).total_amount).toBe(50.04);
    });

    it('by person, client and month, each adding up to the total', async () => {
        expect(pairs(await get(`${STANDARD}&group_by=person`), 'person_id')).toEqual([
            ['E1', 40.03],
            ['E2', 10.01],
        ]);
        expect(pairs(await get(`${STANDARD}&group_by=client`), 'client_id')).toEqual([
            ['C1', 46.7],
            ['C2', 3.34],
        ]);
        expect(pairs(await get(`${STANDARD}&group_by=month`), 'month')).toEqual([
            ['2024-01-01', 36.7],
            ['2024-02-01', 13.34],
        ]);
        // The cost is the amount of another drill-down: its groups add up to its own total.
        const cost = await get('/api/drill/margin?part=cost&group_by=person');
        expect(pairs(cost, 'person_id', 'cost_value')).toEqual([
            ['E1', 60],
            ['E2', 15],
        ]);
        expect(cost.total_amount).toBe(75);
    });

    it('pages the groups as rows are paged, and sorts them by any of their columns', async () => {
        const first = await get(`${STANDARD}&group_by=project&page_size=2`);
        const second = await get(`${STANDARD}&group_by=project&page_size=2&page=2`);
        expect(first.rows.map((r) => r.project_id)).toEqual(['P1', 'P2']);
        expect(second.rows.map((r) => r.project_id)).toEqual(['P3']);
        expect(second.total_groups).toBe(3);
        // A page's subtotals are those of the whole: apportioned over every group, not over the page.
        expect(sumCents([...first.rows, ...second.rows], 'std_value')).toBe(5004);
        expect((await get(`${STANDARD}&group_by=project&sort=row_count`)).rows.map((r) => r.project_id)[0]).toBe('P2');
        expect((await get(`${STANDARD}&group_by=project&sort=std_value&order=asc`)).rows.map((r) => r.project_id)).toEqual(['P3', 'P2', 'P1']);
    });

    it('opens a group as the same drill-down filtered to it: its rows add up to the group', async () => {
        const p2 = await get(`${STANDARD}&project_id=P2`);
        expect([p2.total_rows, p2.total_amount]).toEqual([2, 10.01]);
        const february = await get(`${STANDARD}&month=2024-02`);
        expect([february.total_rows, february.total_amount]).toEqual([3, 13.34]);
        // The funnel's rows grouped by person (its summary has no person: a person's rows are read themselves).
        const byPerson = await get('/api/drill/funnel?part=not_invoiced&group_by=person');
        expect(byPerson.groupings).toContain('person');
        expect(pairs(byPerson, 'person_id', 'amount')).toEqual([
            ['E1', 40.03],
            ['E2', 10.01],
        ]);
        const e2 = await get('/api/drill/funnel?part=not_invoiced&person_id=E2&page_size=100');
        expect([e2.total_rows, e2.total_amount]).toEqual([2, 10.01]);
        expect(sumCents(e2.rows, 'amount')).toBe(1001);
    });

    it('gives a project manager the groups of their own projects only', async () => {
        // Utilization's rows (a project manager's drill-down): the amount is hours, the standard value a subtotal.
        const url = '/api/drill/utilization?part=billable_hours';
        const m1 = await get(`${url}&group_by=project`, TOKENS[1]!.token);
        expect(m1.rows.map((r) => [r.project_id, r.hours, r.std_value])).toEqual([
            ['P1', expect.closeTo(1.1, 9), 36.7],
            ['P3', expect.closeTo(0.1, 9), 3.33],
        ]);
        expect(m1.total_amount).toBe(1.2);
        expect(m1.group_totals!.std_value).toBe(40.03);
        const byPerson = await get(`${url}&group_by=person`, TOKENS[1]!.token);
        expect(pairs(byPerson, 'person_id')).toEqual([
            ['E1', 36.7],
            ['E2', 3.33],
        ]);
        expect((await ask(`${url}&group_by=project`, TOKENS[2]!.token)).statusCode).toBe(403);
    });

    it('refuses a grouping the rows do not have, or an unknown one, naming group_by; and a sort the groups do not have', async () => {
        const latency = await get('/api/drill/logging-latency?group_by=person');
        expect(latency.groupings).toEqual(['person']);
        for (const url of ['/api/drill/logging-latency?group_by=project', `${STANDARD}&group_by=team`, `${STANDARD}&group_by=project&group_by=person`, '/api/drill/realization?part=billed_value&group_by=person']) {
            const res = await ask(url);
            expect(res.statusCode, url).toBe(400);
            expect(res.json().title, url).toBe('Invalid parameter: group_by');
        }
        const sort = await ask(`${STANDARD}&group_by=project&sort=work_date`);
        expect(sort.statusCode).toBe(400);
        expect(sort.json().title).toBe('Invalid parameter: sort');
    });

    it('answers the groups as an Arrow stream too', async () => {
        const res = await firm.app.inject({ url: `${STANDARD}&group_by=project`, headers: { authorization: `Bearer ${TOKENS[0]!.token}`, accept: 'application/vnd.apache.arrow.stream' } });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-realize-total-groups']).toBe('3');
        expect(res.headers['x-realize-total-amount']).toBe('50.04');
    });
});
