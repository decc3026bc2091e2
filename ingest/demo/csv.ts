import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** RFC 4180: quote a field when it contains a comma, a quote, CR or LF; double the quotes. */
export function esc(s: string): string {
    return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** Integer cents to a decimal with exactly 2 decimals. */
export function money(cents: number): string {
    const neg = cents < 0;
    const a = Math.abs(cents);
    const r = a % 100;
    return (neg ? '-' : '') + Math.floor(a / 100) + (r < 10 ? '.0' : '.') + r;
}

/** Integer ten-thousandths to a decimal with up to 4 decimals (trailing zeros dropped). */
export function dec4(tt: number): string {
    const neg = tt < 0;
    const a = Math.abs(tt);
    const int = Math.floor(a / 10000);
    const frac = a % 10000;
    if (frac === 0) return (neg ? '-' : '') + int;
    let f = String(frac).padStart(4, '0');
    while (f.endsWith('0')) f = f.slice(0, -1);
    return (neg ? '-' : '') + int + '.' + f;
}

/** round(a × b / d) for non-negative integers, half up, exact while a × b < 2^53. */
export function mulDivRound(a: number, b: number, d: number): number {
    const n = a * b;
    const q = Math.floor(n / d);
    const r = n - q * d;
    return 2 * r >= d ? q + 1 : q;
}

/** Buffered CSV writer that respects the stream's backpressure. Lines are passed with their '\n'. */
export class CsvWriter {
    rows = 0;
    private buf: Buffer;
    private off = 0;
    private readonly stream: WriteStream;
    private error: Error | undefined;
    readonly path: string;

    constructor(path: string, header: readonly string[]) {
        this.path = path;
        this.stream = createWriteStream(path);
        this.stream.on('error', (e) => {
            this.error = e;
        });
        this.buf = Buffer.allocUnsafe(CHUNK + SLACK);
        this.off = this.buf.write(header.join(',') + '\n', 0);
    }

    push(line: string): void {
        if (this.off + line.length * 3 > this.buf.length) this.grow(line.length * 3);
        this.off += this.buf.write(line, this.off);
        this.rows++;
    }

    private grow(need: number): void {
        const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + need));
        this.buf.copy(next, 0, 0, this.off);
        this.buf = next;
    }

    /** Writes a row of already formatted fields. */
    row(fields: readonly string[]): void {
        this.push(fields.join(',') + '\n');
    }

    /** Bytes buffered and not yet handed to the stream. */
    get pending(): number {
        return this.off;
    }

    async flush(): Promise<void> {
        if (this.error) throw this.error;
        if (this.off === 0) return;
        const chunk = this.buf.subarray(0, this.off);
        this.buf = Buffer.allocUnsafe(CHUNK + SLACK);
        this.off = 0;
        if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    }

    async maybeFlush(): Promise<void> {
        if (this.off >= CHUNK) await this.flush();
    }

    async close(): Promise<void> {
        await this.flush();
        const done = once(this.stream, 'finish');
        this.stream.end();
        await done;
        if (this.error) throw this.error;
    }
}

const CHUNK = 1 << 20;
const SLACK = 1 << 16;
