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
import { describeSource, type TrainManifest } from './manifest.js';
import { type FlatMetrics, LearningCurve, parseMetricsFile } from './metrics.js';
import { type CachedRun, cacheStagingDir, restoreTrainOutputs, saveTrainOutputs } from './output-cache.js';
import { changedFiles, type HashedFile, hashFiles, linkOrCopy, listModelFiles, snapshotFiles } from './output-files.js';
import { canonicalJson, readParams } from './params.js';
import { type CommandResult, LineSplitter, runShellCommand } from './process-runner.js';
import { renderTrainSummary } from './summary.js';

const LOG_TAIL_LINES = 40;
const FAILURE_MESSAGE_LINES = 10;

/** Variables of the runner that the user's command has no business with (tokens, this step's inputs). */
const RUNNER_ONLY = /^(INPUT_.*|ACTIONS_RUNTIME_TOKEN|ACTIONS_RUNTIME_URL|ACTIONS_RESULTS_URL|ACTIONS_CACHE_URL|ACTIONS_ID_TOKEN_REQUEST_TOKEN|ACTIONS_ID_TOKEN_REQUEST_URL)$/;
/** Variables that describe the host, not the container: the image's own values must win. */
const HOST_ONLY = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'TMPDIR', 'TMP', 'TEMP', 'LD_LIBRARY_PATH', 'LD_PRELOAD', '_']);

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
    if (inputs.gpus || inputs.memory || inputs.cpus) runtime.warning('gpus, memory and cpus apply only with container-image; they are ignored for a command run as a process.');
    return runShellCommand({ command: inputs.command, cwd, env, timeoutMs, onOutput });
  }
  // Loaded on demand: dockerode is large and most runs use no container.
  const { runInContainer } = await import('../docker/run-container.js');
  const binds = [{ host: runtime.workspace, container: runtime.workspace }];
  if (!isWithin(runtime.workspace, cwd)) binds.push({ host: cwd, container: cwd });
  if (!isWithin(runtime.workspace, options.runDir)) binds.push({ host: options.runDir, container: options.runDir, readOnly: true } as (typeof binds)[number]);
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

/**
 * The train stage: runs the user's command (in a process group or a container) unless a run with
 * the same fingerprint left its outputs in the cache, then records the model's file hashes, the
 * metrics, the learning curve and a run manifest, and uploads them as an artifact when asked.
 * Returns a failure (with the log's tail) when the command fails, times out or produces no model;
 * throws InputError for bad inputs and a malformed metrics file.
 */
export async function train(inputs: TrainInputs, runtime: Runtime): Promise<StageResult> {
  const start = new Date();
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  if (!(await stat(cwd).catch(() => undefined))?.isDirectory()) {
    throw new InputError(`Input 'working-directory' is ${JSON.stringify(inputs['working-directory'])}: ${cwd} is not a directory.`);
  }
  const modelPath = pathInside('model-path', inputs['model-path'], cwd);
  const metricsPath = inputs['metrics-file'] ? pathInside('metrics-file', inputs['metrics-file'], cwd) : undefined;
  const { params, source: paramsSource } = await readParams(inputs.params, cwd);
  const facts: Promise<[EnvironmentFacts, Awaited<ReturnType<typeof describeSource>>]> = Promise.all([describeEnvironment(), describeSource(cwd)]);

  const runDir = join(runtime.stateDir, 'runs', runtime.runId, 'train');
  await mkdir(runDir, { recursive: true });
  const paramsFile = join(runDir, 'params.json');
  const logFile = join(runDir, 'train.log');
  const manifestFile = join(runDir, 'manifest.json');
  await writeFileAtomic(paramsFile, `${JSON.stringify(params, null, 2)}\n`);

  const stateInside = isWithin(cwd, runtime.stateDir) ? toPosix(relative(cwd, runtime.stateDir)) : undefined;
  const recordPath = outputsRecordPath(runtime.stateDir, cwd);
  const baseExcluded = [modelPath, ...(metricsPath ? [metricsPath] : []), ...(stateInside ? [stateInside] : [])];
  let keyList = await listKeyFiles(cwd, inputs['cache-key-files'], baseExcluded);
  // Git-tracked files are code by definition. Outside git, files an earlier run here wrote
  // (predictions, reports) are outputs, not code: they would change the fingerprint of the next run.
  if (keyList.source !== 'git') {
    const earlierOutputs = await readRecordedOutputs(recordPath);
    if (earlierOutputs.length) keyList = { ...keyList, files: keyList.files.filter((f) => !earlierOutputs.includes(f)) };
  }
  let keyFiles = await hashKeyFiles(cwd, keyList.files);
  const fingerprintOf = (files: KeyFile[]) => trainFingerprint({ dataFingerprint: inputs['data-fingerprint'], files, params, command: inputs.command, image: inputs['container-image'] });
  let fingerprint = fingerprintOf(keyFiles);
  let cacheKey = `mlops-train-${fingerprint.slice('sha256:'.length)}`;
  runtime.info(`Fingerprint ${fingerprint} over ${keyFiles.length} file${keyFiles.length === 1 ? '' : 's'} (${keyList.source === 'git' ? 'git-tracked' : keyList.source === 'walk' ? 'every file' : 'cache-key-files'}), the params, the command${inputs['data-fingerprint'] ? ', the data fingerprint' : ''}${inputs['container-image'] ? ' and the image' : ''}.`);

  const baseManifest = (environment: EnvironmentFacts, sourceFacts: Awaited<ReturnType<typeof describeSource>>) => ({
    kind: 'mlops-train-manifest' as const,
    version: 1 as const,
    runId: runtime.runId,
    runName: inputs['run-name'] ?? null,
    fingerprint,
    cacheKey,
    command: inputs.command,
    workingDirectory: cwd,
    containerImage: inputs['container-image'] ?? null,
    params,
    paramsSource: 'file' in paramsSource ? paramsSource.file : inputs.params ? 'inline' : null,
    dataFingerprint: inputs['data-fingerprint'] ?? null,
    keyFiles: { source: keyList.source, files: keyFiles },
    git: { commit: sourceFacts.commit, ref: sourceFacts.ref },
    workflowRunUrl: sourceFacts.workflowRunUrl,
    environment,
    metricsFile: metricsPath ? join(cwd, metricsPath) : null,
    log: logFile,
  });

  const finish = async (manifest: TrainManifest, curve: LearningCurve, outcome: 'trained' | 'restored' | 'failed', logTail: string[], failure?: string): Promise<StageResult> => {
    await writeFileAtomic(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    let artifact = '';
    if (inputs['artifact-name']) artifact = await uploadRunArtifact(runtime, inputs['artifact-name'], cwd, runDir, manifest);
    await runtime.summary(
      renderTrainSummary({
        runName: inputs['run-name'],
        outcome,
        failure,
        fingerprint,
        cacheKey,
        cacheEnabled: inputs.cache,
        durationSeconds: manifest.durationSeconds,
        modelPath: modelPath,
        modelFiles: manifest.model.files.length,
        modelBytes: sum(manifest.model.files),
        metrics: manifest.metrics,
        curve,
        logTail,
        manifestPath: manifestFile,
      }),
    );
    return {
      outputs: {
        'model-path': join(cwd, modelPath),
        metrics: JSON.stringify(manifest.metrics),
        'metrics-file': metricsPath ? join(cwd, metricsPath) : '',
        manifest: manifestFile,
        fingerprint,
        'cache-hit': outcome === 'restored',
        'duration-seconds': manifest.durationSeconds,
        artifact,
      },
      failure,
    };
  };

  if (inputs.cache) {
    const restoreStarted = performance.now();
    const cached = await restoreTrainOutputs(runtime, { cwd, key: cacheKey, staging: cacheStagingDir(runtime, fingerprint.slice('sha256:'.length)) });
    if (cached) {
      const durationSeconds = Math.round(performance.now() - restoreStarted) / 1000;
      runtime.info(`Cache hit (${cacheKey}): restored ${cached.files.length} file${cached.files.length === 1 ? '' : 's'} of run ${cached.manifest.runId} in ${durationSeconds.toFixed(2)} s; the command did not run.`);
      await writeFileAtomic(logFile, `Cache hit ${cacheKey}: the outputs of run ${cached.manifest.runId} were restored and the command did not run.\n`);
      await writeFileAtomic(recordPath, JSON.stringify(cached.files));
      const [environment, sourceFacts] = await facts;
      const original = cached.manifest;
      const manifest: TrainManifest = {
        ...baseManifest(environment, sourceFacts),
        cacheHit: true,
        start: start.toISOString(),
        end: new Date().toISOString(),
        durationSeconds,
        exitCode: null,
        timedOut: false,
        // Byte-identical to what the original run hashed: the entry's key is that run's fingerprint.
        model: { path: join(cwd, modelPath), files: original.model.files },
        metrics: cached.metrics,
        learningCurveSteps: cached.curve.length,
        outputs: original.outputs,
        restoredFrom: { runId: original.runId, start: original.start, end: original.end, durationSeconds: original.durationSeconds, git: original.git },
      };
      return finish(manifest, LearningCurve.fromJSON(cached.curve), 'restored', []);
    }
    runtime.info(`Cache miss (${cacheKey}): training.`);
  }

  const before = await snapshotFiles(cwd, stateInside ? [stateInside] : []);
  const log = createWriteStream(logFile);
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
      MLOPS_PARAMS: canonicalJson(params),
      MLOPS_PARAMS_FILE: paramsFile,
      MLOPS_RUN_ID: runtime.runId,
      MLOPS_MODEL_PATH: join(cwd, modelPath),
      ...(metricsPath ? { MLOPS_METRICS_FILE: join(cwd, metricsPath) } : {}),
      ...(inputs['run-name'] ? { MLOPS_RUN_NAME: inputs['run-name'] } : {}),
    },
    inputs['container-image'] !== undefined,
  );
  runtime.info(`Running: ${inputs.command}`);
  const commandStarted = performance.now();
  let result: CommandResult;
  try {
    result = await runTrainingCommand({ inputs, cwd, runtime, env, runDir, onOutput: (text, stream) => splitter.push(text, stream) });
  } finally {
    splitter.flush();
    await new Promise<void>((done) => log.end(done));
  }
  const durationSeconds = Math.round(performance.now() - commandStarted) / 1000;
  const [environment, sourceFacts] = await facts;

  const modelFileList = await listModelFiles(cwd, modelPath);
  let failure: string | undefined;
  const lastLines = (): string => tail.lines.slice(-FAILURE_MESSAGE_LINES).join('\n');
  if (result.timedOut) {
    const minutes = inputs['timeout-minutes']!;
    failure = `The command was killed after ${minutes} minute${minutes === 1 ? '' : 's'} (timeout-minutes), with every process it started${inputs['container-image'] ? ' (the container was killed)' : ''}. Last lines of the log:\n${lastLines()}`;
  } else if (result.exitCode !== 0) {
    failure = `The command exited with code ${result.exitCode} after ${durationSeconds.toFixed(1)} s. Last lines of the log:\n${lastLines()}`;
  } else if (!modelFileList) {
    failure = `The command succeeded but did not write model-path ${modelPath} (looked for ${join(cwd, modelPath)}).`;
  } else if (modelFileList.length === 0) {
    failure = `The command succeeded but model-path ${modelPath} is an empty folder.`;
  }

  let metrics: FlatMetrics = curve.last();
  let metricsError: InputError | undefined;
  if (!failure && metricsPath) {
    const text = await readFile(join(cwd, metricsPath), 'utf8').catch(() => undefined);
    if (text === undefined) failure = `The command succeeded but did not write metrics-file ${metricsPath} (looked for ${join(cwd, metricsPath)}).`;
    else {
      try {
        metrics = parseMetricsFile(text, metricsPath);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        metricsError = error;
        failure = error.message;
      }
    }
  }

  const modelFiles = failure || !modelFileList ? [] : await hashFiles(cwd, modelFileList);
  const produced = failure ? [] : changedFiles(before, await snapshotFiles(cwd, stateInside ? [stateInside] : []));
  const modelSet = new Set(modelFileList ?? []);
  const otherOutputs = failure ? [] : await hashFiles(cwd, produced.filter((p) => !modelSet.has(p) && p !== metricsPath));
  const manifest: TrainManifest = {
    ...baseManifest(environment, sourceFacts),
    cacheHit: false,
    start: start.toISOString(),
    end: new Date().toISOString(),
    durationSeconds,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    model: { path: join(cwd, modelPath), files: modelFiles },
    metrics: failure ? {} : metrics,
    learningCurveSteps: curve.steps.length,
    outputs: otherOutputs,
    restoredFrom: null,
  };

  if (failure) {
    const outcome = await finish(manifest, curve, 'failed', tail.lines, failure);
    // A malformed metrics file is the user's mistake: reported against the file, as an InputError.
    if (metricsError) throw metricsError;
    return outcome;
  }

  const outputFiles = [...modelFiles.map((f) => f.path), ...(metricsPath ? [metricsPath] : []), ...otherOutputs.map((f) => f.path)];
  await writeFileAtomic(recordPath, JSON.stringify(outputFiles));
  if (keyList.source !== 'git' && keyFiles.some((f) => outputFiles.includes(f.path))) {
    // Outputs of an earlier run were lying here and counted as code: key the cache as the next run will see it.
    keyFiles = keyFiles.filter((f) => !outputFiles.includes(f.path));
    fingerprint = fingerprintOf(keyFiles);
    cacheKey = `mlops-train-${fingerprint.slice('sha256:'.length)}`;
    runtime.info(`${keyList.files.length - keyFiles.length} of the fingerprinted files were written by the command; without them the fingerprint is ${fingerprint}.`);
    Object.assign(manifest, { fingerprint, cacheKey, keyFiles: { source: keyList.source, files: keyFiles } });
  }
  runtime.info(`Trained in ${durationSeconds.toFixed(1)} s: ${modelFiles.length} model file${modelFiles.length === 1 ? '' : 's'}${otherOutputs.length ? `, ${otherOutputs.length} other output${otherOutputs.length === 1 ? '' : 's'} (${otherOutputs.map((f) => f.path).join(', ')})` : ''}.`);
  if (inputs.cache) {
    const record: CachedRun = { version: 1, fingerprint, files: outputFiles, modelPath, metricsFile: metricsPath ?? null, metrics, curve: curve.toJSON(), manifest };
    const staging = cacheStagingDir(runtime, fingerprint.slice('sha256:'.length));
    if (await saveTrainOutputs(runtime, { cwd, key: cacheKey, staging, record })) runtime.info(`Saved the outputs in the cache under ${cacheKey}.`);
  }
  return finish(manifest, curve, 'trained', tail.lines);
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
