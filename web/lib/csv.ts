/**
 * One field of a CSV the dashboard offers for download, safe to open in a spreadsheet.
 *
 * A spreadsheet runs a cell that begins with = + - @, a tab or a carriage return as a formula, and a
 * table's text is not all ours: notes of time entries, rejected values of an uploaded file, quote names
 * and phases. Such a text cell is written as text (OWASP's rule: a single quote before it, the field in
 * double quotes), and a field holding a quote, a comma, a semicolon (the separator of many locales) or a
 * line break is quoted as RFC 4180 says. A number is data, negative or not: a field of a numeric column
 * that holds a plain decimal number is written as it is. Everything else, in any column, is text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

export function csvField(value: string, numeric = false): string {
    if (numeric && PLAIN_NUMBER.test(value)) return value;
    const text = FORMULA_START.test(value) ? `'${value}` : value;
    return text !== value || NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
