// Writes the monitor benchmark's request log: N requests of one row each, rows drawn uniformly with
// replacement (seeded) from the digits reference table, each line as the serving runtime's request log
// writes it (shared/serve/request-log.ts and model-server.ts: id, time, model, version, endpoint, rows,
// inputs and outputs as nested arrays), the outputs being the logits the digits model
// (test/fixtures/digits-mlp-onnx, run through shared/serve's own loader) computes for that row.
//
//   node_modules/.bin/node --experimental-transform-types bench/monitor/generate.ts REFERENCE.csv OUT.jsonl ROWS SEED
import { createWriteStream, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTypeScriptSources } from '../runner-support.js';

resolveTypeScriptSources();

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** mulberry32: a small seeded generator, the same draws on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const [referenceCsv, out, rowsText, seedText] = process.argv.slice(2);
  if (!referenceCsv || !out) throw new Error('usage: generate.ts REFERENCE.csv OUT.jsonl ROWS SEED');
  const count = Number(rowsText ?? 1_000_000);
  const random = seeded(Number(seedText ?? 1));
  const lines = readFileSync(referenceCsv, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const features = header.filter((h) => h.startsWith('input_')).length;
  const table = lines.slice(1).map((line) => line.split(',').slice(0, features).map(Number));

  const { loadOnnxModel } = await import('../../shared/serve/onnx-model.js');
  const model = await loadOnnxModel(join(root, 'test', 'fixtures', 'digits-mlp-onnx'));
  const input = model.inputs[0]!;
  const flat = new Float32Array(table.length * features);
  table.forEach((row, r) => flat.set(row, r * features));
  const [output] = await model.run([{ name: input.name, datatype: 'FP32', shape: [table.length, features], data: flat }]);
  const width = output!.shape[1]!;
  // As the runtime logs them: the request's FP32 values and the model's FP32 logits, widened to numbers.
  const inputsJson = table.map((_, r) => JSON.stringify({ [input.name]: [Array.from(flat.subarray(r * features, (r + 1) * features))] }));
  const outputsJson = table.map((_, r) =>
    JSON.stringify({ [output!.name]: [Array.from((output!.data as Float32Array).subarray(r * width, (r + 1) * width))] }),
  );
  await model.release();

  const partial = `${out}.partial`;
  const stream = createWriteStream(partial);
  const start = Date.parse('2026-11-30T00:00:00Z');
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = Math.floor(random() * table.length);
    const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const time = new Date(start + i * 50).toISOString();
    batch.push(
      `{"id":"${id}","time":"${time}","model":"digits","version":"1","endpoint":"infer","rows":1,"inputs":${inputsJson[r]},"outputs":${outputsJson[r]}}`,
    );
    if (batch.length === 10_000) {
      if (!stream.write(batch.join('\n') + '\n')) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      batch = [];
    }
  }
  if (batch.length) stream.write(batch.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  renameSync(partial, out);
  console.log(JSON.stringify({ rows: count, features, input: input.name, output: output!.name }));
}

await main();
