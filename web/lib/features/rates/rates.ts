/** The rates page's data: the API's shapes (server/schemas/rates.ts, as types) and its tables. */
import type { z } from 'zod';
import { amountInRowCurrency, CURRENCY_COLUMN, type TableData } from '../../table.ts';
import type { explainAnswer, ratesAnswer } from '../../../../server/schemas/rates.ts';

export type Rates = z.infer<typeof ratesAnswer>;
export type Explanation = z.infer<typeof explainAnswer>;

/** The scopes, most specific first (the order in which a card wins). */
export const SCOPE_LABELS: Record<string, string> = {
    project_role: 'Project and role',
    project: 'Project',
    client: 'Client',
    person: 'Person',
    role: 'Role',
    firm: 'Firm',
};

export function cardTable(cards: Rates['cards']): TableData {
    return {
        columns: [
            { key: 'scope_label', label: 'Scope', kind: 'text' },
            { key: 'scope_id', label: 'Of', kind: 'text' },
            { key: 'role', label: 'Role', kind: 'text' },
            { key: 'effective_from', label: 'From', kind: 'date' },
            { key: 'effective_to', label: 'To', kind: 'date' },
            amountInRowCurrency('hourly_rate', 'Hourly rate'),
            CURRENCY_COLUMN,
        ],
        rows: cards.map((c) => ({ ...c, scope_label: SCOPE_LABELS[c.scope] ?? c.scope })),
    };
}

export function costTable(rates: Rates['cost_rates']): TableData {
    return {
        columns: [
            { key: 'name', label: 'Person', kind: 'text' },
            { key: 'effective_from', label: 'From', kind: 'date' },
            amountInRowCurrency('hourly_cost', 'Hourly cost'),
            CURRENCY_COLUMN,
        ],
        rows: rates,
    };
}
