/**
 * Entry pass of the demo generator: turns the weekly allocations of the plan into time entries,
 * streamed week by week (all people of a week, then the next week), and bills approved billable
 * time-and-materials entries on the monthly invoice runs as it goes (invoice_line_entries is streamed
 * too; only the per-line totals stay in memory).
 */
import { Rng } from '../../lib/rng.ts';
import type { CsvWriter } from './csv.ts';
import { futureEntries } from './entries/flags.ts';
import type { BillingState, EntryPass } from './entries/types.ts';
import { personWeek } from './entries/week.ts';
import type { Firm } from './plan/types.ts';

export type { BillingState, EntryStats, InvoiceAcc, TimeLine } from './entries/types.ts';

export async function generateEntries(
    firm: Firm,
    target: number,
    entriesOut: CsvWriter,
    ileOut: CsvWriter,
    onProgress?: (done: number, total: number) => void,
): Promise<BillingState> {
    const pass: EntryPass = {
        firm,
        rng: new Rng(firm.seed, 4),
        target,
        monday0: firm.mondays[0]!,
        entriesOut,
        ileOut,
        state: {
            invoices: new Map(),
            billSecs: firm.projects.map(() => new Float64Array(firm.nMonths + 1)),
            stats: { entries: 0, billedEntries: 0, byStatus: { draft: 0, submitted: 0, approved: 0, rejected: 0 } },
        },
        actCache: new Map(),
        seq: 0,
        avgPerDay: 1,
        carry: 0,
        coarse: true,
        processedWorkDays: 0,
        processedLeave: 0,
    };
    const W = firm.mondays.length;
    const leaveTotal = firm.leaveDays;
    for (let w = 0; w < W; w++) {
        // re-aim the number of entries per worked day at the target
        const left = pass.target - pass.state.stats.entries - Math.max(0, leaveTotal - pass.processedLeave);
        const daysLeft = Math.max(1, (firm.workDays - pass.processedWorkDays) * 0.975);
        pass.avgPerDay = Math.max(1, left / daysLeft);
        pass.coarse = pass.avgPerDay <= 12;
        for (const p of firm.people) {
            personWeek(pass, p, w);
            if (pass.entriesOut.pending >= 1 << 20) await pass.entriesOut.flush();
            if (pass.ileOut.pending >= 1 << 20) await pass.ileOut.flush();
        }
        onProgress?.(pass.state.stats.entries, Math.max(pass.target, pass.state.stats.entries));
    }
    futureEntries(pass);
    onProgress?.(pass.state.stats.entries, pass.state.stats.entries);
    return pass.state;
}
