/**
 * Calendar days as ISO strings (YYYY-MM-DD, UTC): capture's weeks and the warehouse's week partitions count
 * them the same way, as DuckDB's date_trunc('week', …) does (weeks start on Monday).
 */
const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
    return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the ISO week `date` falls in. */
export function weekStart(date: string): string {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return addDays(date, -((day + 6) % 7));
}
