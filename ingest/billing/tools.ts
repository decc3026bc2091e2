/**
 * The invoicing tools a billing import reads, how each one's export is told from its columns, and reading the
 * files given with their tool's module (invoiceninja.ts, freshbooks.ts, zoho.ts, wave.ts), which states the
 * invoice lines and payments as the file states them.
 */
import fs from 'node:fs';
import { UsageError } from '../files.ts';
import type { ToolRead } from './documents.ts';
import type { ToolReader } from './exports.ts';
import { FRESHBOOKS } from './freshbooks.ts';
import { INVOICE_NINJA } from './invoiceninja.ts';
import { WAVE } from './wave.ts';
import { ZOHO } from './zoho.ts';

export const BILLING_TOOLS = ['invoiceninja', 'freshbooks', 'zoho', 'wave'] as const;
export type BillingTool = (typeof BILLING_TOOLS)[number];

export function isBillingTool(name: string): name is BillingTool {
    return (BILLING_TOOLS as readonly string[]).includes(name);
}

const READERS: Record<BillingTool, ToolReader> = { invoiceninja: INVOICE_NINJA, freshbooks: FRESHBOOKS, zoho: ZOHO, wave: WAVE };

/** The billing tool whose export this file is, or null. */
export function detectBillingTool(file: string): BillingTool | null {
    return BILLING_TOOLS.find((t) => READERS[t].matches(file)) ?? null;
}

/** One file of an import as its tool's module read it; `file` is the name it goes by in the report. */
export interface ToolFile {
    tool: BillingTool;
    read: ToolRead;
    file: string;
}

/** Reads every file with its tool's module ('auto': the tool its columns tell). */
export function readExports(paths: readonly string[], tool: BillingTool | 'auto', name: (path: string) => string): ToolFile[] {
    const reads: ToolFile[] = [];
    for (const p of paths) {
        if (!fs.existsSync(p)) throw new UsageError(`${name(p)}: no such file`);
        const fileTool = tool === 'auto' ? detectBillingTool(p) : tool;
        if (!fileTool) throw new UsageError(`${name(p)}: which invoicing tool wrote this file cannot be told from its columns; name it (${BILLING_TOOLS.join(', ')})`);
        reads.push({ tool: fileTool, read: READERS[fileTool].read(p, name(p)), file: name(p) });
    }
    return reads;
}
