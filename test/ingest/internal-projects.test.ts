/**
 * Canonical ingest of internal projects (PRODUCT.md: projects.client_id may be empty for internal work, and
 * internal work is billing_model non_billable), on the tiny firm (test/fixtures/tiny) with its projects file
 * replaced or extended.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { TINY, tinyWith } from '../helpers/fixtures.ts';

let warehouse: Warehouse;
beforeEach(async () => {
    warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

const load = (dir: string) => ingestFiles(warehouse, resolveInputs([dir]).files);
const tinyFile = (name: string) => fs.readFileSync(path.join(TINY, name), 'utf8');
const HEADER = 'project_id,client_id,code,name,billing_model,project_type,manager_id,start_date,end_date,status,budget_hours,contract_value\n';

describe('a project without a client', () => {
    it('loads when non_billable, with the entries logged on it', async () => {
        const entries = tinyFile('time_entries.csv').trimEnd().split('\n');
        // The tiny firm's first entry, moved to the internal project under a new id.
        const moved = entries[1]!.split(',');
        const columns = entries[0]!.split(',');
        moved[columns.indexOf('entry_id')] = 'INT-E1';
        moved[columns.indexOf('project_id')] = 'INT1';
        const report = await load(
            tinyWith({
                'projects.csv': tinyFile('projects.csv').trimEnd() + '\nINT1,,INT,Internal tooling,non_billable,internal,P2,2024-01-01,,active,40,\n',
                'time_entries.csv': [...entries, moved.join(',')].join('\n') + '\n',
            }),
        );
        expect(report.rejects).toEqual([]);
        expect(report.ok).toBe(true);
        expect(await warehouse.all(`select project_id, client_id, billing_model, budget_hours::double as budget_hours from canonical.projects where project_id = 'INT1'`)).toEqual([
            { project_id: 'INT1', client_id: null, billing_model: 'non_billable', budget_hours: 40 },
        ]);
        expect(await warehouse.all(`select entry_id from canonical.time_entries where project_id = 'INT1'`)).toEqual([{ entry_id: 'INT-E1' }]);
    });

    it('loads from a file without the client_id column', async () => {
        const report = await load(
            tinyWith({
                'projects.csv':
                    'project_id,name,billing_model,project_type,start_date,status\n' +
                    ['PRJ1', 'PRJ2', 'PRJ3', 'PRJ4'].map((id) => `${id},Internal ${id},non_billable,internal,2024-01-01,active`).join('\n') +
                    '\n',
            }),
        );
        expect(report.rejects).toEqual([]);
        expect(await warehouse.one(`select count(*)::integer as n from canonical.projects where client_id is null`)).toEqual({ n: 4 });
    });

    it('is refused on any other billing model, and a client_id given must still name a client', async () => {
        const dir = tinyWith({
            'projects.csv':
                HEADER +
                'PRJ1,C1,ACME-1,Acme portal,time_and_materials,web_app,P2,2024-01-01,,active,,\n' +
                'PRJ2,C9,GLX-1,Globex migration,fixed_fee,integration,P2,2024-01-01,2024-06-30,closed,100,15000.00\n' +
                'PRJ3,,ACME-RET,Acme support retainer,retainer,maintenance,P2,2024-01-01,,active,,\n' +
                'PRJ4,C1,ACME-MS,Acme app launch,milestone,mobile_app,P2,2024-01-01,2024-12-31,active,200,30000.00\n',
        });
        const report = await load(dir);
        expect(report.ok).toBe(false);
        expect(report.rejects).toEqual([
            { file: path.join(dir, 'projects.csv'), line: 3, column: 'client_id', value: 'C9', reason: 'unknown client_id: not in clients' },
            {
                file: path.join(dir, 'projects.csv'),
                line: 4,
                column: 'billing_model',
                value: 'retainer',
                reason: 'a project without client_id is internal work: billing_model must be non_billable',
            },
        ]);
        expect(await warehouse.one(`select count(*)::integer as n from canonical.projects`)).toEqual({ n: 0 });
    });
});
