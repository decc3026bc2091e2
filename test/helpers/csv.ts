/**
 * RFC 4180 records of a CSV text: quoted fields may hold commas, quotes and newlines; a BOM is skipped and
 * CRLF, LF or CR end a record. The tests' own reader, independent of the ingest's.
 */
export function csvRecords(text: string): string[][] {
    return csvRecordsAt(text).map((r) => r.cells);
}

/** csvRecords, each with the line of the text it starts on (1-based; a newline inside quotes is a line too). */
export function csvRecordsAt(text: string): { line: number; cells: string[] }[] {
    const records: { line: number; cells: string[] }[] = [];
    let field = '';
    let record: string[] = [];
    let quoted = false;
    let line = 1;
    let start = 1;
    let i = 0;
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (; i < text.length; i++) {
        const c = text[i]!;
        // CRLF, LF or a lone CR ends a line (and, outside quotes, a record)
        const lineEnd = c === '\n' || (c === '\r' && text[i + 1] !== '\n');
        if (quoted) {
            if (c === '"') {
                if (text[i + 1] === '"') {
                    field += '"';
                    i++;
                } else quoted = false;
            } else field += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') {
            record.push(field);
            field = '';
        } else if (lineEnd) {
            record.push(field);
            records.push({ line: start, cells: record });
            record = [];
            field = '';
            start = line + 1;
        } else if (c !== '\r') field += c; // the CR of an unquoted CRLF
        if (lineEnd) line++;
    }
    if (field !== '' || record.length > 0) {
        record.push(field);
        records.push({ line: start, cells: record });
    }
    return records;
}
