/**
 * What `realize start` / `realize serve` say once the server listens, and what the first start says about
 * the demo firm it seeded: only what a person starting Realize acts on — where to open it, who they can sign
 * in as, how long the seed took. The request log (JSON lines) follows on stdout.
 */

/** A sign-in the demo firm comes with (demo only; the accounts are created when it is seeded). */
export interface DemoAccount {
    role: string;
    login: string;
    password: string;
}

export interface Banner {
    /** The URL to open, e.g. http://127.0.0.1:3000. */
    url: string;
    /** How callers are known: "local mode: every caller is leadership", "tokens from REALIZE_TOKENS_FILE", … */
    mode: string;
    /** The database file as the user named it. */
    database: string;
    /** Memory, spill and upload limits in one line (README: the start line prints them). */
    limits: string;
    /** The demo firm's accounts, when it has them. */
    accounts?: readonly DemoAccount[];
}

export function bannerLines({ url, mode, database, limits, accounts = [] }: Banner): string[] {
    const lines = [`Realize is running: open ${url}`, `  ${database}, ${mode}`];
    if (accounts.length) {
        lines.push('  demo accounts (demo only):');
        const width = Math.max(...accounts.map((a) => a.role.length));
        for (const a of accounts) lines.push(`    ${a.role.padEnd(width)}  ${a.login} / ${a.password}`);
    }
    lines.push(`  ${limits}`);
    return lines;
}

/** "seeded the demo firm in 48 s: 150 people, 30 clients, 120 projects, 399,526 time entries". */
export function seededLine(seconds: number, rows: Readonly<Record<string, number>>): string {
    const count = (entity: string, label: string) => `${(rows[entity] ?? 0).toLocaleString('en-US')} ${label}`;
    return `seeded the demo firm in ${seconds.toFixed(0)} s: ${[count('people', 'people'), count('clients', 'clients'), count('projects', 'projects'), count('time_entries', 'time entries')].join(', ')}`;
}
