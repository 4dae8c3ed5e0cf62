// Benchmark of the evaluate stage's core: a 1000-resample bootstrap of every binary metric over 100,000
// predictions with scores, ours against scikit-learn (numpy indexing + sklearn metric calls) on the
// very same resamples, which our seeded generator writes to a file the Python side reads.
//
//   node_modules/.bin/node --experimental-transform-types bench/evaluate/run.ts [--repetitions 5] [--peer-repetitions 3]
//
// Writes bench/results/evaluate.json. Data and resamples go to bench/data/ (git-ignored).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveTypeScriptSources } from '../runner-support.js';

resolveTypeScriptSources();

const { prepareClassification } = await import('../../shared/metrics/classification.js');
const { bootstrapIntervals, createRng, drawResampleCounts } = await import('../../shared/metrics/bootstrap.js');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PYTHON = '/usr/bin/python3';
const SAMPLES = 1000;
const SEED = 42;
const dataPath = join(root, 'bench', 'data', 'evaluate-binary-100k.json');
const countsPath = join(root, 'bench', 'data', `evaluate-resamples-seed${SEED}-${SAMPLES}.u8`);
const resultPath = join(root, 'bench', 'results', 'evaluate.json');

interface BinaryData {
  source: string;
  labels: string[];
  predictions: string[];
  scores: number[];
}

interface SideResult {
  runs: number[];
  point: Record<string, number>;
  intervals: Record<string, [number, number]>;
  peakMemoryMB: number;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Our side, run in its own process so that its peak memory is its own. */
function runOurs(repetitions: number): SideResult {
  const data: BinaryData = JSON.parse(readFileSync(dataPath, 'utf8'));
  const runs: number[] = [];
  let intervals: Record<string, [number, number]> = {};
  let point: Record<string, number> = {};
  for (let r = 0; r < repetitions; r++) {
    const start = performance.now();
    const evaluator = prepareClassification(data, { positiveClass: 'malignant' });
    const result = bootstrapIntervals(evaluator.rowCount, (weights) => evaluator.evaluate(weights), { samples: SAMPLES, seed: SEED });
    runs.push((performance.now() - start) / 1000);
    point = Object.fromEntries(Object.entries(result).map(([name, { value }]) => [name, value]));
    intervals = Object.fromEntries(Object.entries(result).map(([name, { low, high }]) => [name, [low, high]]));
  }
  return { runs, point, intervals, peakMemoryMB: process.resourceUsage().maxRSS / 1024 };
}

/** Writes the resamples our bootstrap draws (same generator, seed and order) as uint8 multiplicities. */
function writeResamples(rowCount: number): void {
  const rng = createRng(SEED);
  const counts = new Float64Array(rowCount);
  const bytes = new Uint8Array(rowCount);
  const fd = openSync(countsPath, 'w');
  try {
    for (let s = 0; s < SAMPLES; s++) {
      drawResampleCounts(rng, rowCount, counts);
      for (let i = 0; i < rowCount; i++) {
        if (counts[i] > 255) throw new Error(`row ${i} drawn ${counts[i]} times in resample ${s}: does not fit uint8`);
        bytes[i] = counts[i];
      }
      writeSync(fd, bytes);
    }
  } finally {
    closeSync(fd);
  }
}

if (process.argv.includes('--ours')) {
  process.stdout.write(JSON.stringify(runOurs(option('--repetitions', 5))));
} else {
  const repetitions = option('--repetitions', 5);
  const peerRepetitions = option('--peer-repetitions', 3);
  mkdirSync(dirname(dataPath), { recursive: true });
  mkdirSync(dirname(resultPath), { recursive: true });
  if (!existsSync(dataPath)) execFileSync(PYTHON, [join(here, 'peer.py'), 'make-data', dataPath], { stdio: 'inherit' });
  const data: BinaryData = JSON.parse(readFileSync(dataPath, 'utf8'));
  if (!existsSync(countsPath)) writeResamples(data.labels.length);

  console.log(`ours: ${repetitions} × (prepare + ${SAMPLES} resamples of ${data.labels.length} rows)`);
  const ours: SideResult = JSON.parse(
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--ours', '--repetitions', String(repetitions)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  console.log(`  runs (s): ${ours.runs.map((t) => t.toFixed(3)).join(', ')}`);
  console.log(`peer (scikit-learn): ${peerRepetitions} × ${SAMPLES} resamples`);
  const peer: SideResult = JSON.parse(
    execFileSync(PYTHON, [join(here, 'peer.py'), 'bootstrap', dataPath, countsPath, String(SAMPLES), String(peerRepetitions)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  );
  console.log(`  runs (s): ${peer.runs.map((t) => t.toFixed(3)).join(', ')}`);

  const names = Object.keys(peer.point);
  const missing = names.filter((name) => !(name in ours.point));
  let pointDifference = 0;
  let intervalDifference = 0;
  for (const name of names) {
    if (!(name in ours.point)) continue;
    pointDifference = Math.max(pointDifference, Math.abs(ours.point[name] - peer.point[name]));
    for (const bound of [0, 1])
      intervalDifference = Math.max(intervalDifference, Math.abs(ours.intervals[name][bound] - peer.intervals[name][bound]));
  }
  const medianOurs = median(ours.runs);
  const medianPeer = median(peer.runs);
  const ratio = medianPeer / medianOurs;
  const result = {
    name: 'evaluate: 1000-resample bootstrap of all binary metrics, 100,000 rows with scores',
    peer: `scikit-learn ${execFileSync(PYTHON, ['-c', 'import sklearn, numpy; print(sklearn.__version__, "/ numpy", numpy.__version__)'], { encoding: 'utf8' }).trim()} (numpy indexing + sklearn metric calls)`,
    runs: { ours: ours.runs, peer: peer.runs },
    median: { ours: medianOurs, peer: medianPeer },
    ratio,
    peakMemoryMB: { ours: ours.peakMemoryMB, peer: peer.peakMemoryMB },
    agreement: { metrics: names.length, missing, maxPointDifference: pointDifference, maxIntervalBoundDifference: intervalDifference },
    notes: [
      `data: ${data.source}`,
      `both sides use the same ${SAMPLES} resamples (our xoshiro128** seed ${SEED}, written as uint8 multiplicities; Python turns each into row indices with np.repeat)`,
      'ours times prepare (label encoding, one sort by score, per-row losses) + drawing the resamples + all metrics per resample + percentiles; peer times reading each resample + indexing + sklearn calls + percentiles',
      'peer is given integer 0/1 labels (faster in sklearn than strings) and calls precision_recall_fscore_support once per resample, deriving macro/weighted/binary averages with numpy',
      `metrics: ${names.join(', ')}`,
      `Node ${process.version}, Python ${execFileSync(PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim()}, ${(await import('node:os')).cpus().length} CPUs shared with other work`,
    ].join('; '),
  };
  writeFileSync(resultPath, JSON.stringify(result, null, 2) + '\n');
  console.log(`median: ours ${medianOurs.toFixed(3)} s, peer ${medianPeer.toFixed(3)} s, ratio ${ratio.toFixed(1)}×`);
  console.log(`peak memory: ours ${ours.peakMemoryMB.toFixed(0)} MB, peer ${peer.peakMemoryMB.toFixed(0)} MB`);
  console.log(
    `agreement: max |point difference| ${pointDifference.toExponential(2)}, max |interval bound difference| ${intervalDifference.toExponential(2)}${missing.length > 0 ? `, missing: ${missing.join(', ')}` : ''}`,
  );
  console.log(`wrote ${resultPath}`);
  if (missing.length > 0 || pointDifference > 1e-9) process.exitCode = 1;
}
