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

/** parseArgs options that each take a value (`--name VALUE`), by name. */
export function valueOptions<N extends string>(...names: N[]): Record<N, { type: 'string' }> {
    return Object.fromEntries(names.map((n) => [n, { type: 'string' }])) as Record<N, { type: 'string' }>;
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

/** Sizes as DuckDB writes them: KB, MB, GB, TB are powers of 1000, KiB … TiB powers of 1024; a bare number is bytes. */
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** '3GB' → 3000000000, '1GiB' → 1073741824; anything else is a usage error naming where it came from. */
export function byteSize(value: string, name: string): number {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = m ? m[2]!.toLowerCase() : '';
    const bytes = m && unit in SIZE_UNITS ? Math.floor(Number(m[1]) * SIZE_UNITS[unit]!) : NaN;
    if (!(bytes >= 1)) throw new UsageError(`${name} must be a size such as 512MB, 3GB or 1GiB, got "${value}"`);
    return bytes;
}

/** The flags of what a server may use; each also has an environment variable. */
export const limitOptions = { 'memory-limit': { type: 'string' }, 'temp-limit': { type: 'string' }, 'upload-limit': { type: 'string' } } as const;

export interface ServerLimits {
    /** DuckDB's memory_limit, in bytes. */
    memory: number;
    /** How much DuckDB may spill to `<database>.tmp` beyond it (max_temp_directory_size), in bytes. */
    temp: number;
    /** The largest upload, its files together, in bytes; absent: the server's default (1 GiB). */
    upload?: number;
}

/** --memory-limit, --temp-limit, --upload-limit, else REALIZE_MEMORY_LIMIT, REALIZE_TEMP_LIMIT, REALIZE_UPLOAD_LIMIT. */
export function serverLimits(values: { 'memory-limit'?: string; 'temp-limit'?: string; 'upload-limit'?: string }, env: NodeJS.ProcessEnv = process.env): ServerLimits {
    const size = (flag: keyof typeof limitOptions, variable: string, fallback?: string): number | undefined => {
        if (values[flag] !== undefined) return byteSize(values[flag], `--${flag}`);
        if (env[variable]) return byteSize(env[variable], variable);
        return fallback === undefined ? undefined : byteSize(fallback, `--${flag}`);
    };
    return {
        memory: size('memory-limit', 'REALIZE_MEMORY_LIMIT', '3GB')!,
        temp: size('temp-limit', 'REALIZE_TEMP_LIMIT', '20GB')!,
        upload: size('upload-limit', 'REALIZE_UPLOAD_LIMIT'),
    };
}
