// The `docker` target: serving containers on one Docker Engine behind HAProxy. Two colors, blue and
// green, each with its own 127.0.0.1 port; the router's frontend is the stable address. A new version
// starts in the color not serving, takes traffic through the runtime API (all of it, or a canary weight),
// and the old one drains, stops and is kept stopped for a rollback. State lives in stateDir/state.json.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { connectDocker, type DockerClient } from '../docker/docker-connection.js';
import {
  BACKEND,
  COLORS,
  HaproxyRuntime,
  haproxyConfig,
  routerConfigPath,
  routerRunning,
  routerSocket,
  startRouterContainer,
  startRouterProcess,
  stopRouter,
  type Color,
  type RouterHandle,
} from '../docker/haproxy-router.js';
import { checkDockerAvailable } from '../docker/run-container.js';
import {
  COLOR_LABEL,
  DEPLOYMENT_LABEL,
  containerLogTail,
  containerRunning,
  deploymentContainers,
  keepServingContainer,
  removeServingContainer,
  restartServingContainer,
  startServingContainer,
  stopServingContainer,
} from '../docker/serving-container.js';
import {
  DIGEST_LABEL,
  NAME_LABEL,
  VERSION_LABEL,
  buildServingImage,
  imageNameFor,
  pushServingImage,
  type PushAuth,
} from '../docker/serving-image.js';
import { InputError, ServiceError } from '../errors.js';
import { withLockFile } from '../lock-file.js';
import type { Candidate, DeployPlan, DeployTarget, ServingState, TargetDescription } from './deploy-target.js';
import { httpJson } from './preflight.js';

export interface DockerTargetOptions {
  /** unix://, tcp:// (TLS with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) or ssh://; default DOCKER_HOST. */
  dockerHost?: string;
  /** Must hold node >= 24; never pulled. */
  baseImage: string;
  /** Run HAProxy in a container from this image (host network); default: the haproxy program on this machine. */
  routerImage?: string;
  /** Also push the serving image to this registry reference. */
  pushImage?: string;
  /** Credentials for the push (never saved with the target's settings); default: an anonymous push. */
  pushAuth?: PushAuth;
  /** The stable port: HAProxy's frontend. */
  port: number;
  /** Deployment name: container and router names, labels. */
  name: string;
  stateDir: string;
  /** Where the frontend listens; default 127.0.0.1. */
  bindAddress?: string;
  /** Serving ports of the two colors on 127.0.0.1; default port+1 and port+2. */
  colorPorts?: Record<Color, number>;
  /** dist/ of the runtime to put in the image; default the one this module belongs to. */
  runtimeDir?: string;
  /** How long promote waits for HAProxy's health checks to see the new version up; default 60 s. */
  readySeconds?: number;
  /** How long the old version may take to finish its requests once drained; default 30 s. */
  drainSeconds?: number;
  /** SIGTERM to SIGKILL when a container stops; default 10 s. */
  stopGraceSeconds?: number;
}

interface Slot {
  color: Color;
  /** Empty for a previous version whose container gave its color to a newer one: its image stays for a rollback. */
  containerId: string;
  image: string;
  digest: string;
  version: string;
  /** The model's registry name (older state files lack it: the deployment name stands in). */
  name?: string;
}

interface DockerState {
  router?: RouterHandle;
  live?: Slot;
  canary?: Slot & { weight: number };
  /** Started, not promoted; `stoppedLive` when recreate stopped the live one for it. */
  pending?: Slot & { stoppedLive?: boolean };
  /** The version before live, kept stopped for a rollback. */
  previous?: Slot;
}

const other = (color: Color): Color => (color === 'blue' ? 'green' : 'blue');

class DockerTarget implements DeployTarget {
  readonly kind = 'docker' as const;
  private readonly statePath: string;
  private readonly routerDir: string;
  private readonly runtime: HaproxyRuntime;
  private readonly ports: Record<Color, number>;
  private readonly deployment: string;
  private readonly url: string;

  constructor(
    private readonly docker: DockerClient,
    private readonly options: DockerTargetOptions,
  ) {
    this.statePath = join(options.stateDir, 'state.json');
    this.routerDir = join(options.stateDir, 'router');
    this.runtime = new HaproxyRuntime(routerSocket(this.routerDir));
    this.ports = options.colorPorts ?? { blue: options.port + 1, green: options.port + 2 };
    this.deployment = imageNameFor(options.name);
    this.url = `http://${options.bindAddress ?? '127.0.0.1'}:${options.port}`;
  }

  private get grace(): number {
    return this.options.stopGraceSeconds ?? 10;
  }

  private async readState(): Promise<DockerState> {
    try {
      return JSON.parse(await readFile(this.statePath, 'utf8')) as DockerState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new InputError(`${this.statePath} is not this target's state: ${(error as Error).message}`, { file: this.statePath });
    }
  }

  private async writeState(state: DockerState): Promise<void> {
    await writeFileAtomic(this.statePath, JSON.stringify(state, null, 2) + '\n');
  }

  /** One deploy action at a time per state folder (two workflows may deploy at once). */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    // Held for minutes (an image build), so only a dead holder's lock is taken over early.
    return withLockFile(join(this.options.stateDir, 'state.lock'), work, {
      waitMs: 10 * 60_000,
      staleMs: 30 * 60_000,
      what: `the deploy state in ${this.options.stateDir}`,
    });
  }

  private serving(state: DockerState): ServingState {
    const describe = (slot: Slot) => ({ digest: slot.digest, version: slot.version, id: slot.containerId, image: slot.image });
    return {
      url: this.url,
      ...(state.live ? { stable: describe(state.live) } : {}),
      ...(state.canary ? { canary: { ...describe(state.canary), weight: state.canary.weight } } : {}),
    };
  }

  /** Starts the router when it does not run, with the weights the state says; the config never changes afterwards. */
  private async ensureRouter(state: DockerState, log: (line: string) => void): Promise<void> {
    if (state.router && (await routerRunning(state.router, this.docker)) && (await this.runtime.answers())) return;
    const weights: Partial<Record<Color, number>> = {};
    if (state.live) weights[state.live.color] = 100 - (state.canary?.weight ?? 0);
    if (state.canary) weights[state.canary.color] = state.canary.weight;
    await mkdir(this.routerDir, { recursive: true });
    const layout = {
      bindAddress: this.options.bindAddress ?? '127.0.0.1',
      port: this.options.port,
      servers: this.ports,
      dir: this.routerDir,
    };
    await writeFile(routerConfigPath(this.routerDir), haproxyConfig({ ...layout, weights }));
    if (state.router) await stopRouter(state.router, this.docker);
    state.router = this.options.routerImage
      ? await startRouterContainer(this.docker, this.options.routerImage, this.routerDir, `mlops-router-${this.deployment}`)
      : await startRouterProcess(this.routerDir);
    await this.writeState(state);
    log(`router: HAProxy (${state.router.mode}) on ${this.url}, runtime API at ${this.runtime.socketPath}`);
  }

  async current(): Promise<ServingState | undefined> {
    const state = await this.readState();
    if (!state.live || !(await containerRunning(this.docker, state.live.containerId))) return undefined;
    if (state.canary && !(await containerRunning(this.docker, state.canary.containerId))) delete state.canary;
    return this.serving(state);
  }

  start(plan: DeployPlan): Promise<Candidate> {
    return this.locked(async () => {
      const { model, log } = plan;
      let state = await this.readState();
      if (state.pending) {
        log(`removing ${state.pending.version} (${state.pending.containerId.slice(0, 12)}), left unpromoted by an earlier deploy`);
        state = await this.dropPending(state, log);
      }
      // The same model again, not as a canary: the canary is the candidate (both colors are taken), and its
      // promote to 100 finishes it; failing preflight or the smoke test now drops it, as a rollback would.
      if (state.canary && state.canary.digest === model.digest && plan.strategy !== 'canary') {
        log(`finishing the canary: ${model.version} (${state.canary.color}) is checked again, then takes all traffic`);
        return {
          directUrl: `http://127.0.0.1:${this.ports[state.canary.color]}`,
          id: state.canary.containerId,
          image: state.canary.image,
        };
      }
      if (state.canary)
        throw new InputError(
          `a canary of ${model.name} (version ${state.canary.version}) takes ${state.canary.weight}% of traffic: promote it to 100 or roll it back before deploying another version (deploy ${state.canary.version} again with blue-green to finish it; mlops deploy rollback drops it)`,
        );
      await checkDockerAvailable(this.docker);
      const image = await buildServingImage({
        docker: this.docker,
        baseImage: this.options.baseImage,
        model,
        ...(this.options.runtimeDir ? { runtimeDir: this.options.runtimeDir } : {}),
        log,
      });
      if (this.options.pushImage)
        log(`pushed ${await pushServingImage(this.docker, image, this.options.pushImage, this.options.pushAuth)}`);

      const color: Color = state.live ? other(state.live.color) : 'blue';
      if (state.previous?.color === color && state.previous.containerId) {
        // Its image stays: should this deploy fail, a rollback still brings it back in a new container.
        log(`removing the stopped ${state.previous.version} container in ${color}; its image ${state.previous.image} stays for a rollback`);
        await removeServingContainer(this.docker, state.previous.containerId);
        state.previous = { ...state.previous, containerId: '' };
        await this.writeState(state);
      }
      await this.ensureRouter(state, log);
      let stoppedLive = false;
      if (plan.strategy === 'recreate' && state.live) {
        log(`recreate: stopping ${state.live.version} (${state.live.containerId.slice(0, 12)}) before starting ${model.version}`);
        await this.runtime.setState(state.live.color, 'maint');
        await stopServingContainer(this.docker, state.live.containerId, this.grace);
        stoppedLive = true;
      }
      let containerId: string;
      try {
        containerId = await this.startContainer({
          color,
          image: image.tag,
          name: model.name,
          version: model.version,
          digest: model.digest,
        });
      } catch (error) {
        if (stoppedLive && state.live) await this.bringBack(state.live, log);
        throw error;
      }
      // Health-checked at weight 0: it takes no traffic until promote, and promote finds it up sooner.
      await this.runtime.setAddress(color, this.ports[color]);
      await this.runtime.setWeight(color, 0);
      await this.runtime.setState(color, 'ready');
      state.pending = {
        color,
        containerId,
        image: image.tag,
        digest: model.digest,
        version: model.version,
        name: model.name,
        ...(stoppedLive ? { stoppedLive } : {}),
      };
      await this.writeState(state);
      log(`started ${model.version} in ${color} (${containerId.slice(0, 12)}) on 127.0.0.1:${this.ports[color]}`);
      return { directUrl: `http://127.0.0.1:${this.ports[color]}`, id: containerId, image: image.tag };
    });
  }

  /** Starts a serving container of `slot`'s image in its color, labelled so stop() and status find it. */
  private startContainer(slot: Omit<Slot, 'containerId'>): Promise<string> {
    return startServingContainer({
      docker: this.docker,
      image: slot.image,
      name: `mlops-serve-${this.deployment}-${slot.color}`,
      port: this.ports[slot.color],
      labels: {
        [DEPLOYMENT_LABEL]: this.deployment,
        [COLOR_LABEL]: slot.color,
        [NAME_LABEL]: slot.name ?? this.deployment,
        [VERSION_LABEL]: slot.version,
        [DIGEST_LABEL]: slot.digest,
      },
      stopGraceSeconds: this.grace,
    });
  }

  /** Waits until HAProxy's health checks see `slot` up; else throws ServiceError with the container's state and output. */
  private async waitUp(slot: Slot): Promise<void> {
    const timeoutMs = (this.options.readySeconds ?? 60) * 1000;
    const deadline = Date.now() + timeoutMs;
    try {
      // HAProxy's UP can be up to two check intervals stale (a container that died a moment ago), so the candidate
      // must also answer its readiness probe directly before traffic moves to it.
      for (;;) {
        await this.runtime.waitFor(slot.color, 'up', (server) => server.status === 'UP', Math.max(0, deadline - Date.now()));
        const ready = await httpJson(`http://127.0.0.1:${this.ports[slot.color]}`, 'GET', '/v2/health/ready', undefined, 2_000).then(
          (answer) => answer.status === 200,
          () => false,
        );
        if (ready) return;
        if (Date.now() > deadline)
          throw new ServiceError(
            'HAProxy',
            `${BACKEND}/${slot.color} was not up within ${timeoutMs / 1000} s (it does not answer its readiness probe)`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } catch (error) {
      const info = await this.docker
        .getContainer(slot.containerId)
        .inspect()
        .catch(() => undefined);
      const state = !info ? 'is gone' : info.State.Running ? 'runs' : `exited with ${info.State.ExitCode}`;
      const logs = info ? `; its output ends:\n${await containerLogTail(this.docker, slot.containerId)}` : '';
      throw new ServiceError(
        'HAProxy',
        `${(error as Error).message.replace(/^HAProxy: /, '')}; container ${slot.containerId.slice(0, 12)} ${state}${logs}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Starts a version kept stopped again and gives it all traffic. */
  private async bringBack(slot: Slot, log: (line: string) => void): Promise<void> {
    log(`starting ${slot.version} (${slot.containerId.slice(0, 12)}) again`);
    await restartServingContainer(this.docker, slot.containerId);
    await this.runtime.setWeight(slot.color, 100);
    await this.runtime.setState(slot.color, 'ready');
    await this.waitUp(slot);
  }

  /** Takes `from` out of traffic once `to` has it: weight 0, drain until its connections end, then stop. */
  private async retire(from: Slot, log: (line: string) => void): Promise<void> {
    await this.runtime.setWeight(from.color, 0);
    await this.runtime.setState(from.color, 'drain');
    await this.runtime
      .waitFor(from.color, 'drained', (server) => server.current === 0, (this.options.drainSeconds ?? 30) * 1000)
      .catch((error: Error) => log(`${error.message}; stopping it anyway`));
    await this.runtime.setState(from.color, 'maint');
    await stopServingContainer(this.docker, from.containerId, this.grace);
    log(`${from.version} (${from.color}) drained and stopped`);
  }

  promote(plan: DeployPlan, candidate: Candidate, weight: number): Promise<ServingState> {
    return this.locked(async () => {
      const { log } = plan;
      const state = await this.readState();
      const slot =
        state.pending?.containerId === candidate.id ? state.pending : state.canary?.containerId === candidate.id ? state.canary : undefined;
      if (!slot)
        throw new InputError(`container ${candidate.id.slice(0, 12)} is not a version waiting to be promoted on ${this.deployment}`);
      if (!(Number.isFinite(weight) && weight > 0 && weight <= 100))
        throw new InputError(`canary-weight: ${weight} is not a per cent from 1 to 100`);
      const { stoppedLive, weight: _, ...promoted } = slot as Slot & { stoppedLive?: boolean; weight?: number };
      await this.ensureRouter(state, log);
      // Until it is up in HAProxy's eyes, the old version keeps all traffic.
      await this.runtime.setState(slot.color, 'ready');
      await this.waitUp(slot);
      const old = stoppedLive ? undefined : state.live;
      if (weight < 100 && old) {
        await this.runtime.setWeight(slot.color, weight);
        await this.runtime.setWeight(old.color, 100 - weight);
        plan.onServing?.();
        state.canary = { ...promoted, weight };
        delete state.pending;
        await this.writeState(state);
        log(`canary: ${promoted.version} takes ${weight}% of traffic, ${old.version} ${100 - weight}%`);
        return this.serving(state);
      }
      if (weight < 100) log(`canary: nothing else serves, so ${promoted.version} takes all traffic`);
      await this.runtime.setWeight(slot.color, 100);
      plan.onServing?.();
      if (old) await this.retire(old, log);
      const replaced = old ?? (stoppedLive ? state.live : undefined);
      if (replaced) {
        if (state.previous?.containerId) await removeServingContainer(this.docker, state.previous.containerId);
        state.previous = replaced;
      }
      state.live = promoted;
      delete state.canary;
      delete state.pending;
      await keepServingContainer(this.docker, promoted.containerId);
      await this.writeState(state);
      log(`${promoted.version} serves all traffic at ${this.url}`);
      return this.serving(state);
    });
  }

  /** Removes the pending candidate; a live version stopped for it (recreate) serves again. */
  private async dropPending(state: DockerState, log: (line: string) => void): Promise<DockerState> {
    const pending = state.pending!;
    if (await this.runtime.answers()) {
      await this.runtime.setWeight(pending.color, 0);
      await this.runtime.setState(pending.color, 'maint');
    }
    await removeServingContainer(this.docker, pending.containerId);
    delete state.pending;
    await this.writeState(state);
    if (pending.stoppedLive && state.live) {
      await this.ensureRouter(state, log);
      await this.bringBack(state.live, log);
    }
    return state;
  }

  /** Gives the stable version all traffic again and removes the canary. */
  private async dropCanary(state: DockerState, log: (line: string) => void): Promise<void> {
    const canary = state.canary!;
    await this.ensureRouter(state, log);
    if (state.live) await this.runtime.setWeight(state.live.color, 100);
    await this.runtime.setWeight(canary.color, 0);
    await this.runtime.setState(canary.color, 'maint');
    await removeServingContainer(this.docker, canary.containerId);
    delete state.canary;
    await this.writeState(state);
    log(`canary ${canary.version} removed; ${state.live?.version ?? 'nothing'} serves all traffic`);
  }

  discard(candidate: Candidate): Promise<void> {
    return this.locked(async () => {
      const state = await this.readState();
      const log = () => undefined;
      if (state.pending?.containerId === candidate.id) await this.dropPending(state, log);
      else if (state.canary?.containerId === candidate.id) await this.dropCanary(state, log);
      else if (candidate.id !== state.live?.containerId && candidate.id !== state.previous?.containerId)
        await removeServingContainer(this.docker, candidate.id);
    });
  }

  rollback(log: (line: string) => void): Promise<ServingState> {
    return this.locked(async () => {
      const state = await this.readState();
      if (state.pending) await this.dropPending(state, log);
      if (state.canary) {
        await this.dropCanary(state, log);
        return this.serving(state);
      }
      const { live } = state;
      let previous = state.previous;
      if (!previous) throw new InputError(`nothing to roll back to: no earlier version of ${this.deployment} was kept on this target`);
      await this.ensureRouter(state, log);
      log(`rolling back from ${live?.version ?? 'nothing'} to ${previous.version}`);
      if (previous.containerId) await restartServingContainer(this.docker, previous.containerId);
      else {
        log(`starting ${previous.version} again from its image ${previous.image}`);
        previous = { ...previous, containerId: await this.startContainer(previous) };
        await this.runtime.setAddress(previous.color, this.ports[previous.color]);
      }
      await this.runtime.setWeight(previous.color, 0);
      await this.runtime.setState(previous.color, 'ready');
      await this.waitUp(previous);
      await this.runtime.setWeight(previous.color, 100);
      if (live) {
        await this.retire(live, log);
        await removeServingContainer(this.docker, live.containerId);
      }
      await keepServingContainer(this.docker, previous.containerId);
      state.live = previous;
      delete state.previous;
      await this.writeState(state);
      return this.serving(state);
    });
  }

  async describe(): Promise<TargetDescription> {
    const state = await this.readState();
    const lines: string[] = [];
    if (state.router) {
      const where = state.router.mode === 'process' ? `pid ${state.router.pid}` : `container ${state.router.containerId.slice(0, 12)}`;
      const up = (await routerRunning(state.router, this.docker)) && (await this.runtime.answers());
      lines.push(`router    HAProxy (${state.router.mode}, ${where}) on ${this.url}: ${up ? 'running' : 'not running'}`);
      if (up) {
        const servers = await this.runtime.servers();
        for (const color of COLORS) {
          const server = servers[color];
          const slot = [state.live, state.canary, state.pending].find((s) => s?.color === color);
          lines.push(
            `  ${color.padEnd(6)}  ${slot ? `${slot.version} (${slot.containerId.slice(0, 12)})` : 'empty'} on 127.0.0.1:${this.ports[color]}: ${server.status}, weight ${server.weight}, ${server.current} open, ${server.total} requests so far`,
          );
        }
      }
    }
    if (state.pending)
      lines.push(`pending   ${state.pending.version} (${state.pending.containerId.slice(0, 12)}): started, never promoted`);
    return {
      ...(state.previous
        ? {
            previous: {
              digest: state.previous.digest,
              version: state.previous.version,
              id: state.previous.containerId,
              image: state.previous.image,
            },
          }
        : {}),
      lines,
    };
  }

  stop(log: (line: string) => void): Promise<void> {
    return this.locked(async () => {
      const state = await this.readState();
      for (const id of await deploymentContainers(this.docker, this.deployment)) await removeServingContainer(this.docker, id);
      if (state.router) await stopRouter(state.router, this.docker);
      await rm(this.routerDir, { recursive: true, force: true });
      await this.writeState({});
      log(`stopped ${this.deployment}: its containers are removed and its router stopped`);
    });
  }
}

/** The `docker` deploy target on the engine at `dockerHost` (default DOCKER_HOST). Throws InputError for bad options. */
export async function createDockerTarget(options: DockerTargetOptions): Promise<DeployTarget> {
  const ports = options.colorPorts ?? { blue: options.port + 1, green: options.port + 2 };
  for (const [what, port] of [['port', options.port], ...COLORS.map((color) => [`${color} port`, ports[color]] as const)] as const)
    if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new InputError(`${what}: ${port} is not a TCP port`);
  if (!options.baseImage) throw new InputError('base-image: the docker target needs a base image holding node >= 24');
  await mkdir(options.stateDir, { recursive: true });
  return new DockerTarget(connectDocker(options.dockerHost), options);
}
