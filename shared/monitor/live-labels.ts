// Live quality from delayed ground truth: a labels file (request id, label, and the row within the request
// when a request carried several) joined by request id with the serving runtime's sampled request log
// (shared/serve/request-log.ts), whose entries carry each row's predicted class (`prediction`). The
// metrics are evaluate's (shared/metrics/classification.ts); accuracy gets Wilson's interval, like the
// error rate, and the others evaluate's bootstrap interval. Both files come from outside: every label row
// is checked (bad ones named by line), every log line is parsed defensively, ids are compared, never used.
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readPredictionTable } from '../evaluate/prediction-table.js';
import { InputError } from '../errors.js';
import { bootstrapIntervals } from '../metrics/bootstrap.js';
import { prepareClassification } from '../metrics/classification.js';
import { wilsonInterval, type Interval } from './proportions.js';
import { MAX_LINE_BYTES } from './request-log-drift.js';

/** The classification metrics a rule may name on live labels (evaluate's names; the binary ones need two classes). */
export const LIVE_QUALITY_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'precision_macro',
  'recall_macro',
  'f1_macro',
  'precision_weighted',
  'recall_weighted',
  'f1_weighted',
] as const;

/** The longest request id the serving runtime takes (x-request-id): a longer one cannot be in its log. */
export const MAX_REQUEST_ID_LENGTH = 200;
/** Rows of a request the log keeps (shared/serve/model-server.ts logs the first 1,000). */
export const MAX_LOGGED_ROWS = 1000;
/** Bad label rows named in the message; the rest are counted. */
const BAD_ROWS_NAMED = 5;

/** Ground truth by request: the label of a one-row request (`''`), or of row N of a request. */
export interface LabelSet {
  path: string;
  /** id → (row or '') → label. */
  labels: Map<string, Map<string, string>>;
  rows: number;
}

export interface LabelJoin {
  /** Label rows in the file. */
  labelRows: number;
  /** Request log entries of the model version read. */
  logEntries: number;
  /** Rows with both a label and a logged prediction: what the metrics are computed on. */
  matchedRows: number;
  /** Label rows whose request is not in the log (not sampled, or not yet written). */
  unmatchedLabels: number;
  /** Labels without a row for a request of several rows (which row is meant is unknown), or a row the log does not have. */
  ambiguous: number;
  /** Labelled requests whose log entry has no predicted class (a log written before it recorded them). */
  withoutPrediction: number;
  /** Log lines that are not request entries, and entries of another model or version. */
  malformedLines: number;
  otherModel: number;
}

export interface LiveQuality {
  join: LabelJoin;
  classes: string[];
  /** Metric → value and 95 % interval (accuracy: Wilson; the others: bootstrap percentile). */
  metrics: Record<string, Interval>;
}

/** A label cell or id as the message shows it: quoted, cut short. */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/**
 * Reads and checks a labels file (CSV, TSV, JSONL, Parquet): columns `id` and `label`, and `row` (0-based,
 * the row within a request) when requests carry several rows. Throws InputError naming the input, the file
 * and the first bad rows by line: an empty or over-long id, an id with control characters, an empty label,
 * a bad row number, one request row given two different labels.
 */
export async function readLabelSet(path: string, cwd: string, input = 'labels'): Promise<LabelSet> {
  const table = await readPredictionTable(path, cwd, input);
  const ids = table.cells.get('id');
  const labelCells = table.cells.get('label');
  if (!ids || !labelCells)
    throw new InputError(
      `Input '${input}': ${path} needs the columns id (the request id) and label; it has ${table.columns.map(shown).join(', ')}`,
      { file: path },
    );
  const rowCells = table.cells.get('row');
  const labels = new Map<string, Map<string, string>>();
  const bad: string[] = [];
  let badCount = 0;
  const refuse = (i: number, why: string): void => {
    badCount++;
    if (bad.length < BAD_ROWS_NAMED) bad.push(`line ${table.lines[i]}: ${why}`);
  };
  for (let i = 0; i < table.rowCount; i++) {
    const id = ids[i] ?? '';
    const label = labelCells[i] ?? '';
    const rowText = rowCells?.[i] ?? '';
    if (id === '') refuse(i, 'the id is empty');
    else if (id.length > MAX_REQUEST_ID_LENGTH)
      refuse(i, `the id is ${id.length} characters, longer than any request id (${MAX_REQUEST_ID_LENGTH})`);
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(id)) refuse(i, `the id ${shown(id)} holds control characters`);
    else if (label === '') refuse(i, `the label of ${shown(id)} is empty`);
    else if (rowText !== '' && !(/^[0-9]{1,4}$/.test(rowText) && Number(rowText) < MAX_LOGGED_ROWS))
      refuse(i, `the row ${shown(rowText)} is not a row number from 0 to ${MAX_LOGGED_ROWS - 1}`);
    else {
      const row = rowText === '' ? '' : String(Number(rowText));
      let byRow = labels.get(id);
      if (!byRow) labels.set(id, (byRow = new Map()));
      const before = byRow.get(row);
      if (before !== undefined && before !== label)
        refuse(i, `${shown(id)}${row === '' ? '' : ` row ${row}`} is labelled ${shown(before)} and again ${shown(label)}`);
      else byRow.set(row, label);
    }
  }
  if (badCount > 0)
    throw new InputError(
      `Input '${input}': ${path} has ${badCount} bad row${badCount === 1 ? '' : 's'} (${bad.join('; ')}${badCount > bad.length ? '; …' : ''}): expected a request id (x-request-id, at most ${MAX_REQUEST_ID_LENGTH} characters) and a label on every row`,
      { file: path, line: Number(/^line (\d+)/.exec(bad[0]!)?.[1]) || 1 },
    );
  return { path, labels, rows: table.rowCount };
}

/** The request log files: one JSONL file, or a folder's `requests-*.jsonl`, oldest first (none yet: empty). */
async function logFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new InputError(`input 'request-log': ${path} does not exist`);
  if (!info.isDirectory()) return [path];
  return (await readdir(path))
    .filter((n) => /^requests-.*\.jsonl$/.test(n))
    .sort()
    .map((n) => join(path, n));
}

/** Reads the request log line by line (lines over MAX_LINE_BYTES are skipped as malformed). */
async function* logLines(files: string[]): AsyncGenerator<string | undefined> {
  for (const file of files) {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let dropping = false;
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
        if (dropping) {
          dropping = false;
          yield undefined;
        } else yield Buffer.concat([...pending, chunk.subarray(start, end)]).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
      if (start < chunk.length && !dropping) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > MAX_LINE_BYTES) {
          pending = [];
          pendingBytes = 0;
          dropping = true;
        }
      }
    }
    if (dropping) yield undefined;
    else if (pendingBytes > 0) yield Buffer.concat(pending).toString('utf8');
  }
}

/**
 * Joins `labels` with the request log at `logPath` (entries of `model` `version` only) and computes the
 * classification metrics on the matched rows. A request id logged twice counts once (the first entry).
 */
export async function measureLiveQuality(
  labels: LabelSet,
  logPath: string,
  selector: { model: string; version: string },
): Promise<LiveQuality> {
  const join: LabelJoin = {
    labelRows: 0,
    logEntries: 0,
    matchedRows: 0,
    unmatchedLabels: 0,
    ambiguous: 0,
    withoutPrediction: 0,
    malformedLines: 0,
    otherModel: 0,
  };
  for (const byRow of labels.labels.values()) join.labelRows += byRow.size;
  const truth: string[] = [];
  const predicted: string[] = [];
  const seen = new Set<string>();
  let resolved = 0;
  for await (const line of logLines(await logFiles(logPath))) {
    if (line === undefined) {
      join.malformedLines++;
      continue;
    }
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      join.malformedLines++;
      continue;
    }
    if (typeof entry !== 'object' || entry === null || typeof (entry as { id?: unknown }).id !== 'string') {
      join.malformedLines++;
      continue;
    }
    const e = entry as { id: string; model?: unknown; version?: unknown; prediction?: unknown };
    if (e.model !== selector.model || e.version !== selector.version) {
      join.otherModel++;
      continue;
    }
    join.logEntries++;
    const byRow = labels.labels.get(e.id);
    if (!byRow || seen.has(e.id)) continue;
    seen.add(e.id);
    resolved += byRow.size;
    const prediction = e.prediction;
    if (!Array.isArray(prediction)) {
      join.withoutPrediction += byRow.size;
      continue;
    }
    for (const [row, label] of byRow) {
      const index = row === '' ? (prediction.length === 1 ? 0 : -1) : Number(row);
      const value: unknown = index >= 0 ? prediction[index] : undefined;
      if (typeof value !== 'string' && typeof value !== 'number') {
        join.ambiguous++;
        continue;
      }
      truth.push(label);
      predicted.push(String(value));
    }
  }
  join.matchedRows = truth.length;
  join.unmatchedLabels = join.labelRows - resolved;
  if (truth.length === 0) return { join, classes: [], metrics: {} };
  const evaluator = prepareClassification({ labels: truth, predictions: predicted });
  const intervals = bootstrapIntervals(truth.length, (weights) => evaluator.evaluate(weights), { samples: 1000, seed: 0 });
  const metrics: Record<string, Interval> = {};
  for (const name of LIVE_QUALITY_METRICS) {
    const interval = intervals[name];
    if (interval) metrics[name] = { value: interval.value, low: interval.low, high: interval.high };
  }
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  metrics.accuracy = wilsonInterval(correct, truth.length);
  return { join, classes: [...evaluator.classes], metrics };
}
