/** Finding a tool's columns in a header, by the names its exports have used (any case). */
import type { Field } from './entries.ts';

/** The first of `names` the header has, as a Field (labelled by the header's own spelling). */
export function pick(header: readonly string[], ...names: string[]): Field | undefined {
    const lower = header.map((h) => h.trim().toLowerCase());
    for (const n of names) {
        const i = lower.indexOf(n.toLowerCase());
        if (i >= 0) return { sql: `c${i}`, label: header[i]! };
    }
    return undefined;
}

/** The first header name that starts with `prefix` (Toggl's `Amount (EUR)`, Clockify's `Billable Rate (USD)`). */
export function pickPrefix(header: readonly string[], prefix: string): Field | undefined {
    const i = header.findIndex((h) => h.trim().toLowerCase().startsWith(prefix.toLowerCase()));
    return i >= 0 ? { sql: `c${i}`, label: header[i]! } : undefined;
}

/** The currency a header names in parentheses (`Amount (EUR)` → EUR), as a constant field. */
export function currencyInHeader(header: readonly string[], prefix: string): Field | undefined {
    const h = header.find((x) => x.trim().toLowerCase().startsWith(prefix.toLowerCase()));
    const code = h ? /\(([A-Z]{3})\)/.exec(h)?.[1] : undefined;
    return code ? { sql: `'${code}'`, label: h! } : undefined;
}

/** Two name columns as one (Harvest's First Name and Last Name). */
export function joined(a: Field | undefined, b: Field | undefined, label: string): Field | undefined {
    if (!a || !b) return a ?? b;
    return { sql: `nullif(trim(concat_ws(' ', nullif(trim(${a.sql}), ''), nullif(trim(${b.sql}), ''))), '')`, label };
}

export function has(header: readonly string[], ...names: string[]): boolean {
    const lower = new Set(header.map((h) => h.trim().toLowerCase()));
    return names.every((n) => lower.has(n.toLowerCase()));
}
