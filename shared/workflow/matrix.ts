// strategy.matrix expanded as GitHub expands it: the product of the vectors, less `exclude`, then each
// `include` entry added to every combination whose original values it does not change, or appended.
import { InputError } from '../errors.js';

export type MatrixCombination = Record<string, unknown>;

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function objectsOf(value: unknown, what: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
    throw new InputError(`${what} is ${JSON.stringify(value)}; expected a list of mappings`);
  return value as Record<string, unknown>[];
}

/** The combinations of a matrix (already evaluated); [] when the matrix has none (the job then does not run). */
export function expandMatrix(matrix: unknown, jobId: string): MatrixCombination[] {
  if (typeof matrix !== 'object' || matrix === null || Array.isArray(matrix))
    throw new InputError(`jobs.${jobId}.strategy.matrix is ${JSON.stringify(matrix)}; expected a mapping`);
  const { include, exclude, ...vectors } = matrix as Record<string, unknown>;
  let combinations: MatrixCombination[] = [{}];
  for (const [key, values] of Object.entries(vectors)) {
    if (!Array.isArray(values) || values.length === 0)
      throw new InputError(`jobs.${jobId}.strategy.matrix.${key} is ${JSON.stringify(values)}; expected a non-empty list`);
    combinations = combinations.flatMap((c) => values.map((v: unknown) => ({ ...c, [key]: v })));
  }
  if (Object.keys(vectors).length === 0) combinations = [];
  for (const rule of objectsOf(exclude, `jobs.${jobId}.strategy.matrix.exclude`)) {
    combinations = combinations.filter((c) => !Object.entries(rule).every(([k, v]) => sameValue(c[k], v)));
  }
  const original = new Set(combinations);
  const originalKeys = Object.keys(vectors);
  for (const entry of objectsOf(include, `jobs.${jobId}.strategy.matrix.include`)) {
    let added = false;
    combinations = combinations.map((c) => {
      if (!original.has(c)) return c;
      const fits = Object.entries(entry).every(([k, v]) => !originalKeys.includes(k) || sameValue(c[k], v));
      if (!fits) return c;
      added = true;
      const extended = { ...c, ...entry };
      original.add(extended);
      return extended;
    });
    if (!added) combinations.push({ ...entry });
  }
  return combinations;
}

/** The name GitHub shows for one leg of a matrix job: `build (18, linux)`. */
export function matrixJobName(name: string, combination: MatrixCombination): string {
  const values = Object.values(combination).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  return values.length ? `${name} (${values.join(', ')})` : name;
}
