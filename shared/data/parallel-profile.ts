import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { lineStartAtOrAfter, openByteInput } from './byte-input.js';
import { ColumnAccumulator, type ColumnProfileJSON } from './profile.js';
import { type RangeOutcome, scanCsvInput, scanJsonLinesInput, scanParquet, type TableHead } from './read-table.js';
import type { DataSource } from './sources.js';
import { type KeyHooks, planNeedsWholeFile, type TablePlan, TableProfiler } from './table-profiler.js';
import { usesJsonSchema } from './table-schema/json-schema-registry.js';
import { type Violation, ViolationLog } from './violations.js';
import { workerScript } from '../worker-script.js';

/** One piece of profiling work: a whole file, or a byte range of an uncompressed CSV/TSV/JSONL file. */
export interface ProfileTask {
  kind: 'mlops-profile-task';
  source: DataSource;
  plan: TablePlan;
  start: number;
  end: number;
  firstLine: number;
  skipBom: boolean;
  maxReported: number;
  /** CSV/TSV: records before this range's first (for the dialect's commentRows). */
  recordsBefore: number;
}

export interface ProfileTaskResult {
  rows: number;
  lines: number;
  unterminated: boolean;
  columns: ColumnProfileJSON[];
  violationCount: number;
  violations: Violation[];
}

/** A file's profile state: mergeable accumulators plus its violations. */
export interface FileProfile {
  rows: number;
  accumulators: ColumnAccumulator[];
  violations: ViolationLog;
  /** How many threads read it. */
  threads: number;
}

// Files smaller than this are read on one thread: starting workers costs more than it saves.
const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** Runs a task in this thread. */
export async function runProfileTask(
  task: ProfileTask,
  profiler = new TableProfiler(task.source.path, task.plan, new ViolationLog(task.maxReported)),
): Promise<{ profiler: TableProfiler; outcome: RangeOutcome }> {
  const columns = task.plan.columns.map((c) => c.field.name);
  let outcome: RangeOutcome;
  if (task.source.format === 'parquet') {
    outcome = await scanParquet(task.source, columns, profiler);
  } else {
    const input = await openByteInput(task.source, task.start, task.end);
    try {
      outcome =
        task.source.format === 'jsonl'
          ? await scanJsonLinesInput(input, columns, profiler, task.firstLine)
          : await scanCsvInput(input, task.source, profiler, task.firstLine, task.skipBom, task.recordsBefore);
    } finally {
      await input.close();
    }
  }
  profiler.finish();
  return { profiler, outcome };
}

/** The worker thread's side: run the task it was started with and post the result. */
export async function runProfileWorker(task: ProfileTask): Promise<void> {
  // A worker starts with no Table Schema module loaded: bring in the jsonSchema constraint when a field has one.
  if (usesJsonSchema(task.plan.columns.map((c) => c.field))) await import('./table-schema/json-schema-constraint.js');
  const violations = new ViolationLog(task.maxReported);
  const { profiler, outcome } = await runProfileTask(task, new TableProfiler(task.source.path, task.plan, violations));
  const result: ProfileTaskResult = {
    rows: profiler.rows,
    lines: outcome.lines,
    unterminated: outcome.unterminated,
    columns: profiler.accumulators.map((a) => a.toJSON()),
    violationCount: violations.count,
    violations: violations.reported,
  };
  parentPort!.postMessage(result);
}

function runInWorker(task: ProfileTask): Promise<ProfileTaskResult> {
  return new Promise((resolve, reject) => {
    // A small young generation keeps each thread's garbage (cell strings) from inflating memory.
    const worker = new Worker(workerScript()!, {
      workerData: task,
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 128 },
    });
    let settled = false;
    worker.once('message', (result: ProfileTaskResult) => {
      settled = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`profiling thread exited with code ${code} before reporting`));
    });
  });
}

/** How many threads to use: MLOPS_THREADS, else the machine's cores. */
export function profileThreads(): number {
  const configured = Number(process.env.MLOPS_THREADS);
  return Number.isInteger(configured) && configured > 0 ? configured : availableParallelism();
}

/**
 * Profiles one file, splitting a large uncompressed file into line-aligned byte ranges read by
 * worker threads and merged in order. A split that fell inside a quoted field is detected (the range
 * ends in an unterminated quote) and the file is then read again on one thread.
 */
export async function profileFile(
  source: DataSource,
  plan: TablePlan,
  head: TableHead,
  maxReported: number,
  threads = profileThreads(),
  keyHooks?: KeyHooks,
): Promise<FileProfile> {
  const base: ProfileTask = {
    kind: 'mlops-profile-task',
    source,
    plan,
    start: head.dataStart,
    end: source.size,
    firstLine: head.firstDataLine,
    skipBom: head.dataStart === 0,
    maxReported,
    recordsBefore: head.recordsBefore ?? 0,
  };
  const dialect = source.dialect;
  // Ranges start after a newline: a dialect with another terminator, escaped newlines or comment rows counted
  // from the file's start is read on one thread.
  const splitsAtNewlines =
    !dialect ||
    (dialect.lineTerminator === undefined &&
      dialect.escapeChar === undefined &&
      dialect.commentRows.every((r) => r <= (head.recordsBefore ?? 0)));
  // Key sets live in this thread: a table with foreign key work is read here.
  const splittable = keyHooks === undefined && splitsAtNewlines && !source.gzip && source.format !== 'parquet' && !planNeedsWholeFile(plan);
  if (workerScript() && threads > 1 && splittable && source.size - head.dataStart >= PARALLEL_MIN_BYTES) {
    const parallel = await profileInRanges(base, threads, maxReported);
    if (parallel) return parallel;
  }
  const violations = new ViolationLog(maxReported);
  const { profiler } = await runProfileTask(base, new TableProfiler(source.path, plan, violations, keyHooks));
  return { rows: profiler.rows, accumulators: profiler.accumulators, violations, threads: 1 };
}

async function profileInRanges(base: ProfileTask, threads: number, maxReported: number): Promise<FileProfile | undefined> {
  const { source } = base;
  const span = source.size - base.start;
  const bounds = [base.start];
  for (let i = 1; i < threads; i++)
    bounds.push(await lineStartAtOrAfter(source.absolute, base.start + Math.floor((span * i) / threads), source.size));
  bounds.push(source.size);
  const tasks: ProfileTask[] = [];
  for (let i = 0; i < threads; i++) {
    if (bounds[i + 1]! > bounds[i]!) tasks.push({ ...base, start: bounds[i]!, end: bounds[i + 1]!, firstLine: 1, skipBom: false });
  }
  const results = await Promise.all(tasks.map(runInWorker));
  if (results.slice(0, -1).some((r) => r.unterminated)) return undefined;
  const violations = new ViolationLog(maxReported);
  let lineOffset = base.firstLine - 1;
  let accumulators: ColumnAccumulator[] | undefined;
  let rows = 0;
  for (const result of results) {
    violations.absorb(result.violationCount, result.violations, lineOffset);
    lineOffset += result.lines;
    rows += result.rows;
    const parts = result.columns.map((c) => new ColumnAccumulator(c.name, c.type, c.kind, c));
    if (!accumulators) accumulators = parts;
    else accumulators.forEach((a, i) => a.merge(parts[i]!));
  }
  return { rows, accumulators: accumulators!, violations, threads: tasks.length };
}
