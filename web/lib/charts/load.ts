/**
 * ECharts is its own chunk (the largest): the root layout starts loading it with the first data request, so
 * it downloads and compiles while the answers are on their way; every chart then awaits the same promise.
 */
let echartsModule: Promise<typeof import('./echarts.ts')> | undefined;

export function loadECharts(): Promise<typeof import('./echarts.ts')> {
    return (echartsModule ??= import('./echarts.ts'));
}
