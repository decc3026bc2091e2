/**
 * How the backtest combines its forecasters and chooses the P50 (models/quote/ensemble.ts), on made-up rounds.
 */
import { describe, expect, it } from 'vitest';
import { MLPoly, P50Gate } from '../../models/quote/ensemble.ts';
import { pinball, pinballSlope } from '../../models/quote/metrics.ts';
import { QuoteRng } from '../../models/quote/rng.ts';

const normal = (rng: QuoteRng) => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());

/** Runs ML-Poly on the median of outcomes y with the forecasters' constant forecasts; returns losses and the last weights. */
function run(forecasts: number[], outcomes: number[], tau = 0.5) {
    const m = new MLPoly(forecasts.length);
    const w = new Float64Array(forecasts.length);
    let combined = 0;
    const each = forecasts.map(() => 0);
    for (const y of outcomes) {
        m.weights(w);
        const qhat = forecasts.reduce((s, q, k) => s + w[k]! * q, 0);
        combined += pinball(y, qhat, tau);
        forecasts.forEach((q, k) => (each[k]! += pinball(y, q, tau)));
        m.update(pinballSlope(y, qhat, tau), forecasts, qhat);
    }
    return { combined, each, weights: Array.from(m.weights(w)) };
}

describe('MLPoly', () => {
    it('weighs the forecasters equally before any outcome', () => {
        expect(Array.from(new MLPoly(3).weights(new Float64Array(3)))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    });

    it('moves the weight to the forecaster that is right', () => {
        const rng = new QuoteRng(3);
        const ys = Array.from({ length: 400 }, () => 2 + 0.3 * normal(rng));
        const r = run([0, 2], ys);
        expect(r.weights[1]).toBeGreaterThan(0.95);
        expect(r.combined).toBeLessThan(r.each[0]!);
    });

    it('beats both forecasters when a mixture of them is better than either (the gradient trick)', () => {
        // The median of N(0, 1) outcomes forecast at −1 and at +1: the half-and-half mixture, 0, is right.
        const rng = new QuoteRng(5);
        const ys = Array.from({ length: 2000 }, () => normal(rng));
        const r = run([-1, 1], ys);
        expect(r.combined).toBeLessThan(Math.min(...r.each) * 0.9);
        expect(r.weights[0]).toBeGreaterThan(0.35);
        expect(r.weights[0]).toBeLessThan(0.65);
    });
});

describe('P50Gate', () => {
    it('is closed before any outcome and while the median is no better a point than the estimate', () => {
        const gate = new P50Gate();
        expect(gate.open).toBe(false);
        // The actual is the estimate half the time, else 1.5 times it; the median says 1.2 times: worse, mostly.
        for (let i = 0; i < 200; i++) gate.update(Math.log(1.2), i % 2 ? 0 : Math.log(1.5));
        expect(gate.open).toBe(false);
    });

    it('opens once the median has shown itself the better point', () => {
        // Every actual about twice the estimate; the median says 2.
        const rng = new QuoteRng(8);
        const gate = new P50Gate();
        let opened = -1;
        for (let i = 0; i < 100 && opened < 0; i++) {
            gate.update(Math.log(2), Math.log(2) + 0.1 * normal(rng));
            if (gate.open) opened = i + 1;
        }
        // Each outcome is a gain (within t of the median, not of the estimate): G > 2√G from the fifth on.
        expect(opened).toBe(5);
    });
});
