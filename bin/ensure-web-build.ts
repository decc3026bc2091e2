/**
 * `npm start` runs this first: it builds the dashboard (vite build → build/) when there is no build yet or
 * when a source of it is newer than the build, so a fresh clone's `npm install && npm start` serves the
 * dashboard. `npm test` does not need a build (the browser tests build their own when needed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const WEB_SHELL = path.join(root, 'build', '200.html');
const SOURCES = ['web', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newest(p: string): number {
    if (!fs.existsSync(p)) return 0;
    const stat = fs.statSync(p);
    if (!stat.isDirectory()) return stat.mtimeMs;
    let max = 0;
    for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
    return max;
}

/** True when build/ is missing or older than any dashboard source. */
export function webBuildIsStale(): boolean {
    if (!fs.existsSync(WEB_SHELL)) return true;
    const built = fs.statSync(WEB_SHELL).mtimeMs;
    return SOURCES.some((s) => newest(path.join(root, s)) > built);
}

/**
 * Runs `vite build` with the project's own node; throws when it fails. Its output (SvelteKit's advice to run
 * `npm run preview`, the adapter's progress) says nothing to someone starting Realize, so it is kept back and
 * shown only when the build fails.
 */
export function buildWeb(): void {
    const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    // A production build whoever calls (vitest sets NODE_ENV=test, which would give a development bundle).
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } });
    if (result.status !== 0) {
        process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
        throw new Error(`vite build failed (exit ${result.status})`);
    }
}

if (import.meta.main) {
    if (webBuildIsStale()) {
        const started = performance.now();
        process.stdout.write('building the dashboard (once, and again after web/ changes; about half a minute) … ');
        buildWeb();
        console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
}
