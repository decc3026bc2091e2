/**
 * What an hour is worth: the fx rate of a date, and each entry's standard value std(e) and cost(e) in the
 * reporting currency at its work date's rate (PRODUCT.md "Canonical data", rate cards and cost rates).
 */
import { cardKey, type Entry, type Firm, type Person, type Project, type RateCard } from './canonical.ts';
import { dayNumber, divRound, UNIT } from './exact.ts';

/** Conversion to the reporting currency; a rate the data lacks is a problem, recorded, and converts to 0. */
export class Fx {
    private readonly firm: Firm;
    private readonly problems: string[];

    constructor(firm: Firm, problems: string[]) {
        this.firm = firm;
        this.problems = problems;
    }

    /** rate_to_reporting of the latest date on or before `date` (1 for the reporting currency). */
    rate(currency: string, date: string, what: string): bigint {
        if (currency === this.firm.reportingCurrency) return UNIT;
        const c = this.firm.fx.get(currency);
        const d = dayNumber(date);
        let lo = 0;
        let hi = (c?.days.length ?? 0) - 1;
        let found = -1;
        while (c && lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (c.days[mid]! <= d) {
                found = mid;
                lo = mid + 1;
            } else hi = mid - 1;
        }
        if (found < 0) {
            this.problems.push(`no ${currency} rate on or before ${date} (${what})`);
            return 0n;
        }
        return c!.rates[found]!;
    }

    convert(amount: bigint, currency: string, date: string, what: string): bigint {
        return divRound(amount * this.rate(currency, date, what), UNIT);
    }
}

/** The rate card that prices an entry, or null when no card is in force for it. */
function billRate(firm: Firm, e: Entry, person: Person, project: Project): RateCard | null {
    // PRODUCT.md: the most specific scope that matches — project_role, project, client, person, role,
    // firm — and within it the card with the latest effective_from ≤ work_date (and effective_to
    // empty or ≥ work_date). Read as: a scope matches when it has a card in force on the work date.
    const scopes = [
        cardKey('project_role', project.id, person.role),
        cardKey('project', project.id, ''),
        cardKey('client', project.client, ''),
        cardKey('person', person.id, ''),
        cardKey('role', '', person.role),
        cardKey('firm', '', ''),
    ];
    for (const key of scopes) {
        let best: RateCard | null = null;
        for (const c of firm.cards.get(key) ?? []) {
            if (c.from > e.date || (c.to !== null && c.to < e.date)) continue;
            if (!best || c.from > best.from) best = c;
        }
        if (best) return best;
    }
    return null;
}

/** std(e) and cost(e) by entry id; an entry without a rate card (or cost rate) has no value there. */
export function entryPrices(firm: Firm, fx: Fx): { std: Map<string, bigint>; cost: Map<string, bigint> } {
    const std = new Map<string, bigint>();
    const cost = new Map<string, bigint>();
    const hourValue = (seconds: number, perHour: bigint, rate: bigint): bigint => divRound(BigInt(seconds) * perHour * rate, 3600n * UNIT);
    for (const e of firm.entries) {
        const person = firm.people.get(e.person)!;
        const project = firm.projects.get(e.project)!;
        const card = billRate(firm, e, person, project);
        if (card) {
            const rate = fx.rate(card.currency, e.date, `rate card for ${e.id}`);
            std.set(e.id, hourValue(e.seconds, card.rate, rate));
        }
        const cr = [...(firm.costRates.get(e.person) ?? [])].reverse().find((c) => c.from <= e.date);
        if (cr) cost.set(e.id, hourValue(e.seconds, cr.cost, fx.rate(cr.currency, e.date, `cost rate for ${e.id}`)));
    }
    return { std, cost };
}
