// `mlops workflow run <file> --event <name> [--payload event.json] [--input name=value]…`: a workflow
// tried on this machine before it is pushed (shared/workflow/run-workflow.ts does the running).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { runWorkflow } from '../workflow/run-workflow.js';
import { nearestName } from '../nearest-name.js';
import { UsageError } from './usage-error.js';

export const WORKFLOW_USAGE = [
  'usage: mlops workflow run <workflow.yml> --event <name> [--payload event.json] [--input name=value]... [--state-dir .mlops]',
  '',
  "Runs the workflow's jobs here, in needs order, as a GitHub runner would: if: conditions, matrices, env,",
  'job outputs and needs.*.outputs, the GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STEP_SUMMARY files.',
  'Steps using our actions run their bundles on Node 24; run: steps run in their shell (bash by default);',
  'actions/checkout is the current folder, setup-node / setup-python use what is installed, upload-artifact,',
  'download-artifact and cache keep their files under .mlops/. Any other action is reported as not run.',
  'secrets.<NAME> and github.token are read from the environment variables; vars.<NAME> from VARS_<NAME>.',
  '',
  '  --event <name>       the event (push, pull_request, schedule, workflow_dispatch, ...); the workflow must list it',
  '  --payload <file>     the event payload (github.event) as JSON; default: one like GitHub sends for this repository',
  '  --input name=value   a workflow_dispatch input (repeat for several)',
  '  --state-dir <dir>    where artifacts, caches and the run files go (default .mlops)',
].join('\n');

const OPTIONS = ['event', 'payload', 'input', 'state-dir'];

export interface WorkflowCommandHost {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Runs `mlops workflow <args>`; 0 when every job succeeded (or was skipped), 1 otherwise. */
export async function workflowCommand(args: string[], host: WorkflowCommandHost): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    host.out(`${WORKFLOW_USAGE}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'run') throw new UsageError(`unknown workflow command '${sub}' (mlops workflow run is the one)\n\n${WORKFLOW_USAGE}`);
  let file: string | undefined;
  const values: Record<string, string> = {};
  const inputs: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      if (file !== undefined) throw new UsageError(`one workflow file at a time: '${file}' and '${arg}'`);
      file = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!OPTIONS.includes(name)) {
      const nearest = nearestName(name, OPTIONS);
      throw new UsageError(`unknown option --${name}${nearest ? `; did you mean --${nearest}?` : ''}\n\n${WORKFLOW_USAGE}`);
    }
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === 'input') {
      const at = value.indexOf('=');
      if (at <= 0) throw new UsageError(`--input is ${JSON.stringify(value)}; expected name=value`);
      inputs[value.slice(0, at)] = value.slice(at + 1);
    } else values[name] = value;
  }
  if (file === undefined) throw new UsageError(`which workflow? ${WORKFLOW_USAGE.split('\n')[0]}`);
  if (values.event === undefined) throw new UsageError(`--event is needed (push, pull_request, schedule, workflow_dispatch, ...)`);
  let payload: Record<string, unknown> | undefined;
  if (values.payload !== undefined) {
    const text = await readFile(resolve(host.cwd, values.payload), 'utf8').catch(() => {
      throw new InputError(`--payload ${values.payload} does not exist or cannot be read`);
    });
    try {
      payload = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`--payload ${values.payload} is not JSON: ${(error as Error).message}`);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new InputError(`--payload ${values.payload} is not a JSON object`);
  }
  const result = await runWorkflow({
    file,
    event: values.event,
    payload,
    inputs,
    workspace: host.cwd,
    stateDir: values['state-dir'],
    env: host.env,
    print: (line) => host.out(`${line}\n`),
  });
  return result.ok ? 0 : 1;
}
