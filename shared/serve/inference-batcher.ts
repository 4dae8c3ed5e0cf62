import type { OnnxModel } from './onnx-model.js';
import { typedValues, type TensorData, type TensorSpec, type TensorValues } from './tensor-types.js';

/** What the batcher runs: the model's `run` and its declared inputs and outputs. */
export type BatchableModel = Pick<OnnxModel, 'run' | 'inputs' | 'outputs'>;

interface Pending {
  tensors: TensorData[];
  rows: number;
  resolve(outputs: TensorData[]): void;
  reject(error: unknown): void;
}

/**
 * Dynamic batching with no added wait, as Triton's and MLServer's: a request runs at once when the model
 * is free; requests that arrive while a run is in flight queue, and when it ends the queued ones whose
 * tensors agree (names, datatypes, trailing dimensions) run as one batch, their rows concatenated, each
 * getting its own rows of every output back. onnxruntime-node runs on the main thread, and a call costs
 * about 11 µs whatever its rows (digits-mlp-onnx: 12 µs for 1 row, 14 µs for 16), so under load this
 * saves most of the model's cost per request.
 *
 * A batch must answer every row exactly what the row answers alone, so it is used only for a model whose
 * inputs and outputs all have a free first dimension and that passed {@link probeBatching} at start (rows
 * run alone and together gave the same bits); a batch that fails, or whose outputs do not have one row per
 * input row, is run again request by request, so one bad request never fails the others.
 */
export class InferenceBatcher {
  private queue: Pending[] = [];
  private running = false;
  /**
   * Per input, the buffer batches are concatenated into, reused from batch to batch (one batch runs at a
   * time and the model reads its inputs only while it runs): a typed array of its own costs V8 about 2 µs.
   */
  private readonly scratch: Exclude<TensorValues, string[]>[] = [];
  /** Model runs, for the metrics. */
  runs = 0;

  constructor(
    private readonly model: BatchableModel,
    /** Rows per batch at most; 1 turns batching off. A request with as many rows or more runs alone. */
    private maxRows: number,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Every output of the model for these tensors (decoded, one request's). */
  run(tensors: TensorData[]): Promise<TensorData[]> {
    if (this.maxRows <= 1) return this.alone(tensors);
    // Every request queues, a large one too, so requests are answered (and profiled) in the order they came.
    return new Promise((resolve, reject) => {
      this.queue.push({ tensors, rows: tensors[0]?.shape[0] ?? 0, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private alone(tensors: TensorData[]): Promise<TensorData[]> {
    this.runs++;
    return this.model.run(tensors);
  }

  /** Runs the queue, a batch at a time, until it is empty; requests queue meanwhile. */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        if (batch.length === 1) {
          const [only] = batch;
          await this.alone(only!.tensors).then(only!.resolve, only!.reject);
        } else {
          await this.runBatch(batch);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The longest run of queued requests from the head that agree with it and fit in maxRows. */
  private takeBatch(): Pending[] {
    const head = this.queue[0]!;
    let rows = head.rows;
    let n = 1;
    while (n < this.queue.length) {
      const next = this.queue[n]!;
      if (rows + next.rows > this.maxRows || !sameLayout(head.tensors, next.tensors)) break;
      rows += next.rows;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    const total = batch.reduce((sum, p) => sum + p.rows, 0);
    let outputs: TensorData[];
    try {
      this.runs++;
      outputs = await this.model.run(
        this.concatRows(
          batch.map((p) => p.tensors),
          total,
        ),
      );
    } catch {
      // Which request the model refused is not known: each runs alone, and gets its own answer or error.
      await this.oneByOne(batch);
      return;
    }
    if (!outputs.every((o) => o.shape[0] === total)) {
      this.maxRows = 1;
      this.log('batching turned off: an output did not have one row per input row; each request runs alone');
      await this.oneByOne(batch);
      return;
    }
    const widths = outputs.map((o) => o.data.length / total);
    let start = 0;
    for (const p of batch) {
      const own = new Array<TensorData>(outputs.length);
      for (let k = 0; k < outputs.length; k++) own[k] = rowsOf(outputs[k]!, widths[k]!, start, p.rows);
      p.resolve(own);
      start += p.rows;
    }
  }

  /** The requests' tensors with their rows one after another (every request's tensors in the same layout). */
  private concatRows(requests: TensorData[][], rows: number): TensorData[] {
    return requests[0]!.map((first, i) => {
      const parts = requests.map((tensors) => tensors[i]!.data);
      let data: TensorValues;
      if (Array.isArray(first.data)) {
        data = ([] as string[]).concat(...(parts as string[][]));
      } else {
        const size = parts.reduce((sum, p) => sum + p.length, 0);
        let buffer = this.scratch[i];
        if (!buffer || buffer.constructor !== first.data.constructor || buffer.length < size) {
          const type = first.data.constructor as new (n: number) => Exclude<TensorValues, string[]>;
          buffer = this.scratch[i] = new type(Math.max(size, 2 * (buffer?.length ?? 0)));
        }
        let at = 0;
        for (const p of parts as Exclude<TensorValues, string[]>[]) {
          buffer.set(p as never, at);
          at += p.length;
        }
        data = buffer.subarray(0, size);
      }
      return { name: first.name, datatype: first.datatype, shape: [rows, ...first.shape.slice(1)], data };
    });
  }

  private async oneByOne(batch: Pending[]): Promise<void> {
    for (const p of batch) await this.alone(p.tensors).then(p.resolve, p.reject);
  }
}

function sameLayout(a: TensorData[], b: TensorData[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.datatype !== y.datatype || x.shape.length !== y.shape.length) return false;
    for (let d = 1; d < x.shape.length; d++) if (x.shape[d] !== y.shape[d]) return false;
  }
  return true;
}

/** Rows `start` … `start + rows - 1` of a tensor of `width` values a row (a view of a typed array, not a copy). */
function rowsOf(tensor: TensorData, width: number, start: number, rows: number): TensorData {
  const data = Array.isArray(tensor.data)
    ? tensor.data.slice(start * width, (start + rows) * width)
    : tensor.data.subarray(start * width, (start + rows) * width);
  const shape = tensor.shape.slice();
  shape[0] = rows;
  return { name: tensor.name, datatype: tensor.datatype, shape, data: data as TensorValues };
}

function sliceRows(tensor: TensorData, start: number, rows: number): TensorData {
  return rowsOf(
    tensor,
    tensor.shape.slice(1).reduce((a, b) => a * b, 1),
    start,
    rows,
  );
}

const PROBE_ROWS = 5;

/** Made-up rows for the probe: numbers in [0, 1) (or 0 / 1 for integers and booleans), distinct per row and column. */
function probeTensor(spec: TensorSpec): TensorData | undefined {
  if (spec.datatype === 'BYTES' || spec.datatype === 'FP16') return undefined;
  const inner = spec.shape.slice(1).map((d) => (d < 0 ? 1 : d));
  const width = inner.reduce((a, b) => a * b, 1);
  const integer = spec.datatype !== 'FP32' && spec.datatype !== 'FP64';
  const values = Array.from({ length: PROBE_ROWS * width }, (_, i) => (integer ? i % 2 : ((i * 7919) % 1009) / 1009));
  return { name: spec.name, datatype: spec.datatype, shape: [PROBE_ROWS, ...inner], data: typedValues(spec.datatype, values) };
}

function sameValues(a: TensorData, b: TensorData): boolean {
  if (a.name !== b.name || a.data.length !== b.data.length || a.shape.join() !== b.shape.join()) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

/**
 * Whether batching may be used for this model: every input and output has a free first dimension, and
 * made-up rows run together (5 rows, and the first 2) answer bit for bit what each answers alone. Else the
 * reason it may not (a model that cannot be probed is not batched).
 */
export async function probeBatching(model: BatchableModel): Promise<{ ok: true } | { ok: false; reason: string }> {
  const fixed = [...model.inputs, ...model.outputs].find((s) => s.shape.length === 0 || s.shape[0] !== -1);
  if (fixed) return { ok: false, reason: `"${fixed.name}" has no free first (batch) dimension` };
  const probe = model.inputs.map(probeTensor);
  if (probe.some((t) => t === undefined))
    return { ok: false, reason: 'the model takes text (or FP16) inputs, which the probe cannot make up' };
  const tensors = probe as TensorData[];
  const probeRows = (start: number, rows: number): TensorData[] => tensors.map((t) => sliceRows(t, start, rows));
  try {
    const alone = await Promise.all(Array.from({ length: PROBE_ROWS }, (_, r) => model.run(probeRows(r, 1))));
    for (const rows of [PROBE_ROWS, 2]) {
      const together = await model.run(probeRows(0, rows));
      for (let r = 0; r < rows; r++) {
        const same = alone[r]!.every((o, k) => together[k] !== undefined && sameValues(o, sliceRows(together[k]!, r, 1)));
        if (!same) return { ok: false, reason: `rows run ${rows} together did not answer exactly what they answer alone` };
      }
    }
  } catch (error) {
    return { ok: false, reason: `the probe's made-up rows could not be run (${(error as Error).message.split('\n')[0]})` };
  }
  return { ok: true };
}
