// Issue 9, item 7: evaluate scales in width and size. 10,000 classes gave `Invalid string length` writing
// report.json and no verdict; a gzip bomb was decompressed whole; summaries went over GitHub's 1 MiB per step.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { MAX_PREDICTION_BYTES } from '../../../shared/evaluate/prediction-table.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';
import { renderTrainSummary } from '../../../shared/train/summary.js';
import { LearningCurve } from '../../../shared/train/metrics.js';

async function run(dir: string, inputs: Record<string, string>): Promise<{ ok: boolean; runtime: LocalRuntime; log: string[] }> {
  const log: string[] = [];
  const runtime = new LocalRuntime({ inputs, workspace: dir, log: (line) => log.push(line) });
  const ok = await runStage(evaluateSpec, evaluate, runtime);
  process.exitCode = 0;
  return { ok, runtime, log };
}

/** `rows` predictions over `classes` classes, four in five right. */
function manyClasses(classes: number, rows: number): string {
  const lines = ['label,prediction'];
  for (let i = 0; i < rows; i++) lines.push(`class-${i % classes},class-${i % 5 === 0 ? (i * 7919) % classes : i % classes}`);
  return `${lines.join('\n')}\n`;
}

describe('evaluate in width and size', () => {
  it('10,000 classes: a verdict, a streamed report.json with the confusion as cells, a summary of a few tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluate-scale-'));
    writeFileSync(join(dir, 'predictions.csv'), manyClasses(10_000, 30_000));
    const started = performance.now();
    const { ok, runtime, log } = await run(dir, {
      predictions: 'predictions.csv',
      'bootstrap-samples': '0',
      gates: 'accuracy >= 0.5\nf1[class=class-42] >= 0',
    });
    expect({ ok, errors: log.filter((l) => l.startsWith('error')) }).toEqual({ ok: true, errors: [] });
    // Was 69 s and 4.8 GB of memory before the crash (k × k matrix per evaluation).
    expect(performance.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(readFileSync(runtime.outputs['report-json']!, 'utf8'));
    expect(report.classes).toHaveLength(10_000);
    expect(Object.keys(report.metrics.candidate).filter((n) => n.startsWith('f1[class='))).toHaveLength(10_000);
    expect(report.confusion.counts).toBeUndefined();
    // One cell per distinct (label, prediction): at most one per row, never 10^8.
    expect(report.confusion.cells.length).toBeLessThanOrEqual(30_000);
    expect(report.confusion.cells.reduce((sum: number, [, , count]: number[]) => sum + count, 0)).toBe(30_000);
    const summary = readFileSync(summaryPath(runtime), 'utf8');
    expect(summary.length).toBeLessThan(20_000);
    expect(summary).toContain('10,000 classes: too many to list here.');
    expect(summary).toMatch(/#### Named by a gate\n\n\| class \| support \| precision \| recall \| f1 \|\n\|[^\n]*\n\| class-42 \|/);
    expect(summary).toContain('#### Lowest f1');
    expect(summary).toContain('#### Most frequent confusions');
    expect(summary).toMatch(
      /10,000 × 10,000: too large to draw here \(over 30 classes\); its non-zero cells are in report\.json in artifact evaluate-report-/,
    );
    // GitHub takes at most 1 MiB per output: the per-class metrics stay in report-json.
    expect(runtime.outputs.metrics!.length).toBeLessThan(4096);
    expect(JSON.parse(runtime.outputs.metrics!).accuracy.value).toBeCloseTo(0.8, 2);
  }, 60_000);

  it('2,000 classes write a summary well under 1 MiB (was 15.7 MiB), pointing at the artifact for the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluate-scale-'));
    writeFileSync(join(dir, 'predictions.csv'), manyClasses(2_000, 10_000));
    const { ok, runtime } = await run(dir, { predictions: 'predictions.csv', 'bootstrap-samples': '100' });
    expect(ok).toBe(true);
    const summary = statSync(summaryPath(runtime)).size;
    expect(summary).toBeLessThan(64 * 1024);
  }, 60_000);

  it('a gzip bomb stops at the bound with an input error naming the file, without decompressing it all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluate-scale-'));
    // Gzip members of 1 MiB of zeros, one after another: a valid gzip file of about 300 KB.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const members = MAX_PREDICTION_BYTES / (1024 * 1024) + 64;
    writeFileSync(join(dir, 'predictions.csv.gz'), Buffer.concat(Array.from({ length: members }, () => member)));
    const rss = process.memoryUsage().rss;
    const { ok, log } = await run(dir, { predictions: 'predictions.csv.gz' });
    expect(ok).toBe(false);
    expect(log).toEqual([
      "error: Input 'predictions': predictions.csv.gz holds more than 256 MiB once decompressed, the most evaluate reads: evaluate a sample of the rows (a few hundred thousand rows give intervals narrower than most gates need).",
    ]);
    expect(process.memoryUsage().rss - rss).toBeLessThan(1024 * 1024 * 1024);
  }, 60_000);

  it("train's summary with 100,000 metrics lists 200 and points at the manifest (was 1.9 MiB)", () => {
    const metrics = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`metric_${i}`, i / 7]));
    const summary = renderTrainSummary({
      outcome: 'trained',
      fingerprint: 'sha256:0',
      cacheKey: 'k',
      cacheEnabled: false,
      durationSeconds: 1,
      modelPath: 'model',
      modelFiles: 1,
      modelBytes: 1,
      metrics,
      curve: new LearningCurve(),
      logTail: [],
      manifestPath: '.mlops/runs/1/train/manifest.json',
    });
    expect(Buffer.byteLength(summary)).toBeLessThan(32 * 1024);
    expect(summary).toContain('| metric\\_199 |');
    expect(summary).not.toContain('| metric\\_200 |');
    expect(summary).toContain(
      'The first 200 of 100,000 metrics; all are in the manifest (.mlops/runs/1/train/manifest.json) and the `metrics` output.',
    );
  });
});

/** Where LocalRuntime keeps the job summary of a stage run in-process (no stage folder). */
function summaryPath(runtime: LocalRuntime): string {
  return join(runtime.stateDir, 'runs', runtime.runId, 'summary.md');
}
