/**
 * Rate cards: the firm's default, each role's (raised every January), some clients' (every foreign one),
 * blended project rates (one a launch rate that ends), specialist project × role rates (one in a foreign
 * currency) and two people's personal rates; and the lookup of the most specific card for an entry.
 */
import type { Rng } from '../../../lib/rng.ts';
import { dayOf, monthFirstDay, monthKey } from '../calendar.ts';
import { FX_START, REPORTING_CURRENCY, ROLES, ROLE_SPECS, type Role } from '../reference.ts';
import type { Client, Firm, Person, PlanWindow, Project, RateCard } from './types.ts';

/** Units of reporting currency per unit of each currency (start of the window). */
export const FXS: Record<string, number> = { [REPORTING_CURRENCY]: 1, ...FX_START };

export interface RatePlan {
    rateCards: RateCard[];
    /** Cards by `scope|scopeId|role`, each list by effective_from. */
    rateIndex: Map<string, RateCard[]>;
    /** Each role's rate (cents, reporting currency) from each January. */
    roleRate: Map<Role, { from: number; cents: number }[]>;
    /** The first rate (cents, client's currency) of the clients that have a card. */
    clientRate: Map<Client, number>;
}

const jan1 = (y: number): number => dayOf(y, 0, 1);

/** `external`: the clients other than the firm itself. */
export function planRateCards(rng: Rng, win: PlanWindow, external: Client[], clientProjects: Project[], people: Person[]): RatePlan {
    const rateCards: RateCard[] = [];
    rateCards.push({ scope: 'firm', scopeId: '', role: '', from: jan1(win.startYear - 1), to: null, cents: 11000, currency: REPORTING_CURRENCY });
    const roleRate = roleCards(rng, win, rateCards);
    const clientRate = clientCards(rng, win, external, rateCards);
    projectCards(rng, win, clientProjects, clientRate, rateCards);
    projectRoleCards(rng, clientProjects, clientRate, rateCards);
    personCards(win, people, rateCards);
    const rateIndex = new Map<string, RateCard[]>();
    for (const r of rateCards) {
        const key = `${r.scope}|${r.scopeId}|${r.role}`;
        const list = rateIndex.get(key) ?? [];
        list.push(r);
        rateIndex.set(key, list);
    }
    for (const list of rateIndex.values()) list.sort((a, b) => a.from - b.from);
    return { rateCards, rateIndex, roleRate, clientRate };
}

/** The bill rate of the most specific matching card (project_role, project, client, person, role, firm). */
export function resolveRate(firm: Firm, proj: Project, person: Person, day: number): RateCard | null {
    const keys = [
        `project_role|${proj.id}|${person.role}`,
        `project|${proj.id}|`,
        `client|${proj.client.id}|`,
        `person|${person.id}|`,
        `role||${person.role}`,
        `firm||`,
    ];
    for (const key of keys) {
        const list = firm.rateIndex.get(key);
        if (!list) continue;
        let found: RateCard | null = null;
        for (const r of list) if (r.from <= day && (r.to === null || r.to >= day)) found = r;
        if (found) return found;
    }
    return null;
}

function roleCards(rng: Rng, win: PlanWindow, rateCards: RateCard[]): RatePlan['roleRate'] {
    const roleRate = new Map<Role, { from: number; cents: number }[]>();
    for (const role of ROLES) {
        const list: { from: number; cents: number }[] = [];
        let cents = ROLE_SPECS[role].rate * 100;
        for (let y = win.startYear; y <= win.endYear; y++) {
            if (y > win.startYear) cents = Math.round((cents * rng.range(1.03, 1.05)) / 100) * 100;
            if (jan1(y) > win.endDay) break;
            list.push({ from: jan1(y), cents });
            rateCards.push({ scope: 'role', scopeId: '', role, from: jan1(y), to: null, cents, currency: REPORTING_CURRENCY });
        }
        roleRate.set(role, list);
    }
    return roleRate;
}

/** Every client in a foreign currency has its own rate, and about one in five of the others; half are raised a year in. */
function clientCards(rng: Rng, win: PlanWindow, external: Client[], rateCards: RateCard[]): Map<Client, number> {
    const clientRate = new Map<Client, number>();
    for (const c of external) {
        const foreignC = c.currency !== REPORTING_CURRENCY;
        if (!foreignC && !rng.chance(0.2)) continue;
        let cents = foreignC ? Math.round((rng.range(112, 128) / FXS[c.currency]!) * 1) * 100 : Math.round(rng.range(102, 122)) * 100;
        clientRate.set(c, cents);
        rateCards.push({ scope: 'client', scopeId: c.id, role: '', from: jan1(win.startYear), to: null, cents, currency: c.currency });
        if (rng.chance(0.5) && jan1(win.startYear + 1) <= win.endDay) {
            cents = Math.round(cents * 1.04 / 100) * 100;
            rateCards.push({ scope: 'client', scopeId: c.id, role: '', from: jan1(win.startYear + 1), to: null, cents, currency: c.currency });
        }
    }
    return clientRate;
}

/** Project cards: a blended project rate, one of them a launch rate that ends (effective_to). */
function projectCards(rng: Rng, win: PlanWindow, clientProjects: Project[], clientRate: Map<Client, number>, rateCards: RateCard[]): void {
    const tm = clientProjects.filter((p) => p.model === 'time_and_materials');
    const tmPlain = tm.filter((p) => p.client.currency === REPORTING_CURRENCY && !clientRate.has(p.client));
    const tmEur = tmPlain.length > 0 ? tmPlain : tm;
    for (let i = 0; i < Math.min(2, tmEur.length); i++) {
        const p = tmEur[(i * 5 + 2) % tmEur.length]!;
        if (rateCards.some((r) => r.scope === 'project' && r.scopeId === p.id)) continue;
        const cents = Math.round(rng.range(100, 115) / FXS[p.client.currency]!) * 100;
        const to = i === 0 ? Math.min(win.endDay - 30, p.startDay + 120) : null;
        rateCards.push({ scope: 'project', scopeId: p.id, role: '', from: p.startDay, to: to !== null && to > p.startDay ? to : null, cents, currency: p.client.currency });
    }
    if (!rateCards.some((r) => r.to !== null) && tmEur.length > 0) {
        const p = tmEur[0]!;
        const card = rateCards.find((r) => r.scope === 'project' && r.scopeId === p.id);
        if (card) card.to = p.startDay + 60;
    }
}

/** Project × role cards: specialist rates, one in a foreign currency. */
function projectRoleCards(rng: Rng, clientProjects: Project[], clientRate: Map<Client, number>, rateCards: RateCard[]): void {
    const tm = clientProjects.filter((p) => p.model === 'time_and_materials');
    const prCandidates = tm.filter((p) => p.items.some((it) => it.role === 'architect' || it.role === 'senior_developer' || it.role === 'data_engineer'));
    const tmForeign = prCandidates.filter((p) => p.client.currency !== REPORTING_CURRENCY);
    const prProjects = [...(tmForeign.length > 0 ? [tmForeign[0]!] : []), ...prCandidates.filter((p) => p.client.currency === REPORTING_CURRENCY).slice(0, 3)];
    for (const p of prProjects) {
        const it = p.items.find((x) => x.role === 'architect' || x.role === 'data_engineer') ?? p.items.find((x) => x.role === 'senior_developer')!;
        const baseRate = clientRate.get(p.client) ?? ROLE_SPECS[it.role].rate * 100;
        rateCards.push({ scope: 'project_role', scopeId: p.id, role: it.role, from: p.startDay, to: null, cents: Math.round((baseRate * rng.range(1.08, 1.2)) / 100) * 100, currency: p.client.currency });
    }
}

/** Person cards: two specialists with personal rates, raised once mid-period. */
function personCards(win: PlanWindow, people: Person[], rateCards: RateCard[]): void {
    const { startDay, endDay } = win;
    const personCard = [people.find((p) => p.role === 'architect' && p.hireDay < startDay), people.find((p) => p.role === 'consultant' && p.hireDay < startDay)];
    for (const p of personCard) {
        if (!p) continue;
        const cents = (ROLE_SPECS[p.role].rate + 20) * 100;
        rateCards.push({ scope: 'person', scopeId: p.id, role: '', from: jan1(win.startYear), to: null, cents, currency: REPORTING_CURRENCY });
        const mid = monthFirstDay(monthKey(startDay + Math.floor((endDay - startDay) * 0.55)));
        rateCards.push({ scope: 'person', scopeId: p.id, role: '', from: mid, to: null, cents: cents + 1000, currency: REPORTING_CURRENCY });
    }
}
