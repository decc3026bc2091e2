/**
 * The quote engine's seeded generator is the project's one generator (lib/rng.ts), drawn without a stream:
 * the same seed gives the same simulation and backtest as before, on every run and platform.
 */
export { Rng as QuoteRng, uniformHash } from '../../lib/rng.ts';
