/**
 * The firm's clients: the firm itself (C000, which its internal projects plan against; written as no client) and
 * the external clients with their payment habits.
 */
import type { Rng } from '../../../lib/rng.ts';
import { CLIENTS, REPORTING_CURRENCY } from '../reference.ts';
import type { Client } from './types.ts';

export function planClients(rng: Rng, scale: number): Client[] {
    const nClients = scale >= 1 ? CLIENTS.length : Math.max(6, Math.round(CLIENTS.length * scale));
    const clients: Client[] = [
        { idx: 0, id: 'C000', name: 'Northwind Digital (internal)', short: 'NWD', currency: REPORTING_CURRENCY, internal: true, termsDays: 30, payMean: 0, paySd: 0, unpaidP: 0 },
    ];
    for (let i = 0; i < nClients; i++) {
        const spec = CLIENTS[i]!;
        const kind = rng.weighted([0.5, 0.3, 0.15, 0.05]);
        const [payMean, paySd, unpaidP] = kind === 0 ? [-2, 4, 0.005] : kind === 1 ? [12, 8, 0.01] : kind === 2 ? [35, 15, 0.03] : [25, 20, 0.3];
        clients.push({
            idx: i + 1,
            id: 'C' + String(i + 1).padStart(3, '0'),
            name: spec.name,
            short: spec.short,
            currency: spec.currency,
            internal: false,
            termsDays: rng.pick([14, 30, 30, 30, 45, 60]),
            payMean,
            paySd,
            unpaidP,
        });
    }
    // at least one client that pays badly
    if (!clients.some((c) => c.unpaidP >= 0.3)) {
        const c = clients[1 + rng.int(nClients)]!;
        c.payMean = 25;
        c.paySd = 20;
        c.unpaidP = 0.3;
    }
    return clients;
}
