// `mlops deploy status|rollback|stop` on the target a model was deployed to (process, docker or swarm),
// found from `<state-dir>/deploy/<name>/target.json` and the target's state beside it; and `mlops deploy
// proxy`, the process target's own proxy process (started by the target, not by people).
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { DeployTarget, ServingState, TargetDescription } from '../deploy/deploy-target.js';
import { InputError } from '../errors.js';

export const DEPLOY_COMMANDS = ['status', 'rollback', 'stop', 'proxy'] as const;

export const DEPLOY_USAGE = [
  'mlops deploy --model <registry>/<name>@<version> [--strategy blue-green] ...   deploy (mlops deploy --help lists the inputs)',
  "mlops deploy status   [--name <name>] [--state-dir .mlops] [--json]   what serves, where, and the router's or proxy's view",
  'mlops deploy rollback [--name <name>] [--state-dir .mlops]            back to the version before the last deploy (or drop the canary)',
  'mlops deploy stop     [--name <name>] [--state-dir .mlops]            stop every serving process, container or service, and the router',
  '',
  '--name is needed only when more than one model is deployed from this state folder. They act on the',
  'target the model was deployed to (process, docker or swarm; saved in .mlops/deploy/<name>/target.json);',
  '--docker-host <engine> overrides the Docker Engine saved there (default: the one the deploy used).',
].join('\n');

/** A mistake in how the command was called (exit code 2 with usage). */
export class DeployUsageError extends Error {}

function parseOptions(args: string[], allowed: string[], flags: string[] = []): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new DeployUsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (flags.includes(name)) {
      options[name] = 'true';
      continue;
    }
    if (!allowed.includes(name)) throw new DeployUsageError(`unknown option --${name}`);
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new DeployUsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return options;
}

/** The names deployed from `root` (`<state-dir>/deploy`): every folder holding a state.json. */
function deployedNames(root: string, prefix = ''): string[] {
  if (!existsSync(root)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'models' || entry.name === 'logs') continue;
    const dir = join(root, entry.name);
    if (existsSync(join(dir, 'state.json')) || existsSync(join(dir, 'target.json'))) names.push(`${prefix}${entry.name}`);
    names.push(...deployedNames(dir, `${prefix}${entry.name}/`));
  }
  return names;
}

/** Runs `mlops deploy <sub> …`; returns the exit code. */
export async function deployCommand(
  sub: (typeof DEPLOY_COMMANDS)[number],
  args: string[],
  out: (text: string) => void,
  err: (text: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  if (sub === 'proxy') {
    const options = parseOptions(args, ['host', 'port', 'info']);
    const token = process.env.MLOPS_PROXY_TOKEN;
    if (!token || !options.port || !options.info)
      throw new DeployUsageError('mlops deploy proxy is started by the process target (MLOPS_PROXY_TOKEN, --port, --info)');
    const { runTrafficProxy } = await import('../deploy/traffic-proxy.js');
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    signal?.addEventListener('abort', stop, { once: true });
    await runTrafficProxy({
      host: options.host ?? '127.0.0.1',
      port: Number(options.port),
      token,
      infoFile: options.info,
      signal: controller.signal,
      log: (line) => err(`${new Date().toISOString()} ${line}\n`),
    });
    return 0;
  }
  const options = parseOptions(args, ['name', 'state-dir', 'docker-host'], ['json']);
  const stateRoot = resolve(options['state-dir'] ?? '.mlops', 'deploy');
  const names = deployedNames(stateRoot);
  let name = options.name;
  if (!name) {
    if (names.length === 0)
      throw new InputError(`nothing is deployed from ${relative(process.cwd(), stateRoot) || stateRoot} (no state.json under it)`);
    if (names.length > 1) throw new InputError(`more than one model is deployed (${names.join(', ')}): name one with --name`);
    name = names[0]!;
  } else if (!names.includes(name)) {
    throw new InputError(`${name} is not deployed from ${stateRoot}${names.length ? ` (deployed: ${names.join(', ')})` : ''}`);
  }
  const [{ ProcessTarget }, { deployStateDir }, { readTargetSettings, openTarget }] = await Promise.all([
    import('../deploy/process-target.js'),
    import('../deploy/deploy.js'),
    import('../deploy/target-settings.js'),
  ]);
  const stateDir = deployStateDir(resolve(options['state-dir'] ?? '.mlops'), name);
  const settings = await readTargetSettings(stateDir);
  if (settings && options['docker-host']) settings.dockerHost = options['docker-host'];
  let target: DeployTarget;
  if (settings && settings.kind !== 'process') {
    // The base image only matters for building; these commands build nothing.
    target = await openTarget({ ...settings, baseImage: settings.baseImage ?? 'none' }, stateDir);
  } else {
    const saved = await new ProcessTarget({ stateDir }).readState();
    target = new ProcessTarget({ stateDir, port: saved.port, host: saved.host });
  }
  const log = (line: string): void => err(`${line}\n`);
  if (sub === 'rollback') {
    const state = await target.rollback(log);
    out(`${name}: ${state.stable ? `${state.stable.version} (${state.stable.digest}) serves at ${state.url}` : 'nothing serves'}\n`);
    return 0;
  }
  if (sub === 'stop') {
    await target.stop(log);
    out(`${name}: stopped\n`);
    return 0;
  }
  const serving = await target.current();
  const description = (await target.describe?.()) ?? { lines: [] };
  if (options.json === 'true') {
    const previous = description.previous ?? null;
    out(`${JSON.stringify({ name, target: target.kind, serving: serving ?? null, previous, details: description.lines })}\n`);
    return serving ? 0 : 1;
  }
  out(`${statusLines(name, target.kind, serving, description).join('\n')}\n`);
  return serving ? 0 : 1;
}

/** `mlops deploy status` for people: what serves, the canary beside it, what a rollback brings back, the target's facts. */
function statusLines(
  name: string,
  kind: DeployTarget['kind'],
  serving: ServingState | undefined,
  description: TargetDescription,
): string[] {
  // A process is a pid and its canary share is of new connections (the proxy balances connections, not requests).
  const unit = { process: 'pid', docker: 'container', swarm: 'service' }[kind];
  const id = (value: string): string => (kind === 'process' ? value : value.slice(0, 12));
  const share = kind === 'process' ? 'new connections' : 'requests';
  const lines = [`${name}: ${serving ? `serving at ${serving.url}` : 'not serving'}${kind === 'process' ? '' : ` (${kind} target)`}`];
  if (serving?.stable) {
    const image = serving.stable.image ? `, image ${serving.stable.image}` : '';
    lines.push(`  stable    ${serving.stable.version} (${serving.stable.digest}), ${unit} ${id(serving.stable.id)}${image}`);
  }
  if (serving?.canary)
    lines.push(
      `  canary    ${serving.canary.version} (${serving.canary.digest}), ${unit} ${id(serving.canary.id)}, ${serving.canary.weight} % of ${share}`,
    );
  if (description.previous)
    lines.push(`  previous  ${description.previous.version} (${description.previous.digest}): mlops deploy rollback brings it back`);
  for (const line of description.lines) lines.push(`  ${line}`);
  return lines;
}
