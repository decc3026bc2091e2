/**
 * A tool's exports as one reader: a file is read as the first of them whose header it holds, and is the tool's
 * when one of them tells it. A file none of them tells is read as the tool's first export unless the tool says
 * otherwise, so that the error names the columns its main export needs.
 */
import type { ToolRead } from './documents.ts';
import { hasHeader, type ExportKind } from './read.ts';

type Read = (file: string, name: string) => ToolRead;

export interface ToolExport {
    kind: ExportKind;
    read: Read;
    /** Columns that tell another tool's file holding this header too: detection leaves such a file alone. */
    notDetectedWith?: readonly string[];
}

export interface ToolReader {
    /** Whether the file is one of the tool's exports. */
    matches: (file: string) => boolean;
    read: Read;
}

export function toolReader(exports: readonly [ToolExport, ...ToolExport[]], otherwise: Read = exports[0].read): ToolReader {
    const holds = (file: string) => exports.find((e) => hasHeader(file, e.kind.header));
    return {
        matches: (file) => exports.some((e) => hasHeader(file, e.kind.header) && !(e.notDetectedWith && hasHeader(file, e.notDetectedWith))),
        read: (file, name) => (holds(file)?.read ?? otherwise)(file, name),
    };
}
