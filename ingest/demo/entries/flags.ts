/** The injected review-flag cases (their notes carry a [flag:kind] marker) and the pre-logged future entries. */
import { esc } from '../csv.ts';
import type { FlagSpec, Person } from '../plan/types.ts';
import { emit, logTime } from './emit.ts';
import { TASKS_ESC, clientWA, internalWA, pickAct, q } from './streams.ts';
import type { EntryPass } from './types.ts';

const FLAG_NOTES: Record<string, string> = {
    over12h: '[flag:over12h] Release night, go-live support',
    future: '[flag:future] Pre-booked workshop',
    'before-start': '[flag:before-start] Kick-off preparation',
    'after-close': '[flag:after-close] Late fix after project close',
    'billable-admin': '[flag:billable-admin] Timesheet admin',
    'billable-internal': '[flag:billable-internal] Internal work marked billable',
    'unplanned-phase': '[flag:unplanned-phase] Rework after UAT',
    'unplanned-role': '[flag:unplanned-role] Helping out on another phase',
    'no-phase': '[flag:no-phase] Imported without phase',
    duplicate: '[flag:duplicate] Imported twice from the ticket system',
    overlap: '[flag:overlap] Timer left running',
    zero: '[flag:zero] Timer started by mistake',
    weekend: '[flag:weekend] Weekend go-live support',
};
const FLAG_NOTES_ESC: Record<string, string> = Object.fromEntries(Object.entries(FLAG_NOTES).map(([k, v]) => [k, esc(v)]));

/** The injected review-flag cases of one person-day (notes carry a [flag:kind] marker). */
export function flagEntries(pass: EntryPass, p: Person, w: number, day: number, flagged: FlagSpec[], daySecs: number, cursor: number): void {
    const rng = pass.rng;
    const [logDay, logSec] = logTime(pass, p, w, day);
    for (const f of flagged) {
        const pr = f.proj;
        const notes = FLAG_NOTES_ESC[f.kind]!;
        const wa = pr.internal ? internalWA(pass, pr.internal, p.role, 0) : clientWA(pass, pr, null, f.phase || 'build', p.role, 0);
        const task = f.phase === '' ? '' : wa.tasks[rng.int(wa.tasks.length)]!;
        const act = (): string => pickAct(pass, wa.acts);
        const h = (lo: number, hi: number): number => q(rng.range(lo, hi) * 3600, 900);
        switch (f.kind) {
            case 'over12h': {
                const secs = Math.max(900, q(12.5 * 3600 - daySecs + rng.range(0.25, 2) * 3600, 900));
                emit(pass, p, pr, f.phase, task, act(), day, secs, true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                break;
            }
            case 'billable-admin':
                emit(pass, p, pr, f.phase, task, 'admin', day, h(0.5, 1), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                break;
            case 'billable-internal':
                emit(pass, p, pr, pr.internal!.phase, task, act(), day, h(1, 2), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                break;
            case 'duplicate': {
                const secs = h(0.5, 1.5);
                const a = act();
                emit(pass, p, pr, f.phase, task, a, day, secs, true, notes, 'import', logDay, logSec + 30, -1, -1, wa);
                emit(pass, p, pr, f.phase, task, a, day, secs, true, notes, 'import', logDay, logSec + 31, -1, -1, wa);
                break;
            }
            case 'overlap': {
                const st = cursor + 1800;
                const a = 1800 + q(rng.int(900), 9);
                emit(pass, p, pr, f.phase, task, act(), day, a, true, notes, 'timer', day, st + a + 5, st, st + a, wa);
                emit(pass, p, pr, f.phase, task, act(), day, 1800, true, notes, 'timer', day, st + 900 + 1800 + 5, st + 900, st + 900 + 1800, wa);
                break;
            }
            case 'zero': {
                const st = cursor + 300;
                emit(pass, p, pr, f.phase, task, act(), day, 0, true, notes, 'timer', day, st + 4, st, st, wa);
                break;
            }
            case 'unplanned-phase':
                emit(pass, p, pr, 'rework', TASKS_ESC.rework![0]!, 'development', day, h(1, 3), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                break;
            case 'no-phase':
                emit(pass, p, pr, '', '', 'development', day, h(0.5, 1.5), true, notes, 'import', logDay, logSec + 30, -1, -1, wa);
                break;
            case 'unplanned-role':
            case 'before-start':
            case 'after-close':
                emit(pass, p, pr, f.phase, task, f.kind === 'before-start' ? 'pm' : act(), day, h(1, 2.5), true, notes, 'week_grid', logDay, logSec + 30, -1, -1, wa);
                break;
            case 'weekend':
                emit(pass, p, pr, f.phase, task, act(), day, h(2, 5), true, notes, 'week_grid', day, 64800 + rng.int(7200), -1, -1, wa);
                break;
            default:
                break;
        }
    }
}

/** Entries dated after the end of the data (pre-logged, still draft). */
export function futureEntries(pass: EntryPass): void {
    const firm = pass.firm;
    const rng = pass.rng;
    for (const f of firm.futureFlags) {
        const wa = clientWA(pass, f.proj, null, f.phase, f.person.role, 0);
        const task = wa.tasks[rng.int(wa.tasks.length)]!;
        const logDay = firm.endDay - 1 - rng.int(5);
        emit(pass, f.person, f.proj, f.phase, task, 'meeting', f.day, q(rng.range(2, 6) * 3600, 900), true, FLAG_NOTES_ESC.future!, 'week_grid', logDay, 61200 + rng.int(3600), -1, -1, null, true);
    }
}
