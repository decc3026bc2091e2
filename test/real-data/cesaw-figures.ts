/**
 * What the CESAW source files say, worked out from them independently of the product: both CESAW checks hold
 * the product's answers to these.
 */

/** Projects with time logs. */
export const LOGGED_PROJECTS = 39;

/** Σactual / Σplan per phase over the projects with time logs (plan: all tasks of the project and phase). */
export const PHASE_RATIOS: Readonly<Record<string, number>> = {
    Code: 1.21,
    'Code Inspect': 1.23,
    'Code Review': 0.96,
    Design: 1.12,
    HLD: 1.07,
    'Int Test': 1.38,
    Planning: 1.08,
    Reqts: 1.01,
    Test: 1.36,
};
