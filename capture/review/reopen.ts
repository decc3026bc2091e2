/**
 * An admin's reopening of approved entries, with a reason: they go back to draft — not to submitted — so
 * their person can change them and submit the week again, and the manager decides afresh. Invoiced entries
 * stay frozen: the invoice has billed them (409 naming it).
 */
import type { AuditWho } from '../audit.ts';
import type { Capture } from '../time/entries.ts';
import { CaptureError } from '../time/errors.ts';
import { IDS, readEntries, type EntryView } from '../time/read.ts';

export async function reopenEntries(cap: Capture, actor: AuditWho, entryIds: readonly string[], reason: string): Promise<{ changed: number; entries: EntryView[] }> {
    const ids = [...new Set(entryIds)];
    const check = async () => {
        const entries = await readEntries(cap.warehouse, IDS('$1'), [JSON.stringify(ids)]);
        const missing = ids.filter((id) => !entries.some((e) => e.entry_id === id));
        if (missing.length > 0) throw new CaptureError(404, `no entr${missing.length === 1 ? 'y' : 'ies'} ${missing.slice(0, 10).join(', ')}`, 'entry_ids');
        const invoiced = entries.filter((e) => e.invoice_id);
        if (invoiced.length > 0) throw new CaptureError(409, `invoiced entries stay frozen: ${invoiced.slice(0, 10).map((e) => `${e.entry_id} (invoice ${e.invoice_id})`).join(', ')}`, 'entry_ids');
        const notApproved = entries.filter((e) => e.status !== 'approved');
        if (notApproved.length > 0) throw new CaptureError(409, `only approved entries are reopened: ${notApproved.slice(0, 10).map((e) => `${e.entry_id} is ${e.status}`).join(', ')}`, 'entry_ids');
        return entries;
    };
    await check();
    await cap.queue.write(async (ctx) => {
        await ctx.flush();
        const entries = await check();
        const now = new Date().toISOString();
        await cap.warehouse.run(
            `insert into capture.reopenings (entry_id, reason, reopened_by, reopened_at, was_approved_by, was_approved_at)
             select entry_id, $2, $3, $4::timestamptz, approved_by, approved_at from canonical.time_entries where entry_id in (${IDS('$1')})`,
            [JSON.stringify(ids), reason, actor.actor, now],
        );
        await cap.warehouse.run(`update canonical.time_entries set status = 'draft', approved_by = null, approved_at = null where entry_id in (${IDS('$1')})`, [JSON.stringify(ids)]);
        ctx.touch('time_entries', entries);
        ctx.audit(
            ...entries.map((e) => ({
                ...actor,
                action: 'reopen',
                entity: 'time_entry',
                entity_id: e.entry_id,
                before: { status: 'approved', approved_by: e.approved_by, approved_at: e.approved_at },
                after: { status: 'draft' },
                reason,
            })),
        );
    });
    const entries = await readEntries(cap.warehouse, IDS('$1'), [JSON.stringify(ids)]);
    return { changed: entries.length, entries };
}
