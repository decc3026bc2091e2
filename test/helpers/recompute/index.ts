/**
 * A second, independent implementation of the figures of PRODUCT.md, for test/server/recompute.test.ts:
 * plain TypeScript over the canonical CSV files of a folder. No warehouse, no SQL, nothing imported from
 * models/, server/ or ingest/: it is written from PRODUCT.md ("Canonical data", "Metrics", "The margin
 * funnel"), and from a model's .yml only where the .yml documents how it refines an ambiguous clause (each
 * such place says so here).
 *
 * Exact arithmetic:
 * - money is a bigint of pico-units (1e-12) of the reporting currency (or of a document's own currency
 *   before conversion). Inputs are decimals with at most 4 places, so they are exact; a product or a pro-rata
 *   share is rounded once, half away from zero, to the pico-unit — 25 000 such roundings move a total by
 *   far less than a millionth of a cent;
 * - hours are integer ticks of 1/180 000 000 h: a second is 50 000 ticks, a decimal hour with 4 places is
 *   a whole number of ticks and so is weekly_hours ÷ 5 — every hour figure is exact.
 *
 * The figures are first computed at a fine grain ("facts": client × project × month, person × week ×
 * month, project × phase, retainer project × month, …) and then summed for whatever grouping and filters a
 * test asks, as ratio of sums.
 *
 * The modules beside this one, in the order the figures build on each other: exact.ts (numbers, dates),
 * canonical.ts (the CSV files, typed), prices.ts (fx, each entry's std and cost), utilization.ts (capacity
 * by person-day, utilization slices), funnel.ts (the project-month facts, tracked and untracked value),
 * revenue.ts (revenue recognized, retainer months, the overrun's parts), billing.ts (billed, credited,
 * collected), delivery.ts (estimate vs actual, budget burn); facts.ts holds the grains' shapes.
 */
import { attributeBilling } from './billing.ts';
import { Firm, type Project } from './canonical.ts';
import { budgetBurn, phaseFacts } from './delivery.ts';
import { monthOf } from './exact.ts';
import type { BurnRow, Filters, PhaseFact, ProjectMonthFact, RetainerMonth, UtilizationFact } from './facts.ts';
import { addTrackedValue, addUntrackedValue, ProjectMonths } from './funnel.ts';
import { entryPrices, Fx } from './prices.ts';
import { recognizeRevenue, splitTheOverrun } from './revenue.ts';
import { personDays, utilizationSlices } from './utilization.ts';

export { parseCsv } from './canonical.ts';
export { addMonths, dayNumber, divRound, hours, isoDay, money, mondayOf, monthEnd, monthOf, pico, splitCents, TICKS_PER_HOUR, UNIT, weekday } from './exact.ts';
export type { BurnRow, Filters, Part, PhaseFact, ProjectMonthFact, RetainerMonth, UtilizationFact } from './facts.ts';

export class Recomputation {
    readonly reportingCurrency: string;
    readonly asOf: string;
    readonly horizon: string;
    readonly projectMonths: ProjectMonthFact[];
    readonly utilization: UtilizationFact[];
    readonly phases: PhaseFact[];
    readonly retainerMonths: RetainerMonth[];
    readonly burn: BurnRow[];
    readonly projects: ReadonlyMap<string, Project>;
    /** Things the data holds that this implementation does not price (a missing fx rate …); a test expects none. */
    readonly problems: string[] = [];

    private readonly fx: Fx;

    /** `asOf`: a report's as-of date instead of the firm's (settings.csv). */
    constructor(dir: string, options: { asOf?: string } = {}) {
        const firm = new Firm(dir, options.asOf);
        this.reportingCurrency = firm.reportingCurrency;
        this.asOf = firm.asOf;
        this.horizon = firm.horizon;
        this.projects = firm.projects;
        this.fx = new Fx(firm, this.problems);

        const { std, cost } = entryPrices(firm, this.fx);
        const capacity = personDays(firm);
        const facts = new ProjectMonths(firm);
        addTrackedValue(firm, facts, std, cost);
        addUntrackedValue(firm, facts, std, capacity);
        this.retainerMonths = recognizeRevenue(firm, this.fx, facts);
        splitTheOverrun(firm, facts, std, this.retainerMonths);
        attributeBilling(firm, this.fx, facts, this.problems);
        this.projectMonths = facts.all().filter((f) => firm.projects.get(f.project_id)!.model !== 'non_billable');

        this.utilization = utilizationSlices(firm, capacity);
        this.phases = phaseFacts(firm);
        this.burn = budgetBurn(firm);
    }

    /** rate_to_reporting of the latest date on or before `date` (1 for the reporting currency). */
    fxRate(currency: string, date: string, what: string): bigint {
        return this.fx.rate(currency, date, what);
    }

    convert(amount: bigint, currency: string, date: string, what: string): bigint {
        return this.fx.convert(amount, currency, date, what);
    }

    // ------------------------------------------------------------ report scopes

    /** Whether a month (first day) is in a report's period: the API's monthly marts select whole months through as_of. */
    inPeriod(month: string, f: Filters): boolean {
        if (month > this.asOf) return false;
        if (f.from && month < monthOf(f.from)) return false;
        if (f.to && month > f.to) return false;
        return true;
    }

    projectMonthsIn(f: Filters): ProjectMonthFact[] {
        return this.projectMonths.filter(
            (r) =>
                this.inPeriod(r.month, f) &&
                (!f.client_id || r.client_id === f.client_id) &&
                (!f.project_id || r.project_id === f.project_id) &&
                (!f.project_type || r.project_type === f.project_type),
        );
    }

    utilizationIn(f: Filters): UtilizationFact[] {
        return this.utilization.filter(
            (r) => this.inPeriod(r.month, f) && (!f.person_id || r.person_id === f.person_id) && (!f.role || r.role === f.role),
        );
    }

    /** Estimate vs actual is dated by the project's start date (the API's date column for it). */
    phasesIn(f: Filters): PhaseFact[] {
        return this.phases.filter(
            (r) =>
                r.project_start <= this.asOf &&
                (!f.from || r.project_start >= f.from) &&
                (!f.to || r.project_start <= f.to) &&
                (!f.client_id || r.client_id === f.client_id) &&
                (!f.project_id || r.project_id === f.project_id) &&
                (!f.project_type || r.project_type === f.project_type) &&
                (!f.phase || r.phase === f.phase),
        );
    }
}
