// Start-up of the committed build, run as the runner runs it (Node 24, INPUT_* variables, GITHUB_* files),
// side by side with `node -e 0`, and the size of the committed generated output:
//   - for each stage entry (dist/<stage>.js) and the CLI (dist/mlops.js --help): seconds from spawn to
//     its first output line (stdout or stderr), and to its exit;
//   - for `node -e 0`: seconds from spawn to exit (it prints nothing);
//   - the difference of the medians; target ≤ 0.100 s for every stage that needs no Docker;
//   - bytes of dist/ without source maps; target ≤ 12 MB (12,000,000 bytes).
// Runs alternate (ours first in even rounds, node -e 0 first in odd ones). At least 20 repetitions:
// start-up is short, so a few runs would say more about the machine's load than about the build.
//
//   node_modules/.bin/node --experimental-transform-types bench/startup/run.ts [--repetitions 20]
//
// Writes bench/results/startup.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'dist');
const resultPath = join(root, 'bench', 'results', 'startup.json');
const TARGET_SECONDS = 0.1;
const TARGET_BYTES = 12_000_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number, digits = 4): number => Math.round(value * 10 ** digits) / 10 ** digits;

interface Timing {
  /** Spawn to the first byte on stdout or stderr; undefined when the process printed nothing. */
  firstOutput?: number;
  exit: number;
}

/** Runs a command to completion; times its first output and its exit. Throws when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstOutput: number | undefined;
    let output = '';
    const onData = (data: Buffer): void => {
      firstOutput ??= (performance.now() - started) / 1000;
      if (output.length < 8192) output += data.toString();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      const exit = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`));
      else resolve({ firstOutput, exit });
    });
  });
}

interface Case {
  name: string;
  /** What the run does, for the result file. */
  description: string;
  needsDocker: boolean;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A stage's entry with the environment the runner gives a node24 action: action.yml defaults, then `inputs`. */
function stageCase(stage: string, description: string, workspace: string, inputs: Record<string, string>): Case {
  const metadata = parse(readFileSync(join(root, 'actions', stage, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { main: string };
  };
  const temp = tempDir(`bench-startup-${stage}-`);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: temp,
    MLOPS_STATE_DIR: join(temp, 'state'),
  };
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE']) {
    env[name] = join(temp, name.toLowerCase());
    writeFileSync(env[name]!, '');
  }
  for (const [name, input] of Object.entries(metadata.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? input.default ?? '';
  return { name: stage, description, needsDocker: false, args: [join(root, 'actions', stage, metadata.runs.main)], env, cwd: workspace };
}

const repetitions = Math.max(option('--repetitions', 20), 20);
const node = join(root, 'node_modules', '.bin', 'node');
// Inputs so small that the work is negligible: what is measured is the start-up around it.
const workspace = tempDir('bench-startup-workspace-');
writeFileSync(join(workspace, 'data.csv'), 'species,bill_length_mm\nAdelie,39.1\nGentoo,46.1\nChinstrap,48.7\n');
writeFileSync(join(workspace, 'predictions.csv'), 'label,prediction\nAdelie,Adelie\nGentoo,Gentoo\nChinstrap,Adelie\nAdelie,Adelie\n');
const cases: Case[] = [
  stageCase('validate-data', 'validate-data of a 3-row CSV (no schema: one is inferred)', workspace, { data: 'data.csv' }),
  // The command writes its model: train refuses a model left from before the run.
  stageCase('train', 'train running a one-line command that writes the model (cache: false, no Docker)', workspace, {
    command: 'echo model > model.bin',
    'model-path': 'model.bin',
    cache: 'false',
  }),
  stageCase('evaluate', 'evaluate of 4 predictions (bootstrap-samples: 0)', workspace, {
    predictions: 'predictions.csv',
    'bootstrap-samples': '0',
  }),
  {
    name: 'mlops --help',
    description: 'the CLI printing its help',
    needsDocker: false,
    args: [join(dist, 'mlops.js'), '--help'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    cwd: workspace,
  },
];

const loadAtStart = loadavg().map((v) => round(v, 2));
const bare: number[] = [];
const measured = new Map(cases.map((c) => [c.name, { firstOutput: [] as number[], exit: [] as number[] }]));
for (let r = 0; r < repetitions; r++) {
  const runBare = async (): Promise<void> => void bare.push((await timed(node, ['-e', '0'], { PATH: process.env.PATH }, workspace)).exit);
  if (r % 2 === 1) await runBare();
  for (const c of cases) {
    const timing = await timed(node, c.args, c.env, c.cwd);
    if (timing.firstOutput === undefined) throw new Error(`${c.name} printed nothing`);
    measured.get(c.name)!.firstOutput.push(timing.firstOutput);
    measured.get(c.name)!.exit.push(timing.exit);
  }
  if (r % 2 === 0) await runBare();
}

const bareMedian = median(bare);
const stages = cases.map((c) => {
  const runs = measured.get(c.name)!;
  const firstOutput = median(runs.firstOutput);
  const overSeconds = firstOutput - bareMedian;
  return {
    name: c.name,
    description: c.description,
    needsDocker: c.needsDocker,
    runs: { firstOutput: runs.firstOutput.map((s) => round(s)), exit: runs.exit.map((s) => round(s)) },
    median: { firstOutput: round(firstOutput), exit: round(median(runs.exit)) },
    overBareNodeSeconds: round(overSeconds),
  };
});

const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
const bytesOf = (keep: (name: string) => boolean): number =>
  files.filter((e) => keep(e.name)).reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
const size = {
  files: files.length,
  bytesWithoutSourceMaps: bytesOf((n) => !n.endsWith('.map')),
  sourceMapBytes: bytesOf((n) => n.endsWith('.map')),
};

const targets = [
  ...stages
    .filter((s) => !s.needsDocker && s.name !== 'mlops --help')
    .map((s) => ({
      name: `${s.name}: first output − node -e 0 (medians)`,
      target: `≤ ${TARGET_SECONDS.toFixed(3)} s`,
      value: s.overBareNodeSeconds,
      met: s.overBareNodeSeconds <= TARGET_SECONDS,
    })),
  {
    name: 'dist/ without source maps',
    target: `≤ ${TARGET_BYTES} bytes`,
    value: size.bytesWithoutSourceMaps,
    met: size.bytesWithoutSourceMaps <= TARGET_BYTES,
  },
];
const slowest = Math.max(...stages.map((s) => s.median.firstOutput));
const result = {
  name: 'startup',
  description:
    'spawn to first output of each stage entry in dist/ (Node 24, as the runner starts it) against `node -e 0`, and the size of dist/',
  peer: 'node -e 0',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: { start: loadAtStart, end: loadavg().map((v) => round(v, 2)) },
  },
  repetitions,
  bareNode: { runs: bare.map((s) => round(s)), median: round(bareMedian) },
  stages,
  size,
  // For the harness's summary line: the slowest stage's first output against node -e 0.
  median: { ours: round(slowest), peer: round(bareMedian) },
  ratio: round(bareMedian / slowest, 3),
  targets,
  targetsMet: targets.every((t) => t.met),
};
for (const s of stages)
  console.log(
    `${s.name.padEnd(14)} first output ${s.median.firstOutput.toFixed(3)} s, exit ${s.median.exit.toFixed(3)} s, over node -e 0: ${(s.overBareNodeSeconds * 1000).toFixed(0)} ms`,
  );
console.log(
  `node -e 0      exit ${bareMedian.toFixed(3)} s; dist/ ${(size.bytesWithoutSourceMaps / 1e6).toFixed(2)} MB without source maps (${(size.sourceMapBytes / 1e6).toFixed(2)} MB of maps)`,
);
for (const t of targets) console.log(`${t.name} ${t.target}: ${t.met ? 'met' : 'NOT met'} (${t.value})`);
for (const dir of temps) rmSync(dir, { recursive: true, force: true });
mkdirSync(dirname(resultPath), { recursive: true });
writeFileSync(resultPath, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${resultPath}`);
