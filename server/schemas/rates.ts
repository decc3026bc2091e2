/** Rate cards and cost rates (effective-dated, PRODUCT.md) and which card an entry got, and why. */
import { z } from 'zod';
import { bodyDate } from './common.ts';

const scope = z.enum(['project_role', 'project', 'client', 'person', 'role', 'firm']);
const amount = z.number().min(0).refine((v) => Math.round(v * 100) / 100 === v, 'must be an amount in cents');
const currency = z.string().regex(/^[A-Z]{3}$/, 'a three-letter code such as EUR');

export const rateCard = z.object({
    scope,
    scope_id: z.string().describe('The client, project or person; empty for firm and role'),
    role: z.string().describe('Set for role and project_role; empty otherwise'),
    effective_from: z.string(),
    effective_to: z.string().nullable(),
    hourly_rate: z.number(),
    currency: z.string(),
});

export const ratesAnswer = z.object({
    cards: z.array(rateCard.extend({ batch_id: z.number() })),
    cost_rates: z.array(z.object({ person_id: z.string(), name: z.string().nullable(), effective_from: z.string(), hourly_cost: z.number(), currency: z.string() })),
});

export const addRateBody = z.strictObject({
    scope,
    scope_id: z.string().max(200).default(''),
    role: z.string().max(200).default(''),
    effective_from: bodyDate,
    effective_to: bodyDate.nullish(),
    hourly_rate: amount,
    currency,
});

export const endRateBody = z.strictObject({
    scope,
    scope_id: z.string().max(200).default(''),
    role: z.string().max(200).default(''),
    effective_from: bodyDate.describe('The card’s start, which names it'),
    effective_to: bodyDate.describe('Its last day'),
});

export const costRateBody = z.strictObject({ person_id: z.string().min(1).max(200), effective_from: bodyDate, hourly_cost: amount, currency });

export const entryParam = z.strictObject({ entry_id: z.string().min(1).max(200) });

const candidate = rateCard.extend({ why: z.string() });
export const explainAnswer = z.object({
    entry: z.object({ entry_id: z.string(), person_id: z.string(), role: z.string(), project_id: z.string(), client_id: z.string().nullable(), work_date: z.string() }),
    applied: candidate.nullable(),
    candidates: z.array(candidate.extend({ applies: z.boolean() })),
});
