// Input drift of live traffic from the serving runtime's sampled request log (shared/serve/request-log.ts:
// JSONL, one request per line, `inputs` holding each input tensor as nested arrays) against the data
// profile registered with the model. The log is streamed into validate-data's mergeable sketches
// (shared/data/profile.ts), so memory stays bounded whatever the log's size, and drift is decided
// column by column exactly as validate-data decides it (shared/data/drift.ts).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { asDistance, columnDrift, driftColumnOf, driftColumnOfAccumulator, type ColumnDrift, type DriftThresholds } from '../data/drift.js';
import { ColumnAccumulator, type ColumnKind, type ProfileJSON } from '../data/profile.js';
import { populationStabilityIndex } from '../data/sketch/drift.js';
import { InputError } from '../errors.js';

/** validate-data's default thresholds (PSI above 0.2, Jensen–Shannon above 0.1, a test's p below 0.05: drift). */
export const REQUEST_LOG_DRIFT_THRESHOLDS: DriftThresholds = { psi: 0.2, js: 0.1, 'p-value': 0.05 };
/** A line longer than this is not read (counted as malformed): a bound on memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Table Schema types a matrix input's features come from when the model names none (as shared/serve/feature-layout.ts decides). */
const NUMERIC_FIELD_TYPES = new Set(['number', 'integer', 'boolean', 'year']);

export interface RequestLogDriftOptions {
  /** validate-data's profile of the training data (registered with the model). */
  reference: ProfileJSON;
  /** Default validate-data's: psi 0.2, js 0.1, p-value 0.05. */
  thresholds?: DriftThresholds;
  /** Per-column thresholds, as validate-data's `drift-overrides`. */
  overrides?: Record<string, Partial<DriftThresholds>>;
  /**
   * The column names of a matrix input (one tensor of [rows, features]), by tensor name, as the model's
   * ONNX metadata `features` lists them. Without it: the reference's numeric columns when there are as many
   * as the tensor is wide (the serving runtime's rule), else `<tensor>_<i>` (the names the runtime gives).
   */
  features?: Record<string, string[]>;
  /** Only requests to this model name and version (a log folder may hold several versions after a deploy). */
  model?: string;
  version?: string;
  /** Only requests logged at or after this time. */
  since?: Date | number;
}

/** One column's drift as validate-data decides it, with its PSI whenever it is numeric (whatever decided). */
export type RequestLogColumnDrift = ColumnDrift & {
  /** PSI against the reference (numeric columns with values on both sides), null otherwise. */
  psi: number | null;
};

export interface RequestLogDrift {
  /** Log lines read (requests), and input rows profiled. */
  entries: number;
  rows: number;
  /** Lines left out: not JSON or not a request entry, of another model or version, before `since`. */
  skipped: { malformed: number; otherModel: number; beforeSince: number; firstProblem?: string };
  /** The reference's columns seen in the log, in the reference's order. */
  columns: RequestLogColumnDrift[];
  /** Reference columns the log holds no values for. */
  missing: string[];
  /** Columns in the log that the reference does not have (not judged). */
  unknown: string[];
  /** Tensors that are not table columns (deeper than [rows, features]), not profiled. */
  ignoredTensors: string[];
  /** The live profile: the same mergeable sketches validate-data writes (rows: input rows). */
  profile: ProfileJSON;
}

/** Where a tensor's values go: one column, or the columns of a matrix. */
type TensorRoute = { kind: 'column'; column: LiveColumn } | { kind: 'matrix'; columns: LiveColumn[] } | { kind: 'ignored' };

interface LiveColumn {
  acc: ColumnAccumulator;
  numeric: boolean;
  temporal: boolean;
}

/**
 * Streams a request log into a live profile and measures its drift. Feed it chunks of JSONL
 * ({@link RequestLogDriftMeter.write}), then {@link RequestLogDriftMeter.finish}. Memory: the sketches
 * (a few KB per column) and one line at a time.
 */
export class RequestLogDriftMeter {
  private readonly reference: ProfileJSON;
  private readonly referenceKinds: Map<string, ColumnKind>;
  private readonly columns = new Map<string, LiveColumn>();
  private readonly routes = new Map<string, TensorRoute>();
  private readonly ignored = new Set<string>();
  private readonly since: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line is over MAX_LINE_BYTES: dropped up to its end. */
  private dropping = false;
  private line = 0;
  entries = 0;
  rows = 0;
  readonly skipped: RequestLogDrift['skipped'] = { malformed: 0, otherModel: 0, beforeSince: 0 };

  constructor(private readonly options: RequestLogDriftOptions) {
    this.reference = options.reference;
    this.referenceKinds = new Map(options.reference.columns.map((c) => [c.name, c.kind]));
    this.since = options.since === undefined ? -Infinity : typeof options.since === 'number' ? options.since : options.since.getTime();
    for (const [tensor, names] of Object.entries(options.features ?? {})) {
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === ''))
        throw new InputError(`features of ${tensor} must be a list of column names, got ${JSON.stringify(names)}`);
    }
  }

  /** Adds a chunk of the log (bytes or text); lines may span chunks. */
  write(chunk: Uint8Array | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = bytes.indexOf(10, start); end !== -1; end = bytes.indexOf(10, start)) {
      if (this.dropping) this.dropping = false;
      else if (this.pendingBytes === 0) this.readLine(bytes.toString('utf8', start, end));
      else {
        this.pending.push(bytes.subarray(start, end));
        this.readLine(Buffer.concat(this.pending).toString('utf8'));
      }
      this.pending = [];
      this.pendingBytes = 0;
      start = end + 1;
    }
    if (start < bytes.length && !this.dropping) {
      // Copied: the caller may reuse its buffer.
      this.pending.push(Buffer.from(bytes.subarray(start)));
      this.pendingBytes += bytes.length - start;
      if (this.pendingBytes > MAX_LINE_BYTES) {
        this.line++;
        this.malformed(`line ${this.line} is over ${MAX_LINE_BYTES} bytes`);
        this.pending = [];
        this.pendingBytes = 0;
        this.dropping = true;
      }
    }
  }

  /** Reads what is left (a last line without a newline) and measures drift against the reference. */
  finish(): RequestLogDrift {
    if (this.pendingBytes > 0 && !this.dropping) this.readLine(Buffer.concat(this.pending).toString('utf8'));
    this.pending = [];
    this.pendingBytes = 0;
    const thresholds = this.options.thresholds ?? REQUEST_LOG_DRIFT_THRESHOLDS;
    const overrides = this.options.overrides ?? {};
    const columns: RequestLogColumnDrift[] = [];
    const missing: string[] = [];
    for (const ref of this.reference.columns) {
      const live = this.columns.get(ref.name);
      if (!live || live.acc.count + live.acc.nulls === 0) {
        missing.push(ref.name);
        continue;
      }
      const before = driftColumnOf(ref);
      const current = driftColumnOfAccumulator(live.acc);
      const decided = asDistance(columnDrift(before, current, { ...thresholds, ...overrides[ref.name] }), before, current);
      const psi =
        ref.kind !== 'categorical' && before.count > 0 && live.acc.quantiles && live.acc.quantiles.count > 0
          ? populationStabilityIndex(before.quantiles(), live.acc.quantiles)
          : null;
      columns.push({ ...decided, psi: psi !== null && Number.isFinite(psi) ? psi : null });
    }
    const unknown = [...this.columns.keys()].filter((name) => !this.referenceKinds.has(name));
    return {
      entries: this.entries,
      rows: this.rows,
      skipped: { ...this.skipped },
      columns,
      missing,
      unknown,
      ignoredTensors: [...this.ignored],
      profile: {
        kind: 'mlops-data-profile',
        version: 1,
        rows: this.rows,
        fingerprint: '',
        sources: [],
        columns: [...this.columns.values()].map((c) => c.acc.toJSON()),
      },
    };
  }

  private malformed(problem: string): void {
    this.skipped.malformed++;
    this.skipped.firstProblem ??= problem;
  }

  private readLine(text: string): void {
    this.line++;
    if (text.length === 0 || (text.length === 1 && text === '\r')) return;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch (error) {
      this.malformed(`line ${this.line} is not JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      this.malformed(`line ${this.line} is not a request entry (an object)`);
      return;
    }
    const e = entry as { time?: unknown; model?: unknown; version?: unknown; inputs?: unknown; rows?: unknown };
    if (typeof e.inputs !== 'object' || e.inputs === null || Array.isArray(e.inputs)) {
      this.malformed(`line ${this.line} has no "inputs" object`);
      return;
    }
    if (
      (this.options.model !== undefined && e.model !== this.options.model) ||
      (this.options.version !== undefined && e.version !== this.options.version)
    ) {
      this.skipped.otherModel++;
      return;
    }
    if (this.since !== -Infinity) {
      const time = typeof e.time === 'string' ? Date.parse(e.time) : NaN;
      if (!(time >= this.since)) {
        this.skipped.beforeSince++;
        return;
      }
    }
    this.entries++;
    let rows = 0;
    for (const [tensor, value] of Object.entries(e.inputs as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      rows = Math.max(rows, this.addTensor(tensor, value));
    }
    this.rows += rows;
  }

  /** Adds one tensor's rows to its columns; returns the rows it had. */
  private addTensor(tensor: string, value: unknown[]): number {
    let route = this.routes.get(tensor);
    if (!route) {
      route = this.route(tensor, value);
      if (!route) return value.length;
      this.routes.set(tensor, route);
    }
    if (route.kind === 'ignored') return value.length;
    if (route.kind === 'column') {
      const column = route.column;
      for (const item of value) addValue(column, Array.isArray(item) ? item[0] : item);
      return value.length;
    }
    const columns = route.columns;
    const width = columns.length;
    for (const row of value) {
      if (!Array.isArray(row)) continue;
      const n = Math.min(width, row.length);
      for (let c = 0; c < n; c++) addValue(columns[c]!, row[c]);
    }
    return value.length;
  }

  /** How a tensor maps to columns, decided on its first non-empty appearance (undefined until then). */
  private route(tensor: string, value: unknown[]): TensorRoute | undefined {
    const first = value.find((v) => v !== null && v !== undefined);
    if (first === undefined) return undefined;
    if (!Array.isArray(first)) return { kind: 'column', column: this.column(tensor, first) };
    if (first.some((v) => Array.isArray(v))) {
      this.ignored.add(tensor);
      return { kind: 'ignored' };
    }
    if (first.length === 1) return { kind: 'column', column: this.column(tensor, first[0]) };
    const width = first.length;
    let names = this.options.features?.[tensor];
    if (names && names.length !== width)
      throw new InputError(
        `features of ${tensor} name ${names.length} columns (${names.join(', ')}) but the logged tensor has ${width} per row`,
      );
    if (!names) {
      const numeric = this.reference.columns.filter((c) => NUMERIC_FIELD_TYPES.has(c.type)).map((c) => c.name);
      names = numeric.length === width ? numeric : Array.from({ length: width }, (_, i) => `${tensor}_${i}`);
    }
    return { kind: 'matrix', columns: names.map((name, i) => this.column(name, first[i])) };
  }

  private column(name: string, sample: unknown): LiveColumn {
    let column = this.columns.get(name);
    if (column) return column;
    const referenceKind = this.referenceKinds.get(name);
    const kind: ColumnKind = referenceKind ?? (typeof sample === 'number' ? 'numeric' : 'categorical');
    const type = this.reference.columns.find((c) => c.name === name)?.type ?? (kind === 'categorical' ? 'string' : 'number');
    column = { acc: new ColumnAccumulator(name, type, kind), numeric: kind !== 'categorical', temporal: kind === 'temporal' };
    this.columns.set(name, column);
    return column;
  }
}

/** Adds one value as validate-data's profiler counts it: null missing, NaN and infinities apart from the sketches. */
function addValue(column: LiveColumn, value: unknown): void {
  const acc = column.acc;
  if (value === null || value === undefined) {
    acc.nulls++;
    return;
  }
  if (column.numeric) {
    const x = typeof value === 'number' ? value : column.temporal && typeof value === 'string' ? Date.parse(value) : Number(value);
    if (typeof value !== 'number' && typeof value !== 'boolean' && Number.isNaN(x)) {
      acc.typeErrors++;
      return;
    }
    if (x - x !== 0) {
      acc.countNonFinite(x);
      return;
    }
    acc.moments!.add(x);
    acc.quantiles!.add(x);
    acc.distinct.addNumber(x);
    return;
  }
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  acc.top!.add(text);
  acc.distinct.addString(text);
}

/** Streams `source` (chunks of JSONL) through a {@link RequestLogDriftMeter} and returns the drift. */
export async function measureRequestLogDrift(
  source: AsyncIterable<Uint8Array | string>,
  options: RequestLogDriftOptions,
): Promise<RequestLogDrift> {
  const meter = new RequestLogDriftMeter(options);
  for await (const chunk of source) meter.write(chunk);
  return meter.finish();
}

/**
 * The drift of a request log on disk: one JSONL file, or a folder of the runtime's `requests-*.jsonl`
 * files, read oldest first. Throws InputError when the path does not exist or the folder holds no log.
 */
export async function readRequestLogDrift(path: string, options: RequestLogDriftOptions): Promise<RequestLogDrift & { files: string[] }> {
  let files: string[];
  try {
    const info = await stat(path);
    files = info.isDirectory()
      ? (await readdir(path))
          .filter((n) => /^requests-.*\.jsonl$/.test(n))
          .sort()
          .map((n) => join(path, n))
      : [path];
  } catch (error) {
    throw new InputError(`the request log ${path} cannot be read: ${(error as Error).message}`);
  }
  if (files.length === 0) throw new InputError(`the request log folder ${path} holds no requests-*.jsonl files`);
  const meter = new RequestLogDriftMeter(options);
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) meter.write(chunk as Buffer);
    // A file that does not end with a newline ends its last line anyway.
    meter.write('\n');
  }
  return { ...meter.finish(), files };
}
