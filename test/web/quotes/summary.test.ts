/** The quote pages' tables that are not a chart's (web/lib/features/quotes/summary.ts). */
import { describe, expect, it } from 'vitest';
import { savedQuotesTable } from '../../../web/lib/features/quotes/summary.ts';
import { cellText } from '../../../web/lib/table.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };
const row = (quote_id: number, project_id: string | null) => ({
    quote_id,
    created_at: '2026-01-02T10:00:00Z',
    created_by: 'local',
    name: 'Acme portal',
    project_type: 'web_app',
    billing_model: 'fixed_fee',
    client_id: null,
    project_id,
    target_margin: 0.3,
    confidence: 0.8,
    price: null,
    as_of: '2025-12-31',
    currency: 'EUR',
    estimated_hours: 100,
    hours_p50: 110,
    hours_p80: 130,
    hours_p90: 140,
    quoted_price: 20000,
    series_id: quote_id,
    version: 1,
    revises: null,
    copied_from: null,
});

describe('saved quotes', () => {
    it('shows each quote as #id, dated, and links its number and name to its page and the project it became to its own', () => {
        const t = savedQuotesTable([row(7, 'PRJ-0017'), row(12, null)]);
        const col = (key: string) => t.columns.find((c) => c.key === key)!;
        expect(t.rows.map((r) => [cellText(col('quote_id'), r, ctx), cellText(col('created_at'), r, ctx)])).toEqual([
            ['#7', 'Jan 2, 2026'],
            ['#12', 'Jan 2, 2026'],
        ]);
        expect(t.rows.map((r) => [col('quote_id').href!(r), col('name').href!(r), col('project_id').href!(r)])).toEqual([
            ['/quotes/7', '/quotes/7', '/projects/PRJ-0017'],
            ['/quotes/12', '/quotes/12', null],
        ]);
    });

    it('links the project a quote became only for a caller who may open the project’s page, never to a page that refuses them', () => {
        const t = savedQuotesTable([row(7, 'PRJ-0017')], false);
        expect(t.columns.find((c) => c.key === 'project_id')!.href!(t.rows[0]!)).toBeNull();
        expect(t.rows[0]!.project_id).toBe('PRJ-0017');
    });
});
