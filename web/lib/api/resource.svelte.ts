/**
 * A request whose inputs are reactive: it re-runs when what `load` reads changes (the URL's filters), keeps
 * showing the last answer while the next one loads, and can be retried after an error.
 */
import { ApiError } from './client.ts';

export type Status = 'loading' | 'ready' | 'error';

export interface Resource<T> {
    readonly status: Status;
    readonly value: T | undefined;
    readonly error: ApiError | undefined;
    retry(): void;
}

class LiveResource<T> implements Resource<T> {
    status = $state<Status>('loading');
    value = $state.raw<T | undefined>(undefined);
    error = $state.raw<ApiError | undefined>(undefined);
    #attempt = $state(0);

    constructor(load: () => Promise<T>) {
        $effect(() => {
            void this.#attempt;
            let live = true;
            let promise: Promise<T>;
            try {
                promise = load();
            } catch (err) {
                promise = Promise.reject(err);
            }
            this.status = 'loading';
            promise.then(
                (v) => {
                    if (!live) return;
                    this.value = v;
                    this.error = undefined;
                    this.status = 'ready';
                },
                (err: unknown) => {
                    if (!live) return;
                    this.error = err instanceof ApiError ? err : new ApiError(0, 'Something went wrong', err instanceof Error ? err.message : String(err));
                    this.status = 'error';
                },
            );
            return () => {
                live = false;
            };
        });
    }

    /** A function of its own, so a page may hand it on as it is (onretry={res.retry}). */
    retry = () => {
        this.#attempt += 1;
    };
}

export function resource<T>(load: () => Promise<T>): Resource<T> {
    return new LiveResource(load);
}
