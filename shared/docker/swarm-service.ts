// A Swarm service running the serving image: replicated, on the host network, health-checked by the
// serving runtime's /v2/health/ready, updated one batch at a time with automatic rollback.
import type Dockerode from 'dockerode';
import { InputError, ServiceError } from '../errors.js';
import { dockerStatusCode } from './docker-connection.js';

export interface SwarmServiceOptions {
  name: string;
  /** An image id (`sha256:…`, so a node never tries a pull) or a pushed `repo@sha256:…`. */
  image: string;
  labels: Record<string, string>;
  bindAddress: string;
  port: number;
  replicas: number;
  updateParallelism: number;
  updateDelaySeconds: number;
  /** After each batch, how long a failing task still counts as the update failing. */
  monitorSeconds: number;
  /** How long a new task may take to load its model before failed health checks count. */
  startPeriodSeconds: number;
}

const NS = 1_000_000_000;

/** The health check: GET /v2/health/ready with node's fetch, since a base image may lack curl. */
export function readinessCommand(port: number): string[] {
  const script = `fetch('http://127.0.0.1:${port}/v2/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}

/**
 * The service spec. Host networking: each replica binds the service port on its node, so at most one
 * replica runs per node (MaxReplicas 1) and an update is stop-first — the old task on a node stops
 * before the new one starts there, since both cannot hold the port. With replicas on several nodes and
 * parallelism below the replica count, the others keep serving meanwhile; on one node there is a gap.
 */
export function serviceSpec(options: SwarmServiceOptions): Dockerode.ServiceSpec {
  const update = {
    Parallelism: options.updateParallelism,
    Delay: options.updateDelaySeconds * NS,
    FailureAction: 'rollback',
    Monitor: options.monitorSeconds * NS,
    MaxFailureRatio: 0,
    Order: 'stop-first',
  };
  return {
    Name: options.name,
    Labels: options.labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: options.image,
        Args: ['--host', options.bindAddress, '--port', String(options.port)],
        Labels: options.labels,
        StopGracePeriod: 10 * NS,
        Healthcheck: {
          Test: readinessCommand(options.port),
          Interval: 1 * NS,
          Timeout: 3 * NS,
          Retries: 3,
          StartPeriod: options.startPeriodSeconds * NS,
        },
      },
      Networks: [{ Target: 'host' }],
      Placement: { MaxReplicas: 1 },
      RestartPolicy: { Condition: 'on-failure', Delay: 1 * NS, MaxAttempts: 3 },
    },
    Mode: { Replicated: { Replicas: options.replicas } },
    UpdateConfig: update,
    RollbackConfig: { ...update, FailureAction: 'pause', Delay: 0 },
  } as Dockerode.ServiceSpec;
}

/** Throws InputError unless the engine is a Swarm manager. */
export async function checkSwarmManager(docker: Dockerode): Promise<void> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable)
    throw new InputError(
      `the Docker Engine is not a Swarm manager (swarm state: ${info.Swarm?.LocalNodeState ?? 'unknown'}); run docker swarm init, or use target docker`,
    );
}

export interface ServiceInfo {
  id: string;
  version: number;
  spec: Dockerode.ServiceSpec;
  previousSpec?: Dockerode.ServiceSpec;
  updateState?: string;
  updateMessage?: string;
  /** When the last update (or rollback) began: tells a new outcome from an old one. */
  updateStartedAt?: string;
}

/** The service named `name`, or undefined when there is none. */
export async function inspectService(docker: Dockerode, name: string): Promise<ServiceInfo | undefined> {
  try {
    const info = (await docker.getService(name).inspect()) as {
      ID: string;
      Version: { Index: number };
      Spec: Dockerode.ServiceSpec;
      PreviousSpec?: Dockerode.ServiceSpec;
      UpdateStatus?: { State?: string; Message?: string; StartedAt?: string };
    };
    return {
      id: info.ID,
      version: info.Version.Index,
      spec: info.Spec,
      ...(info.PreviousSpec ? { previousSpec: info.PreviousSpec } : {}),
      ...(info.UpdateStatus?.State ? { updateState: info.UpdateStatus.State } : {}),
      ...(info.UpdateStatus?.Message ? { updateMessage: info.UpdateStatus.Message } : {}),
      ...(info.UpdateStatus?.StartedAt ? { updateStartedAt: info.UpdateStatus.StartedAt } : {}),
    };
  } catch (error) {
    if (dockerStatusCode(error) === 404) return undefined;
    throw new ServiceError('Docker Swarm', `could not inspect service ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** Tasks of the service that run now, by image. */
export async function runningTasks(docker: Dockerode, serviceId: string): Promise<{ image: string; containerId?: string }[]> {
  const tasks = (await docker.listTasks({ filters: { service: [serviceId], 'desired-state': ['running'] } })) as {
    Spec: { ContainerSpec: { Image: string } };
    Status: { State: string; ContainerStatus?: { ContainerID?: string } };
  }[];
  return tasks
    .filter((task) => task.Status.State === 'running')
    .map((task) => ({
      image: task.Spec.ContainerSpec.Image,
      ...(task.Status.ContainerStatus?.ContainerID ? { containerId: task.Status.ContainerStatus.ContainerID } : {}),
    }));
}

/** Creates the service; returns its id. */
export async function createService(docker: Dockerode, spec: Dockerode.ServiceSpec): Promise<string> {
  try {
    const created = (await docker.createService(spec)) as { id?: string; ID?: string };
    return (created.id ?? created.ID)!;
  } catch (error) {
    throw new ServiceError('Docker Swarm', `could not create service ${spec.Name}: ${(error as Error).message}`, { cause: error });
  }
}

/** Updates the service to `spec` (a rolling update), or rolls it back to its previous spec. */
export async function updateService(docker: Dockerode, current: ServiceInfo, spec: Dockerode.ServiceSpec | 'rollback'): Promise<void> {
  const body =
    spec === 'rollback' ? { ...current.spec, version: current.version, rollback: 'previous' } : { ...spec, version: current.version };
  try {
    await docker.getService(current.id).update(body);
  } catch (error) {
    throw new ServiceError(
      'Docker Swarm',
      `could not ${spec === 'rollback' ? 'roll back' : 'update'} service ${current.spec.Name}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Waits until the service's update settles: 'completed' (or, for a new service, `replicas` tasks of `image`
 * running, which Swarm reports only once they are healthy), or a rollback ended. Outcomes of the update that
 * began at `before` (the service's updateStartedAt before this change) are old news and ignored. Returns the
 * final state; throws ServiceError after `timeoutMs`.
 */
export async function waitForService(
  docker: Dockerode,
  name: string,
  image: string,
  replicas: number,
  timeoutMs: number,
  before?: string,
): Promise<{ state: string; message?: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inspectService(docker, name);
    if (!info) throw new ServiceError('Docker Swarm', `service ${name} disappeared while it was being deployed`);
    const state = info.updateStartedAt === before ? undefined : info.updateState;
    if (state === 'rollback_completed' || state === 'rollback_paused' || state === 'paused')
      return { state, ...(info.updateMessage ? { message: info.updateMessage } : {}) };
    const running = await runningTasks(docker, info.id);
    const current = running.filter((task) => task.image === image).length;
    const last = `${state ?? 'created'}, ${current}/${replicas} tasks of the new image running${info.updateMessage ? ` (${info.updateMessage})` : ''}`;
    if ((state === undefined || state === 'completed') && current >= replicas && running.length === current)
      return { state: state ?? 'created' };
    if (Date.now() > deadline)
      throw new ServiceError('Docker Swarm', `service ${name} did not settle within ${timeoutMs / 1000} s: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Removes the service; gone already is fine. */
export async function removeService(docker: Dockerode, name: string): Promise<void> {
  await docker
    .getService(name)
    .remove()
    .catch((error: unknown) => {
      if (dockerStatusCode(error) !== 404)
        throw new ServiceError('Docker Swarm', `could not remove service ${name}: ${(error as Error).message}`, { cause: error });
    });
}
