// Serving containers: `mlops serve` from a serving image on the host network, bound to 127.0.0.1 on
// the port of its color; only the router faces users.
import type Dockerode from 'dockerode';
import { ServiceError } from '../errors.js';
import { dockerStatusCode } from './docker-connection.js';

export const DEPLOYMENT_LABEL = 'io.mlops-actions.deployment';
export const COLOR_LABEL = 'io.mlops-actions.color';

export interface ServingContainerOptions {
  docker: Dockerode;
  image: string;
  /** Container name; a stopped or leftover container of that name is replaced. */
  name: string;
  port: number;
  labels: Record<string, string>;
  /** How long a stop waits for in-flight requests before SIGKILL. */
  stopGraceSeconds: number;
}

/** The last lines a container printed, for error messages. */
export async function containerLogTail(docker: Dockerode, id: string, lines = 15): Promise<string> {
  try {
    const buffer = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    // Multiplexed frames: 8-byte headers before each piece.
    const text: string[] = [];
    for (let at = 0; at + 8 <= buffer.length;) {
      const size = buffer.readUInt32BE(at + 4);
      text.push(buffer.subarray(at + 8, at + 8 + size).toString('utf8'));
      at += 8 + size;
    }
    // Colour codes (onnxruntime's warnings) make messages unreadable.
    return (text.join('') || buffer.toString('utf8')).replaceAll(`${String.fromCharCode(27)}[`, '[').trim();
  } catch {
    return '(no logs)';
  }
}

/**
 * Creates and starts a serving container, and checks a second later that it still runs. Throws ServiceError
 * with the container's last output when it cannot be created or exits at once (the container is removed).
 */
export async function startServingContainer(options: ServingContainerOptions): Promise<string> {
  const { docker, name } = options;
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
  let container: Dockerode.Container;
  try {
    container = await docker.createContainer({
      name,
      Image: options.image,
      Cmd: ['--host', '127.0.0.1', '--port', String(options.port)],
      Labels: options.labels,
      StopSignal: 'SIGTERM',
      StopTimeout: options.stopGraceSeconds,
      HostConfig: { NetworkMode: 'host', RestartPolicy: { Name: 'no' } },
    });
    await container.start();
  } catch (error) {
    await docker
      .getContainer(name)
      .remove({ force: true })
      .catch(() => undefined);
    throw new ServiceError('Docker', `could not start ${name} from ${options.image}: ${(error as Error).message}`, { cause: error });
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const state = await container.inspect().then((info) => info.State);
  if (!state.Running) {
    const logs = await containerLogTail(docker, container.id);
    await container.remove({ force: true }).catch(() => undefined);
    throw new ServiceError(
      'Docker',
      `${name} (${options.image}) exited with ${state.ExitCode} right after starting; its output ends:\n${logs}`,
    );
  }
  return container.id;
}

/** True when the container exists and runs. */
export async function containerRunning(docker: Dockerode, id: string): Promise<boolean> {
  return docker
    .getContainer(id)
    .inspect()
    .then(
      (info) => info.State.Running,
      () => false,
    );
}

/** Stops a container gracefully (SIGTERM, then SIGKILL after its grace); gone or stopped already is fine. */
export async function stopServingContainer(docker: Dockerode, id: string, graceSeconds: number): Promise<void> {
  await docker
    .getContainer(id)
    .stop({ t: graceSeconds })
    .catch((error: unknown) => {
      // 304: already stopped; 404: gone.
      if (dockerStatusCode(error) !== 304 && dockerStatusCode(error) !== 404)
        throw new ServiceError('Docker', `could not stop container ${id}: ${(error as Error).message}`, { cause: error });
    });
}

/** Starts a stopped container again (rollback to the version kept stopped). */
export async function restartServingContainer(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getContainer(id).start();
  } catch (error) {
    if (dockerStatusCode(error) === 304) return;
    throw new ServiceError('Docker', `could not start container ${id} again: ${(error as Error).message}`, { cause: error });
  }
}

/** Removes a container; gone already is fine. */
export async function removeServingContainer(docker: Dockerode, id: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true, v: true })
    .catch((error: unknown) => {
      if (dockerStatusCode(error) !== 404 && dockerStatusCode(error) !== 409)
        throw new ServiceError('Docker', `could not remove container ${id}: ${(error as Error).message}`, { cause: error });
    });
}

/** Ids of every container labelled for this deployment, running or not. */
export async function deploymentContainers(docker: Dockerode, deployment: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=${deployment}`] } });
  return list.map((container) => container.Id);
}

/** Makes a promoted container come back after a daemon restart. */
export async function keepServingContainer(docker: Dockerode, id: string): Promise<void> {
  await docker
    .getContainer(id)
    .update({ RestartPolicy: { Name: 'unless-stopped' } })
    .catch(() => undefined);
}
