/** The audit log page's requests: the filter as query parameters, and the export as a download. */
import { ApiError, apiUrl } from '../../api/client.ts';
import { authHeaders } from '../../api/session.ts';
import { downloadText } from '../../download.ts';

export interface AuditFilterForm {
    actor: string;
    action: string;
    entity: string;
    from: string;
    to: string;
}

export const emptyFilter = (): AuditFilterForm => ({ actor: '', action: '', entity: '', from: '', to: '' });

/** The filter's non-empty fields, as GET /api/audit and its export take them. */
export function auditParams(f: AuditFilterForm): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) if (v.trim()) out[k] = v.trim();
    return out;
}

/** Downloads the filtered events as CSV (written by the server, every cell escaped with csvField). */
export async function exportAudit(f: AuditFilterForm): Promise<void> {
    const res = await fetch(apiUrl('audit/export', auditParams(f)), { headers: authHeaders() });
    if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { title?: string; detail?: string; parameter?: string };
        throw new ApiError(res.status, body.title ?? `HTTP ${res.status}`, body.detail ?? res.statusText, body.parameter ?? null);
    }
    downloadText('audit-log.csv', await res.text());
}
