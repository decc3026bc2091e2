/** Argument parsing shared by the commands: node's parseArgs, with its errors turned into usage errors. */
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../ingest/files.ts';

export const DEFAULT_DB = 'data/realize.duckdb';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args, options, allowPositionals, strict: true });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

export function dbPath(flag: string | undefined): string {
    return path.resolve(flag ?? process.env.REALIZE_DB ?? DEFAULT_DB);
}

export function integer(value: string | undefined, name: string, fallback: number, min = 0): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
    return Number(value);
}

export function isoDate(value: string | undefined, name: string): string | undefined {
    if (value === undefined) return undefined;
    const d = new Date(`${value}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
        throw new UsageError(`--${name} must be a date YYYY-MM-DD, got "${value}"`);
    }
    return value;
}
