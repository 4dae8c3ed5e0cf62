// Benchmarks of the train action, run as the runner runs it (Node 24, INPUT_* variables):
//   1. overhead: the bundle around a trivial command (writing a one-line model file, cache off)
//      against the same command run directly with `bash -c`; target: median overhead ≤ 300 ms, start-up included.
//   2. cache-hit restore of a 500 MB model folder (model.onnx + model.onnx.data, random bytes) through
//      the whole action (local cache under .mlops/cache) against `cp -r` of the same folder; target:
//      median ratio ≤ 1.2 (start-up of the action included).
//
//   node_modules/.bin/node --experimental-transform-types bench/train/run.ts [--repetitions 5] [--model-mb 500]
//
// Writes bench/results/train.json. The model folder is generated once into bench/data/ (git-ignored).
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bundle = join(root, 'dist', 'train.js');
const resultPath = join(root, 'bench', 'results', 'train.json');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

interface Timed {
  seconds: number;
  stdout: string;
  outputs: Record<string, string>;
}

/** Runs a command to completion; returns wall-clock seconds. Throws when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, outputFile?: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0)
        return reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      const outputs: Record<string, string> = {};
      if (outputFile) {
        const lines = readFileSync(outputFile, 'utf8').split('\n');
        for (let i = 0; i < lines.length; i++) {
          const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
          if (!heredoc) continue;
          const value: string[] = [];
          while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]!);
          outputs[heredoc[1]!] = value.join('\n');
        }
      }
      resolve({ seconds, stdout, outputs });
    });
  });
}

/** The environment the runner gives a node24 action: GITHUB_* files and one INPUT_ variable per input. */
const runnerTemps: string[] = [];
function runnerEnv(workspace: string, inputs: Record<string, string>): { env: NodeJS.ProcessEnv; outputFile: string } {
  const temp = mkdtempSync(join(tmpdir(), 'bench-train-runner-'));
  runnerTemps.push(temp);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE']) {
    env[name] = join(temp, name.toLowerCase());
    writeFileSync(env[name]!, '');
  }
  const defaults: Record<string, string> = { 'working-directory': '.', cache: 'true' };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, outputFile: env.GITHUB_OUTPUT! };
}

// The command must write its model: one left from before fails the step.
const WRITE_MODEL = 'echo a model > model.bin';

async function overhead(repetitions: number): Promise<Record<string, unknown>> {
  const workspace = mkdtempSync(join(tmpdir(), 'bench-train-overhead-'));
  const ours: number[] = [];
  const direct: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const order = r % 2 === 0 ? ['ours', 'direct'] : ['direct', 'ours'];
    for (const side of order) {
      if (side === 'direct') direct.push((await timed('bash', ['-c', WRITE_MODEL], process.env, workspace)).seconds);
      else {
        const { env, outputFile } = runnerEnv(workspace, { command: WRITE_MODEL, 'model-path': 'model.bin', cache: 'false' });
        const run = await timed(process.execPath, [bundle], env, workspace, outputFile);
        if (run.outputs['cache-hit'] !== 'false') throw new Error(`the action did not run the command: ${JSON.stringify(run.outputs)}`);
        ours.push(run.seconds);
      }
    }
  }
  rmSync(workspace, { recursive: true, force: true });
  const overheadSeconds = median(ours) - median(direct);
  return {
    description:
      'the train bundle (Node 24) running `echo a model > model.bin` with cache: false, against the same command run with bash -c',
    runs: { ours: ours.map((s) => round(s)), direct: direct.map((s) => round(s, 4)) },
    median: { ours: round(median(ours)), direct: round(median(direct), 4) },
    overheadSeconds: round(overheadSeconds),
    target: { name: 'median overhead', target: '≤ 0.300 s', value: round(overheadSeconds), met: overheadSeconds <= 0.3 },
  };
}

/** A model folder of `mb` MiB of random bytes (incompressible, like trained weights), made once. */
function modelFolder(mb: number): string {
  const folder = join(root, 'bench', 'data', `train-model-${mb}mb-v1`);
  if (existsSync(join(folder, 'model.onnx.data'))) return folder;
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'model.onnx'), randomFillSync(Buffer.alloc(4096)));
  const fd = openSync(join(folder, 'model.onnx.data.partial'), 'w');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
  rmSync(join(folder, 'model.onnx.data'), { force: true });
  writeFileSync(join(folder, 'model.onnx.data'), readFileSync(join(folder, 'model.onnx.data.partial')));
  rmSync(join(folder, 'model.onnx.data.partial'));
  return folder;
}

async function cacheRestore(repetitions: number, mb: number): Promise<Record<string, unknown>> {
  const source = modelFolder(mb);
  const workspace = mkdtempSync(join(tmpdir(), 'bench-train-cache-'));
  const inputs = { command: `cp -r ${source} model`, 'model-path': 'model' };
  // The first run trains (copies) and saves the cache; every later run is a hit.
  const first = runnerEnv(workspace, inputs);
  const miss = await timed(process.execPath, [bundle], first.env, workspace, first.outputFile);
  if (miss.outputs['cache-hit'] !== 'false') throw new Error('the first run was expected to miss the cache');
  const ours: number[] = [];
  const restoreOnly: number[] = [];
  const copy: number[] = [];
  let linked = false;
  for (let r = 0; r < repetitions; r++) {
    const order = r % 2 === 0 ? ['ours', 'cp'] : ['cp', 'ours'];
    for (const side of order) {
      rmSync(join(workspace, 'model'), { recursive: true, force: true });
      rmSync(join(workspace, 'model-copy'), { recursive: true, force: true });
      if (side === 'cp') copy.push((await timed('cp', ['-r', source, join(workspace, 'model-copy')], process.env, workspace)).seconds);
      else {
        const { env, outputFile } = runnerEnv(workspace, inputs);
        const run = await timed(process.execPath, [bundle], env, workspace, outputFile);
        if (run.outputs['cache-hit'] !== 'true') throw new Error(`expected a cache hit: ${JSON.stringify(run.outputs)}`);
        if (!readFileSync(join(workspace, 'model', 'model.onnx')).equals(readFileSync(join(source, 'model.onnx'))))
          throw new Error('the restored model differs');
        // A restored file sharing its inode with the cache entry was hard-linked (else cloned or copied).
        linked = statSync(join(workspace, 'model', 'model.onnx.data')).nlink > 1;
        ours.push(run.seconds);
        restoreOnly.push(Number(run.outputs['duration-seconds']));
      }
    }
  }
  rmSync(workspace, { recursive: true, force: true });
  const ratio = median(ours) / median(copy);
  return {
    description: `cache-hit restore of a ${mb} MiB model folder (model.onnx + model.onnx.data) through the whole train action, local cache, against cp -r of the same folder on the same file system`,
    firstRunSeconds: round(miss.seconds),
    runs: { ours: ours.map((s) => round(s)), restoreOnly: restoreOnly.map((s) => round(s)), cp: copy.map((s) => round(s)) },
    median: { ours: round(median(ours)), restoreOnly: round(median(restoreOnly)), cp: round(median(copy)) },
    ratioToCp: round(ratio, 2),
    // The restore alone (the action's duration-seconds output), without start-up, fingerprint and manifest.
    restoreOnlyRatioToCp: round(median(restoreOnly) / median(copy), 2),
    restoredBy: linked ? 'hard links to the local cache entry (no copy-on-write clone on this file system)' : 'clones or copies',
    target: { name: 'cache-hit restore against cp -r', target: '≤ 1.2×', value: round(ratio, 2), met: ratio <= 1.2 },
  };
}

const repetitions = option('--repetitions', 5);
const mb = option('--model-mb', 500);
if (!existsSync(bundle)) throw new Error(`${bundle} is missing: npm run build`);
const loadAtStart = loadavg().map((v) => round(v, 2));
const overheadResult = await overhead(Math.max(repetitions, 10));
console.log(`overhead: median ${(overheadResult.overheadSeconds as number).toFixed(3)} s (target ≤ 0.300 s)`);
const cacheResult = await cacheRestore(repetitions, mb);
console.log(
  `cache-hit restore of ${mb} MiB: action ${(cacheResult.median as { ours: number }).ours.toFixed(2)} s, cp -r ${(cacheResult.median as { cp: number }).cp.toFixed(2)} s, ratio ${(cacheResult.ratioToCp as number).toFixed(2)}×`,
);
const result = {
  name: 'train',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: { start: loadAtStart, end: loadavg().map((v) => round(v, 2)) },
  },
  overhead: overheadResult,
  cacheRestore: cacheResult,
  // For the harness's summary line: the action around `true` against `true` itself.
  median: { ours: (overheadResult.median as { ours: number }).ours, peer: (overheadResult.median as { direct: number }).direct },
  ratio: round((overheadResult.median as { direct: number }).direct / (overheadResult.median as { ours: number }).ours, 3),
  targets: [overheadResult.target, cacheResult.target],
  targetsMet: (overheadResult.target as { met: boolean }).met && (cacheResult.target as { met: boolean }).met,
};
for (const dir of runnerTemps) rmSync(dir, { recursive: true, force: true });
mkdirSync(dirname(resultPath), { recursive: true });
writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${resultPath}`);
