/**
 * Answers that are files to save rather than JSON: a CSV or a printed PDF, named for the browser's download
 * (content-disposition: attachment). Text a spreadsheet would run as a formula is escaped where the CSV is written.
 */
import type { FastifyReply } from 'fastify';
import { PdfUnavailable, renderPdf } from '../../capture/invoicing/pdf.ts';
import { HttpProblem } from '../plugins/problem.ts';

export const CSV = 'text/csv; charset=utf-8';
export const PDF = 'application/pdf';

/** Sends `body` as a file of `type` the browser saves as `filename`. */
export function sendDownload(reply: FastifyReply, type: string, filename: string, body: string | Buffer): FastifyReply {
    return reply.type(type).header('content-disposition', `attachment; filename="${filename}"`).send(body);
}

/** A printable HTML page printed to PDF (headless Chromium); a 503 that says why when no browser can print it. */
export async function printedPdf(html: string): Promise<Buffer> {
    try {
        return await renderPdf(html);
    } catch (err) {
        if (err instanceof PdfUnavailable) throw new HttpProblem(503, 'PDF not available', err.message);
        throw err;
    }
}
