/** A problem with how the command was called (exit code 2), not with the data in a file. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UsageError';
    }
}
