import { InputError } from '../errors.js';
import type { ColumnProfileJSON, ProfileJSON } from './profile.js';
import { jensenShannonDistance, kolmogorovSmirnov, populationStabilityIndex } from './sketch/drift.js';
import { QuantileSketch } from './sketch/quantiles.js';

/** Below this many values on either side, a drift score says more about noise than about the data. */
export const MIN_ROWS_FOR_DRIFT = 100;

export interface ColumnDrift {
  column: string;
  statistic: 'psi' | 'js';
  /** PSI for numbers and dates, Jensen–Shannon distance for categories; null when not judged. */
  score: number | null;
  /** Kolmogorov–Smirnov statistic, numbers and dates only. */
  ks: number | null;
  threshold: number;
  status: 'drift' | 'stable' | 'insufficient data';
}

function categoryCounts(column: ColumnProfileJSON): Map<string, number> {
  const counts = new Map<string, number>();
  let listed = 0;
  for (const [value, count] of column.sketches.top?.entries ?? []) {
    counts.set(`v:${value}`, count);
    listed += count;
  }
  // Values that fell out of the top list still carry weight: one bucket for them all.
  if (column.count > listed) counts.set('other', column.count - listed);
  return counts;
}

/**
 * Checks that `current` describes the same table as `reference`; throws InputError listing the
 * missing, extra and retyped columns.
 */
export function checkSameColumns(reference: ProfileJSON, current: ProfileJSON, referenceName: string): void {
  const ref = new Map(reference.columns.map((c) => [c.name, c]));
  const cur = new Map(current.columns.map((c) => [c.name, c]));
  const missing = [...ref.keys()].filter((n) => !cur.has(n));
  const extra = [...cur.keys()].filter((n) => !ref.has(n));
  const retyped = [...cur.values()]
    .filter((c) => ref.has(c.name) && ref.get(c.name)!.kind !== c.kind)
    .map((c) => `${c.name} (${ref.get(c.name)!.type} → ${c.type})`);
  if (missing.length + extra.length + retyped.length === 0) return;
  const parts = [
    missing.length ? `missing from the data: ${missing.join(', ')}` : '',
    extra.length ? `not in the reference: ${extra.join(', ')}` : '',
    retyped.length ? `of another type: ${retyped.join(', ')}` : '',
  ].filter(Boolean);
  throw new InputError(`The reference profile ${referenceName} does not match the data's columns: ${parts.join('; ')}.`, {
    file: referenceName,
  });
}

/** Drift of every column of `current` against `reference`, with per-column threshold overrides. */
export function measureDrift(
  reference: ProfileJSON,
  current: ProfileJSON,
  thresholds: { psi: number; js: number },
  overrides: Record<string, number> = {},
): ColumnDrift[] {
  const ref = new Map(reference.columns.map((c) => [c.name, c]));
  return current.columns.map((column) => {
    const before = ref.get(column.name)!;
    const numeric = column.kind !== 'categorical';
    const statistic = numeric ? 'psi' : 'js';
    const threshold = overrides[column.name] ?? (numeric ? thresholds.psi : thresholds.js);
    if (before.count < MIN_ROWS_FOR_DRIFT || column.count < MIN_ROWS_FOR_DRIFT) {
      return { column: column.name, statistic, score: null, ks: null, threshold, status: 'insufficient data' };
    }
    let score: number;
    let ks: number | null = null;
    if (numeric) {
      const a = QuantileSketch.fromJSON(before.sketches.quantiles!);
      const b = QuantileSketch.fromJSON(column.sketches.quantiles!);
      score = populationStabilityIndex(a, b);
      ks = kolmogorovSmirnov(a, b);
    } else {
      score = jensenShannonDistance(categoryCounts(before), categoryCounts(column));
    }
    return { column: column.name, statistic, score, ks, threshold, status: score > threshold ? 'drift' : 'stable' };
  });
}
