// `mlops run`: the whole loop of mlops.yml, locally, for one event; `--dry` prints the plan only.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { LOOP_EVENTS, PROMOTE_STEP, readLoopConfig, type LoopEvent } from '../loop/loop-config.js';
import { planLoop, renderPlan } from '../loop/loop-plan.js';
import { writeLoopReport } from '../loop/loop-report.js';
import { gatherLoopFacts, runLoop, type LoopHost } from '../loop/run-loop.js';
import { nearestName } from '../nearest-name.js';
import { newRunId } from '../run-id.js';
import { LocalRuntime } from '../runtime/local.js';
import { runStage } from '../stage.js';
import { stages } from '../stages.js';
import { stageSummary } from './stage-summary.js';
import { UsageError } from './usage-error.js';

export const RUN_USAGE = [
  'mlops run [--event push|pull_request|schedule|workflow_dispatch] [--config mlops.yml] [--from STAGE] [--dry]',
  '          [--to STAGE] [--state-dir DIR] [--run-id ID]',
  '',
  'Runs the loop mlops.yml describes, stage by stage, as the root action does for the event:',
  '  pull_request        validate-data, train, evaluate against the production model',
  '  push (default)      the same, then register (alias staging), deploy (canary), monitor-gate,',
  '                      then promote to production or roll back',
  "  schedule            validate-data against the production model's profile; the rest only on drift",
  '                      or when the model is older than loop.max-model-age',
  "  workflow_dispatch   as push, from --from STAGE (or the event's `stage` input) on",
  "--dry prints, per step, whether it would run, be restored from the cache (train's fingerprint) or be",
  'skipped, and which gates decide; nothing runs. --to STAGE stops after that step: --from X --to X runs',
  'X alone, fed by the outputs the last loop in the state folder kept. Paths in mlops.yml are relative to',
  'its folder; the state folder defaults to .mlops beside it. The report is <state-dir>/runs/<id>/loop.md.',
].join('\n');

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface RunArgs {
  event?: string;
  config: string;
  from?: string;
  to?: string;
  dry: boolean;
  stateDir?: string;
  runId?: string;
  help: boolean;
}

function parseRunArgs(args: string[]): RunArgs {
  const parsed: RunArgs = { config: 'mlops.yml', dry: false, help: false };
  const valued = ['event', 'config', 'from', 'to', 'state-dir', 'run-id'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--dry') parsed.dry = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (!valued.includes(name)) {
        const nearest = nearestName(name, [...valued, 'dry']);
        throw new UsageError(`unknown option --${name}${nearest ? `; did you mean --${nearest}?` : ''}\n\n${RUN_USAGE}`);
      }
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      if (name === 'event') parsed.event = value;
      else if (name === 'config') parsed.config = value;
      else if (name === 'from') parsed.from = value;
      else if (name === 'to') parsed.to = value;
      else if (name === 'state-dir') parsed.stateDir = value;
      else parsed.runId = value;
    } else throw new UsageError(`unexpected argument '${arg}'\n\n${RUN_USAGE}`);
  }
  return parsed;
}

/** The event: --event, else the runner's GITHUB_EVENT_NAME when the loop knows it, else push. */
function eventOf(flag: string | undefined, env: NodeJS.ProcessEnv): LoopEvent {
  const value = flag ?? (LOOP_EVENTS.includes(env.GITHUB_EVENT_NAME as LoopEvent) ? env.GITHUB_EVENT_NAME : 'push');
  if (!LOOP_EVENTS.includes(value as LoopEvent)) {
    const nearest = nearestName(value!, LOOP_EVENTS);
    throw new UsageError(`--event is '${value}'; expected one of ${LOOP_EVENTS.join(', ')}${nearest ? ` (did you mean ${nearest}?)` : ''}`);
  }
  return value as LoopEvent;
}

/** workflow_dispatch's `stage` input, from the event payload the runner wrote (GITHUB_EVENT_PATH). */
function dispatchedStage(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_EVENT_NAME !== 'workflow_dispatch' || !env.GITHUB_EVENT_PATH) return undefined;
  try {
    const payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { inputs?: { stage?: unknown } };
    return typeof payload.inputs?.stage === 'string' && payload.inputs.stage !== '' ? payload.inputs.stage : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `mlops run`; returns the exit code (0 the loop passed, 1 a step failed). */
export async function runCommand(
  args: string[],
  io: {
    out: (text: string) => void;
    err: (text: string) => void;
    env: NodeJS.ProcessEnv;
    cwd: string;
    interactive?: boolean;
    columns?: number;
  },
): Promise<number> {
  const parsed = parseRunArgs(args);
  if (parsed.help) {
    io.out(`${RUN_USAGE}\n`);
    return 0;
  }
  const event = eventOf(parsed.event, io.env);
  const from = parsed.from ?? (event === 'workflow_dispatch' ? dispatchedStage(io.env) : undefined);
  const steps = [...stages.map((s) => s.spec.name), PROMOTE_STEP];
  for (const [flag, step] of [['from', from] as const, ['to', parsed.to] as const]) {
    if (step === undefined || steps.includes(step)) continue;
    const nearest = nearestName(step, steps);
    throw new UsageError(
      `--${flag} '${step}' is no step of the loop${nearest ? `; did you mean ${nearest}?` : ''} (steps: ${steps.join(', ')})`,
    );
  }
  const runId = parsed.runId ?? (io.env.MLOPS_RUN_ID || undefined) ?? newRunId();
  if (!RUN_ID.test(runId)) throw new UsageError(`the run id '${runId}' is not letters, digits, '.', '_' and '-' (at most 128)`);

  const configPath = resolve(io.cwd, parsed.config);
  const shown = relative(io.cwd, configPath) || parsed.config;
  const config = await readLoopConfig(configPath, shown);
  const workspace = dirname(configPath);
  const stateDir = parsed.stateDir ? resolve(io.cwd, parsed.stateDir) : join(workspace, '.mlops');
  const log = (line: string): void => io.err(`${line}\n`);

  const host: LoopHost = {
    workspace,
    stateDir,
    env: io.env,
    log,
    now: () => new Date(),
    runStage: async (entry, inputs, folder) => {
      const runtime = new LocalRuntime({
        inputs,
        workspace,
        stateDir,
        runId,
        stage: folder,
        env: io.env,
        log,
        progress: io.interactive ? io.err : undefined,
        columns: io.columns,
      });
      const ok = await runStage(entry.spec, await entry.load(), runtime);
      await runtime.recordRun(entry.spec.name);
      io.out(`${stageSummary(entry.spec.name, runtime.outputs, ok).join('\n')}\n`);
      return { ok, outputs: { ...runtime.outputs }, folder: runtime.runDir, ...(runtime.failed ? { failure: runtime.failed } : {}) };
    },
  };

  const request = { event, ...(from !== undefined ? { from } : {}), ...(parsed.to !== undefined ? { to: parsed.to } : {}) };
  if (parsed.dry) {
    const facts = await gatherLoopFacts(config, host, { trainCache: true });
    const plan = planLoop(config, request, facts);
    io.out(`${renderPlan(plan, `mlops run --event ${event}${from ? ` --from ${from}` : ''} --dry (${shown}): nothing runs`)}\n`);
    return 0;
  }
  log(`mlops run --event ${event}${from ? ` --from ${from}` : ''}${parsed.to ? ` --to ${parsed.to}` : ''} (${shown}), run ${runId}`);
  const result = await runLoop(config, request, host);
  const runDir = join(stateDir, 'runs', runId);
  const report = await writeLoopReport(result, request, { runId, configFile: shown, runDir });
  const promoted = result.promoted ? `; ${result.promoted.alias} is ${result.promoted.version ?? result.promoted.digest}` : '';
  const failedStep = result.steps.find((s) => s.status === 'failed');
  io.out(
    `${result.ok ? '✔' : '✘'} loop (${event}): ${result.ok ? 'passed' : `${failedStep?.step ?? 'a step'} failed`}${promoted}\n  report: ${report}\n`,
  );
  return result.ok ? 0 : 1;
}
