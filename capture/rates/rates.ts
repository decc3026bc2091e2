/**
 * Rate cards and cost rates, effective-dated (PRODUCT.md): finance and admins add a rate from a date, end one,
 * and see every card with its history. A change writes canonical rows (rate_cards, cost_rates), the same a
 * file loads, so the marts re-price the work it covers; an invoice already made keeps its own lines' rates and
 * amounts, so a change never re-prices what was invoiced.
 *
 * "Which rate did this entry get and why": every card whose scope matches the entry, the one that applies
 * (the most specific scope — project_role, project, client, person, role, firm — and within it the latest
 * effective_from on or before the work date, not ended before it) and, for each other, why it lost.
 */
import { finishWrite, InvoicingError, isDate, writeBatch, type Actor } from '../invoicing/write.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export const SCOPES = ['project_role', 'project', 'client', 'person', 'role', 'firm'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A card's precedence in SQL (1 wins): its scope's place in SCOPES, the most specific first — the rule
 * models/staging/stg_rate_cards.sql states for the marts.
 */
export const SCOPE_PRECEDENCE = `case scope ${SCOPES.slice(0, -1).map((s, i) => `when '${s}' then ${i + 1}`).join(' ')} else ${SCOPES.length} end`;

export interface RateCard {
    scope: Scope;
    scope_id: string;
    role: string;
    effective_from: string;
    effective_to: string | null;
    hourly_rate: number;
    currency: string;
}


export async function rateCards(warehouse: Warehouse): Promise<(RateCard & { batch_id: number })[]> {
    return warehouse.all(
        `select scope, scope_id, role, effective_from, effective_to, hourly_rate::double as hourly_rate, currency, batch_id
        from canonical.rate_cards
        order by ${SCOPE_PRECEDENCE},
            scope_id, role, effective_from desc`,
    );
}

export async function costRates(warehouse: Warehouse): Promise<{ person_id: string; name: string | null; effective_from: string; hourly_cost: number; currency: string }[]> {
    return warehouse.all(
        `select c.person_id, p.name, c.effective_from, c.hourly_cost::double as hourly_cost, c.currency
        from canonical.cost_rates c left join canonical.people p using (person_id)
        order by p.name, c.person_id, c.effective_from desc`,
    );
}

/** What a scope's id must name, checked against the canonical tables. */
async function checkScope(warehouse: Warehouse, card: RateCard): Promise<void> {
    if (!SCOPES.includes(card.scope)) throw new InvoicingError(400, `scope must be one of ${SCOPES.join(', ')}`, 'scope');
    const needsId = card.scope !== 'firm' && card.scope !== 'role';
    const needsRole = card.scope === 'role' || card.scope === 'project_role';
    if (needsId !== (card.scope_id !== '')) throw new InvoicingError(400, needsId ? `a ${card.scope} card names its ${card.scope.replace('project_role', 'project')} in scope_id` : `a ${card.scope} card has no scope_id`, 'scope_id');
    if (needsRole !== (card.role !== '')) throw new InvoicingError(400, needsRole ? `a ${card.scope} card names its role` : `a ${card.scope} card has no role`, 'role');
    const table = { project_role: 'projects', project: 'projects', client: 'clients', person: 'people' }[card.scope as string];
    const key = { project_role: 'project_id', project: 'project_id', client: 'client_id', person: 'person_id' }[card.scope as string];
    if (table && !(await warehouse.one(`select 1 as found from canonical.${table} where ${key} = $1`, [card.scope_id]))) {
        throw new InvoicingError(400, `no ${table.replace(/s$/, '').replace('peopl', 'person')} "${card.scope_id}"`, 'scope_id');
    }
}

/**
 * Adds a card from effective_from. The card it follows in the same scope (the latest earlier one still open)
 * is ended the day before, so the two never overlap.
 */
export async function addRate(warehouse: Warehouse, card: RateCard, actor: Actor): Promise<void> {
    if (!isDate(card.effective_from)) throw new InvoicingError(400, 'effective_from must be a date YYYY-MM-DD', 'effective_from');
    if (card.effective_to !== null && (!isDate(card.effective_to) || card.effective_to < card.effective_from)) {
        throw new InvoicingError(400, 'effective_to must be a date on or after effective_from', 'effective_to');
    }
    if (!(card.hourly_rate >= 0) || Math.round(card.hourly_rate * 100) / 100 !== card.hourly_rate) throw new InvoicingError(400, 'hourly_rate must be an amount ≥ 0 in cents', 'hourly_rate');
    if (!/^[A-Z]{3}$/.test(card.currency)) throw new InvoicingError(400, 'currency must be a three-letter code such as EUR', 'currency');
    await warehouse.transaction(async () => {
        await checkScope(warehouse, card);
        const same = `scope = $1 and scope_id = $2 and role = $3`;
        const key = [card.scope, card.scope_id, card.role];
        if (await warehouse.one(`select 1 as found from canonical.rate_cards where ${same} and effective_from = $4`, [...key, card.effective_from])) {
            throw new InvoicingError(409, `this scope already has a card from ${card.effective_from}; end it or choose another date`);
        }
        const previous = await warehouse.one<RateCard>(
            `select scope, scope_id, role, effective_from, effective_to, hourly_rate::double as hourly_rate, currency
            from canonical.rate_cards where ${same} and effective_from < $4 and (effective_to is null or effective_to >= $4)
            order by effective_from desc limit 1`,
            [...key, card.effective_from],
        );
        const batch = await writeBatch(warehouse, 'rate_cards', `rate card from ${card.effective_from}`, previous ? 2 : 1, actor);
        const touched: object[] = [card];
        if (previous) {
            const ended = { ...previous, effective_to: dayBefore(card.effective_from) };
            await warehouse.run(`update canonical.rate_cards set effective_to = $5, batch_id = $6 where ${same} and effective_from = $4`, [
                ...key,
                previous.effective_from,
                ended.effective_to,
                batch,
            ]);
            touched.push(previous, ended);
        }
        await warehouse.run(`insert into canonical.rate_cards values ($1, $2, $3, $4, $5, $6, $7, $8)`, [
            card.scope,
            card.scope_id,
            card.role,
            card.effective_from,
            card.effective_to,
            card.hourly_rate,
            card.currency,
            batch,
        ]);
        await finishWrite(warehouse, actor, { rate_cards: touched }, { action: 'rate_add', entity: 'rate_cards', entity_id: cardId(card), before: previous ?? null, after: card });
    });
}

/** Ends a card on a date (its last day); the scope falls back to the next most specific card after it. */
export async function endRate(warehouse: Warehouse, key: Pick<RateCard, 'scope' | 'scope_id' | 'role' | 'effective_from'>, effectiveTo: string, actor: Actor): Promise<void> {
    if (!isDate(effectiveTo)) throw new InvoicingError(400, 'effective_to must be a date YYYY-MM-DD', 'effective_to');
    await warehouse.transaction(async () => {
        const where = `scope = $1 and scope_id = $2 and role = $3 and effective_from = $4`;
        const params = [key.scope, key.scope_id, key.role, key.effective_from];
        const before = await warehouse.one<RateCard>(
            `select scope, scope_id, role, effective_from, effective_to, hourly_rate::double as hourly_rate, currency from canonical.rate_cards where ${where}`,
            params,
        );
        if (!before) throw new InvoicingError(404, `no ${key.scope} card from ${key.effective_from}`);
        if (effectiveTo < before.effective_from) throw new InvoicingError(400, `effective_to may not be before the card's effective_from ${before.effective_from}`, 'effective_to');
        const batch = await writeBatch(warehouse, 'rate_cards', `rate card ended ${effectiveTo}`, 1, actor);
        await warehouse.run(`update canonical.rate_cards set effective_to = $5, batch_id = $6 where ${where}`, [...params, effectiveTo, batch]);
        const after = { ...before, effective_to: effectiveTo };
        await finishWrite(warehouse, actor, { rate_cards: [before, after] }, { action: 'rate_end', entity: 'rate_cards', entity_id: cardId(before), before, after });
    });
}

export async function addCostRate(
    warehouse: Warehouse,
    rate: { person_id: string; effective_from: string; hourly_cost: number; currency: string },
    actor: Actor,
): Promise<void> {
    if (!isDate(rate.effective_from)) throw new InvoicingError(400, 'effective_from must be a date YYYY-MM-DD', 'effective_from');
    if (!(rate.hourly_cost >= 0) || Math.round(rate.hourly_cost * 100) / 100 !== rate.hourly_cost) throw new InvoicingError(400, 'hourly_cost must be an amount ≥ 0 in cents', 'hourly_cost');
    if (!/^[A-Z]{3}$/.test(rate.currency)) throw new InvoicingError(400, 'currency must be a three-letter code such as EUR', 'currency');
    await warehouse.transaction(async () => {
        if (!(await warehouse.one(`select 1 as found from canonical.people where person_id = $1`, [rate.person_id]))) throw new InvoicingError(400, `no person "${rate.person_id}"`, 'person_id');
        if (await warehouse.one(`select 1 as found from canonical.cost_rates where person_id = $1 and effective_from = $2`, [rate.person_id, rate.effective_from])) {
            throw new InvoicingError(409, `${rate.person_id} already has a cost rate from ${rate.effective_from}`);
        }
        const batch = await writeBatch(warehouse, 'cost_rates', `cost rate from ${rate.effective_from}`, 1, actor);
        await warehouse.run(`insert into canonical.cost_rates values ($1, $2, $3, $4, $5)`, [rate.person_id, rate.effective_from, rate.hourly_cost, rate.currency, batch]);
        await finishWrite(warehouse, actor, { cost_rates: [rate] }, { action: 'cost_rate_add', entity: 'cost_rates', entity_id: `${rate.person_id}@${rate.effective_from}`, after: rate });
    });
}

export interface RateExplanation {
    /** client_id is null on an internal project: no client card can apply. */
    entry: { entry_id: string; person_id: string; role: string; project_id: string; client_id: string | null; work_date: string };
    applied: (RateCard & { why: string }) | null;
    candidates: (RateCard & { applies: boolean; why: string })[];
}

export async function explainEntry(warehouse: Warehouse, entryId: string): Promise<RateExplanation | null> {
    const entry = await warehouse.one<RateExplanation['entry']>(
        `select e.entry_id, e.person_id, pe.role, e.project_id, p.client_id, e.work_date
        from canonical.time_entries e join canonical.projects p using (project_id) join canonical.people pe on pe.person_id = e.person_id
        where e.entry_id = $1`,
        [entryId],
    );
    if (!entry) return null;
    const cards = await warehouse.all<RateCard>(
        `select scope, scope_id, role, effective_from, effective_to, hourly_rate::double as hourly_rate, currency
        from canonical.rate_cards
        where (scope = 'project_role' and scope_id = $1 and role = $2)
            or (scope = 'project' and scope_id = $1)
            or (scope = 'client' and scope_id = $3)
            or (scope = 'person' and scope_id = $4)
            or (scope = 'role' and role = $2)
            or scope = 'firm'`,
        [entry.project_id, entry.role, entry.client_id, entry.person_id],
    );
    const inForce = (c: RateCard) => c.effective_from <= entry.work_date && (c.effective_to === null || c.effective_to >= entry.work_date);
    const rank = (c: RateCard) => SCOPES.indexOf(c.scope);
    const ordered = cards.sort((a, b) => rank(a) - rank(b) || (a.effective_from < b.effective_from ? 1 : -1));
    const applied = ordered.find(inForce) ?? null;
    const candidates = ordered.map((c) => {
        let why: string;
        if (c === applied) why = `the most specific scope in force on ${entry.work_date}`;
        else if (c.effective_from > entry.work_date) why = `starts ${c.effective_from}, after the work date`;
        else if (c.effective_to !== null && c.effective_to < entry.work_date) why = `ended ${c.effective_to}, before the work date`;
        else if (applied && rank(c) > rank(applied)) why = `a less specific scope than ${applied.scope}`;
        else why = `an older card of the same scope than the one from ${applied?.effective_from}`;
        return { ...c, applies: c === applied, why };
    });
    return { entry, applied: applied ? { ...applied, why: candidates.find((c) => c.applies)!.why } : null, candidates };
}

function dayBefore(date: string): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function cardId(c: Pick<RateCard, 'scope' | 'scope_id' | 'role' | 'effective_from'>): string {
    return [c.scope, c.scope_id, c.role, c.effective_from].join('|');
}
