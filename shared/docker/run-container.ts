import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import Dockerode from 'dockerode';
import { InputError, ServiceError } from '../errors.js';

/** A host folder mounted into the container. */
export interface BindMount {
  host: string;
  container: string;
  readOnly?: boolean;
}

export interface ContainerRunOptions {
  /** An image already on the engine; it is never pulled. */
  image: string;
  /** Run with `bash -c` inside the container (after the image's entrypoint, as `docker run IMAGE bash -c …` would). */
  command: string;
  /** The same path inside as outside: the workspace is bind-mounted at its own path. */
  workingDir: string;
  binds: BindMount[];
  env: Record<string, string>;
  /** "uid:gid", the runner's, so that files written to the workspace belong to the user. */
  user?: string;
  /** Docker device requests: every GPU, or this many. */
  gpus?: 'all' | number;
  /** A memory limit such as '4g' or '512m' (the `memory` input). */
  memory?: string;
  /** How many CPUs the container may use (the `cpus` input), fractions allowed. */
  cpus?: number;
  /** At the limit the container is killed and removed, and the result says `timedOut`. */
  timeoutMs?: number;
  /** Output as it arrives, decoded as UTF-8. */
  onOutput: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Default: `new Dockerode()`, which honours DOCKER_HOST (e.g. unix:///path/docker.sock). */
  docker?: Dockerode;
}

export interface ContainerRunResult {
  exitCode: number;
  timedOut: boolean;
  containerId: string;
}

/** Label put on every container this module creates, so leftovers can be found. */
export const CONTAINER_LABEL = 'io.mlops-actions.run';

const UNIT_BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
// Docker refuses smaller limits with a less helpful message.
const MIN_MEMORY_BYTES = 6 * 1024 ** 2;
const STREAM_DRAIN_MS = 5_000;
const PING_TIMEOUT_MS = 10_000;

/**
 * Parses a memory limit as Docker does ('512m', '4g', '1.5G', '4gb', '2Gi', '1073741824' bytes; units are
 * powers of 1024). Returns bytes; throws InputError naming the `memory` input for anything else.
 */
export function parseMemory(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (!match) {
    throw new InputError(
      `memory: '${text}' is not a memory size; expected a number with an optional unit b, k, m, g or t (for example '512m' or '4g')`,
    );
  }
  const bytes = Math.floor(Number(match[1]) * UNIT_BYTES[match[2]!.toLowerCase()]!);
  if (bytes < MIN_MEMORY_BYTES) {
    throw new InputError(`memory: '${text}' is below Docker's minimum of 6m`);
  }
  return bytes;
}

/** The GPU device requests Docker's `--gpus all` / `--gpus N` make. Throws InputError for a bad count. */
export function gpuDeviceRequests(gpus: 'all' | number): Dockerode.DeviceRequest[] {
  if (gpus !== 'all' && !(Number.isInteger(gpus) && gpus > 0)) {
    throw new InputError(`gpus: '${gpus}' is not valid; expected 'all' or a positive whole number of GPUs`);
  }
  return [{ Driver: 'nvidia', Count: gpus === 'all' ? -1 : gpus, Capabilities: [['gpu']] }];
}

/**
 * The options `docker create` gets for a run: host networking, bind mounts, user, limits and GPUs.
 * Throws InputError for an invalid memory, cpus, gpus or a relative mount path.
 */
export function containerCreateOptions(options: Omit<ContainerRunOptions, 'onOutput' | 'docker'>): Dockerode.ContainerCreateOptions {
  const hostConfig: Dockerode.HostConfig = {
    // Host networking: a training command reaches only what the runner itself reaches (127.0.0.1 in tests).
    NetworkMode: 'host',
    Binds: options.binds.map((bind) => {
      for (const path of [bind.host, bind.container]) {
        if (!path.startsWith('/')) throw new InputError(`container mount '${path}' is not an absolute path`);
      }
      return `${bind.host}:${bind.container}${bind.readOnly ? ':ro' : ''}`;
    }),
  };
  if (options.memory !== undefined) {
    hostConfig.Memory = parseMemory(options.memory);
    // Without it Docker adds as much swap again, which would double the limit the user asked for.
    hostConfig.MemorySwap = hostConfig.Memory;
  }
  if (options.cpus !== undefined) {
    if (!(Number.isFinite(options.cpus) && options.cpus > 0)) {
      throw new InputError(`cpus: '${options.cpus}' is not valid; expected a positive number such as 2 or 0.5`);
    }
    hostConfig.NanoCpus = Math.round(options.cpus * 1e9);
  }
  if (options.gpus !== undefined) hostConfig.DeviceRequests = gpuDeviceRequests(options.gpus);
  return {
    Image: options.image,
    Cmd: ['bash', '-c', options.command],
    WorkingDir: options.workingDir,
    Env: Object.entries(options.env).map(([name, value]) => `${name}=${value}`),
    ...(options.user !== undefined ? { User: options.user } : {}),
    Tty: false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: { [CONTAINER_LABEL]: 'true' },
    HostConfig: hostConfig,
  };
}

/** Where a Dockerode client connects, for error messages. */
export function describeEngine(docker: Dockerode): string {
  const modem = docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
  if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
  if (modem.host) return `${modem.protocol ?? 'http'}://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
  return 'the default socket /var/run/docker.sock';
}

/**
 * Checks that the engine answers. Returns its version; throws ServiceError naming the endpoint
 * (socket or DOCKER_HOST) when it cannot be reached within 10 s.
 */
export async function checkDockerAvailable(docker: Dockerode): Promise<{ version: string; apiVersion: string }> {
  const where = describeEngine(docker);
  const how = process.env.DOCKER_HOST ? `DOCKER_HOST=${process.env.DOCKER_HOST}` : 'DOCKER_HOST is not set';
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS / 1000} s`)), PING_TIMEOUT_MS);
      }),
    ]);
    return { version: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    throw new ServiceError(
      'Docker',
      `cannot reach the Docker Engine at ${where} (${how}): ${(error as Error).message}. Start dockerd, or set DOCKER_HOST to its socket (unix:///path/docker.sock).`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

function statusCode(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

async function checkImagePresent(docker: Dockerode, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
  } catch (error) {
    if (statusCode(error) === 404) {
      throw new ServiceError(
        'Docker',
        `image ${image} is not on this Docker Engine (${describeEngine(docker)}); pull or build it in an earlier step (docker pull ${image}), since the train stage never pulls images itself`,
      );
    }
    throw new ServiceError('Docker', `could not inspect image ${image}: ${(error as Error).message}`, { cause: error });
  }
}

function outputSink(stream: 'stdout' | 'stderr', onOutput: ContainerRunOptions['onOutput']): Writable {
  // One decoder per stream so a UTF-8 character split across frames is not mangled.
  const decoder = new StringDecoder('utf8');
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = decoder.write(chunk);
      if (text) onOutput(text, stream);
      done();
    },
    final(done) {
      const rest = decoder.end();
      if (rest) onOutput(rest, stream);
      done();
    },
  });
}

/**
 * Runs `bash -c command` in a new container and streams its output live. Returns the exit code
 * (137 after a timeout kill). The container is always removed, also on timeout and on errors.
 * Throws InputError for invalid limits, ServiceError when the engine is unreachable, the image is
 * not present (it is never pulled), or Docker refuses the container.
 */
export async function runInContainer(options: ContainerRunOptions): Promise<ContainerRunResult> {
  const createOptions = containerCreateOptions(options);
  const docker = options.docker ?? new Dockerode();
  await checkDockerAvailable(docker);
  await checkImagePresent(docker, options.image);

  let container: Dockerode.Container;
  try {
    container = await docker.createContainer(createOptions);
  } catch (error) {
    throw new ServiceError('Docker', `could not create a container from ${options.image}: ${(error as Error).message}`, { cause: error });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const output = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    const stdout = outputSink('stdout', options.onOutput);
    const stderr = outputSink('stderr', options.onOutput);
    const outputEnded = new Promise<void>((resolve) => {
      output.on('end', resolve);
      output.on('close', resolve);
      output.on('error', () => resolve());
    });
    docker.modem.demuxStream(output, stdout, stderr);

    // Wait is requested before start so an instant exit cannot be missed; 'next-exit' because the
    // default condition ('not-running') is already true of a container not yet started.
    const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    // Not awaited when start fails; the removal below then ends the wait with an error nobody needs.
    exited.catch(() => undefined);
    try {
      await container.start();
    } catch (error) {
      throw new ServiceError('Docker', `could not start the container from ${options.image}: ${(error as Error).message}`, {
        cause: error,
      });
    }

    let timedOut = false;
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        // Killing the container ends every process in it, however deep the tree.
        container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
      }, options.timeoutMs);
    }
    const { StatusCode } = await exited;
    clearTimeout(timer);
    await Promise.race([outputEnded, new Promise((resolve) => setTimeout(resolve, STREAM_DRAIN_MS).unref())]);
    stdout.end();
    stderr.end();
    return { exitCode: StatusCode, timedOut, containerId: container.id };
  } finally {
    clearTimeout(timer);
    await container.remove({ force: true, v: true }).catch((error: unknown) => {
      // 404: already gone; 409: removal already in progress.
      if (statusCode(error) !== 404 && statusCode(error) !== 409)
        throw new ServiceError('Docker', `could not remove container ${container.id}: ${(error as Error).message}`, { cause: error });
    });
  }
}
