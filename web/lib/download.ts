/** Saves text as a file through the browser's download (CSV of a table). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
    saveBlob(filename, new Blob([text], { type }));
}

/** Saves a blob as a file through the browser's download (a link clicked, its object URL freed after). */
export function saveBlob(filename: string, blob: Blob): void {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a title: "Worst leaks by client" → "worst-leaks-by-client.csv". */
export function csvName(title: string, suffix = ''): string {
    const slug = `${title}${suffix ? ` ${suffix}` : ''}`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    return `${slug || 'table'}.csv`;
}
