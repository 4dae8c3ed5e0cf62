import { readFile } from 'node:fs/promises';
import { InputError, ServiceError } from '../errors.js';
import { mergeProfiles, parseProfile } from '../data/profile.js';
import { LocalRuntime } from '../runtime/local.js';
import { runStage } from '../stage.js';
import { mainHelp, stageHelp } from './help.js';
import { findStage, stages } from '../stages.js';
import type { ActionSpec } from '../schemas/action-spec.js';
import { nearestName } from '../nearest-name.js';
import { stageSummary } from './stage-summary.js';
import { UsageError } from './usage-error.js';

/** How the stage's outputs are printed on stdout: a summary for people, or `name=value` lines or one JSON object for scripts. */
export type OutputFormat = 'text' | 'lines' | 'json';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'lines', 'json'];

/** Options every stage command takes besides its inputs. */
const GLOBAL_OPTIONS = ['state-dir', 'run-id', 'output'] as const;

/** A run id names a folder: letters, digits, `.`, `_` and `-`. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface ParsedArgs {
  values: Record<string, string>;
  help: boolean;
  stateDir?: string;
  runId?: string;
  output: OutputFormat;
}

function parseFlags(args: string[], spec: ActionSpec): ParsedArgs {
  const known = new Set(Object.keys(spec.inputs));
  const values: Record<string, string> = {};
  const parsed: ParsedArgs = { values, help: false, output: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}': inputs are given as --<input> <value>`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name) && !(GLOBAL_OPTIONS as readonly string[]).includes(name)) {
      const nearest = nearestName(name, [...known, ...GLOBAL_OPTIONS]);
      throw new UsageError(
        `unknown input --${name}${nearest ? `; did you mean --${nearest}?` : ''} (mlops ${spec.name} --help lists the inputs)`,
      );
    }
    // A boolean input alone is `true`: `--overwrite-schema` as well as `--overwrite-schema true`.
    const boolean = known.has(name) && spec.inputs[name]!.schema.type === 'boolean';
    let value: string | undefined = eq === -1 ? args[i + 1] : arg.slice(eq + 1);
    if (eq === -1) {
      if (boolean && (value === undefined || value.startsWith('--'))) value = 'true';
      else i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === 'state-dir') parsed.stateDir = value;
    else if (name === 'run-id') parsed.runId = value;
    else if (name === 'output') {
      if (!(OUTPUT_FORMATS as readonly string[]).includes(value))
        throw new UsageError(`--output is ${JSON.stringify(value)}; expected one of ${OUTPUT_FORMATS.join(', ')}`);
      parsed.output = value as OutputFormat;
    } else {
      // Repeating a flag builds a list input, one entry per line, as in a workflow file.
      values[name] = values[name] === undefined ? value : `${values[name]}\n${value}`;
    }
  }
  return parsed;
}

/** The run id: `--run-id`, else MLOPS_RUN_ID (shared by the stages of one loop), else a new one. */
function runIdFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const [value, source] = flag !== undefined ? [flag, '--run-id'] : [env.MLOPS_RUN_ID || undefined, 'MLOPS_RUN_ID'];
  if (value !== undefined && !RUN_ID.test(value))
    throw new UsageError(`${source} is ${JSON.stringify(value)}: a run id is letters, digits, '.', '_' and '-' (at most 128)`);
  return value;
}

/** How the CLI talks to the terminal; the process's own by default. */
export interface CliHost {
  env?: NodeJS.ProcessEnv;
  /** True when stderr is a terminal: a group's lines become one progress line redrawn in place. */
  interactive?: boolean;
  columns?: number;
  /** `mlops serve` stops when this aborts; default: on SIGTERM or SIGINT. */
  stop?: AbortSignal;
  /** `mlops serve`: how often the traffic line is logged (default one minute), and who hears where it listens. */
  serveStatsIntervalMs?: number;
  onListening?: (url: string) => void;
  /** Where relative paths of `mlops registry` start (default the process's working directory). */
  cwd?: string;
}

/** `mlops serve`: loaded only for this command (onnxruntime and prom-client are large). */
async function runServe(args: string[], out: (text: string) => void, err: (text: string) => void, host: CliHost): Promise<number> {
  const { serveCommand, ServeUsageError, SERVE_USAGE } = await import('./serve-command.js');
  let signal = host.stop;
  let release = (): void => undefined;
  if (!signal) {
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    release = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    };
    signal = controller.signal;
  }
  try {
    return await serveCommand(args, out, err, { signal, statsIntervalMs: host.serveStatsIntervalMs, onListening: host.onListening });
  } catch (error) {
    if (error instanceof ServeUsageError) throw new UsageError(`${error.message}\n\n${SERVE_USAGE}`);
    throw error;
  } finally {
    release();
  }
}

/** `mlops deploy status|rollback|stop` (and the process target's own `mlops deploy proxy`), loaded only for these. */
async function runDeploy(args: string[], out: (text: string) => void, err: (text: string) => void, host: CliHost): Promise<number> {
  const { deployCommand, DeployUsageError, DEPLOY_USAGE } = await import('./deploy-command.js');
  const [sub, ...rest] = args as [Parameters<typeof deployCommand>[0], ...string[]];
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${DEPLOY_USAGE}\n`);
    return 0;
  }
  try {
    return await deployCommand(sub, rest, out, err, host.stop);
  } catch (error) {
    if (error instanceof DeployUsageError) throw new UsageError(`${error.message}\n\n${DEPLOY_USAGE}`);
    throw error;
  }
}

async function profileCommand(args: string[], out: (text: string) => void): Promise<number> {
  if (args[0] !== 'merge' || args.length < 2) throw new UsageError('usage: mlops profile merge A.json B.json ... > merged.json');
  const files = args.slice(1);
  const profiles = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8').catch(() => {
        throw new InputError(`${file} does not exist or cannot be read`, { file });
      });
      return parseProfile(text, file);
    }),
  );
  out(`${JSON.stringify(mergeProfiles(profiles, files), null, 2)}\n`);
  return 0;
}

/** Prints the outputs as `format` asks; the summary for people goes to stdout in `text`, else to stderr. */
function printOutputs(
  format: OutputFormat,
  summary: string[],
  outputs: Record<string, string>,
  out: (text: string) => void,
  err: (text: string) => void,
): void {
  if (format === 'text') {
    out(`${summary.join('\n')}\n`);
    return;
  }
  err(`${summary.join('\n')}\n`);
  if (format === 'json') out(`${JSON.stringify(outputs)}\n`);
  else for (const [name, value] of Object.entries(outputs)) out(`${name}=${value}\n`);
}

/** Runs the `mlops` command line; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(
  argv: string[],
  out: (text: string) => void = (t) => void process.stdout.write(t),
  err: (text: string) => void = (t) => void process.stderr.write(t),
  host: CliHost = {},
): Promise<number> {
  const [command, ...rest] = argv;
  const env = host.env ?? process.env;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      out(`${mainHelp()}\n`);
      return command ? 0 : 2;
    }
    if (command === 'profile') return await profileCommand(rest, out);
    if (command === 'serve') return await runServe(rest, out, err, host);
    // Loaded only when used: the registry client is not needed to run a stage.
    if (command === 'registry')
      return await (await import('./registry-command.js')).registryCommand(rest, { out, err, env, cwd: host.cwd ?? process.cwd() });
    if (command === 'deploy' && ['status', 'rollback', 'stop', 'proxy'].includes(rest[0] ?? ''))
      return await runDeploy(rest, out, err, host);
    const entry = findStage(command);
    if (!entry) {
      const nearest = nearestName(command, [...stages.map((s) => s.spec.name), 'profile', 'serve', 'registry']);
      throw new UsageError(`unknown command '${command}'${nearest ? `; did you mean ${nearest}?` : ''} (mlops --help lists the commands)`);
    }
    const parsed = parseFlags(rest, entry.spec);
    if (parsed.help) {
      out(`${stageHelp(entry.spec)}\n`);
      return 0;
    }
    const runtime = new LocalRuntime({
      inputs: parsed.values,
      stateDir: parsed.stateDir,
      runId: runIdFrom(parsed.runId, env),
      stage: entry.spec.name,
      env,
      log: (line) => err(`${line}\n`),
      progress: host.interactive ? err : undefined,
      columns: host.columns,
    });
    const ok = await runStage(entry.spec, await entry.load(), runtime);
    await runtime.recordRun(entry.spec.name);
    printOutputs(parsed.output, stageSummary(entry.spec.name, runtime.outputs, ok), runtime.outputs, out, err);
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`mlops: ${error.message}\n`);
      return 2;
    }
    // A registry command meets services directly (a stage reports them through its runtime).
    if (error instanceof InputError || error instanceof ServiceError) {
      err(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The CLI entry's main program: the command line of this process. */
export async function run(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), undefined, undefined, {
    interactive: process.stderr.isTTY === true,
    columns: process.stderr.columns,
  });
}
