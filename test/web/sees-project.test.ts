import { describe, expect, it } from 'vitest';
import { seesProject } from '../../web/lib/api/session.ts';

describe('which projects’ figures the dashboard offers', () => {
    it('offers a project manager their own projects only, every other role (and local mode) all', () => {
        const mine = { manager_id: 'M1' };
        const theirs = { manager_id: 'M2' };
        const internal = { manager_id: null };
        expect([mine, theirs, internal].map((p) => seesProject({ role: 'project_manager', person_id: 'M1' }, p))).toEqual([true, false, false]);
        expect(seesProject({ role: 'project_manager', person_id: null }, internal)).toBe(false);
        for (const role of ['leadership', 'finance', 'sales'] as const) expect([mine, theirs, internal].every((p) => seesProject({ role, person_id: 'X1' }, p)), role).toBe(true);
        expect(seesProject(null, theirs)).toBe(true);
    });
});
