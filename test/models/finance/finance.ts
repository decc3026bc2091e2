import fs from 'node:fs';
import path from 'node:path';
import { buildModels, MODELS_DIR, readModels, type TestResult } from '../../../warehouse/models.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { tempDir } from '../../helpers/fixtures.ts';
import { loadFixture } from '../../helpers/models.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

/** The finance models: what these tests own. */
export const FINANCE_MODELS = [
    'intermediate.int_retainer_usage',
    'intermediate.int_revenue_recognized',
    'intermediate.int_billing_attributed',
    'intermediate.int_untracked_allocated',
    'intermediate.int_revenue_gap_split',
    'marts.fct_realization',
    'marts.fct_margin',
    'marts.fct_retainer_usage',
    'marts.fct_margin_funnel',
    'marts.fct_funnel_rows',
    'marts.fct_funnel_rows_summary',
    'marts.fct_unbilled_time',
];

let financeDir: string | undefined;

/**
 * A models folder holding only the finance models and what they read, so these tests build in a fraction
 * of the time of the full tree and are not held up by other areas' models (test/models/<area> covers those).
 */
export function financeModelsDir(): string {
    if (financeDir) return financeDir;
    const models = readModels(MODELS_DIR);
    const byRelation = new Map(models.map((m) => [m.relation, m]));
    const wanted = new Set<string>();
    const visit = (relation: string): void => {
        if (wanted.has(relation)) return;
        const m = byRelation.get(relation);
        if (!m) throw new Error(`no model ${relation}`);
        wanted.add(relation);
        m.dependsOn.forEach(visit);
    };
    FINANCE_MODELS.forEach(visit);
    const dir = tempDir('realize-finance-models-');
    for (const m of models.filter((x) => wanted.has(x.relation))) {
        for (const file of [m.file, m.file.replace(/\.sql$/, '.yml')]) {
            if (!fs.existsSync(file)) continue;
            const target = path.join(dir, path.relative(MODELS_DIR, file));
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.copyFileSync(file, target);
        }
    }
    financeDir = dir;
    return dir;
}

export interface FinanceFixture {
    warehouse: Warehouse;
    /** The finance models' .yml tests that failed in the build (warnings; an error fails the build), as "model: test". */
    failures: string[];
    tests: TestResult[];
}

/**
 * Like buildFixture (test/helpers/models.ts): the canonical files of `dirs` in a fresh in-memory warehouse,
 * with the finance models (and what they read) built; the build's test results are kept.
 */
export async function buildFinance(...dirs: string[]): Promise<FinanceFixture> {
    const warehouse = await loadFixture(...dirs);
    const { tests } = await buildModels(warehouse, { dir: financeModelsDir() });
    const failures = tests.filter((t) => t.failures > 0 && FINANCE_MODELS.includes(t.model)).map((t) => `${t.model}: ${t.test}`);
    return { warehouse, failures, tests };
}
