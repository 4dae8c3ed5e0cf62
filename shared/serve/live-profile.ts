import { ColumnAccumulator, type ColumnKind, type ProfileJSON } from '../data/profile.js';
import { QuantileSketch } from '../data/sketch/quantiles.js';
import {
  categoryCounts,
  asDistance,
  columnDrift,
  driftColumnOf,
  driftColumnOfAccumulator,
  type ColumnDrift,
  type DriftColumn,
  type DriftThresholds,
} from '../data/drift.js';

export interface ProfiledColumn {
  name: string;
  kind: ColumnKind;
}

/** One window's accumulators: validate-data's mergeable sketches, one per column. */
class ProfileWindow {
  rows = 0;
  readonly columns: ColumnAccumulator[];
  constructor(
    readonly start: number,
    spec: ProfiledColumn[],
  ) {
    this.columns = spec.map((c) => new ColumnAccumulator(c.name, c.kind === 'categorical' ? 'string' : 'number', c.kind));
  }
}

function addValue(acc: ColumnAccumulator, value: number | string | null | undefined): void {
  if (value === null || value === undefined) {
    acc.nulls++;
    return;
  }
  if (acc.moments) {
    const x = typeof value === 'number' ? value : Number(value);
    if (x - x !== 0) {
      acc.countNonFinite(x);
      return;
    }
    acc.moments.add(x);
    acc.quantiles!.add(x);
    acc.distinct.addNumber(x);
    return;
  }
  const text = String(value);
  acc.top!.add(text);
  acc.distinct.addString(text);
}

/** Matrix rows buffered per profile before they are folded into the sketches, column by column. */
const PENDING_ROWS = 256;

/**
 * The profile of live traffic, kept per time window (`windowMs`) for the last `windows` windows, so
 * old traffic ages out; the live profile is the merge of the windows kept, exactly as validate-data
 * merges shards (`mergeProfiles`).
 *
 * Matrix rows are buffered and folded into the current window's sketches a column at a time: one
 * column's sketches stay in the CPU cache for a few hundred values instead of 64 sketches being
 * touched per request. Each column still gets its values in arrival order, and the buffer is folded
 * before the window changes and before any read, so the sketches are exactly those of adding every
 * row as it came.
 */
export class WindowedProfile {
  private windows: ProfileWindow[] = [];
  /** Row-major values of `pendingRows` rows for columns `pendingFirst` … `pendingFirst + pendingWidth - 1` of the last window. */
  private pending = new Float64Array(0);
  private pendingRows = 0;
  private pendingWidth = 0;
  private pendingFirst = 0;

  constructor(
    readonly columns: ProfiledColumn[],
    private readonly windowMs: number,
    private readonly keep: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The window the next values go into, after dropping windows that aged out. */
  private current(): ProfileWindow {
    const t = this.now();
    const start = t - (t % this.windowMs);
    const last = this.windows[this.windows.length - 1];
    if (last && last.start === start) return last;
    // Buffered rows belong to the window they arrived in.
    this.flush();
    const window = new ProfileWindow(start, this.columns);
    this.windows.push(window);
    const oldest = start - (this.keep - 1) * this.windowMs;
    this.windows = this.windows.filter((w) => w.start >= oldest);
    return window;
  }

  /** Folds the buffered rows into the last window's sketches, column by column. */
  private flush(): void {
    const rows = this.pendingRows;
    if (rows === 0) return;
    this.pendingRows = 0;
    const window = this.windows[this.windows.length - 1]!;
    const width = this.pendingWidth;
    const data = this.pending;
    for (let c = 0; c < width; c++) {
      const acc = window.columns[this.pendingFirst + c]!;
      for (let r = 0; r < rows; r++) addValue(acc, data[r * width + c]!);
    }
  }

  /** Adds `rows` rows of a row-major matrix whose column c is this profile's column `first + c`. */
  addMatrix(data: ArrayLike<number | bigint>, rows: number, width: number, first = 0): void {
    const window = this.current();
    if (this.pendingRows > 0 && (width !== this.pendingWidth || first !== this.pendingFirst || this.pendingRows + rows > PENDING_ROWS))
      this.flush();
    if (rows > PENDING_ROWS) {
      for (let c = 0; c < width; c++) {
        const acc = window.columns[first + c]!;
        for (let r = 0; r < rows; r++) addValue(acc, Number(data[r * width + c]!));
      }
      return;
    }
    if (this.pending.length < PENDING_ROWS * width) this.pending = new Float64Array(PENDING_ROWS * width);
    this.pendingWidth = width;
    this.pendingFirst = first;
    const at = this.pendingRows * width;
    const size = rows * width;
    for (let i = 0; i < size; i++) this.pending[at + i] = Number(data[i]!);
    this.pendingRows += rows;
  }

  /** Adds one value per row to column `index`. */
  addColumn(index: number, values: ArrayLike<number | string | bigint | null>): void {
    const acc = this.current().columns[index]!;
    this.flush();
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      addValue(acc, typeof v === 'bigint' ? Number(v) : v);
    }
  }

  /** Counts rows once per request (columns are added separately). */
  countRows(rows: number): void {
    this.current().rows += rows;
  }

  /** The windows kept, oldest first, each as a profile of its own. */
  windowProfiles(): ProfileJSON[] {
    this.current();
    this.flush();
    return this.windows.map((w) => toProfile(w.rows, w.columns));
  }

  /** Rows in the windows kept (no merge). */
  rows(): number {
    this.current();
    return this.windows.reduce((sum, w) => sum + w.rows, 0);
  }

  /** Every window kept, merged into fresh accumulators (not serialized). */
  mergedColumns(): { rows: number; columns: ColumnAccumulator[] } {
    this.current();
    this.flush();
    const merged = this.columns.map((c) => new ColumnAccumulator(c.name, c.kind === 'categorical' ? 'string' : 'number', c.kind));
    let rows = 0;
    for (const w of this.windows) {
      rows += w.rows;
      w.columns.forEach((acc, i) => merged[i]!.merge(acc));
    }
    return { rows, columns: merged };
  }

  /**
   * Every window kept, merged as drift reads them. A numeric column merges only its quantile sketches,
   * when a test asks for them (drift reads no distinct-count sketch or moments, and its count is the
   * windows' sum); the same merges as {@link mergedColumns}, so the same sketch.
   */
  driftColumns(): DriftColumn[] {
    this.current();
    this.flush();
    return this.columns.map((column, i): DriftColumn => {
      const accs = this.windows.map((w) => w.columns[i]!);
      if (column.kind === 'categorical') {
        const merged = new ColumnAccumulator(column.name, 'string', column.kind);
        for (const acc of accs) merged.merge(acc);
        return driftColumnOfAccumulator(merged);
      }
      const count = accs.reduce((sum, acc) => sum + acc.count, 0);
      let sketch: QuantileSketch | undefined;
      return {
        name: column.name,
        kind: column.kind,
        count,
        quantiles: () => {
          if (sketch) return sketch;
          sketch = new QuantileSketch();
          for (const acc of accs) sketch.merge(acc.quantiles!);
          return sketch;
        },
        categories: () => categoryCounts([], count),
      };
    });
  }

  /** The live profile: every window kept, merged. */
  merged(): ProfileJSON {
    const { rows, columns } = this.mergedColumns();
    return toProfile(rows, columns);
  }
}

function toProfile(rows: number, columns: ColumnAccumulator[]): ProfileJSON {
  return { kind: 'mlops-data-profile', version: 1, rows, fingerprint: '', sources: [], columns: columns.map((c) => c.toJSON()) };
}

/** The reference profile's columns by name, as drift reads them: each sketch is parsed once, on first use, and kept. */
export function referenceColumns(reference: ProfileJSON): Map<string, DriftColumn> {
  return new Map(reference.columns.map((c) => [c.name, driftColumnOf(c)]));
}

/**
 * Drift of the live columns against the reference profile's (validate-data's measureDrift, column by
 * column), for the columns the reference has with the same kind; the others are not judged. Reads the
 * live sketches directly: a scrape does not serialize and re-parse every sketch.
 */
export function liveDrift(reference: Map<string, DriftColumn>, live: DriftColumn[], thresholds: DriftThresholds): ColumnDrift[] {
  return live
    .filter((column) => reference.get(column.name)?.kind === column.kind)
    .map((column) => {
      const before = reference.get(column.name)!;
      return asDistance(columnDrift(before, column, thresholds), before, column);
    });
}

// For the prediction reference, profiled the same way as live values.
export { addValue as addProfileValue };
