// The `swarm` target: one replicated Swarm service per deployment. Swarm itself moves traffic: a deploy
// is a rolling update gated by the serving runtime's readiness (the service's health check), and a task
// that fails or turns unhealthy within the monitor window makes Swarm roll the whole update back. So
// start() does the update and promote() only confirms it; there is no separate candidate address.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { connectDocker, type DockerClient } from '../docker/docker-connection.js';
import { checkDockerAvailable } from '../docker/run-container.js';
import {
  DIGEST_LABEL,
  NAME_LABEL,
  VERSION_LABEL,
  buildServingImage,
  imageNameFor,
  pushServingImage,
  type PushAuth,
} from '../docker/serving-image.js';
import {
  checkSwarmManager,
  createService,
  inspectService,
  removeService,
  runningTasks,
  serviceSpec,
  updateService,
  waitForService,
  type ServiceInfo,
} from '../docker/swarm-service.js';
import { InputError, ServiceError } from '../errors.js';
import type { Candidate, DeployPlan, DeployTarget, ServingState, TargetDescription } from './deploy-target.js';

export interface SwarmTargetOptions {
  /** A Swarm manager: unix://, tcp:// or ssh://; default DOCKER_HOST. */
  dockerHost?: string;
  /** Must hold node >= 24; never pulled. */
  baseImage: string;
  /** Push the serving image here and run `repo@digest`, so every node can pull it; without it, the image id (one node). */
  pushImage?: string;
  /** Credentials for the push (never saved with the target's settings); default: an anonymous push. */
  pushAuth?: PushAuth;
  /** The port each replica serves on, on its node's network. */
  port: number;
  /** Deployment name: the service is `mlops-<name>`. */
  name: string;
  stateDir: string;
  replicas: number;
  updateParallelism: number;
  updateDelaySeconds: number;
  /** After each batch, how long a failure still rolls the update back; default 10 s. */
  monitorSeconds?: number;
  /** How long a new task may take to load its model before failed health checks count; default 60 s. */
  startPeriodSeconds?: number;
  /** Address each replica binds on its node; default 127.0.0.1 (0.0.0.0 to serve other machines). */
  bindAddress?: string;
  /** dist/ of the runtime to put in the image; default the one this module belongs to. */
  runtimeDir?: string;
  /** Bound on waiting for an update or rollback to settle; default 300 s. */
  settleSeconds?: number;
}

const IMAGE_TAG_LABEL = 'io.mlops-actions.image';

interface SwarmState {
  serviceId?: string;
  /** Each version deployed (image id or pushed reference, and tag), newest last: what a rollback goes back to. */
  history: { digest: string; version: string; image: string; tag: string; at: string }[];
}

class SwarmTarget implements DeployTarget {
  readonly kind = 'swarm' as const;
  private readonly service: string;
  private readonly statePath: string;
  private readonly url: string;

  constructor(
    private readonly docker: DockerClient,
    private readonly options: SwarmTargetOptions,
  ) {
    this.service = `mlops-${imageNameFor(options.name)}`;
    this.statePath = join(options.stateDir, 'state.json');
    this.url = `http://127.0.0.1:${options.port}`;
  }

  private get settleMs(): number {
    return (this.options.settleSeconds ?? 300) * 1000;
  }

  private async readState(): Promise<SwarmState> {
    try {
      return JSON.parse(await readFile(this.statePath, 'utf8')) as SwarmState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { history: [] };
      throw new InputError(`${this.statePath} is not this target's state: ${(error as Error).message}`, { file: this.statePath });
    }
  }

  private serving(info: ServiceInfo): ServingState {
    const labels = info.spec.Labels ?? {};
    return {
      url: this.url,
      stable: {
        digest: labels[DIGEST_LABEL] ?? '',
        version: labels[VERSION_LABEL] ?? '',
        id: info.id,
        ...(labels[IMAGE_TAG_LABEL] ? { image: labels[IMAGE_TAG_LABEL] } : {}),
      },
    };
  }

  async current(): Promise<ServingState | undefined> {
    const info = await inspectService(this.docker, this.service);
    return info ? this.serving(info) : undefined;
  }

  async start(plan: DeployPlan): Promise<Candidate> {
    const { model, log } = plan;
    if (plan.strategy === 'canary')
      throw new InputError('strategy: canary needs the docker target (a router with weights); a swarm deploys by rolling update');
    await checkDockerAvailable(this.docker);
    await checkSwarmManager(this.docker);
    const built = await buildServingImage({
      docker: this.docker,
      baseImage: this.options.baseImage,
      model,
      ...(this.options.runtimeDir ? { runtimeDir: this.options.runtimeDir } : {}),
      log,
    });
    const image = this.options.pushImage
      ? await pushServingImage(this.docker, built, this.options.pushImage, this.options.pushAuth)
      : built.id;
    if (this.options.pushImage) log(`pushed ${image}`);
    const spec = serviceSpec({
      name: this.service,
      image,
      labels: { [NAME_LABEL]: model.name, [VERSION_LABEL]: model.version, [DIGEST_LABEL]: model.digest, [IMAGE_TAG_LABEL]: built.tag },
      bindAddress: this.options.bindAddress ?? '127.0.0.1',
      port: this.options.port,
      replicas: this.options.replicas,
      // recreate: every replica at once; blue-green: batches of update-parallelism.
      updateParallelism: plan.strategy === 'recreate' ? 0 : this.options.updateParallelism,
      updateDelaySeconds: this.options.updateDelaySeconds,
      monitorSeconds: this.options.monitorSeconds ?? 10,
      startPeriodSeconds: this.options.startPeriodSeconds ?? 60,
    });
    const before = await inspectService(this.docker, this.service);
    let serviceId: string;
    if (!before) {
      serviceId = await createService(this.docker, spec);
      log(`created service ${this.service} (${serviceId.slice(0, 12)}): ${this.options.replicas} replica(s) of ${model.version}`);
    } else {
      serviceId = before.id;
      const was = before.spec.Labels?.[VERSION_LABEL] ?? 'unknown';
      log(`rolling update of ${this.service} from ${was} to ${model.version} (stop-first, parallelism ${spec.UpdateConfig?.Parallelism})`);
      await updateService(this.docker, before, spec);
    }
    const outcome = await waitForService(this.docker, this.service, image, this.options.replicas, this.settleMs, before?.updateStartedAt);
    if (outcome.state !== 'completed' && outcome.state !== 'created') {
      const back = before?.spec.Labels?.[VERSION_LABEL];
      throw new ServiceError(
        'Docker Swarm',
        `the update of ${this.service} to ${model.version} failed (${outcome.state}${outcome.message ? `: ${outcome.message}` : ''})` +
          (outcome.state === 'rollback_completed' ? `; Swarm rolled it back and ${back ?? 'the previous version'} serves again` : ''),
      );
    }
    const state = await this.readState();
    state.serviceId = serviceId;
    state.history.push({ digest: model.digest, version: model.version, image, tag: built.tag, at: new Date().toISOString() });
    await writeFileAtomic(this.statePath, JSON.stringify(state, null, 2) + '\n');
    log(`${this.service}: ${this.options.replicas} replica(s) of ${model.version} running and healthy`);
    return { directUrl: this.url, id: serviceId, image: built.tag };
  }

  async promote(plan: DeployPlan, candidate: Candidate, weight: number): Promise<ServingState> {
    if (weight !== 100)
      throw new InputError('canary-weight: a swarm target moves all traffic in its rolling update; use the docker target for a canary');
    const info = await inspectService(this.docker, this.service);
    if (!info || info.id !== candidate.id)
      throw new ServiceError('Docker Swarm', `service ${this.service} (${candidate.id.slice(0, 12)}) is gone`);
    plan.log(`${this.service}: the rolling update already moved all replicas to ${plan.model.version}`);
    return this.serving(info);
  }

  async discard(candidate: Candidate): Promise<void> {
    const info = await inspectService(this.docker, this.service);
    if (!info || info.id !== candidate.id) return;
    // Still the candidate's image: a first deploy is removed; an update is rolled back to what served before.
    if (info.spec.Labels?.[IMAGE_TAG_LABEL] !== candidate.image) return;
    if ((await this.readState()).history.length <= 1) await removeService(this.docker, this.service);
    else await this.rollback(() => undefined);
  }

  /**
   * Moves the service back to the version deployed before the serving one. Swarm's own rollback goes to its
   * PreviousSpec, which after an automatic rollback is the failed version; so when that is not the version
   * before, the service is updated to it like any deploy.
   */
  async rollback(log: (line: string) => void): Promise<ServingState> {
    const info = await inspectService(this.docker, this.service);
    if (!info) throw new InputError(`nothing to roll back to: service ${this.service} does not exist`);
    const state = await this.readState();
    const serving = info.spec.Labels?.[DIGEST_LABEL];
    while (state.history.length > 0 && state.history.at(-1)!.digest !== serving) state.history.pop();
    const previous = state.history.at(-2);
    if (!previous)
      throw new InputError(`nothing to roll back to: no earlier version of ${this.service} was deployed from ${this.options.stateDir}`);
    log(`rolling back ${this.service} from ${info.spec.Labels?.[VERSION_LABEL]} to ${previous.version}`);
    const previousSpecImage = (info.previousSpec?.TaskTemplate as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image;
    if (previousSpecImage === previous.image) await updateService(this.docker, info, 'rollback');
    else {
      const template = info.spec.TaskTemplate as { ContainerSpec: { Image: string; Labels?: Record<string, string> } };
      const labels = {
        ...info.spec.Labels,
        [VERSION_LABEL]: previous.version,
        [DIGEST_LABEL]: previous.digest,
        [IMAGE_TAG_LABEL]: previous.tag,
      };
      await updateService(this.docker, info, {
        ...info.spec,
        Labels: labels,
        TaskTemplate: { ...template, ContainerSpec: { ...template.ContainerSpec, Image: previous.image, Labels: labels } },
      } as ReturnType<typeof serviceSpec>);
    }
    const outcome = await waitForService(
      this.docker,
      this.service,
      previous.image,
      this.options.replicas,
      this.settleMs,
      info.updateStartedAt,
    );
    if (outcome.state !== 'rollback_completed' && outcome.state !== 'completed')
      throw new ServiceError(
        'Docker Swarm',
        `the rollback of ${this.service} to ${previous.version} did not complete (${outcome.state}${outcome.message ? `: ${outcome.message}` : ''})`,
      );
    state.history.pop();
    await writeFileAtomic(this.statePath, JSON.stringify(state, null, 2) + '\n');
    return this.serving((await inspectService(this.docker, this.service))!);
  }

  async describe(): Promise<TargetDescription> {
    const info = await inspectService(this.docker, this.service);
    const history = (await this.readState()).history;
    const serving = info?.spec.Labels?.[DIGEST_LABEL];
    const at = history.map((entry) => entry.digest).lastIndexOf(serving ?? '');
    const previous = at > 0 ? history[at - 1] : undefined;
    const lines: string[] = [];
    if (info) {
      const running = await runningTasks(this.docker, info.id);
      const image = (info.spec.TaskTemplate as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image;
      const current = running.filter((task) => task.image === image).length;
      const desired = (info.spec.Mode as { Replicated?: { Replicas?: number } } | undefined)?.Replicated?.Replicas ?? 0;
      lines.push(`service   ${this.service} (${info.id.slice(0, 12)}): ${current}/${desired} replica(s) running the serving image`);
      if (info.updateState)
        lines.push(
          `update    ${info.updateState}${info.updateMessage ? `: ${info.updateMessage}` : ''} (since ${info.updateStartedAt ?? '?'})`,
        );
    }
    return { ...(previous ? { previous: { digest: previous.digest, version: previous.version, image: previous.tag } } : {}), lines };
  }

  async stop(log: (line: string) => void): Promise<void> {
    await removeService(this.docker, this.service);
    await writeFileAtomic(this.statePath, JSON.stringify({ history: (await this.readState()).history }, null, 2) + '\n');
    log(`removed service ${this.service}`);
  }
}

/** The `swarm` deploy target on the Swarm manager at `dockerHost` (default DOCKER_HOST). Throws InputError for bad options. */
export async function createSwarmTarget(options: SwarmTargetOptions): Promise<DeployTarget> {
  if (!(Number.isInteger(options.port) && options.port > 0 && options.port < 65536))
    throw new InputError(`port: ${options.port} is not a TCP port`);
  if (!(Number.isInteger(options.replicas) && options.replicas >= 1))
    throw new InputError(`replicas: ${options.replicas} is not a whole number ≥ 1`);
  if (!(Number.isInteger(options.updateParallelism) && options.updateParallelism >= 0))
    throw new InputError(`update-parallelism: ${options.updateParallelism} is not a whole number ≥ 0 (0: all at once)`);
  if (!(options.updateDelaySeconds >= 0))
    throw new InputError(`update-delay: ${options.updateDelaySeconds} is not a number of seconds ≥ 0`);
  if (!options.baseImage) throw new InputError('base-image: the swarm target needs a base image holding node >= 24');
  await mkdir(options.stateDir, { recursive: true });
  return new SwarmTarget(connectDocker(options.dockerHost), options);
}
