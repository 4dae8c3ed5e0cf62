// Dynamic batching without onnxruntime: a model written here (each output row a function of its input row
// alone, unless a test says otherwise) shows how requests queue while a run is in flight, run together,
// get their own rows back in order, and run alone when a batch fails or cannot be split; and when the
// probe refuses to batch.
import { describe, expect, it } from '@jest/globals';
import { InferenceBatcher, probeBatching, type BatchableModel } from '../../../shared/serve/inference-batcher.js';
import type { TensorData, TensorSpec } from '../../../shared/serve/tensor-types.js';

const inputs: TensorSpec[] = [
  { name: 'x', datatype: 'FP32', shape: [-1, 2] },
  { name: 'tag', datatype: 'INT64', shape: [-1] },
];
const outputs: TensorSpec[] = [
  { name: 'sum', datatype: 'FP64', shape: [-1] },
  { name: 'pair', datatype: 'FP32', shape: [-1, 2] },
];

interface FakeModel extends BatchableModel {
  /** Rows of every run, in order. */
  runs: number[];
}

/** sum = x0 + x1 + tag per row; pair = x reversed. A row whose tag is 1000 makes the whole run fail. */
function fakeModel(options: { mixRows?: boolean; dropRow?: boolean } = {}): FakeModel {
  const runs: number[] = [];
  return {
    inputs,
    outputs,
    runs,
    async run(tensors: TensorData[]): Promise<TensorData[]> {
      await new Promise((resolve) => setImmediate(resolve));
      const [x, tag] = tensors as [TensorData & { data: Float32Array }, TensorData & { data: BigInt64Array }];
      const rows = x.shape[0]!;
      runs.push(rows);
      if (tag.data.includes(1000n)) throw new Error('tag 1000 is not allowed');
      const mean = options.mixRows ? x.data.reduce((a, b) => a + b, 0) / Math.max(1, x.data.length) : 0;
      const out = rows - (options.dropRow && rows > 1 ? 1 : 0);
      const sum = new Float64Array(out);
      const pair = new Float32Array(out * 2);
      for (let r = 0; r < out; r++) {
        sum[r] = x.data[2 * r]! + x.data[2 * r + 1]! + Number(tag.data[r]) + mean;
        pair[2 * r] = x.data[2 * r + 1]!;
        pair[2 * r + 1] = x.data[2 * r]!;
      }
      return [
        { name: 'sum', datatype: 'FP64', shape: [out], data: sum },
        { name: 'pair', datatype: 'FP32', shape: [out, 2], data: pair },
      ];
    },
  };
}

/** A request of `rows` rows: x = (k, k + 0.5), tag = k, for k = first … first + rows - 1. */
function request(first: number, rows: number): TensorData[] {
  const ks = Array.from({ length: rows }, (_, i) => first + i);
  return [
    { name: 'x', datatype: 'FP32', shape: [rows, 2], data: Float32Array.from(ks.flatMap((k) => [k, k + 0.5])) },
    { name: 'tag', datatype: 'INT64', shape: [rows], data: BigInt64Array.from(ks, (k) => BigInt(k)) },
  ];
}

const sums = (answer: TensorData[]): number[] => Array.from(answer[0]!.data as Float64Array);

describe('InferenceBatcher', () => {
  it('runs requests that arrive while the model runs as one batch, each answered its own rows, in order', async () => {
    const model = fakeModel();
    const batcher = new InferenceBatcher(model, 64);
    const order: number[] = [];
    const answers = await Promise.all(
      [request(0, 1), request(1, 3), request(4, 1), request(5, 2)].map((tensors, i) =>
        batcher.run(tensors).then((answer) => {
          order.push(i);
          return answer;
        }),
      ),
    );
    // The first runs alone at once; the three that came while it ran go together.
    expect(model.runs).toEqual([1, 6]);
    expect(batcher.runs).toBe(2);
    expect(order).toEqual([0, 1, 2, 3]);
    // sum = 3k + 0.5 for row k.
    expect(answers.map(sums)).toEqual([[0.5], [3.5, 6.5, 9.5], [12.5], [15.5, 18.5]]);
    expect(answers[1]![1]).toEqual({ name: 'pair', datatype: 'FP32', shape: [3, 2], data: Float32Array.from([1.5, 1, 2.5, 2, 3.5, 3]) });
    expect(answers[3]![0]!.shape).toEqual([2]);
  });

  it('gives each request exactly what it gets alone', async () => {
    const alone = await Promise.all(Array.from({ length: 12 }, (_, k) => fakeModel().run(request(k * 3, 1 + (k % 3)))));
    const batcher = new InferenceBatcher(fakeModel(), 64);
    const together = await Promise.all(Array.from({ length: 12 }, (_, k) => batcher.run(request(k * 3, 1 + (k % 3)))));
    expect(together.map(sums)).toEqual(alone.map(sums));
    expect(together.map((t) => Array.from(t[1]!.data as Float32Array))).toEqual(alone.map((t) => Array.from(t[1]!.data as Float32Array)));
  });

  it('keeps a batch within maxRows, and runs a larger request alone, in its turn', async () => {
    const model = fakeModel();
    const batcher = new InferenceBatcher(model, 4);
    await Promise.all(
      [request(0, 1), request(1, 2), request(3, 2), request(5, 9), request(14, 1), request(15, 3)].map((t) => batcher.run(t)),
    );
    expect(model.runs).toEqual([1, 4, 9, 4]);
  });

  it('does not put tensors of another layout in the same batch', async () => {
    const model = fakeModel();
    const batcher = new InferenceBatcher(model, 64);
    const wide: TensorData[] = [
      { name: 'x', datatype: 'FP32', shape: [1, 3], data: Float32Array.from([1, 2, 3]) },
      { name: 'tag', datatype: 'INT64', shape: [1], data: BigInt64Array.from([0n]) },
    ];
    // Queued behind the first: 1 row, a wider row, 1 row; none may join its neighbour (order is kept).
    await Promise.all([request(0, 1), request(1, 1), wide, request(2, 1)].map((t) => batcher.run(t)));
    expect(model.runs).toEqual([1, 1, 1, 1]);
    await Promise.all([request(0, 1), request(1, 1), request(2, 1)].map((t) => batcher.run(t)));
    expect(model.runs.slice(4)).toEqual([1, 2]);
  });

  it('runs a failed batch again request by request: only the bad request fails', async () => {
    const model = fakeModel();
    const batcher = new InferenceBatcher(model, 64);
    const settled = await Promise.allSettled([request(0, 1), request(1, 1), request(1000, 1), request(20, 2)].map((t) => batcher.run(t)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toEqual(new Error('tag 1000 is not allowed'));
    expect(sums((settled[3] as PromiseFulfilledResult<TensorData[]>).value)).toEqual([60.5, 63.5]);
    // 1 alone, the failed batch of 4 rows, then its three requests alone.
    expect(model.runs).toEqual([1, 4, 1, 1, 2]);
  });

  it('turns batching off when an output has not one row per input row, and answers each request alone', async () => {
    const model = fakeModel({ dropRow: true });
    const logged: string[] = [];
    const batcher = new InferenceBatcher(model, 64, (line) => logged.push(line));
    const answers = await Promise.all([request(0, 1), request(1, 1), request(2, 1)].map((t) => batcher.run(t)));
    expect(answers.map(sums)).toEqual([[0.5], [3.5], [6.5]]);
    expect(logged).toEqual(['batching turned off: an output did not have one row per input row; each request runs alone']);
    await Promise.all([request(0, 1), request(1, 1)].map((t) => batcher.run(t)));
    expect(model.runs).toEqual([1, 2, 1, 1, 1, 1]);
  });

  it('with maxRows 1, runs every request alone', async () => {
    const model = fakeModel();
    const batcher = new InferenceBatcher(model, 1);
    await Promise.all([request(0, 1), request(1, 1), request(2, 1)].map((t) => batcher.run(t)));
    expect(model.runs).toEqual([1, 1, 1]);
  });
});

describe('probeBatching', () => {
  it('allows a model whose rows do not mix', async () => {
    expect(await probeBatching(fakeModel())).toEqual({ ok: true });
  });

  it('refuses a model whose rows mix, whose batch dimension is fixed, or that takes text', async () => {
    expect(await probeBatching(fakeModel({ mixRows: true }))).toEqual({
      ok: false,
      reason: 'rows run 5 together did not answer exactly what they answer alone',
    });
    const fixed = { ...fakeModel(), outputs: [{ name: 'sum', datatype: 'FP64' as const, shape: [1] }] };
    expect(await probeBatching(fixed)).toEqual({ ok: false, reason: '"sum" has no free first (batch) dimension' });
    const text = { ...fakeModel(), inputs: [{ name: 'name', datatype: 'BYTES' as const, shape: [-1, 1] }] };
    expect(await probeBatching(text)).toMatchObject({ ok: false, reason: expect.stringMatching(/text \(or FP16\) inputs/) });
  });

  it('refuses a model that cannot run the made-up rows', async () => {
    const failing = { ...fakeModel(), run: () => Promise.reject(new Error('bad input\nat native code')) };
    expect(await probeBatching(failing)).toEqual({ ok: false, reason: "the probe's made-up rows could not be run (bad input)" });
  });
});
