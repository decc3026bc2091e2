/**
 * A page's write and what the page says after it: busy while it runs, a confirmation when it is done (then
 * `afterDone`, typically a reload of what it changed), the API's refusal when it is not.
 */
import { ApiError, toApiError } from './client.ts';

export class PageAction {
    busy = $state(false);
    failure = $state<ApiError | null>(null);
    /** The confirmation of the last write that succeeded; '' while another runs or after a failure. */
    done = $state('');
    readonly #failedTitle: string;
    readonly #afterDone: () => void;

    /** `failedTitle` heads an error that is not the API's own (the network, a bug). */
    constructor(failedTitle: string, afterDone: () => void) {
        this.#failedTitle = failedTitle;
        this.#afterDone = afterDone;
    }

    run = async (what: () => Promise<unknown>, message: string): Promise<void> => {
        this.busy = true;
        this.failure = null;
        this.done = '';
        try {
            await what();
            this.done = message;
            this.#afterDone();
        } catch (err) {
            this.failure = toApiError(err, this.#failedTitle);
        } finally {
            this.busy = false;
        }
    };
}
