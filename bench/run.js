// The benchmark harness: `npm run bench [name…] [--runs N] [--timeout S] [--list] [--<option> value…]`.
//
// A benchmark is a folder bench/<name>/ holding either
//   - bench.js (or bench.ts, loaded through tsx): a module whose default export says how to prepare the
//     input and which two commands (ours and the peer) to run on it; the harness runs them side by side,
//     alternating, --runs times, measures wall-clock and peak RSS of every run and writes
//     bench/results/<name>.json. See bench/README.md for the module's shape.
//   - run.ts (a self-contained runner, as bench/evaluate/ is): the harness runs it on Node 24 with
//     `--repetitions N --peer-repetitions N` and a timeout; the runner writes its own result file.
//
// Peak memory: GNU time (`/usr/bin/time -f %M`, Debian package `time`) when present, which reports the
// child's maximum resident set from wait4(); otherwise the harness polls /proc/<pid>/status (VmHWM, the
// kernel's own high-water mark) every 20 ms. Sizes are in MiB, written "MB".
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const resultsDir = join(benchDir, 'results');
const dataDir = join(benchDir, 'data');
const node = join(root, 'node_modules', '.bin', 'node');
const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const GNU_TIME = '/usr/bin/time';
// BENCH_NO_GNU_TIME=1 forces the /proc fallback (to check it on a machine that has GNU time).
const useGnuTime = existsSync(GNU_TIME) && process.env.BENCH_NO_GNU_TIME !== '1';
const NOT_BENCHMARKS = new Set(['data', 'results']);
const DEFAULT_RUN_TIMEOUT_S = 600;
const DEFAULT_RUNNER_TIMEOUT_S = 3600;
const MiB = 1024 * 1024;

/** Reads the command line: benchmark names, --runs, --timeout, --list, and any other --key value as options. */
function parseArgs(argv) {
  const names = [];
  const options = {};
  let runs = 5;
  let timeout;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--list') list = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new Error(`--${key} needs a value`);
      if (key === 'runs') runs = positiveInteger(value, '--runs');
      else if (key === 'timeout') timeout = positiveInteger(value, '--timeout');
      else options[key] = value;
    } else names.push(arg);
  }
  return { names, options, runs, timeout, list };
}

function positiveInteger(value, flag) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} is ${JSON.stringify(value)}; expected a positive integer`);
  return n;
}

/** The benchmarks found under bench/: name → { kind: 'module' | 'runner', file }. */
function discover() {
  const found = new Map();
  for (const entry of readdirSync(benchDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || NOT_BENCHMARKS.has(entry.name)) continue;
    const folder = join(benchDir, entry.name);
    const module = ['bench.js', 'bench.ts'].map((f) => join(folder, f)).find((f) => existsSync(f));
    if (module) found.set(entry.name, { kind: 'module', file: module });
    else if (existsSync(join(folder, 'run.ts'))) found.set(entry.name, { kind: 'runner', file: join(folder, 'run.ts') });
  }
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

let currentChild;

/**
 * Runs one command to completion in its own process group, killed (the whole group) after `timeoutMs`.
 * Returns { seconds, peakMB, exitCode, signal, timedOut, stdout, stderr }.
 */
function measure({ command, args = [], env, cwd = root }, timeoutMs, { echo = false } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  const rssFile = join(scratch, 'rss');
  const file = useGnuTime ? GNU_TIME : command;
  const argv = useGnuTime ? ['-f', '%M', '-o', rssFile, command, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    currentChild = child;
    let stdout = '';
    let stderr = '';
    let polledPeakKiB = 0;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text) => {
      if (stdout.length < MiB) stdout += text;
      if (echo) process.stdout.write(text);
    });
    child.stderr.setEncoding('utf8').on('data', (text) => {
      stderr = (stderr + text).slice(-64 * 1024);
      if (echo) process.stderr.write(text);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    const poller = useGnuTime
      ? undefined
      : setInterval(() => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            const hwm = /VmHWM:\s+(\d+)/.exec(status);
            if (hwm) polledPeakKiB = Math.max(polledPeakKiB, Number(hwm[1]));
          } catch {
            // the process has just exited; its last reading stands
          }
        }, 20);
    child.on('error', (error) => {
      clearTimeout(timer);
      clearInterval(poller);
      rmSync(scratch, { recursive: true, force: true });
      reject(new Error(`could not start ${file}: ${error.message}`));
    });
    child.on('close', (exitCode, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      clearInterval(poller);
      currentChild = undefined;
      let peakKiB = polledPeakKiB;
      if (useGnuTime) {
        // GNU time writes "Command exited with non-zero status N" before the figure when the child fails.
        const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
        peakKiB = Number(lines.at(-1)) || 0;
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ seconds, peakMB: peakKiB / 1024, exitCode, signal, timedOut, stdout, stderr });
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (currentChild) killGroup(currentChild);
    process.exit(130);
  });
}

function commandOutput(file, args) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t) => (out += t));
    child.on('error', () => resolve(''));
    child.on('close', () => resolve(out.trim()));
  });
}

async function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: round(totalmem() / 1024 ** 3, 1),
    node: await commandOutput(node, ['--version']),
    peakMemoryFrom: useGnuTime ? 'GNU time %M (max RSS from wait4)' : '/proc/<pid>/status VmHWM polled every 20 ms',
  };
}

function describeFailure(side, result, timeoutS) {
  if (result.timedOut) return `${side} did not finish within ${timeoutS} s (killed)`;
  const tail = result.stderr.trim().split('\n').slice(-15).join('\n');
  return `${side} exited with ${result.exitCode ?? `signal ${result.signal}`}:\n${tail}`;
}

/** Runs a benchmark module side by side with its peer; writes and returns its result. */
async function runModule(name, file, { runs, timeout, options }) {
  const bench = (await import(pathToFileURL(file).href)).default;
  for (const key of ['prepare', 'ours', 'peer']) {
    if (typeof bench?.[key] !== 'function') throw new Error(`${relative(root, file)}: default export has no ${key}() function`);
  }
  const timeoutS = timeout ?? bench.timeoutSeconds ?? DEFAULT_RUN_TIMEOUT_S;
  const context = { root, dataDir, node, options, log: (line) => console.log(`  ${line}`) };
  mkdirSync(dataDir, { recursive: true });
  console.log(`${name}: preparing input`);
  const input = await bench.prepare(context);
  const peerName = typeof bench.peerName === 'function' ? await bench.peerName(context) : (bench.peerName ?? 'peer');
  console.log(`  input: ${input.description} (${(input.bytes / MiB).toFixed(0)} MB, ${input.rows.toLocaleString('en')} rows)`);
  const loadAtStart = loadavg().map((v) => round(v, 2));
  const measured = { ours: [], peer: [] };
  for (let r = 0; r < runs; r++) {
    // Alternate who goes first, so that drift in the machine's load falls on both sides alike.
    const order = r % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
    for (const side of order) {
      const runDir = mkdtempSync(join(tmpdir(), `bench-${name}-${side}-`));
      try {
        const result = await measure(bench[side](input, { ...context, runDir }), timeoutS * 1000);
        if (result.timedOut || result.exitCode !== 0) throw new Error(describeFailure(side, result, timeoutS));
        const problem = bench.check?.(side, input, result);
        if (problem) throw new Error(`${side} ran but its output is wrong: ${problem}`);
        measured[side].push({ seconds: round(result.seconds), peakMB: round(result.peakMB, 1) });
        console.log(
          `  run ${r + 1}/${runs} ${side.padEnd(4)} ${result.seconds.toFixed(2)} s, peak ${result.peakMB.toFixed(0)} MB (load ${loadavg()[0].toFixed(2)})`,
        );
      } finally {
        rmSync(runDir, { recursive: true, force: true });
      }
    }
  }
  const medianOf = (side) => ({
    seconds: round(median(measured[side].map((m) => m.seconds))),
    peakMB: round(median(measured[side].map((m) => m.peakMB)), 1),
  });
  const medians = { ours: medianOf('ours'), peer: medianOf('peer') };
  const ratio = round(medians.peer.seconds / medians.ours.seconds, 2);
  const throughputOf = (side) => ({
    rowsPerSecond: Math.round(input.rows / medians[side].seconds),
    MBPerSecond: round(input.bytes / MiB / medians[side].seconds, 1),
  });
  const throughput = { ours: throughputOf('ours'), peer: throughputOf('peer') };
  const targets = bench.targets?.({ median: medians, ratio, throughput, input }) ?? [];
  const { description, bytes, rows } = input;
  const result = {
    name,
    description: bench.description,
    peer: peerName,
    date: new Date().toISOString(),
    machine: { ...(await machine()), loadAverage: { start: loadAtStart, end: loadavg().map((v) => round(v, 2)) } },
    input: { description, bytes, rows, ...(input.file ? { file: relative(root, input.file) } : {}) },
    commands: bench.commandsNote,
    runs: measured,
    median: medians,
    ratio,
    throughput,
    targets,
    targetsMet: targets.every((t) => t.met),
  };
  writeResult(name, result);
  const targetText = targets.map((t) => `${t.name} ${t.target}: ${t.met ? 'met' : 'NOT met'}`).join('; ');
  console.log(
    `${name}: ours ${medians.ours.seconds.toFixed(2)} s / ${medians.ours.peakMB.toFixed(0)} MB, ` +
      `${peerName} ${medians.peer.seconds.toFixed(2)} s / ${medians.peer.peakMB.toFixed(0)} MB, ` +
      `ratio ${ratio.toFixed(2)}× (>1: ours faster)${targetText ? `; ${targetText}` : ''} → ${relative(root, resultPath(name))}`,
  );
  return result.targetsMet;
}

/** Runs a self-contained runner (bench/<name>/run.ts), which writes its own result file. */
async function runRunner(name, file, { runs, timeout, options }) {
  const timeoutS = timeout ?? DEFAULT_RUNNER_TIMEOUT_S;
  // The benchmark's own options (e.g. `--size-mb 256`) go to the runner as they came.
  const own = Object.entries(options).flatMap(([key, value]) => [`--${key}`, value]);
  const args = ['--experimental-transform-types', file, '--repetitions', String(runs), '--peer-repetitions', String(runs), ...own];
  console.log(`${name}: self-contained runner ${relative(root, file)} (${runs} repetitions each side, timeout ${timeoutS} s)`);
  const result = await measure({ command: node, args }, timeoutS * 1000, { echo: true });
  if (result.timedOut || result.exitCode !== 0) throw new Error(describeFailure(name, result, timeoutS));
  const written = JSON.parse(readFileSync(resultPath(name), 'utf8'));
  // Runners write their own shape; summarise the common fields when they are there.
  const seconds = (v) => (typeof v === 'number' ? v : v?.seconds);
  const ours = seconds(written.median?.ours);
  const peer = seconds(written.median?.peer);
  const figures =
    typeof ours === 'number' && typeof peer === 'number'
      ? `ours ${ours.toFixed(3)} s, peer ${peer.toFixed(3)} s, ratio ${(peer / ours).toFixed(1)}× `
      : '';
  console.log(`${name}: ${figures}→ ${relative(root, resultPath(name))}`);
  return true;
}

function resultPath(name) {
  return join(resultsDir, `${name}.json`);
}

function writeResult(name, result) {
  mkdirSync(resultsDir, { recursive: true });
  const partial = `${resultPath(name)}.partial`;
  writeFileSync(partial, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(partial, resultPath(name));
}

/** Re-runs this harness under tsx for a benchmark written in TypeScript (plain Node cannot load it); it prints its own verdict. */
async function runUnderTsx(name, args) {
  const result = await measure(
    { command: node, args: [tsxCli, fileURLToPath(import.meta.url), name, ...args], env: { BENCH_UNDER_TSX: '1' } },
    4 * 3600 * 1000,
    { echo: true },
  );
  if (result.exitCode !== 0) process.exitCode = result.exitCode ?? 1;
  return true;
}

async function main() {
  const argv = process.argv.slice(2);
  const { names, options, runs, timeout, list } = parseArgs(argv);
  const benchmarks = discover();
  if (list || names.length === 0) {
    console.log(
      `benchmarks: ${[...benchmarks].map(([n, b]) => `${n}${b.kind === 'runner' ? ' (self-contained runner)' : ''}`).join(', ')}`,
    );
    if (list) return;
  }
  const selected = names.length > 0 ? names : [...benchmarks.keys()];
  const unknown = selected.filter((n) => !benchmarks.has(n));
  if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}; expected one of ${[...benchmarks.keys()].join(', ')}`);
  const passThrough = argv.filter((a) => !names.includes(a));
  let allMet = true;
  for (const name of selected) {
    const { kind, file } = benchmarks.get(name);
    try {
      if (kind === 'runner') allMet = (await runRunner(name, file, { runs, timeout, options })) && allMet;
      else if (file.endsWith('.ts') && !process.env.BENCH_UNDER_TSX) allMet = (await runUnderTsx(name, passThrough)) && allMet;
      else allMet = (await runModule(name, file, { runs, timeout, options })) && allMet;
    } catch (error) {
      console.error(`${name}: FAILED: ${error.message}`);
      process.exitCode = 1;
    }
  }
  // A missed target is a finding, not a failure of the harness: it is in the summary line and the JSON.
  if (!allMet) console.log('some targets were not met (see above)');
}

try {
  await main();
} catch (error) {
  // A mistake in the command line: the message says what was wrong, no stack trace.
  console.error(`bench: ${error.message}`);
  process.exitCode = 2;
}
