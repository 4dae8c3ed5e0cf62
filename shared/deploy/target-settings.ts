// Which target a model is deployed on and how to reach it again. The deploy stage writes them to
// `<stateDir>/target.json`; `mlops deploy status|rollback|stop` read them back, so they act on the same
// engine, router or Swarm service without the inputs of the run that deployed it.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { InputError } from '../errors.js';
import type { DeployInputs } from '../schemas/deploy.js';
import type { DeployTarget } from './deploy-target.js';

export type TargetKind = DeployTarget['kind'];

export interface TargetSettings {
  kind: TargetKind;
  /** The deployment name: container, router and service names. */
  name: string;
  port: number;
  /** The engine as it was named when deploying (`docker-host`, else DOCKER_HOST then); absent: DOCKER_HOST now. */
  dockerHost?: string;
  baseImage?: string;
  routerImage?: string;
  pushImage?: string;
  replicas?: number;
  updateParallelism?: number;
  updateDelaySeconds?: number;
  monitorSeconds?: number;
  startPeriodSeconds?: number;
}

const KINDS: readonly TargetKind[] = ['process', 'docker', 'swarm'];

/** The settings the stage's inputs name for the model `name`. */
export function targetSettings(inputs: DeployInputs, name: string, env: NodeJS.ProcessEnv = process.env): TargetSettings {
  if (inputs.target === 'process') return { kind: 'process', name, port: inputs.port };
  const dockerHost = inputs['docker-host'] ?? (env.DOCKER_HOST || undefined);
  return {
    kind: inputs.target,
    // Lower case first: an upper-case letter is not a character to replace.
    name: name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-'),
    port: inputs.port,
    ...(dockerHost ? { dockerHost } : {}),
    ...(inputs['base-image'] ? { baseImage: inputs['base-image'] } : {}),
    ...(inputs['push-image'] ? { pushImage: inputs['push-image'] } : {}),
    ...(inputs.target === 'docker' && inputs['router-image'] ? { routerImage: inputs['router-image'] } : {}),
    ...(inputs.target === 'swarm'
      ? {
          replicas: inputs.replicas,
          updateParallelism: inputs['update-parallelism'],
          updateDelaySeconds: inputs['update-delay'],
          monitorSeconds: inputs['update-monitor'],
          // A new task may take as long as preflight allows to load its model before failed health checks count.
          startPeriodSeconds: inputs['max-loading-seconds'],
        }
      : {}),
  };
}

const settingsPath = (stateDir: string): string => join(stateDir, 'target.json');

/**
 * The settings saved in `stateDir`; undefined when nothing was deployed from it. A state folder from before
 * target.json existed (only the process target wrote one then) reads as the process target.
 */
export async function readTargetSettings(stateDir: string): Promise<TargetSettings | undefined> {
  const path = settingsPath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!existsSync(join(stateDir, 'state.json'))) return undefined;
    const state = JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')) as { port?: number };
    return { kind: 'process', name: '', port: state.port ?? 8080 };
  }
  let settings: TargetSettings;
  try {
    settings = JSON.parse(text) as TargetSettings;
  } catch (error) {
    throw new InputError(`${path} is not a deploy target's settings: ${(error as Error).message}`, { file: path });
  }
  if (!KINDS.includes(settings.kind) || !Number.isInteger(settings.port))
    throw new InputError(`${path} names no target kind (process, docker, swarm) and port`, { file: path });
  return settings;
}

export async function writeTargetSettings(stateDir: string, settings: TargetSettings): Promise<void> {
  await writeFileAtomic(settingsPath(stateDir), JSON.stringify(settings, null, 2) + '\n');
}

/** The target the settings describe, its state in `stateDir`. Docker clients are loaded only for docker and swarm. */
export async function openTarget(settings: TargetSettings, stateDir: string, env: NodeJS.ProcessEnv = process.env): Promise<DeployTarget> {
  if (settings.kind === 'process') {
    const { ProcessTarget } = await import('./process-target.js');
    return new ProcessTarget({ stateDir, port: settings.port });
  }
  const baseImage = settings.baseImage;
  if (!baseImage)
    throw new InputError(
      `input 'base-image' is required for target ${settings.kind}: the image (holding Node 24) the serving image is built on`,
    );
  // Read when the target opens, never saved in target.json.
  const pushAuth = settings.pushImage ? (await import('../docker/serving-image.js')).pushAuthFromEnv(settings.pushImage, env) : undefined;
  const common = {
    baseImage,
    port: settings.port,
    name: settings.name,
    stateDir,
    ...(settings.dockerHost ? { dockerHost: settings.dockerHost } : {}),
    ...(settings.pushImage ? { pushImage: settings.pushImage } : {}),
    ...(pushAuth ? { pushAuth } : {}),
  };
  if (settings.kind === 'docker') {
    const { createDockerTarget } = await import('./docker-target.js');
    return createDockerTarget({ ...common, ...(settings.routerImage ? { routerImage: settings.routerImage } : {}) });
  }
  const { createSwarmTarget } = await import('./swarm-target.js');
  return createSwarmTarget({
    ...common,
    replicas: settings.replicas ?? 1,
    updateParallelism: settings.updateParallelism ?? 1,
    updateDelaySeconds: settings.updateDelaySeconds ?? 5,
    ...(settings.monitorSeconds !== undefined ? { monitorSeconds: settings.monitorSeconds } : {}),
    ...(settings.startPeriodSeconds !== undefined ? { startPeriodSeconds: settings.startPeriodSeconds } : {}),
  });
}

/**
 * Before deploying to `next.kind` from a state folder that served on another kind: refuses while the other
 * still serves (two targets would claim one model and port), else clears what the other left, so neither
 * reads the other's state.json.
 */
export async function leaveOtherTarget(stateDir: string, next: TargetSettings, log: (line: string) => void): Promise<void> {
  const saved = await readTargetSettings(stateDir);
  if (!saved || saved.kind === next.kind) return;
  const other = await openTarget({ ...saved, baseImage: saved.baseImage ?? next.baseImage ?? 'unused' }, stateDir);
  const serving = await other.current();
  if (serving?.stable)
    throw new InputError(
      `input 'target': this model serves on the ${saved.kind} target (${serving.stable.version} at ${serving.url}); run \`mlops deploy stop\` for it first, then deploy it to ${next.kind}`,
    );
  await other.stop(log);
  await rm(join(stateDir, 'state.json'), { force: true });
  log(`The ${saved.kind} target served nothing of this model any more; its state is cleared for ${next.kind}.`);
}
