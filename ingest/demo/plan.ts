/**
 * Planning pass of the demo generator: builds the firm (people, clients, projects, plans, rates,
 * contracts), then staffs every project week by week. No time entry is made here; the entry pass
 * (entries.ts) turns the weekly allocations into entries.
 *
 * Everything draws from seeded streams that do not depend on the requested entry count, so the firm
 * is the same for every size at or above FULL_SIZE_ENTRIES (plan/window.ts). Each section is a module
 * of plan/, called in the order below: they share the streams, so the order is part of the firm.
 */
import { Rng } from '../../lib/rng.ts';
import { assignManagers } from './plan/managers.ts';
import { fitWorkToCapacity } from './plan/capacity.ts';
import { planClients } from './plan/clients.ts';
import { planContracts } from './plan/contracts.ts';
import { planFlagCases } from './plan/flag-cases.ts';
import { headcountFromDemand } from './plan/headcount.ts';
import { invoiceRuns } from './plan/invoice-runs.ts';
import { settleOutcomes } from './plan/outcomes.ts';
import { planPeople } from './plan/people.ts';
import { placeProjects } from './plan/placement.ts';
import { draftClientProjects } from './plan/project-drafts.ts';
import { planProjects } from './plan/projects.ts';
import { planRateCards } from './plan/rates.ts';
import { staffWeeks } from './plan/staffing.ts';
import type { Firm, PlanOptions } from './plan/types.ts';
import { planWindow } from './plan/window.ts';

export function planFirm(opts: PlanOptions): Firm {
    const win = planWindow(opts);
    const rng = new Rng(opts.seed, 1);
    const staffRng = new Rng(opts.seed, 2);
    const flagRng = new Rng(opts.seed, 3);

    const clients = planClients(rng, win.scale);
    const external = clients.slice(1);
    const drafts = draftClientProjects(rng, win.scale, external);
    const planned = planProjects(rng, win, clients[0]!, drafts);
    placeProjects(rng, win, planned);
    const { projects, internal, items } = planned;
    const clientProjects = projects.filter((p) => !p.internal);
    const staff = planPeople(rng, win, headcountFromDemand(win, items));
    const { people } = staff;
    const { workDays, leaveDays } = fitWorkToCapacity(win, people, items);
    assignManagers(rng, clientProjects, internal, staff);
    const rates = planRateCards(rng, win, external, clientProjects, people);
    planContracts(rng, win, clientProjects, rates);
    const allocs = staffWeeks(staffRng, win, people, items);
    settleOutcomes(rng, win, clientProjects);
    const { runs, runAfter } = invoiceRuns(win);
    const { flags, futureFlags } = planFlagCases(flagRng, win, people, allocs, clientProjects, internal);

    return {
        seed: opts.seed,
        startDay: win.startDay,
        endDay: win.endDay,
        cal: win.cal,
        mondays: win.mondays,
        nMonths: win.nMonths,
        firstMonthKey: win.firstMonthKey,
        scale: win.scale,
        people,
        clients,
        projects,
        internal,
        rateCards: rates.rateCards,
        rateIndex: rates.rateIndex,
        allocs,
        runs,
        runAfter,
        flags,
        futureFlags,
        headPm: staff.headPm,
        deputyPm: staff.deputyPm,
        workDays,
        leaveDays,
    };
}
