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

export function resource<T>(load: () => Promise<T>): Resource<T> {
    let status = $state<Status>('loading');
    let value = $state.raw<T | undefined>(undefined);
    let error = $state.raw<ApiError | undefined>(undefined);
    let attempt = $state(0);

    $effect(() => {
        void attempt;
        let live = true;
        let promise: Promise<T>;
        try {
            promise = load();
        } catch (err) {
            promise = Promise.reject(err);
        }
        status = 'loading';
        promise.then(
            (v) => {
                if (!live) return;
                value = v;
                error = undefined;
                status = 'ready';
            },
            (err: unknown) => {
                if (!live) return;
                error = err instanceof ApiError ? err : new ApiError(0, 'Something went wrong', err instanceof Error ? err.message : String(err));
                status = 'error';
            },
        );
        return () => {
            live = false;
        };
    });

    return {
        get status() {
            return status;
        },
        get value() {
            return value;
        },
        get error() {
            return error;
        },
        retry() {
            attempt += 1;
        },
    };
}
