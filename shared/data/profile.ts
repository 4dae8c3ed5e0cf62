import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { DistinctSketch, type DistinctSketchJSON } from './sketch/distinct.js';
import { equalWidthEdges, histogram } from './sketch/drift.js';
import { Moments, type MomentsJSON } from './sketch/moments.js';
import { QuantileSketch, type QuantileSketchJSON } from './sketch/quantiles.js';
import { TopValues, type TopValuesJSON } from './sketch/top-values.js';

/** How a column is profiled: numbers (and dates, as epoch milliseconds) get moments and quantiles, the rest counts. */
export type ColumnKind = 'numeric' | 'temporal' | 'categorical';

export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
/** At most this many histogram bins; fewer for a small column (the square-root rule), so a profile stays proportionate to its data. */
const HISTOGRAM_BINS = 20;
const TOP_CAPACITY = 64;

export interface ColumnProfileJSON {
  name: string;
  /**
   * Set when the header repeats this column's name (accepted, with a warning, as table-schema.mdx asks): which of
   * the columns of that name it is, from 1 in header order. A column is known by its name and occurrence.
   */
  occurrence?: number;
  /** The Table Schema type the values were read as. */
  type: string;
  kind: ColumnKind;
  /** Values present and of the right type (NaN and infinities included: they are valid numbers). */
  count: number;
  nulls: number;
  /** Numeric columns: NaN values (pandas counts them as missing; max-null-fraction does too). Kept out of every statistic. */
  nan?: number;
  /** Numeric columns: +Infinity and -Infinity values (`INF`, `-INF`, or overflow such as `1e309`). Kept out of every statistic. */
  positiveInfinity?: number;
  negativeInfinity?: number;
  typeErrors: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  stddev: number | null;
  /** Keys p1, p5, p25, p50, p75, p95, p99. */
  quantiles: Record<string, number> | null;
  /** Estimated number of distinct values (HyperLogLog, ~0.8 % standard error). */
  distinct: number;
  /** Most frequent values; exact while the column has at most 64 distinct values. */
  top: { value: string; count: number }[];
  topExact: boolean;
  histogram: { edges: number[]; counts: number[] } | null;
  /**
   * Ordered categories (`categoriesOrdered: true`): the categories' values in their order, which is their
   * natural order (table-schema.mdx). Drift then compares the columns as ordinal.
   */
  order?: string[];
  /**
   * Mergeable state: what `mlops profile merge` combines. A numeric or temporal column has moments and
   * quantiles, a categorical one top; the others are absent (written as null before, still read).
   */
  sketches: {
    moments?: MomentsJSON | null;
    quantiles?: QuantileSketchJSON | null;
    distinct: DistinctSketchJSON;
    top?: TopValuesJSON | null;
  };
}

export interface SourceJSON {
  path: string;
  format: string;
  rows: number;
  /** sha256:<hex> of the file's bytes. */
  sha256: string;
}

/** A data profile: what validate-data writes and what drift is measured against. */
export interface ProfileJSON {
  kind: 'mlops-data-profile';
  version: 1;
  rows: number;
  fingerprint: string;
  sources: SourceJSON[];
  /** The table's columns; empty for a Data Package, whose tables are in `resources`. */
  columns: ColumnProfileJSON[];
  /** A Data Package: one entry per resource read, by name (drift is measured resource by resource). */
  resources?: ResourceProfileJSON[];
}

/** One resource of a Data Package: the profile of its table. */
export interface ResourceProfileJSON {
  name: string;
  rows: number;
  fingerprint: string;
  sources: SourceJSON[];
  columns: ColumnProfileJSON[];
}

/** The running state of one column. Every part is mergeable, so shards and threads combine exactly. */
export class ColumnAccumulator {
  nulls = 0;
  typeErrors = 0;
  nan = 0;
  positiveInfinity = 0;
  negativeInfinity = 0;
  readonly moments: Moments | null;
  readonly quantiles: QuantileSketch | null;
  readonly distinct: DistinctSketch;
  readonly top: TopValues | null;
  /** The categories in their order, for a column of ordered categories. */
  order: string[] | undefined;

  constructor(
    readonly name: string,
    readonly type: string,
    readonly kind: ColumnKind,
    state?: ColumnProfileJSON,
  ) {
    const numeric = kind !== 'categorical';
    if (state) {
      this.nulls = state.nulls;
      this.typeErrors = state.typeErrors;
      this.nan = state.nan ?? 0;
      this.positiveInfinity = state.positiveInfinity ?? 0;
      this.negativeInfinity = state.negativeInfinity ?? 0;
      this.moments = state.sketches.moments ? Moments.fromJSON(state.sketches.moments) : null;
      this.quantiles = state.sketches.quantiles ? QuantileSketch.fromJSON(state.sketches.quantiles) : null;
      this.distinct = DistinctSketch.fromJSON(state.sketches.distinct);
      this.top = state.sketches.top ? TopValues.fromJSON(state.sketches.top) : null;
      this.order = state.order;
    } else {
      this.moments = numeric ? new Moments() : null;
      this.quantiles = numeric ? new QuantileSketch() : null;
      this.distinct = new DistinctSketch();
      this.top = numeric ? null : new TopValues(TOP_CAPACITY);
    }
  }

  /** Values present and valid (NaN and infinities included). */
  get count(): number {
    return this.moments ? this.moments.count + this.nan + this.positiveInfinity + this.negativeInfinity : this.top!.total;
  }

  /** Counts a NaN or an infinity, which no sketch holds. */
  countNonFinite(value: number): void {
    if (value !== value) this.nan++;
    else if (value > 0) this.positiveInfinity++;
    else this.negativeInfinity++;
  }

  merge(other: ColumnAccumulator): void {
    this.nulls += other.nulls;
    this.typeErrors += other.typeErrors;
    this.nan += other.nan;
    this.positiveInfinity += other.positiveInfinity;
    this.negativeInfinity += other.negativeInfinity;
    if (this.moments && other.moments) this.moments.merge(other.moments);
    if (this.quantiles && other.quantiles) this.quantiles.merge(other.quantiles);
    this.distinct.merge(other.distinct);
    if (this.top && other.top) this.top.merge(other.top);
  }

  toJSON(): ColumnProfileJSON {
    const m = this.moments;
    const q = this.quantiles;
    const has = m !== null && m.count > 0;
    const quantiles = has && q ? Object.fromEntries(PROFILE_QUANTILES.map((p) => [`p${Math.round(p * 100)}`, q.quantile(p)])) : null;
    let hist: ColumnProfileJSON['histogram'] = null;
    if (has && q) {
      const edges = equalWidthEdges(m.min, m.max, m.min === m.max ? 1 : Math.min(HISTOGRAM_BINS, Math.ceil(Math.sqrt(m.count))));
      hist = { edges, counts: histogram(q, edges).map((c) => Math.round(c)) };
    }
    return {
      name: this.name,
      type: this.type,
      kind: this.kind,
      count: this.count,
      nulls: this.nulls,
      typeErrors: this.typeErrors,
      ...(m ? { nan: this.nan, positiveInfinity: this.positiveInfinity, negativeInfinity: this.negativeInfinity } : {}),
      min: has ? m.min : null,
      max: has ? m.max : null,
      mean: has ? m.mean : null,
      stddev: has && m.count > 1 ? m.stddev : null,
      quantiles,
      distinct: Math.round(this.distinct.estimate()),
      top: this.top
        ? this.top
            .entries()
            .slice(0, 20)
            .map(({ value, count }) => ({ value, count }))
        : [],
      topExact: this.top ? this.top.exact : true,
      histogram: hist,
      ...(this.order ? { order: this.order } : {}),
      sketches: {
        ...(m ? { moments: m.toJSON() } : {}),
        ...(q ? { quantiles: q.toJSON() } : {}),
        distinct: this.distinct.toJSON(),
        ...(this.top ? { top: this.top.toJSON() } : {}),
      },
    };
  }
}

/**
 * How a column is named in drift, reports and outputs: its name, or `name#k` for the k-th of the columns sharing
 * a name. Matching goes by {@link columnKey}, so a column literally named `a#2` cannot be mistaken for one.
 */
export function columnLabel(column: Pick<ColumnProfileJSON, 'name' | 'occurrence'>): string {
  return column.occurrence === undefined ? column.name : `${column.name}#${column.occurrence}`;
}

/** The key that matches a column with its reference column: its name and occurrence (the first when unset). */
export function columnKey(column: Pick<ColumnProfileJSON, 'name' | 'occurrence'>): string {
  return `${column.occurrence ?? 1}\u0000${column.name}`;
}

/** The columns with `occurrence` set on each whose name repeats (one entry per physical column, in order). */
export function withOccurrences(columns: ColumnProfileJSON[]): ColumnProfileJSON[] {
  const counts = new Map<string, number>();
  for (const c of columns) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return columns.map((c) => {
    const { occurrence: _, ...rest } = c;
    if (counts.get(c.name)! < 2) return rest;
    const k = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, k);
    // Right after the name, where a reader looks for it.
    const { name, ...others } = rest;
    return { name, occurrence: k, ...others };
  });
}

/** The fingerprint of data made of these files, in order: one file's own sha256, else a hash of the list. */
export function dataFingerprint(sources: Pick<SourceJSON, 'sha256'>[]): string {
  if (sources.length === 1) return sources[0]!.sha256;
  return `sha256:${createHash('sha256')
    .update(sources.map((s) => s.sha256).join('\n'))
    .digest('hex')}`;
}

/** Reads a profile written by validate-data, checking that it is one. Throws InputError naming the file. */
export function parseProfile(text: string, file: string): ProfileJSON {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`, { file });
  }
  const profile = value as ProfileJSON;
  if (!profile || profile.kind !== 'mlops-data-profile' || profile.version !== 1 || !Array.isArray(profile.columns)) {
    throw new InputError(
      `${file} is not an mlops data profile (expected "kind": "mlops-data-profile", "version": 1); write one with validate-data's profile output.`,
      { file },
    );
  }
  profile.columns.forEach((column, i) => checkColumnState(column, i, file));
  if (profile.resources !== undefined) {
    if (!Array.isArray(profile.resources))
      throw new InputError(`${file}: "resources" is not an array; write the profile again with validate-data.`, { file });
    for (const resource of profile.resources) {
      if (typeof resource?.name !== 'string' || !Array.isArray(resource.columns))
        throw new InputError(`${file}: a resource without "name" and "columns"; write the profile again with validate-data.`, { file });
      resource.columns.forEach((column, i) => checkColumnState(column, i, `${file} (resource ${resource.name})`));
    }
  }
  return profile;
}

const KINDS: readonly string[] = ['numeric', 'temporal', 'categorical'];

/** Throws InputError naming the file and column when a profile's column cannot be read back into its sketches. */
function checkColumnState(column: ColumnProfileJSON, index: number, file: string): void {
  const name = column && typeof column === 'object' && typeof column.name === 'string' ? column.name : undefined;
  const where = `${file}: column ${name === undefined ? index + 1 : JSON.stringify(name)}`;
  const bad = (why: string): InputError => new InputError(`${where}: ${why}; write the profile again with validate-data.`, { file });
  if (name === undefined || typeof column.type !== 'string' || !KINDS.includes(column.kind)) {
    throw bad('expected "name", "type" and "kind" (numeric, temporal or categorical)');
  }
  for (const key of ['count', 'nulls', 'typeErrors'] as const) {
    if (!Number.isSafeInteger(column[key]) || column[key] < 0) throw bad(`"${key}" must be a non-negative integer`);
  }
  if (
    column.order !== undefined &&
    (column.kind !== 'categorical' || !Array.isArray(column.order) || !column.order.every((v) => typeof v === 'string'))
  )
    throw bad('"order" must be a list of category texts, on a categorical column');
  const sketches = column.sketches as Partial<ColumnProfileJSON['sketches']> | undefined;
  if (!sketches || typeof sketches !== 'object') throw bad('it has no "sketches", the mergeable state drift and merge need');
  const needed = column.kind === 'categorical' ? (['distinct', 'top'] as const) : (['distinct', 'moments', 'quantiles'] as const);
  for (const key of needed) if (!sketches[key]) throw bad(`it has no "sketches.${key}"`);
  try {
    new ColumnAccumulator(column.name, column.type, column.kind, column);
  } catch (error) {
    throw bad(`a broken sketch: ${(error as Error).message}`);
  }
}

/**
 * Merges profiles of shards into the profile of their concatenation: exact for counts, min, max and
 * mean; within the sketches' error for quantiles and distinct counts. Throws InputError when the
 * shards' columns differ.
 */
export function mergeProfiles(profiles: ProfileJSON[], names: string[] = profiles.map((_, i) => `profile ${i + 1}`)): ProfileJSON {
  if (profiles.length === 0) throw new InputError('mergeProfiles needs at least one profile');
  const packaged = profiles.findIndex((p) => p.resources !== undefined);
  if (packaged !== -1)
    throw new InputError(
      `${names[packaged]} is the profile of a Data Package (one table per resource); only profiles of one table can be merged.`,
    );
  const first = profiles[0]!;
  const accumulators = first.columns.map((c) => new ColumnAccumulator(c.name, c.type, c.kind, c));
  for (let i = 1; i < profiles.length; i++) {
    const other = profiles[i]!;
    const expected = first.columns.map((c) => `${c.name}:${c.type}`).join(', ');
    const found = other.columns.map((c) => `${c.name}:${c.type}`).join(', ');
    if (expected !== found) {
      throw new InputError(
        `${names[i]} has columns (${found}) but ${names[0]} has (${expected}): only profiles of the same table can be merged.`,
      );
    }
    other.columns.forEach((c, j) => accumulators[j]!.merge(new ColumnAccumulator(c.name, c.type, c.kind, c)));
  }
  const sources = profiles.flatMap((p) => p.sources);
  return {
    kind: 'mlops-data-profile',
    version: 1,
    rows: profiles.reduce((sum, p) => sum + p.rows, 0),
    fingerprint: dataFingerprint(sources),
    sources,
    columns: withOccurrences(accumulators.map((a) => a.toJSON())),
  };
}
