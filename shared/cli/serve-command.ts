import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { InputError } from '../errors.js';

export const SERVE_USAGE = [
  'mlops serve <model-folder | registry reference> [options]: serve an ONNX model (a folder holding model.onnx, an .onnx',
  'file, or a registered model `<registry>/<name>@<alias|version|digest>`, pulled and verified, with its registered profile)',
  "over the Open Inference Protocol (/v2/…), MLflow's POST /invocations and Prometheus /metrics, in the foreground.",
  '',
  'Options:',
  '  --port <n>             default 8080 (0: any free port)',
  '  --host <address>       default 127.0.0.1; 0.0.0.0 listens on every interface',
  '  --name <name>          the model name in /v2/models/<name> (default: the folder name)',
  '  --version <version>    the version reported (default: local)',
  "  --profile <file>       validate-data's profile of the training data: live drift is measured against it",
  "  --predictions <file>   the model's held-out predictions (evaluate's file): live prediction drift is measured against them",
  '  --schema <file>        the Table Schema of the training data: checked against the model before serving',
  '  --max-body-bytes <n>   larger requests get 413 (default 10485760)',
  '  --request-timeout <s>  a request must arrive within this many seconds, else 408 (default 30)',
  '  --request-log <dir>    keep a sampled log of requests and predictions there (JSONL, rotated)',
  '  --max-batch-rows <n>   requests arriving while the model runs are run together, up to n rows, when a probe at',
  '                         start shows batched rows answer exactly as alone (default 64; 1: each request alone)',
  '  --drain-seconds <n>    on stop, keep answering this long with Connection: close (readiness false) before',
  '                         closing idle connections, so keep-alive clients move elsewhere without a failed request (default 0)',
  '',
  'One log line per minute (requests, errors, p95 latency). SIGTERM or Ctrl-C stops it gracefully.',
].join('\n');

const VALUE_OPTIONS = [
  'port',
  'host',
  'name',
  'version',
  'profile',
  'predictions',
  'schema',
  'max-body-bytes',
  'request-timeout',
  'request-log',
  'drain-seconds',
  'max-batch-rows',
] as const;
type ServeOption = (typeof VALUE_OPTIONS)[number];

/** A mistake in how `mlops serve` was called (exit code 2 with usage). */
export class ServeUsageError extends Error {}

export interface ServeArgs {
  model: string;
  options: Partial<Record<ServeOption, string>>;
  help: boolean;
}

export function parseServeArgs(args: string[]): ServeArgs {
  const options: Partial<Record<ServeOption, string>> = {};
  let model: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      if (model !== undefined) throw new ServeUsageError(`one model folder only; got ${model} and ${arg}`);
      model = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)) as ServeOption;
    if (!VALUE_OPTIONS.includes(name)) throw new ServeUsageError(`unknown option --${name} (mlops serve --help lists them)`);
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ServeUsageError(`--${name} needs a value`);
    options[name] = value;
  }
  if (model === undefined && !help) throw new ServeUsageError('mlops serve needs a model folder: mlops serve <model-folder> [--port 8080]');
  return { model: model ?? '', options, help };
}

function integerOption(options: ServeArgs['options'], name: ServeOption, min: number, max: number): number | undefined {
  const text = options[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ServeUsageError(`--${name} is ${JSON.stringify(text)}; expected an integer from ${min} to ${max}`);
  return value;
}

export interface ServeHost {
  /** Stops the server when aborted (the CLI wires SIGTERM and SIGINT to it). */
  signal: AbortSignal;
  /** How often the traffic line is logged; default one minute. */
  statsIntervalMs?: number;
  /** Called once the server listens, with its URL. */
  onListening?: (url: string) => void;
}

/** Runs `mlops serve` until `host.signal` aborts; returns the exit code. Throws ServeUsageError or InputError. */
export async function serveCommand(
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  host: ServeHost,
): Promise<number> {
  const parsed = parseServeArgs(args);
  if (parsed.help) {
    out(`${SERVE_USAGE}\n`);
    return 0;
  }
  const { options } = parsed;
  const port = integerOption(options, 'port', 0, 65535) ?? 8080;
  const maxBodyBytes = integerOption(options, 'max-body-bytes', 1, 2 ** 31);
  const timeout = integerOption(options, 'request-timeout', 1, 3600);
  const drainSeconds = integerOption(options, 'drain-seconds', 0, 300);
  const maxBatchRows = integerOption(options, 'max-batch-rows', 1, 65536);
  // The server and its libraries (onnxruntime, prom-client) load only for this command.
  const [{ startModelServer }, { loadTableSchema }, { parseProfile }] = await Promise.all([
    import('../serve/model-server.js'),
    import('../data/table-schema/descriptor.js'),
    import('../data/profile.js'),
  ]);
  const profile = options.profile
    ? parseProfile(
        await readFile(options.profile, 'utf8').catch(() => {
          throw new InputError(`${options.profile} does not exist or cannot be read`, { file: options.profile });
        }),
        options.profile,
      )
    : undefined;
  const tableSchema = options.schema ? await loadTableSchema(options.schema) : undefined;
  if (options.predictions && !(await stat(options.predictions).catch(() => null))?.isFile())
    throw new InputError(`--predictions: ${options.predictions} does not exist or is not a file`, { file: options.predictions });
  let modelDir = parsed.model;
  let registered: { version: string; profileText?: string; predictionsPath?: string } | undefined;
  if (parsed.model.includes('@')) {
    const { fetchModel } = await import('../registry/fetch-model.js');
    const password = process.env.MLOPS_REGISTRY_PASSWORD;
    const fetched = await fetchModel(parsed.model, process.cwd(), resolve(process.env.MLOPS_STATE_DIR ?? '.mlops', 'serve', 'models'), {
      ...(process.env.MLOPS_REGISTRY_USERNAME ? { username: process.env.MLOPS_REGISTRY_USERNAME } : {}),
      ...(password ? { password } : {}),
    });
    err(
      `pulled ${fetched.reference} (${fetched.version}) into ${fetched.modelDir}${fetched.profileText ? ', with its registered data profile' : ''}${fetched.predictionsPath ? ', with its held-out predictions' : ''}\n`,
    );
    modelDir = fetched.modelDir;
    registered = fetched;
  }
  const registeredProfile =
    !profile && registered?.profileText ? parseProfile(registered.profileText, `${parsed.model} (registered profile)`) : undefined;
  const predictions = options.predictions ?? registered?.predictionsPath;
  const name =
    options.name ??
    (registered
      ? parsed.model.slice(0, parsed.model.lastIndexOf('@')).split('/').pop()!
      : basename(resolve(parsed.model)).replace(/\.onnx$/, ''));
  const log = (line: string): void => err(`${new Date().toISOString()} ${line}\n`);
  const server = await startModelServer({
    modelDir,
    name,
    version: options.version ?? registered?.version ?? 'local',
    profile: profile ?? registeredProfile,
    ...(predictions ? { predictions } : {}),
    tableSchema,
    port,
    host: options.host ?? '127.0.0.1',
    maxBodyBytes,
    requestTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    drainDelayMs: drainSeconds === undefined ? undefined : drainSeconds * 1000,
    requestLog: options['request-log'] ? { dir: options['request-log'] } : undefined,
    ...(maxBatchRows === undefined ? {} : { maxBatchRows }),
    log,
  });
  const { inputs, outputs, layout } = server.model;
  const shapes = (specs: { name: string; datatype: string; shape: number[] }[]): string =>
    specs.map((s) => `${s.name} ${s.datatype} [${s.shape.join(', ')}]`).join(', ');
  log(
    `serving ${name} (version ${options.version ?? registered?.version ?? 'local'}) at ${server.url}: inputs ${shapes(inputs)}; outputs ${shapes(outputs)}`,
  );
  if (layout.kind === 'matrix' && layout.named) log(`table columns: ${layout.columns.join(', ')}`);
  log(`endpoints: ${server.url}/v2/models/${encodeURIComponent(name)}/infer, ${server.url}/invocations, ${server.url}/metrics`);
  host.onListening?.(server.url);
  const interval = host.statsIntervalMs ?? 60_000;
  const period = interval === 60_000 ? 'minute' : `${interval / 1000} s`;
  const timer = setInterval(() => {
    const s = server.takeStats();
    log(`last ${period}: ${s.requests} requests, ${s.errors} errors, p95 ${s.p95Ms === null ? '-' : `${s.p95Ms.toFixed(1)} ms`}`);
  }, interval);
  await new Promise<void>((done) => {
    if (host.signal.aborted) done();
    else host.signal.addEventListener('abort', () => done(), { once: true });
  });
  clearInterval(timer);
  log('stopping: readiness is false, in-flight requests finish');
  await server.stop();
  log('stopped');
  return 0;
}
