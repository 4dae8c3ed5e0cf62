// Real tables from the vega-datasets package, for the sketch tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dataDir = fileURLToPath(new URL('../../../../node_modules/vega-datasets/data/', import.meta.url));

export function readJsonRows<T>(file: string): T[] {
  return JSON.parse(readFileSync(dataDir + file, 'utf8')) as T[];
}

/** Rows of a simple CSV (no quoted commas), as objects of strings. */
export function readCsvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(dataDir + file, 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** Deterministic xorshift32 stream of floats in [0, 1), for synthetic streams of a known law. */
export function uniformStream(seed: number): () => number {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Exact fraction of sorted values ≤ x. */
export function exactRank(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / sorted.length;
}
