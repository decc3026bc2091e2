/**
 * Calibrated quotes in the product: quote a deal from the firm's closed projects, save and list
 * quotes, the backtest that shows whether the intervals hold, and a closed project's closeout against its
 * baseline plan and its saved quote. The method is models/quote/engine.ts; the data, server/api/quotes.ts.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { QuoteError, UNPLANNED_PHASE } from '../../../models/quote/engine.ts';
import { checkProject, visibleProjects } from '../../api/access.ts';
import { closePdfBrowser } from '../../../capture/invoicing/pdf.ts';
import { CSV, PDF, printedPdf, sendDownload } from '../../api/download.ts';
import { quoteCsv, quoteHtml } from '../../api/quote-document.ts';
import { finite, getQuote, linkQuote, listQuotes, quoteContext, QuoteInputError, quoteMoney, quoteVersions, runQuote, saveQuote, type QuoteInput } from '../../api/quotes.ts';
import { auditActor } from '../../plugins/auth.ts';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { closeoutLines, closeoutProject, inReferenceClass, projectExists } from '../../queries/projects.ts';
import { linkedProject, quoteExists } from '../../queries/quotes.ts';
import { backtestAnswer, closeoutAnswer, linkBody, quoteAnswer, quoteBody, quoteIdParam, savedMeta, savedQuoteAnswer, savedQuotesAnswer, type SavedQuoteDetail } from '../../schemas/quotes.ts';

export const quoteRoutes: FastifyPluginAsyncZod = async (app) => {
    // The PDF printer is shared with invoices; closing it twice is harmless.
    app.addHook('onClose', closePdfBrowser);
    const roles = ROLE_GROUPS.quoting;
    const tags = ['quotes'];

    /** A saved quote as GET /api/quotes/:id answers it, after the caller's access to its project is checked; 404 when there is none. */
    const savedQuote = async (request: { caller: Parameters<typeof checkProject>[1] }, id: number, why: string) => {
        const q = await getQuote(app.warehouse, id);
        if (!q) throw new HttpProblem(404, 'No such quote', `no saved quote ${id}`);
        if (q.row.project_id) await checkProject(app.warehouse, request.caller, q.row.project_id, why);
        const versions = await quoteVersions(app.warehouse, q.row.series_id);
        return { ...q.row, inputs: q.inputs as unknown as Record<string, unknown>, result: q.result, versions };
    };
    app.post(
        '/quotes',
        {
            config: { roles },
            schema: {
                summary: 'Quote a deal from the firm’s closed projects (and save it)',
                description:
                    'Reference-class forecast of the deal’s hours (total and by phase), cost (current role cost rates, marts.dim_people, in the reporting currency) and the price that reaches the target margin at the chosen confidence; for a proposed price, the probability that the margin falls below target. Recalibrated by the backtest (GET /api/quotes/backtest). Method: models/quote/engine.ts.',
                tags,
                body: quoteBody,
                response: { 200: quoteAnswer },
            },
        },
        async (request) => {
            const { save, ...input } = request.body;
            const ctx = await quoteContext(app.warehouse);
            if (input.project_id) {
                if (!(await projectExists(app.warehouse, input.project_id))) throw badRequest('project_id', `no project "${input.project_id}"`);
                await checkProject(app.warehouse, request.caller, input.project_id, 'links quotes to their own projects only');
            }
            if (input.revises != null && input.copied_from != null) throw badRequest('copied_from', 'a quote is either a new version of a saved quote (revises) or a duplicate of one (copied_from), not both');
            for (const key of ['revises', 'copied_from'] as const) {
                const from = input[key];
                if (from == null || !save) continue;
                // A new version or a duplicate shows the quote it came from: the caller must see that one.
                const origin = await linkedProject(app.warehouse, from);
                if (origin === undefined) throw badRequest(key, `no saved quote ${from}`);
                if (origin) await checkProject(app.warehouse, request.caller, origin, 'revises and duplicates the quotes linked to their own projects only');
            }
            let answer;
            try {
                answer = runQuote(ctx, input as QuoteInput);
            } catch (err) {
                if (err instanceof QuoteInputError) throw badRequest(err.parameter, err.message);
                if (err instanceof QuoteError) throw badRequest('lines', err.message);
                throw err;
            }
            let saved = null;
            try {
                if (save) saved = await saveQuote(app.warehouse, input as QuoteInput, answer, auditActor(request));
            } catch (err) {
                // The quote it revises or copies went away since it was checked.
                if (err instanceof QuoteInputError) throw badRequest(err.parameter, err.message);
                throw err;
            }
            return { ...quoteMoney(answer), quote_id: saved?.quote_id ?? null, created_at: saved?.created_at ?? null, version: saved?.version ?? null };
        },
    );

    app.get(
        '/quotes',
        {
            config: { roles },
            schema: {
                summary: 'Saved quotes, newest first',
                tags,
                querystring: z.strictObject({ project_id: z.string().optional(), project_type: z.string().optional() }),
                response: {
                    200: savedQuotesAnswer,
                },
            },
        },
        async (request) => {
            // A project manager sees the quotes linked to their projects, and those linked to none.
            const visible = await visibleProjects(app.warehouse, request.caller);
            const rows = await listQuotes(app.warehouse, request.query);
            return { rows: visible ? rows.filter((r) => r.project_id === null || visible.has(r.project_id)) : rows };
        },
    );

    app.get(
        '/quotes/backtest',
        {
            config: { roles },
            schema: {
                summary: 'The backtest of quotes over the warehouse’s closed projects',
                description:
                    'Time-ordered: each closed project is quoted only from projects that ended before it started, its baseline plan as the deal, and scored on its actual hours. Share of actuals inside [P10, P90] and at or below P80 (targets 80 %), mean pinball loss on log hours over P10/P50/P90, median relative error of P50 and of the raw estimate; for the method and two baselines (one global ratio distribution; plain per-type quantiles), overall and per project type. Each project weighs the inverse of its chance to have closed by the as-of date (long projects, often still running, are the ones that overrun); n is the count. Reliability: for nominal levels 10…90 %, the observed (weighted) share of actuals at or below the forecast at that level. Method: models/quote/backtest.ts.',
                tags,
                response: {
                    200: backtestAnswer,
                },
            },
        },
        async () => {
            const ctx = await quoteContext(app.warehouse);
            const b = ctx.backtest;
            if (!b) throw new HttpProblem(409, 'No history to backtest', 'the warehouse has no closed project with a baseline plan and time logged');
            return finite({
                as_of: ctx.as_of,
                units: b.units,
                scored: b.scored,
                warmup: b.warmup,
                excluded_without_estimate: b.excluded_without_estimate,
                overall: b.overall,
                classes: b.classes,
                reliability: b.reliability!,
                calibration: b.calibration,
                runtime_ms: Math.round(b.runtime_ms),
            });
        },
    );

    app.get(
        '/quotes/:id',
        {
            config: { roles },
            schema: {
                summary: 'A saved quote: its inputs and the answer as it was given',
                tags,
                params: quoteIdParam,
                response: { 200: savedQuoteAnswer },
            },
        },
        async (request) => savedQuote(request, request.params.id, 'sees the quotes linked to their own projects only'),
    );

    // A saved quote as a file to keep or send: printed, or its figures as a spreadsheet's rows.
    const files = [
        {
            name: 'document.pdf',
            summary: 'A saved quote as a PDF (printed by headless Chromium, as invoices are)',
            description: 'The quote as it was saved: price at the confidence, hours, cost and price at P50/P80/P90, hours by phase and the deal lines, with its version and who saved it.',
            produces: 'application/pdf',
            type: PDF,
            body: (q: SavedQuoteDetail) => printedPdf(quoteHtml(q)),
        },
        {
            name: 'export.csv',
            summary: 'A saved quote as CSV: its figures and deal lines, one row each',
            description: 'Hours (total and by phase) at P10…P90 beside the estimate, cost, the price at P50/P80/P90 and at the confidence, the proposed price’s risk, and each deal line with its ratio and cost rate. Text a spreadsheet would run as a formula is written as text.',
            produces: 'text/csv',
            type: CSV,
            body: async (q: SavedQuoteDetail) => quoteCsv(q),
        },
    ];
    for (const file of files) {
        app.get(
            `/quotes/:id/${file.name}`,
            { config: { roles }, schema: { summary: file.summary, description: file.description, tags, params: quoteIdParam, produces: [file.produces] } },
            async (request, reply) => {
                const q = (await savedQuote(request, request.params.id, 'sees the quotes linked to their own projects only')) as SavedQuoteDetail;
                return sendDownload(reply, file.type, `quote-${q.quote_id}-v${q.version}.${file.name.split('.').pop()}`, await file.body(q));
            },
        );
    }

    app.patch(
        '/quotes/:id',
        {
            config: { roles },
            schema: {
                summary: 'Link a saved quote to the project it became (or unlink it)',
                description:
                    'Sets the saved quote’s project_id: the project the deal became, whose closeout (GET /api/projects/:id/closeout) then compares the quote and the baseline plan with the actuals. null unlinks it. The quote’s inputs and answer never change. When several quotes are linked to one project, the closeout uses the latest saved.',
                tags,
                params: quoteIdParam,
                body: linkBody,
                response: { 200: savedMeta },
            },
        },
        async (request) => {
            const { project_id } = request.body;
            // An unknown quote is a 404 whatever the body says; then an unknown project is the body's fault.
            if (!(await quoteExists(app.warehouse, request.params.id))) {
                throw new HttpProblem(404, 'No such quote', `no saved quote ${request.params.id}`);
            }
            if (project_id !== null && !(await projectExists(app.warehouse, project_id))) {
                throw badRequest('project_id', `no project "${project_id}"`);
            }
            // A project manager changes the links of quotes to their own projects only.
            const linked = await linkedProject(app.warehouse, request.params.id);
            if (linked) await checkProject(app.warehouse, request.caller, linked, 'changes the quotes linked to their own projects only');
            if (project_id !== null) await checkProject(app.warehouse, request.caller, project_id, 'links quotes to their own projects only');
            const row = await linkQuote(app.warehouse, request.params.id, project_id, auditActor(request));
            if (!row) throw new HttpProblem(404, 'No such quote', `no saved quote ${request.params.id}`);
            return row;
        },
    );

    app.get(
        '/projects/:id/closeout',
        {
            config: { roles },
            schema: {
                summary: 'A project’s closeout: baseline plan and actuals by phase × role, and its saved quote',
                description:
                    'Baseline estimate and actual hours by phase × role (marts.fct_estimate_vs_actual) and by phase; the latest saved quote linked to the project (project_id, PATCH /api/quotes/:id), if any: its own estimate by phase × role and by phase, its P50/P80/P90 by phase, and the actual total against its P10/P50/P80/P90. Hours logged on cells the baseline did not plan count in the phase “(unplanned)”, as in the quote. A closed project with a baseline plan and time logged is in the reference class of later quotes.',
                tags,
                params: z.strictObject({ id: z.string().min(1).describe('project_id') }),
                response: {
                    200: closeoutAnswer,
                },
            },
        },
        async (request) => {
            const id = request.params.id;
            const project = await closeoutProject(app.warehouse, id);
            if (!project) throw new HttpProblem(404, 'No such project', `no project "${id}"`);
            await checkProject(app.warehouse, request.caller, id, 'sees the closeout of their own projects only');
            const lines = await closeoutLines(app.warehouse, id);
            const member = await inReferenceClass(app.warehouse, id);
            const saved = (await listQuotes(app.warehouse, { project_id: id }))[0];
            const quote = saved ? await getQuote(app.warehouse, saved.quote_id) : null;
            // The quote's own bottom-up estimate per phase × role, beside the baseline plan; a quoted cell the
            // project neither planned nor logged is a line of its own (no estimate, no actual).
            const cell = (phase: string, role: string) => `${phase}\u0000${role}`;
            const quoted = new Map<string, { phase: string; role: string; hours: number }>();
            for (const l of quote?.inputs.lines ?? []) {
                const q = quoted.get(cell(l.phase, l.role)) ?? quoted.set(cell(l.phase, l.role), { phase: l.phase, role: l.role, hours: 0 }).get(cell(l.phase, l.role))!;
                q.hours += l.estimated_hours;
            }
            const known = new Set(lines.map((l) => cell(l.phase, l.role)));
            const rows = [
                ...lines.map((l) => ({ ...l, quote_estimated_hours: quote ? (quoted.get(cell(l.phase, l.role))?.hours ?? null) : null })),
                ...[...quoted.values()]
                    .filter((q) => !known.has(cell(q.phase, q.role)))
                    .map((q) => ({ phase: q.phase, role: q.role, estimated_hours: null, actual_hours: 0, ratio: null, is_unplanned: false, quote_estimated_hours: q.hours })),
            ].sort((a, b) => (a.phase < b.phase ? -1 : a.phase > b.phase ? 1 : a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
            const byPhase = new Map<string, { estimated_hours: number; actual_hours: number }>();
            for (const l of rows) {
                // Hours on cells the baseline did not plan are the quote's "(unplanned)" phase.
                const key = l.is_unplanned ? UNPLANNED_PHASE : l.phase;
                const p = byPhase.get(key) ?? byPhase.set(key, { estimated_hours: 0, actual_hours: 0 }).get(key)!;
                p.estimated_hours += l.estimated_hours ?? 0;
                p.actual_hours += l.actual_hours;
            }
            const qPhase = new Map((quote?.result.hours_by_phase ?? []).map((h) => [h.phase, h]));
            for (const ph of qPhase.keys()) if (!byPhase.has(ph)) byPhase.set(ph, { estimated_hours: 0, actual_hours: 0 });
            const phases = [...byPhase].map(([phase, v]) => ({
                phase,
                ...v,
                ratio: v.estimated_hours > 0 ? v.actual_hours / v.estimated_hours : null,
                quote_estimated_hours: qPhase.get(phase)?.estimated_hours ?? null,
                quote_p50: qPhase.get(phase)?.p50 ?? null,
                quote_p80: qPhase.get(phase)?.p80 ?? null,
                quote_p90: qPhase.get(phase)?.p90 ?? null,
            }));
            const estimated = lines.reduce((a, l) => a + (l.estimated_hours ?? 0), 0);
            const actual = lines.reduce((a, l) => a + l.actual_hours, 0);
            const h = quote?.result.hours;
            return {
                project,
                closed: project.status === 'closed',
                in_reference_class: member,
                estimated_hours: estimated,
                actual_hours: actual,
                lines: rows,
                phases,
                quote:
                    quote && h
                        ? {
                              quote_id: quote.row.quote_id,
                              created_at: quote.row.created_at,
                              name: quote.row.name,
                              estimated_hours: quote.result.estimated_hours,
                              hours: h,
                              price: quote.result.price.price,
                              target_margin: quote.row.target_margin,
                              confidence: quote.row.confidence,
                              actual_vs: {
                                  inside_p10_p90: actual >= h.p10 && actual <= h.p90,
                                  at_or_below_p50: actual <= h.p50,
                                  at_or_below_p80: actual <= h.p80,
                                  actual_over_p50: actual / h.p50,
                                  actual_over_p80: actual / h.p80,
                              },
                          }
                        : null,
            };
        },
    );
};
