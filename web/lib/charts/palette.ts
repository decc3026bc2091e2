/**
 * Colours with enough contrast on white and distinguishable with the common colour-vision deficiencies
 * (Okabe–Ito based). Each funnel leak keeps its colour on every chart.
 */
import type { LeakKey } from '../api/types.ts';

export const INK = '#1d2733';
export const MUTED = '#5b6675';
export const GRID = '#e3e7ec';

export const STAGE = '#1f4e79';
export const GAIN = '#007a5a';
export const COST = '#7a7a7a';
export const MARGIN = '#007a5a';

export const LEAK_COLORS: Record<LeakKey, string> = {
    untracked: '#e69f00',
    unbilled_meetings: '#56b4e9',
    unbilled_other: '#0072b2',
    overrun: '#d55e00',
    not_invoiced: '#cc79a7',
    credited: '#5c5c5c',
    uncollected: '#8c6d1f',
};

/** Series colours for ordinary multi-series charts. */
export const SERIES = ['#1f4e79', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8c6d1f', '#5c5c5c'];

/** Sequential scale (low → high) for utilization-like heatmaps: light to dark blue. */
export const SEQUENTIAL = ['#f1f6fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

/** Diverging scale around 1.0 for actual ÷ estimate: under (blue) — on plan (pale) — over (red). */
export const DIVERGING = ['#2166ac', '#92c5de', '#f7f7f7', '#f4a582', '#b2182b'];
