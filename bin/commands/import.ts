import { UsageError } from '../../ingest/files.ts';

/** `realize import <source> DIR`: mapping steps from other formats to canonical data. */
export async function importCommand(args: string[]): Promise<number> {
    const [source] = args;
    throw new UsageError(`unknown source "${source ?? ''}"; available: cesaw`);
}
