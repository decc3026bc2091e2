/**
 * Labels of vertical marker lines (a quote's P10…P90, its quoted and proposed prices) placed above the plot so
 * that no two overlap: each label is centred on its line when there is room, else aligned to one side of it
 * (away from its neighbour), else lifted onto a row above. Widths are worked out for the narrowest plot the
 * chart is drawn at, so the layout holds at any wider one.
 */

export type LabelAlign = 'center' | 'left' | 'right';

export interface PlacedLabel {
    /** Row above the plot, 0 nearest to it. */
    row: number;
    /** Where the text sits against its line: centred on it, starting at it (left) or ending at it (right). */
    align: LabelAlign;
}

/** The narrowest plot (px) a quote chart is laid out at: a half-width card at 1024 px, less the axes. */
export const NARROWEST_PLOT_PX = 420;
/** Width of a character of a 10 px label (px), generously. */
const CHAR_PX = 6.2;
/** Space kept between two labels on one row (px). */
const GAP_PX = 6;
/** Height of a row of labels (px). */
export const ROW_PX = 14;

/** Rows and alignments for labels of `texts` at `xs`, on an axis from domain[0] to domain[1]. */
export function placeMarkLabels(xs: readonly number[], texts: readonly string[], domain: readonly [number, number], plotPx = NARROWEST_PLOT_PX): PlacedLabel[] {
    const span = domain[1] - domain[0] || 1;
    const at = xs.map((x) => ((x - domain[0]) / span) * plotPx);
    const order = xs.map((_, i) => i).sort((a, b) => at[a]! - at[b]! || a - b);
    const rowEnds: number[] = [];
    const out: PlacedLabel[] = xs.map(() => ({ row: 0, align: 'center' }));
    for (const i of order) {
        const c = at[i]!;
        const w = texts[i]!.length * CHAR_PX;
        const spans: [LabelAlign, number, number][] = [
            ['center', c - w / 2, c + w / 2],
            ['left', c, c + w],
            ['right', c - w, c],
        ];
        // A label may not run off the plot's ends by more than a little (the grid's margin).
        const fits = spans.filter(([, a, b]) => a >= -12 && b <= plotPx + 12);
        const options = fits.length ? fits : [spans[c > plotPx / 2 ? 2 : 1]!];
        let placed = false;
        for (let row = 0; !placed; row++) {
            const end = rowEnds[row] ?? -Infinity;
            const free = options.find(([, a]) => a >= end + GAP_PX);
            if (free) {
                out[i] = { row, align: free[0] };
                rowEnds[row] = free[2];
                placed = true;
            }
        }
    }
    return out;
}

/** The markLine label of a placed mark: above its line's top end, on its row, aligned as placed. */
export function markLabel(p: PlacedLabel, text: string, color?: string) {
    return { show: true, position: 'end' as const, distance: 4 + p.row * ROW_PX, align: p.align, fontSize: 10, formatter: text, ...(color ? { color } : {}) };
}

/** Room above the plot for the rows of labels (the grid's top), given the placement. */
export function labelRoom(placed: readonly PlacedLabel[], base = 40): number {
    return base + Math.max(0, ...placed.map((p) => p.row)) * ROW_PX;
}
