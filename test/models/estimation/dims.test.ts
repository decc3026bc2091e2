/**
 * The dimension marts on the estimation-closed fixture (as_of setting 2024-06-30).
 *
 * dim_people, "current" = in force on 2024-06-30:
 *   P1 capacity 40 from 2024-01, 32 from 2024-03, 24 from 2024-09 (after as_of) → 32 from 2024-03-01;
 *      cost 50 EUR from 2024-01, 55 from 2024-07 (after as_of) → 50 from 2024-01-01
 *   P2 ended 2024-05-31 → not active on as_of; capacity 40, cost 60
 *   P4 has no capacity row → null; cost 45 USD
 * dim_projects: W1 client C1 "Acme, Inc." (EUR), manager P3 Grace Hopper; W3 has no manager;
 *   W2 fixed fee, budget 40 h, contract 5000.00 in the client's currency EUR.
 * dim_clients: C1 W1, W2, W5, W6 (4, none active); C2 W3, W4, I1, W7 (4, W4 active); C3 none.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { fixtureOnce } from '../../helpers/models.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/estimation-closed');

const fixture = fixtureOnce(FIXTURE);

describe('marts.dim_people', () => {
    it('gives the capacity and cost rate in force on as_of, ignoring later changes', async () => {
        const rows = await fixture.warehouse.all(
            `select person_id, role, department, is_active, current_as_of, current_weekly_hours, current_capacity_from,
                current_hourly_cost, current_cost_currency, current_cost_from
             from marts.dim_people order by person_id`,
        );
        expect(rows).toEqual([
            { person_id: 'P1', role: 'developer', department: 'Engineering', is_active: true, current_as_of: '2024-06-30', current_weekly_hours: 32, current_capacity_from: '2024-03-01', current_hourly_cost: 50, current_cost_currency: 'EUR', current_cost_from: '2024-01-01' },
            { person_id: 'P2', role: 'developer', department: 'Engineering', is_active: false, current_as_of: '2024-06-30', current_weekly_hours: 40, current_capacity_from: '2024-01-01', current_hourly_cost: 60, current_cost_currency: 'EUR', current_cost_from: '2024-01-01' },
            { person_id: 'P3', role: 'project_manager', department: 'Delivery', is_active: true, current_as_of: '2024-06-30', current_weekly_hours: 40, current_capacity_from: '2024-01-01', current_hourly_cost: 70, current_cost_currency: 'EUR', current_cost_from: '2024-01-01' },
            { person_id: 'P4', role: 'tester', department: 'QA', is_active: true, current_as_of: '2024-06-30', current_weekly_hours: null, current_capacity_from: null, current_hourly_cost: 45, current_cost_currency: 'USD', current_cost_from: '2024-01-01' },
        ]);
    });
});

describe('marts.dim_projects', () => {
    it('labels each project with its client, manager and contract terms', async () => {
        const rows = await fixture.warehouse.all(
            `select project_id, code, project_name, client_name, currency, billing_model, is_client_work, project_type, manager_name,
                start_date, end_date, status, budget_hours, contract_value
             from marts.dim_projects where project_id in ('W1', 'W2', 'W3', 'W4') order by project_id`,
        );
        expect(rows).toEqual([
            { project_id: 'W1', code: 'W-1', project_name: 'Web one', client_name: 'Acme, Inc.', currency: 'EUR', billing_model: 'time_and_materials', is_client_work: true, project_type: 'web_app', manager_name: 'Grace Hopper', start_date: '2024-01-01', end_date: '2024-02-29', status: 'closed', budget_hours: null, contract_value: null },
            { project_id: 'W2', code: 'W-2', project_name: 'Web two', client_name: 'Acme, Inc.', currency: 'EUR', billing_model: 'fixed_fee', is_client_work: true, project_type: 'web_app', manager_name: 'Grace Hopper', start_date: '2024-02-01', end_date: '2024-03-31', status: 'closed', budget_hours: 40, contract_value: 5000 },
            { project_id: 'W3', code: 'W-3', project_name: 'Web three', client_name: 'Globex', currency: 'USD', billing_model: 'time_and_materials', is_client_work: true, project_type: 'web_app', manager_name: null, start_date: '2024-03-01', end_date: '2024-04-30', status: 'closed', budget_hours: null, contract_value: null },
            { project_id: 'W4', code: 'W-4', project_name: 'Web four', client_name: 'Globex', currency: 'USD', billing_model: 'time_and_materials', is_client_work: true, project_type: 'web_app', manager_name: 'Grace Hopper', start_date: '2024-04-01', end_date: null, status: 'active', budget_hours: null, contract_value: null },
        ]);
        expect((await fixture.warehouse.one<{ n: number }>('select count(*)::integer as n from marts.dim_projects'))!.n).toBe(8);
    });
});

describe('marts.dim_clients', () => {
    it('lists every client, with and without projects', async () => {
        expect(await fixture.warehouse.all('select * from marts.dim_clients order by client_id')).toEqual([
            { client_id: 'C1', client_name: 'Acme, Inc.', currency: 'EUR', projects: 4, active_projects: 0 },
            { client_id: 'C2', client_name: 'Globex', currency: 'USD', projects: 4, active_projects: 1 },
            { client_id: 'C3', client_name: 'Initech', currency: 'EUR', projects: 0, active_projects: 0 },
        ]);
    });
});
