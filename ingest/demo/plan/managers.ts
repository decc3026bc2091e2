/** Each client project's manager: the least busy project manager hired before it starts; the head PM runs the internal projects. */
import type { Rng } from '../../../lib/rng.ts';
import type { Staff } from './people.ts';
import type { Person, Project } from './types.ts';

export function assignManagers(rng: Rng, clientProjects: Project[], internal: Record<string, Project>, staff: Staff): void {
    const { pms, headPm } = staff;
    const managed = new Map<Person, number[]>(pms.map((p) => [p, []]));
    for (const p of clientProjects) {
        const end = p.startDay + Math.round(p.plannedWeeks * 7 * p.stretch);
        const ok = pms.filter((m) => m.hireDay <= p.startDay - 7 && m.leaveDay === null);
        const pool = ok.length > 0 ? ok : [headPm];
        let best = pool[0]!;
        let bestLoad = Infinity;
        for (const m of pool) {
            const load = managed.get(m)!.filter((e) => e >= p.startDay).length + rng.next() * 0.5;
            if (load < bestLoad) {
                bestLoad = load;
                best = m;
            }
        }
        managed.get(best)!.push(end);
        p.manager = best;
        for (const it of p.items) if (it.phase === 'pm') it.sticky.push(best.idx);
    }
    for (const p of Object.values(internal)) p.manager = headPm;
}
