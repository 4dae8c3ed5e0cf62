import { InputError } from '../errors.js';
import { columnKey, columnLabel, type ColumnAccumulator, type ColumnKind, type ColumnProfileJSON, type ProfileJSON } from './profile.js';
import { kolmogorovSmirnovPValue } from './sketch/distributions.js';
import {
  chiSquaredHomogeneity,
  jensenShannonDistance,
  MIN_EXPECTED_COUNT,
  kolmogorovSmirnov,
  populationStabilityIndex,
} from './sketch/drift.js';
import { QuantileSketch } from './sketch/quantiles.js';

/**
 * Below this many values on either side, drift is decided by a two-sample test (Kolmogorov–Smirnov,
 * chi-squared) at a p-value threshold, as Evidently does; PSI and Jensen–Shannon distance, which
 * do not account for sample size, decide above it.
 */
export const TEST_BELOW_VALUES = 1000;
/** Below this many values on either side drift is not judged ("insufficient data", with a warning). */
export const MIN_VALUES_FOR_DRIFT = 5;

export interface DriftThresholds {
  psi: number;
  js: number;
  'p-value': number;
}

/** What decided a column: a two-sample test (`ks`, `chi-squared`) or a distance (`psi`, `js`). */
export type DriftMethod = 'ks' | 'chi-squared' | 'psi' | 'js';

export interface ColumnDrift {
  column: string;
  /** What decided; null when not judged. */
  method: DriftMethod | null;
  /** The method's statistic: KS D, chi-squared, PSI or Jensen–Shannon distance; null when not judged. */
  score: number | null;
  /** The test's p-value (ks, chi-squared); null for PSI and JS. */
  pValue: number | null;
  /** Kolmogorov–Smirnov statistic, numbers and dates only. */
  ks: number | null;
  /** p-value threshold for a test (drift when p < threshold), else the PSI / JS threshold (drift when score > threshold). */
  threshold: number;
  status: 'drift' | 'stable' | 'insufficient data';
  /** Values compared on each side. */
  counts: { reference: number; current: number };
  /** Why a column was not judged, or why the usual method gave way to another. */
  note?: string;
}

/** Dataset-level drift: the share of judged columns that drifted, against `drift-share`. */
export interface DatasetDrift {
  /** Columns drift was judged on (not "insufficient data"). */
  judged: number;
  drifted: string[];
  share: number;
  threshold: number;
  /** True when at least one column drifted and drifted / judged ≥ threshold. */
  detected: boolean;
}

function formatPValue(p: number): string {
  if (p === 0) return '<1e-300';
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

/** What decided a column and its figure, as the report and the annotations say it: `KS p=0.0003`, `PSI 0.310`. */
export function describeDrift(d: ColumnDrift): string {
  switch (d.method) {
    case 'ks':
      return `KS p=${formatPValue(d.pValue!)}`;
    case 'chi-squared':
      return `chi-squared p=${formatPValue(d.pValue!)}`;
    case 'psi':
      return `PSI ${d.score!.toFixed(3)}`;
    case 'js':
      return `JS ${d.score!.toFixed(3)}`;
    default:
      return 'insufficient data';
  }
}

/** The rule a column was held to: `p < 0.05`, `> 0.2`. */
export function describeThreshold(d: ColumnDrift): string {
  return d.method === 'ks' || d.method === 'chi-squared' ? `p < ${d.threshold}` : `> ${d.threshold}`;
}

/**
 * Dataset drift as Evidently's DataDriftPreset decides it: detected when drifted / judged columns
 * ≥ `share` (and at least one column drifted, so `share: 0` means "any drifted column").
 */
export function measureDatasetDrift(drift: ColumnDrift[], share: number): DatasetDrift {
  const judged = drift.filter((d) => d.status !== 'insufficient data').length;
  const drifted = drift.filter((d) => d.status === 'drift').map((d) => d.column);
  const ratio = judged === 0 ? 0 : drifted.length / judged;
  return { judged, drifted, share: ratio, threshold: share, detected: drifted.length > 0 && ratio >= share };
}

/** A category column's counts for the tests: its top values, and one bucket for the rest. */
export function categoryCounts(entries: Iterable<readonly [string, number, ...unknown[]]>, total: number): Map<string, number> {
  const counts = new Map<string, number>();
  let listed = 0;
  for (const [value, count] of entries) {
    counts.set(`v:${value}`, count);
    listed += count;
  }
  // Values that fell out of the top list still carry weight: one bucket for them all.
  if (total > listed) counts.set('other', total - listed);
  return counts;
}

/**
 * A column as drift reads it: its count and, asked for only when a test needs them, its quantile
 * sketch (numbers, dates) or category counts. From a profile's JSON ({@link driftColumnOf}) or from
 * live accumulators, so a server need not serialize its sketches to measure drift.
 */
export interface DriftColumn {
  name: string;
  kind: ColumnKind;
  count: number;
  quantiles(): QuantileSketch;
  categories(): Map<string, number>;
  /** Ordered categories: their texts in their natural order (the profile's `order`). */
  order?: readonly string[];
}

/** A profile column as drift reads it; the sketch is parsed on first use and kept. */
export function driftColumnOf(column: ColumnProfileJSON): DriftColumn {
  let sketch: QuantileSketch | undefined;
  return {
    name: columnLabel(column),
    kind: column.kind,
    count: column.count,
    quantiles: () => (sketch ??= QuantileSketch.fromJSON(column.sketches.quantiles!)),
    categories: () => categoryCounts(column.sketches.top?.entries ?? [], column.count),
    ...(column.order ? { order: column.order } : {}),
  };
}

/** A column still being profiled, as drift reads it: straight from its accumulator, with no serialization of its sketches. */
export function driftColumnOfAccumulator(acc: ColumnAccumulator): DriftColumn {
  return {
    name: acc.name,
    kind: acc.kind,
    count: acc.count,
    quantiles: () => acc.quantiles!,
    categories: () => categoryCounts(acc.top ? acc.top.entries().map((e) => [e.value, e.count] as const) : [], acc.count),
    ...(acc.order ? { order: acc.order } : {}),
  };
}

/**
 * Checks that `current` describes the same table as `reference`; throws InputError listing the
 * missing, extra and retyped columns.
 */
export function checkSameColumns(reference: ProfileJSON, current: ProfileJSON, referenceName: string): void {
  // By name and occurrence: a header repeating a name has one column per occurrence (a#1, a#2).
  const ref = new Map(reference.columns.map((c) => [columnKey(c), c]));
  const cur = new Map(current.columns.map((c) => [columnKey(c), c]));
  const missing = [...ref].filter(([k]) => !cur.has(k)).map(([, c]) => columnLabel(c));
  const extra = [...cur].filter(([k]) => !ref.has(k)).map(([, c]) => columnLabel(c));
  const retyped = [...cur]
    .filter(([k, c]) => ref.has(k) && ref.get(k)!.kind !== c.kind)
    .map(([k, c]) => `${columnLabel(c)} (${ref.get(k)!.type} → ${c.type})`);
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

/**
 * Drift of every column of `current` against `reference`, with per-column threshold overrides.
 * Numbers and dates: below {@link TEST_BELOW_VALUES} values on either side, the KS test on the KLL
 * sketches (exact below 512 values); above, PSI. Categories: the chi-squared test on the top-values
 * counts below (not judged when every category is rare), Jensen–Shannon distance above. Ordered categories
 * (categoriesOrdered: true): the KS test over their order below, Jensen–Shannon distance above.
 */
export function measureDrift(
  reference: ProfileJSON,
  current: ProfileJSON,
  thresholds: DriftThresholds,
  overrides: Record<string, Partial<DriftThresholds>> = {},
): ColumnDrift[] {
  const ref = new Map(reference.columns.map((c) => [columnKey(c), c]));
  // Overrides by name apply to every column of that name; `name#k` to one of them.
  return current.columns.map((column) =>
    columnDrift(driftColumnOf(ref.get(columnKey(column))!), driftColumnOf(column), {
      ...thresholds,
      ...overrides[column.name],
      ...(column.occurrence === undefined ? {} : overrides[columnLabel(column)]),
    }),
  );
}

/**
 * The drift a monitor reads as one number (a gauge, `drift.max`): a distance on one scale at every sample
 * size. Where chi-squared decided, its statistic grows with the count, so the score becomes Jensen–Shannon's
 * distance of the same counts; the decision (method, p-value, status) stays the test's.
 */
export function asDistance(drift: ColumnDrift, before: DriftColumn, column: DriftColumn): ColumnDrift {
  return drift.method === 'chi-squared' ? { ...drift, score: jensenShannonDistance(before.categories(), column.categories()) } : drift;
}

/** Drift of one column against its reference column, as {@link measureDrift} decides it; `limits` are the column's thresholds. */
export function columnDrift(before: DriftColumn, column: DriftColumn, limits: DriftThresholds): ColumnDrift {
  const numeric = column.kind !== 'categorical';
  const counts = { reference: before.count, current: column.count };
  const small = Math.min(counts.reference, counts.current);
  const base = { column: column.name, counts, score: null, pValue: null, ks: null };
  if (small < MIN_VALUES_FOR_DRIFT) {
    const side = counts.reference <= counts.current ? 'the reference' : 'the current data';
    return {
      ...base,
      method: null,
      threshold: limits['p-value'],
      status: 'insufficient data',
      note: `${small} value${small === 1 ? '' : 's'} in ${side}; drift needs at least ${MIN_VALUES_FOR_DRIFT} on each side`,
    };
  }
  const test = small < TEST_BELOW_VALUES;
  if (numeric) {
    const a = before.quantiles();
    const b = column.quantiles();
    const ks = kolmogorovSmirnov(a, b);
    if (test) {
      const pValue = kolmogorovSmirnovPValue(ks, a.count, b.count);
      const threshold = limits['p-value'];
      return { ...base, method: 'ks', score: ks, pValue, ks, threshold, status: pValue < threshold ? 'drift' : 'stable' };
    }
    const score = populationStabilityIndex(a, b);
    return { ...base, method: 'psi', score, ks, threshold: limits.psi, status: score > limits.psi ? 'drift' : 'stable' };
  }
  const a = before.categories();
  const b = column.categories();
  if (test) {
    const ordinal = ordinalKs(before, column, a, b);
    if (ordinal !== undefined) {
      const threshold = limits['p-value'];
      const pValue = kolmogorovSmirnovPValue(ordinal, before.count, column.count);
      const note = 'ordered categories: KS test on their order';
      return {
        ...base,
        method: 'ks',
        score: ordinal,
        pValue,
        ks: ordinal,
        threshold,
        status: pValue < threshold ? 'drift' : 'stable',
        note,
      };
    }
    const chi = chiSquaredHomogeneity(a, b);
    const threshold = limits['p-value'];
    if (!chi) {
      return {
        ...base,
        method: null,
        threshold,
        status: 'insufficient data',
        note: `every category is too rare for chi-squared (expected counts below ${MIN_EXPECTED_COUNT}, even pooled)`,
      };
    }
    return {
      ...base,
      method: 'chi-squared',
      score: chi.statistic,
      pValue: chi.pValue,
      threshold,
      status: chi.pValue < threshold ? 'drift' : 'stable',
      ...(chi.pooled ? { note: `${chi.pooled} rare categories pooled` } : {}),
    };
  }
  const score = jensenShannonDistance(a, b);
  return { ...base, method: 'js', score, threshold: limits.js, status: score > limits.js ? 'drift' : 'stable' };
}

/**
 * The Kolmogorov–Smirnov statistic of two columns of ordered categories, over the categories' order (the largest
 * gap between their cumulative shares), or undefined when the columns cannot be compared so: not both ordered
 * alike, or counts not all known by category (the top list overflowed). On discrete data the KS p-value is
 * conservative: it errs towards "stable".
 */
function ordinalKs(before: DriftColumn, column: DriftColumn, a: Map<string, number>, b: Map<string, number>): number | undefined {
  const order = column.order;
  if (!order || !before.order || before.order.join('\u0000') !== order.join('\u0000')) return undefined;
  const rank = new Map(order.map((value, i) => [`v:${value}`, i]));
  const byRank = (counts: Map<string, number>): Float64Array | undefined => {
    const shares = new Float64Array(order.length);
    let total = 0;
    for (const [key, count] of counts) {
      // An integer category written otherwise (01 for 1) is found by its value.
      const at = rank.get(key) ?? (key.startsWith('v:') ? rank.get(`v:${Number(key.slice(2))}`) : undefined);
      if (at === undefined) return undefined;
      shares[at]! += count;
      total += count;
    }
    for (let i = 0; i < shares.length; i++) shares[i]! /= total;
    return shares;
  };
  const sa = byRank(a);
  const sb = byRank(b);
  if (!sa || !sb) return undefined;
  let fa = 0;
  let fb = 0;
  let d = 0;
  for (let i = 0; i < order.length; i++) {
    fa += sa[i]!;
    fb += sb[i]!;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}
