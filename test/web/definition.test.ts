import { describe, expect, it } from 'vitest';
import { splitDefinition } from '../../web/lib/definition.ts';

describe('a definition as the ⓘ shows it', () => {
    it('leads with the plain sentence and lists the models it names apart, once each', () => {
        expect(splitDefinition('Billing realization = billed ÷ standard value (marts.fct_realization).')).toEqual({ plain: 'Billing realization = billed ÷ standard value.', models: ['marts.fct_realization'] });
        expect(splitDefinition('Ratio (marts.fct_a, marts.fct_b); then (marts.fct_a and intermediate.int_d).')).toEqual({ plain: 'Ratio; then.', models: ['marts.fct_a', 'marts.fct_b', 'intermediate.int_d'] });
    });

    it('keeps a parenthesis that says more than a model name, and text without models as it is', () => {
        const text = 'Budget burn (GET /api/budget-burn/months; the daily burn reads marts.fct_budget_burn_daily) by month.';
        expect(splitDefinition(text)).toEqual({ plain: text, models: ['marts.fct_budget_burn_daily'] });
        expect(splitDefinition('Hours used ÷ budget hours (as of the as-of date).')).toEqual({ plain: 'Hours used ÷ budget hours (as of the as-of date).', models: [] });
    });
});
