/**
 * The printable invoice (document.ts) as a PDF, printed by headless Chromium (playwright-core; the browser at
 * CHROMIUM_PATH, default Debian's /usr/bin/chromium). One browser is started on the first request and kept
 * for the next; the page loads no network resource (the HTML is set as content, its styles inline). Without
 * the browser the answer says what to install instead of failing obscurely.
 */
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class PdfUnavailable extends Error {}

type Browser = { newPage(): Promise<{ setContent(html: string): Promise<void>; pdf(o: object): Promise<Buffer>; close(): Promise<void> }>; close(): Promise<void> };
let browser: Promise<Browser> | null = null;

async function launch(): Promise<Browser> {
    if (!fs.existsSync(CHROMIUM)) throw new PdfUnavailable(`PDFs are printed by Chromium, which is not installed at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
    let playwright: typeof import('playwright-core');
    try {
        playwright = await import('playwright-core');
    } catch {
        throw new PdfUnavailable('PDFs are printed through playwright-core, which is not installed: run npm install');
    }
    return (await playwright.chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })) as unknown as Browser;
}

export async function renderPdf(html: string): Promise<Buffer> {
    browser ??= launch().catch((err) => {
        browser = null;
        throw err;
    });
    const page = await (await browser).newPage();
    try {
        await page.setContent(html);
        return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    } finally {
        await page.close();
    }
}

/** Closes the browser, if one was started (the server's onClose). */
export async function closePdfBrowser(): Promise<void> {
    const started = browser;
    browser = null;
    if (started) await (await started.catch(() => null))?.close();
}
