/**
 * Colours with enough contrast on white and distinguishable with the common colour-vision deficiencies
 * (Okabe–Ito based).
 */

export const INK = '#1d2733';
export const MUTED = '#5b6675';
export const GRID = '#e3e7ec';

export const STAGE = '#1f4e79';
export const GAIN = '#007a5a';
export const COST = '#7a7a7a';
export const MARGIN = '#007a5a';

/**
 * The colours a funnel leak's colour key names (its key is declared with the leak in the funnel mart's .yml,
 * models/SEMANTIC.md): each leak keeps its colour on every chart. A key the palette lacks gets LEAK_DEFAULT.
 */
export const LEAK_PALETTE: Readonly<Record<string, string>> = {
    orange: '#e69f00',
    sky: '#56b4e9',
    blue: '#0072b2',
    vermillion: '#d55e00',
    purple: '#cc79a7',
    grey: '#5c5c5c',
    brown: '#8c6d1f',
    yellow: '#c9a800',
    green: '#009e73',
    pink: '#e78ac3',
};
export const LEAK_DEFAULT = '#d55e00';

/** The colour of a leak's colour key. */
export function leakColour(key: string | undefined): string {
    return key !== undefined && Object.hasOwn(LEAK_PALETTE, key) ? LEAK_PALETTE[key]! : LEAK_DEFAULT;
}

/** Overruns and overage on the project pages, in the colour of the funnel's overrun. */
export const OVERRUN = LEAK_PALETTE.vermillion!;

/** Series colours for ordinary multi-series charts. */
export const SERIES = ['#1f4e79', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8c6d1f', '#5c5c5c'];

/** Sequential scale (low → high) for utilization-like heatmaps: light to dark blue. */
export const SEQUENTIAL = ['#f1f6fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

/** Diverging scale around 1.0 for actual ÷ estimate: under (blue) — on plan (pale) — over (red). */
export const DIVERGING = ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'];
