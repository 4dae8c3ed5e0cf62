import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Runtime } from '../runtime/port.js';
import type { TrainInputs } from '../schemas/train.js';
import type { StageResult } from '../stage.js';
import { describeEnvironment, type EnvironmentFacts } from './environment.js';
import { hashKeyFiles, type KeyFile, listKeyFiles, trainFingerprint } from './fingerprint.js';
import { describeSource, type SourceFacts, type TrainManifest } from './manifest.js';
import { type FlatMetrics, LearningCurve, parseMetricsFile } from './metrics.js';
import { type CachedRun, cacheStagingDir, restoreTrainOutputs, saveTrainOutputs } from './output-cache.js';
import {
  changedFiles,
  detachHardLinks,
  type FileSnapshot,
  type HashedFile,
  hashFiles,
  linkOrCopy,
  listModelFiles,
  snapshotFiles,
  statFiles,
} from './output-files.js';
import { canonicalJson, type Params, readParams } from './params.js';
import { type CommandResult, LineSplitter, runShellCommand } from './process-runner.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import { renderTrainSummary } from './summary.js';

const LOG_TAIL_LINES = 40;
const FAILURE_MESSAGE_LINES = 10;

/** Variables of the runner that the user's command has no business with (tokens, this step's inputs). */
const RUNNER_ONLY =
  /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_RUNTIME_URL|ACTIONS_RESULTS_URL|ACTIONS_CACHE_URL|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL)$/;
/** Variables that describe the host, not the container: the image's own values must win. */
const HOST_ONLY = new Set([
  'PATH',
  'HOME',
  'HOSTNAME',
  'PWD',
  'OLDPWD',
  'SHLVL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LD_LIBRARY_PATH',
  'LD_PRELOAD',
  '_',
]);

/**
 * The environment of the training command: the runner's (minus its tokens and this step's inputs,
 * and minus host-only variables in a container) plus the MLOPS_* variables.
 */
export function commandEnvironment(base: NodeJS.ProcessEnv, mlops: Record<string, string>, inContainer: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || RUNNER_ONLY.test(name) || (inContainer && HOST_ONLY.has(name))) continue;
    env[name] = value;
  }
  // An arbitrary user id has no home in the image; tools that write caches there need a writable one.
  if (inContainer) env.HOME = '/tmp';
  return { ...env, ...mlops };
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** A path input as a path relative to cwd; throws InputError when it leaves the working directory. */
function pathInside(input: string, value: string, cwd: string): string {
  const inside = toPosix(relative(cwd, resolve(cwd, value)));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new InputError(`Input '${input}' is ${JSON.stringify(value)}: expected a path inside the working directory ${cwd}.`);
  }
  return inside;
}

/** True when `inner` is `outer` or inside it. */
function isWithin(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Keeps the last lines of the log for the summary and the failure message. */
class LogTail {
  readonly lines: string[] = [];
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
  }
}

/** Where earlier runs' outputs in this working directory are listed, so they never count as code. */
function outputsRecordPath(stateDir: string, cwd: string): string {
  return join(stateDir, 'train', `outputs-${createHash('sha256').update(cwd).digest('hex').slice(0, 16)}.json`);
}

async function readRecordedOutputs(path: string): Promise<string[]> {
  try {
    const list = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

interface CommandRunOptions {
  inputs: TrainInputs;
  cwd: string;
  runtime: Runtime;
  env: Record<string, string>;
  runDir: string;
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
}

async function runTrainingCommand(options: CommandRunOptions): Promise<CommandResult> {
  const { inputs, cwd, runtime, env, onOutput } = options;
  const timeoutMs = inputs['timeout-minutes'] === undefined ? undefined : Math.round(inputs['timeout-minutes'] * 60_000);
  const image = inputs['container-image'];
  if (!image) {
    if (inputs.gpus || inputs.memory || inputs.cpus)
      runtime.warning('gpus, memory and cpus apply only with container-image; they are ignored for a command run as a process.');
    return runShellCommand({ command: inputs.command, cwd, env, timeoutMs, onOutput });
  }
  // Loaded on demand: dockerode is large and most runs use no container.
  const { runInContainer } = await import('../docker/run-container.js');
  const binds = [{ host: runtime.workspace, container: runtime.workspace }];
  if (!isWithin(runtime.workspace, cwd)) binds.push({ host: cwd, container: cwd });
  if (!isWithin(runtime.workspace, options.runDir))
    binds.push({ host: options.runDir, container: options.runDir, readOnly: true } as (typeof binds)[number]);
  const user = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid!()}` : undefined;
  runtime.info(`Running in container image ${image} as ${user ?? 'the image user'}, ${runtime.workspace} mounted at the same path.`);
  const result = await runInContainer({
    image,
    command: inputs.command,
    workingDir: cwd,
    binds,
    env,
    user,
    gpus: inputs.gpus === undefined ? undefined : inputs.gpus === 'all' ? 'all' : Number(inputs.gpus),
    memory: inputs.memory,
    cpus: inputs.cpus,
    timeoutMs,
    onOutput,
  });
  return { exitCode: result.exitCode, timedOut: result.timedOut };
}

function sum(files: HashedFile[]): number {
  return files.reduce((total, f) => total + f.bytes, 0);
}

/** What every step of a run reads: the checked inputs, where the run's files go, and facts still being gathered. */
interface TrainRun {
  inputs: TrainInputs;
  runtime: Runtime;
  start: Date;
  cwd: string;
  /** Relative to cwd, as are metricsPath and stateInside. */
  modelPath: string;
  metricsPath: string | undefined;
  params: Params;
  /** As the manifest names it: the file, 'inline', or null when no params were given. */
  paramsSource: string | null;
  facts: Promise<[EnvironmentFacts, SourceFacts]>;
  /** Starts the environment's detection (child processes), left until the first log line is out. */
  startEnvironment: () => void;
  runDir: string;
  paramsFile: string;
  logFile: string;
  manifestFile: string;
  /** The state folder, when it lies inside cwd: never code, never an output. */
  stateInside: string | undefined;
  /** Where this working directory's outputs are listed for the next run. */
  recordPath: string;
}

/** The fingerprinted files, and the fingerprint and cache key over them. */
interface RunKey {
  source: 'patterns' | 'git' | 'walk';
  /** How many files were listed before any was hashed. */
  listed: number;
  files: KeyFile[];
  /** With source 'git': those of `files` git does not track; outputs of a run among them are left out. */
  untracked: string[];
  fingerprint: string;
  cacheKey: string;
}

/** How a run ended, as the record step writes it. */
interface RunOutcome {
  outcome: 'trained' | 'restored' | 'failed';
  manifest: TrainManifest;
  curve: LearningCurve;
  logTail: string[];
  failure?: string;
}

/** The command's run, before its outputs are looked at. */
interface CommandRun {
  result: CommandResult;
  durationSeconds: number;
  curve: LearningCurve;
  tail: LogTail;
  before: FileSnapshot;
  /** The model's files and the metrics file as they were before the command: what it must rewrite. */
  outputsBefore: FileSnapshot;
}

/** What the command left: a failure, or the model, metrics and other outputs (empty on failure). */
interface CollectedOutputs {
  failure?: string;
  /** A malformed metrics file: the user's mistake, thrown once the failure is recorded. */
  metricsError?: InputError;
  metrics: FlatMetrics;
  modelFiles: HashedFile[];
  otherOutputs: HashedFile[];
  /** When collecting ended: the end of the run. */
  end: Date;
}

/** The fields of the manifest that say what happened, in the order the manifest lists them. */
type RunHappenings = Pick<
  TrainManifest,
  | 'cacheHit'
  | 'start'
  | 'end'
  | 'durationSeconds'
  | 'exitCode'
  | 'timedOut'
  | 'model'
  | 'metrics'
  | 'learningCurveSteps'
  | 'outputs'
  | 'restoredFrom'
>;

/**
 * The train stage: runs the user's command (in a process group or a container) unless a run with
 * the same fingerprint left its outputs in the cache, then records the model's file hashes, the
 * metrics, the learning curve and a run manifest, and uploads them as an artifact when asked.
 * Returns a failure (with the log's tail) when the command fails, times out or produces no model;
 * throws InputError for bad inputs and a malformed metrics file.
 */
export async function train(inputs: TrainInputs, runtime: Runtime): Promise<StageResult> {
  const run = await prepareRun(inputs, runtime);
  const key = await fingerprintRun(run);
  if (inputs.cache) {
    const restored = await restoreRun(run, key);
    if (restored) return recordRun(run, restored);
  }
  const command = await runCommand(run);
  const collected = await collectOutputs(run, command);
  const [environment, sourceFacts] = await run.facts;
  const happened = (end: Date): RunHappenings => ({
    cacheHit: false,
    start: run.start.toISOString(),
    end: end.toISOString(),
    durationSeconds: command.durationSeconds,
    exitCode: command.result.exitCode,
    timedOut: command.result.timedOut,
    model: { path: join(run.cwd, run.modelPath), files: collected.modelFiles },
    metrics: collected.metrics,
    learningCurveSteps: command.curve.steps.length,
    outputs: collected.otherOutputs,
    restoredFrom: null,
  });

  if (collected.failure) {
    const manifest = manifestOf(run, key, environment, sourceFacts, happened(collected.end));
    const result = await recordRun(run, {
      outcome: 'failed',
      manifest,
      curve: command.curve,
      logTail: command.tail.lines,
      failure: collected.failure,
    });
    // A malformed metrics file is the user's mistake: reported against the file, as an InputError.
    if (collected.metricsError) throw collected.metricsError;
    return result;
  }

  const { modelFiles, otherOutputs } = collected;
  const outputFiles = [...modelFiles.map((f) => f.path), ...(run.metricsPath ? [run.metricsPath] : []), ...otherOutputs.map((f) => f.path)];
  await writeFileAtomic(run.recordPath, JSON.stringify(outputFiles));
  const finalKey = keyWithoutOutputs(run, key, outputFiles);
  const manifest = manifestOf(run, finalKey, environment, sourceFacts, happened(collected.end));
  runtime.info(
    `Trained in ${command.durationSeconds.toFixed(1)} s: ${modelFiles.length} model file${modelFiles.length === 1 ? '' : 's'}${otherOutputs.length ? `, ${otherOutputs.length} other output${otherOutputs.length === 1 ? '' : 's'} (${otherOutputs.map((f) => f.path).join(', ')})` : ''}.`,
  );
  if (inputs.cache) await saveRun(run, finalKey, manifest, command.curve);
  return recordRun(run, { outcome: 'trained', manifest, curve: command.curve, logTail: command.tail.lines });
}

/** Checks the path inputs, reads the params and writes them to the run's folder; starts gathering the environment and source facts. */
async function prepareRun(inputs: TrainInputs, runtime: Runtime): Promise<TrainRun> {
  const start = new Date();
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  if (!(await stat(cwd).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`Input 'working-directory' is ${JSON.stringify(inputs['working-directory'])}: ${cwd} is not a directory.`);
  }
  const modelPath = pathInside('model-path', inputs['model-path'], cwd);
  const metricsPath = inputs['metrics-file'] ? pathInside('metrics-file', inputs['metrics-file'], cwd) : undefined;
  const { params, source } = await readParams(inputs.params, cwd);
  // The environment's child processes (nvidia-smi, python…) wait for the fingerprint's log line, the
  // stage's first output, instead of slowing it down; they then run alongside the command.
  let startEnvironment!: () => void;
  const environment = new Promise<void>((start) => (startEnvironment = start)).then(describeEnvironment);
  const facts = Promise.all([environment, describeSource(cwd)]);

  const runDir = join(runtime.stateDir, 'runs', runtime.runId, 'train');
  await mkdir(runDir, { recursive: true });
  const paramsFile = join(runDir, 'params.json');
  await writeFileAtomic(paramsFile, `${JSON.stringify(params, null, 2)}\n`);
  return {
    inputs,
    runtime,
    start,
    cwd,
    modelPath,
    metricsPath,
    params,
    paramsSource: 'file' in source ? source.file : inputs.params ? 'inline' : null,
    facts,
    startEnvironment,
    runDir,
    paramsFile,
    logFile: join(runDir, 'train.log'),
    manifestFile: join(runDir, 'manifest.json'),
    stateInside: isWithin(cwd, runtime.stateDir) ? toPosix(relative(cwd, runtime.stateDir)) : undefined,
    recordPath: outputsRecordPath(runtime.stateDir, cwd),
  };
}

/** The files the result depends on, hashed: the listed key files minus what an earlier run here wrote. */
async function keyFilesOf(
  run: Pick<TrainRun, 'inputs' | 'cwd' | 'modelPath' | 'metricsPath' | 'stateInside' | 'recordPath'>,
): Promise<{ source: RunKey['source']; files: KeyFile[]; untracked: string[] }> {
  const { inputs, cwd, modelPath, metricsPath, stateInside } = run;
  const excluded = [modelPath, ...(metricsPath ? [metricsPath] : []), ...(stateInside ? [stateInside] : [])];
  const listed = await listKeyFiles(cwd, inputs['cache-key-files'], excluded);
  // Git-tracked files are code by definition. Other files (untracked, outside git, matched by
  // cache-key-files) that an earlier run here wrote (predictions, reports) are outputs, not code: they would change the
  // fingerprint of the next run.
  const earlier = new Set(await readRecordedOutputs(run.recordPath));
  const untrackedSet = new Set(listed.untracked);
  const isEarlierOutput = (path: string): boolean => earlier.has(path) && (listed.source !== 'git' || untrackedSet.has(path));
  const files = listed.files.filter((f) => !isEarlierOutput(f));
  const untracked = listed.untracked.filter((f) => !isEarlierOutput(f));
  return { source: listed.source, files: await hashKeyFiles(cwd, files), untracked };
}

/** Lists and hashes the files the result depends on, and logs the fingerprint over them. */
async function fingerprintRun(run: TrainRun): Promise<RunKey> {
  const { source, files, untracked } = await keyFilesOf(run);
  const key = runKey(run, source, files.length, files, untracked);
  logKeyFiles(run, key);
  run.startEnvironment();
  return key;
}

/**
 * The fingerprint and cache key a run with these inputs would have now, computed as a run computes
 * them, without running or writing anything: what `mlops run --dry` looks up in the cache. Throws
 * InputError for the inputs a run would refuse (a path outside the working directory, bad params).
 */
export async function plannedTrainKey(
  inputs: TrainInputs,
  runtime: Pick<Runtime, 'workspace' | 'stateDir'>,
): Promise<{ fingerprint: string; cacheKey: string }> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  const modelPath = pathInside('model-path', inputs['model-path'], cwd);
  const metricsPath = inputs['metrics-file'] ? pathInside('metrics-file', inputs['metrics-file'], cwd) : undefined;
  const { params } = await readParams(inputs.params, cwd);
  const stateInside = isWithin(cwd, runtime.stateDir) ? toPosix(relative(cwd, runtime.stateDir)) : undefined;
  const recordPath = outputsRecordPath(runtime.stateDir, cwd);
  const { source, files, untracked } = await keyFilesOf({ inputs, cwd, modelPath, metricsPath, stateInside, recordPath });
  const { fingerprint, cacheKey } = runKey({ inputs, params }, source, files.length, files, untracked);
  return { fingerprint, cacheKey };
}

const LISTED_KEY_FILES_WIDTH = 160;
const LISTED_KEY_FILES = 8;

/** Logs what the fingerprint covers (the full list is in the manifest) and warns about untracked files in it. */
function logKeyFiles(run: TrainRun, key: RunKey): void {
  const { inputs, runtime } = run;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const detail =
    key.source === 'git'
      ? `${key.files.length - key.untracked.length} tracked by git, ${key.untracked.length} untracked and not ignored; .github/ and Markdown left out`
      : key.source === 'walk'
        ? 'every file, outside git; .github/ and Markdown left out'
        : 'from cache-key-files';
  const covered = `${count(key.files.length, 'file')} (${detail})`;
  runtime.info(
    `Fingerprint ${key.fingerprint} over the params, the command${inputs['data-fingerprint'] ? ', the data fingerprint' : ''}${inputs['container-image'] ? ', the image' : ''} and ${covered}.`,
  );
  // The first names, on a line of their own that stays short whatever the paths; all are in the manifest.
  const shown: string[] = [];
  for (const { path } of key.files.slice(0, LISTED_KEY_FILES)) {
    if (shown.length && shown.join(', ').length + path.length > LISTED_KEY_FILES_WIDTH) break;
    shown.push(path);
  }
  if (shown.length) runtime.info(`  ${shown.join(', ')}${shown.length < key.files.length ? ', … (all in the manifest)' : ''}`);
  if (key.untracked.length) {
    const it = key.untracked.length === 1 ? 'it' : 'them';
    runtime.warning(
      `The fingerprint includes ${count(key.untracked.length, 'file')} git does not track: ${key.untracked.slice(0, LISTED_KEY_FILES).join(', ')}${key.untracked.length > LISTED_KEY_FILES ? ', …' : ''}. Commit ${it} if the training uses ${it} (a fresh checkout will not have ${it}), else list ${it} in .gitignore.`,
    );
  }
}

function runKey(
  run: Pick<TrainRun, 'inputs' | 'params'>,
  source: RunKey['source'],
  listed: number,
  files: KeyFile[],
  untracked: string[],
): RunKey {
  const { inputs, params } = run;
  const fingerprint = trainFingerprint({
    dataFingerprint: inputs['data-fingerprint'],
    files,
    params,
    command: inputs.command,
    image: inputs['container-image'],
  });
  return { source, listed, files, untracked, fingerprint, cacheKey: `mlops-train-${fingerprint.slice('sha256:'.length)}` };
}

/**
 * The key as the next run will see it: outputs of an earlier run that were lying here counted as
 * code, and the command has now rewritten them.
 */
function keyWithoutOutputs(run: TrainRun, key: RunKey, outputFiles: string[]): RunKey {
  // Tracked files stay code even when the command rewrites them.
  const written = new Set(outputFiles.filter((p) => key.source !== 'git' || key.untracked.includes(p)));
  if (!key.files.some((f) => written.has(f.path))) return key;
  const rekeyed = runKey(
    run,
    key.source,
    key.listed,
    key.files.filter((f) => !written.has(f.path)),
    key.untracked.filter((p) => !written.has(p)),
  );
  run.runtime.info(
    `${key.listed - rekeyed.files.length} of the fingerprinted files were written by the command; without them the fingerprint is ${rekeyed.fingerprint}.`,
  );
  return rekeyed;
}

/** The outputs of an earlier run with the same key, restored from the cache; undefined on a miss. */
async function restoreRun(run: TrainRun, key: RunKey): Promise<RunOutcome | undefined> {
  const { runtime, cwd, modelPath, metricsPath, stateInside } = run;
  const restoreStarted = performance.now();
  const cached = await restoreTrainOutputs(runtime, {
    cwd,
    key: key.cacheKey,
    staging: cacheStagingDir(runtime, key.fingerprint.slice('sha256:'.length)),
    target: { fingerprint: key.fingerprint, modelPath, metricsPath, stateInside },
  });
  if (!cached) {
    runtime.info(`Cache miss (${key.cacheKey}): training.`);
    return undefined;
  }
  const durationSeconds = Math.round(performance.now() - restoreStarted) / 1000;
  runtime.info(
    `Cache hit (${key.cacheKey}): restored ${cached.files.length} file${cached.files.length === 1 ? '' : 's'} of run ${cached.manifest.runId} in ${durationSeconds.toFixed(2)} s; the command did not run.`,
  );
  await writeFileAtomic(
    run.logFile,
    `Cache hit ${key.cacheKey}: the outputs of run ${cached.manifest.runId} were restored and the command did not run.\n`,
  );
  await writeFileAtomic(run.recordPath, JSON.stringify(cached.files.map((f) => f.path)));
  const [environment, sourceFacts] = await run.facts;
  const original = cached.manifest;
  // The metrics of the restored (verified) metrics file, not the record's copy of them.
  const metrics = metricsPath ? parseMetricsFile(await readFile(join(cwd, metricsPath), 'utf8'), metricsPath) : cached.metrics;
  const manifest = manifestOf(run, key, environment, sourceFacts, {
    cacheHit: true,
    start: run.start.toISOString(),
    end: new Date().toISOString(),
    durationSeconds,
    exitCode: null,
    timedOut: false,
    // The files as restored: each was checked against its recorded size and sha256.
    model: { path: join(cwd, modelPath), files: cached.files.filter((f) => f.path === modelPath || f.path.startsWith(`${modelPath}/`)) },
    metrics,
    learningCurveSteps: cached.curve.length,
    outputs: cached.files.filter((f) => f.path !== modelPath && !f.path.startsWith(`${modelPath}/`) && f.path !== metricsPath),
    restoredFrom: {
      runId: original.runId,
      start: original.start,
      end: original.end,
      durationSeconds: original.durationSeconds,
      git: original.git,
    },
  });
  return { outcome: 'restored', manifest, curve: LearningCurve.fromJSON(cached.curve), logTail: [] };
}

/** Runs the command with the MLOPS_* variables, echoing, logging and parsing its output line by line. */
async function runCommand(run: TrainRun): Promise<CommandRun> {
  const { inputs, runtime, cwd, modelPath, metricsPath, stateInside } = run;
  const previousOutputs = [
    ...((await listModelFiles(cwd, modelPath, { outsideLinks: 'skip' })) ?? []),
    ...(metricsPath ? [metricsPath] : []),
  ];
  // A cache hit may have left them as hard links to the cache: a command writing in place must not reach it.
  await detachHardLinks(cwd, [...previousOutputs, ...(await readRecordedOutputs(run.recordPath))]);
  const before = await snapshotFiles(cwd, stateInside ? [stateInside] : []);
  const outputsBefore = await statFiles(cwd, previousOutputs);
  const log = createWriteStream(run.logFile);
  const tail = new LogTail();
  const curve = new LearningCurve();
  const splitter = new LineSplitter((line) => {
    runtime.info(line);
    log.write(`${line}\n`);
    tail.push(line);
    const problem = curve.addLine(line);
    if (problem) runtime.warning(`Ignored a malformed mlops-metric line (${problem}): ${line}`);
  });
  const env = commandEnvironment(
    process.env,
    {
      MLOPS_PARAMS: canonicalJson(run.params),
      MLOPS_PARAMS_FILE: run.paramsFile,
      MLOPS_RUN_ID: runtime.runId,
      MLOPS_MODEL_PATH: join(cwd, modelPath),
      ...(metricsPath ? { MLOPS_METRICS_FILE: join(cwd, metricsPath) } : {}),
      ...(inputs['run-name'] ? { MLOPS_RUN_NAME: inputs['run-name'] } : {}),
    },
    inputs['container-image'] !== undefined,
  );
  const commandStarted = performance.now();
  // The command's output in a collapsed group: a learning curve is hundreds of lines, and train.log keeps them all.
  const result = await runtime.group(
    `Running: ${inputs.command}`,
    () =>
      runTrainingCommand({
        inputs,
        cwd,
        runtime,
        env,
        runDir: run.runDir,
        // Back-pressure: reading the command's output waits while the log is not taken (a slow reader of stdout).
        onOutput: (text, stream) => {
          splitter.push(text, stream);
          return runtime.drained();
        },
      }).finally(async () => {
        splitter.flush();
        await new Promise<void>((done) => log.end(done));
      }),
    { log: run.logFile, verbatim: true },
  );
  if (result.leftovers?.length) {
    const list = result.leftovers.map((p) => `pid ${p.pid}: ${p.command}`).join('; ');
    runtime.warning(
      `The command ${result.timedOut ? 'timed out' : 'ended'} with ${result.leftovers.length} process${result.leftovers.length === 1 ? '' : 'es'} it started still running, now killed: ${list}. A step leaves nothing running: wait for what you start.`,
    );
  }
  return { result, durationSeconds: Math.round(performance.now() - commandStarted) / 1000, curve, tail, before, outputsBefore };
}

/** Why a finished command did not train: a timeout, an exit code, or a missing or empty model. */
function commandFailure(run: TrainRun, command: CommandRun, modelFileList: string[] | undefined): string | undefined {
  const { inputs, cwd, modelPath } = run;
  const lastLines = (): string => command.tail.lines.slice(-FAILURE_MESSAGE_LINES).join('\n');
  if (command.result.timedOut) {
    const minutes = inputs['timeout-minutes']!;
    return `The command was killed after ${minutes} minute${minutes === 1 ? '' : 's'} (timeout-minutes), with every process it started${inputs['container-image'] ? ' (the container was killed)' : ''}. Last lines of the log:\n${lastLines()}`;
  }
  if (command.result.exitCode !== 0)
    return `The command exited with code ${command.result.exitCode} after ${command.durationSeconds.toFixed(1)} s. Last lines of the log:\n${lastLines()}`;
  if (!modelFileList) return `The command succeeded but did not write model-path ${modelPath} (looked for ${join(cwd, modelPath)}).`;
  if (modelFileList.length === 0) return `The command succeeded but model-path ${modelPath} is an empty folder.`;
  return undefined;
}

/**
 * Why outputs the command left are not its own: a model none of whose files it wrote, or a metrics
 * file it did not rewrite, both left from an earlier run. Undefined when both are fresh.
 */
async function staleOutputFailure(run: TrainRun, command: CommandRun, modelFileList: string[]): Promise<string | undefined> {
  const { cwd, modelPath, metricsPath } = run;
  const modelAfter = await statFiles(cwd, modelFileList);
  const modelWritten = modelFileList.some((path) => command.outputsBefore.get(path) !== modelAfter.get(path));
  if (!modelWritten) {
    const shown = modelFileList.slice(0, 3).join(', ') + (modelFileList.length > 3 ? `, … (${modelFileList.length} files)` : '');
    return `The command succeeded but did not write model-path ${modelPath}: ${join(cwd, modelPath)} was left from before this run (${shown} unchanged). Write the model to $MLOPS_MODEL_PATH, or delete the old one first.`;
  }
  if (metricsPath) {
    const metricsAfter = await statFiles(cwd, [metricsPath]);
    const before = command.outputsBefore.get(metricsPath);
    if (before !== undefined && before === metricsAfter.get(metricsPath))
      return `The command succeeded but did not write metrics-file ${metricsPath}: ${join(cwd, metricsPath)} was left from before this run (unchanged). Write the metrics to $MLOPS_METRICS_FILE, or delete the old file first.`;
  }
  return undefined;
}

/** The metrics: from metrics-file when given, else the learning curve's last values. */
async function readRunMetrics(
  run: TrainRun,
  curve: LearningCurve,
): Promise<{ metrics: FlatMetrics } | { failure: string; error?: InputError }> {
  const { cwd, metricsPath } = run;
  if (!metricsPath) return { metrics: curve.last() };
  const text = await readFile(join(cwd, metricsPath), 'utf8').catch(() => undefined);
  if (text === undefined)
    return { failure: `The command succeeded but did not write metrics-file ${metricsPath} (looked for ${join(cwd, metricsPath)}).` };
  try {
    return { metrics: parseMetricsFile(text, metricsPath) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { failure: error.message, error };
  }
}

/** Checks what the command left and hashes the model and the other files it wrote. */
async function collectOutputs(run: TrainRun, command: CommandRun): Promise<CollectedOutputs> {
  const { cwd, modelPath, metricsPath, stateInside } = run;
  const modelFileList = await listModelFiles(cwd, modelPath);
  const failure = commandFailure(run, command, modelFileList) ?? (await staleOutputFailure(run, command, modelFileList!));
  if (failure) return { failure, metrics: {}, modelFiles: [], otherOutputs: [], end: new Date() };
  const read = await readRunMetrics(run, command.curve);
  if ('failure' in read)
    return { failure: read.failure, metricsError: read.error, metrics: {}, modelFiles: [], otherOutputs: [], end: new Date() };
  const modelFiles = await hashFiles(cwd, modelFileList!);
  const produced = changedFiles(command.before, await snapshotFiles(cwd, stateInside ? [stateInside] : []));
  const modelSet = new Set(modelFileList);
  const otherOutputs = await hashFiles(
    cwd,
    produced.filter((p) => !modelSet.has(p) && p !== metricsPath),
  );
  return { metrics: read.metrics, modelFiles, otherOutputs, end: new Date() };
}

/** The manifest: what was asked and where (the same for every outcome), then what happened. */
function manifestOf(
  run: TrainRun,
  key: RunKey,
  environment: EnvironmentFacts,
  sourceFacts: SourceFacts,
  happened: RunHappenings,
): TrainManifest {
  const { inputs, runtime, cwd, metricsPath } = run;
  return {
    kind: 'mlops-train-manifest',
    version: 1,
    runId: runtime.runId,
    runName: inputs['run-name'] ?? null,
    fingerprint: key.fingerprint,
    cacheKey: key.cacheKey,
    command: inputs.command,
    workingDirectory: cwd,
    containerImage: inputs['container-image'] ?? null,
    params: run.params,
    paramsSource: run.paramsSource,
    dataFingerprint: inputs['data-fingerprint'] ?? null,
    keyFiles: { source: key.source, files: key.files, untracked: key.untracked },
    git: { commit: sourceFacts.commit, ref: sourceFacts.ref },
    workflowRunUrl: sourceFacts.workflowRunUrl,
    environment,
    metricsFile: metricsPath ? join(cwd, metricsPath) : null,
    log: run.logFile,
    ...happened,
  };
}

/** Saves the outputs of a successful run in the cache under its (final) key. */
async function saveRun(run: TrainRun, key: RunKey, manifest: TrainManifest, curve: LearningCurve): Promise<void> {
  const { runtime, cwd, modelPath, metricsPath } = run;
  // The digests a restore checks every file against: the manifest's, and the metrics file's.
  const files = [...manifest.model.files, ...(metricsPath ? await hashFiles(cwd, [metricsPath]) : []), ...manifest.outputs];
  const record: CachedRun = {
    version: 2,
    fingerprint: key.fingerprint,
    files,
    modelPath,
    metricsFile: metricsPath ?? null,
    metrics: manifest.metrics,
    curve: curve.toJSON(),
    manifest,
  };
  const staging = cacheStagingDir(runtime, key.fingerprint.slice('sha256:'.length));
  if (await saveTrainOutputs(runtime, { cwd, key: key.cacheKey, staging, record }))
    runtime.info(`Saved the outputs in the cache under ${key.cacheKey}.`);
}

/** Writes the manifest, uploads the artifact when asked, writes the job summary; returns the stage's outputs. */
async function recordRun(run: TrainRun, { outcome, manifest, curve, logTail, failure }: RunOutcome): Promise<StageResult> {
  const { inputs, runtime, cwd, modelPath, metricsPath } = run;
  if (failure) {
    // Whatever lies at the model path or the metrics file is not this run's: no output names it.
    const left = [modelPath, ...(metricsPath ? [metricsPath] : [])];
    const present = (await Promise.all(left.map(async (p) => ((await stat(join(cwd, p)).catch(() => undefined)) ? p : undefined)))).filter(
      (p) => p !== undefined,
    );
    runtime.info(
      `The run failed: outputs model-path${metricsPath ? ' and metrics-file are' : ' is'} empty${present.length ? `; ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} not from this run` : ''}.`,
    );
  }
  await writeFileAtomic(run.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  const artifact = inputs['artifact-name'] ? await uploadRunArtifact(runtime, inputs['artifact-name'], cwd, run.runDir, manifest) : '';
  await runtime.summary(
    renderTrainSummary({
      runName: inputs['run-name'],
      outcome,
      failure,
      fingerprint: manifest.fingerprint,
      cacheKey: manifest.cacheKey,
      cacheEnabled: inputs.cache,
      durationSeconds: manifest.durationSeconds,
      modelPath,
      modelFiles: manifest.model.files.length,
      modelBytes: sum(manifest.model.files),
      metrics: manifest.metrics,
      curve,
      logTail,
      manifestPath: run.manifestFile,
    }),
    `${artifact ? `artifact ${escapeMarkdownText(artifact)} and ` : ''}the manifest (${escapeMarkdownText(run.manifestFile)})`,
  );
  return {
    outputs: {
      'model-path': failure ? '' : join(cwd, modelPath),
      metrics: JSON.stringify(manifest.metrics),
      'metrics-file': metricsPath && !failure ? join(cwd, metricsPath) : '',
      manifest: run.manifestFile,
      fingerprint: manifest.fingerprint,
      'cache-hit': outcome === 'restored',
      'duration-seconds': manifest.durationSeconds,
      artifact,
    },
    failure,
  };
}

/** Uploads model, metrics, other outputs, params, log and manifest as one artifact; returns where it went. */
async function uploadRunArtifact(runtime: Runtime, name: string, cwd: string, runDir: string, manifest: TrainManifest): Promise<string> {
  // One folder laid out like the working directory, with the run's own files under mlops-train/.
  const root = join(runDir, 'artifact');
  await rm(root, { recursive: true, force: true });
  const files: string[] = [];
  const add = async (source: string, path: string): Promise<void> => {
    if (!(await stat(source).catch(() => undefined))) return;
    await linkOrCopy(source, join(root, path));
    files.push(join(root, path));
  };
  for (const file of manifest.model.files) await add(join(cwd, file.path), file.path);
  if (manifest.metricsFile) await add(manifest.metricsFile, toPosix(relative(cwd, manifest.metricsFile)));
  for (const file of manifest.outputs) await add(join(cwd, file.path), file.path);
  await add(join(runDir, 'params.json'), 'mlops-train/params.json');
  await add(join(runDir, 'train.log'), 'mlops-train/train.log');
  await add(join(runDir, 'manifest.json'), 'mlops-train/manifest.json');
  try {
    const stored = await runtime.uploadArtifact(name, files, root);
    return stored.location;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
