/**
 * Failed sign-ins counted per address, so tokens cannot be guessed at the speed of the network: after
 * `limit` failures in a window the address must wait for the window's end (plugins/auth.ts answers 429 with
 * Retry-After). A fixed window per address: it starts with the address's first failure. The table is
 * bounded: past `maxAddresses` the address whose window started first is forgotten.
 */
export interface FailureLimitOptions {
    /** Failures an address may have in one window (default 20). */
    limit?: number;
    windowMs?: number;
    maxAddresses?: number;
    now?: () => number;
}

export class FailureLimiter {
    readonly limit: number;
    readonly windowMs: number;
    readonly maxAddresses: number;
    private readonly now: () => number;
    /** Insertion order is window start order: a new window re-inserts its address. */
    private readonly windows = new Map<string, { start: number; failures: number }>();

    constructor(options: FailureLimitOptions = {}) {
        this.limit = options.limit ?? 20;
        this.windowMs = options.windowMs ?? 60_000;
        this.maxAddresses = options.maxAddresses ?? 10_000;
        this.now = options.now ?? Date.now;
    }

    /** Whole seconds until the address may try again; 0 when it may now. */
    retryAfter(address: string): number {
        const w = this.current(address);
        if (!w || w.failures < this.limit) return 0;
        return Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
    }

    /** Counts a failure; returns the address's failures in its window. */
    fail(address: string): number {
        let w = this.current(address);
        if (!w) {
            w = { start: this.now(), failures: 0 };
            this.windows.delete(address);
            this.windows.set(address, w);
            while (this.windows.size > this.maxAddresses) this.windows.delete(this.windows.keys().next().value!);
        }
        return ++w.failures;
    }

    /** Addresses remembered (for the bound's test). */
    get size(): number {
        return this.windows.size;
    }

    private current(address: string) {
        const w = this.windows.get(address);
        return w && this.now() < w.start + this.windowMs ? w : undefined;
    }
}
