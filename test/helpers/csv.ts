/**
 * RFC 4180 records of a CSV text: quoted fields may hold commas, quotes and newlines; a BOM is skipped and
 * CRLF, LF or CR end a record. The tests' own reader, independent of the ingest's.
 */
export function csvRecords(text: string): string[][] {
    const records: string[][] = [];
    let field = '';
    let record: string[] = [];
    let quoted = false;
    let i = 0;
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (; i < text.length; i++) {
        const c = text[i]!;
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
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i++;
            record.push(field);
            records.push(record);
            record = [];
            field = '';
        } else field += c;
    }
    if (field !== '' || record.length > 0) {
        record.push(field);
        records.push(record);
    }
    return records;
}
