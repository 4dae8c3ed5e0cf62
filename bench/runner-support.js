// What the self-contained bench runners (bench/<name>/run.ts, run on Node 24 with its type stripping)
// share: reaching the shared library's TypeScript sources, medians and rounding, the machine block and
// writing bench/results/<name>.json. Plain JavaScript with a declaration file beside it, so a runner
// imports it statically before the resolve hook exists (tsc takes no `.ts` import paths here).
import { mkdirSync, writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared library imports `./x.js` as tsc wants; under Node's type stripping the file is `./x.ts`.
 * Call before importing the library (dynamically).
 */
export function resolveTypeScriptSources() {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(specifier.slice(0, -3) + '.ts', context);
        throw error;
      }
    },
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The 1, 5 and 15 minute load averages, to two decimals. */
export const load = () => loadavg().map((v) => round(v, 2));

/** The result file's machine block: the cores are shared with other work, so the load average goes with the figures. */
export function machine(loadAtStart) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadAverage: { start: loadAtStart, end: load() },
  };
}

/** bench/results/<name>.json */
export const resultPath = (name) => join(root, 'bench', 'results', `${name}.json`);

/** Writes bench/results/<name>.json and returns its path. */
export function writeResult(name, result) {
  const path = resultPath(name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
  return path;
}
