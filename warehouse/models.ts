/**
 * The model builder, by job (warehouse/models/): reading models and their .yml (read.ts, spec.ts, and the
 * semantic block in semantic.ts), building them in one transaction (build.ts), the tests the .yml files declare
 * (tests.ts) and whether the marts are current (state.ts). This module is its front door: import from here.
 */
export { buildModels, testModels, type BuildResult } from './models/build.ts';
export { LAYERS, MODELS_DIR, readModels, readSemantic, type Layer, type Model } from './models/read.ts';
export type {
    FunnelDeclaration,
    LeakDeclaration,
    LeakPartDeclaration,
    MartDefinition,
    MetricDeclaration,
    Semantic,
    SemanticFunnel,
    SemanticMetric,
    StageDeclaration,
} from './models/semantic.ts';
export { ModelError, type ModelSpec } from './models/spec.ts';
export { martsAge, modelsCurrent, modelsFingerprint, modelsState, refreshableIncrementally, type MartsAge, type ModelsState } from './models/state.ts';
export { markWritten, markWrittenFrom } from './models/dirty.ts';
export { refreshMarts, Refresher, type RefreshResult } from './models/refresh.ts';
export { describeFailures, type ModelTest, type TestResult } from './models/tests.ts';
