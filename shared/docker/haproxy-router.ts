// HAProxy in front of the blue and green serving containers. The config names both servers once; every
// change after that (which one is ready, weights, draining) goes through the runtime API on the stats
// socket, so a switch never reloads HAProxy and never drops a connection.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { InputError, ServiceError } from '../errors.js';
import { dockerStatusCode } from './docker-connection.js';

const run = promisify(execFile);

export type Color = 'blue' | 'green';
export const COLORS: readonly Color[] = ['blue', 'green'];
export const BACKEND = 'models';
export const ROUTER_LABEL = 'io.mlops-actions.router';
const COMMAND_TIMEOUT_MS = 5_000;

export interface RouterLayout {
  /** Address and port of the stable frontend users call. */
  bindAddress: string;
  port: number;
  /** Each color's serving port on 127.0.0.1. */
  servers: Record<Color, number>;
  /** Folder holding haproxy.cfg and haproxy.sock (bind-mounted at the same path in container mode). */
  dir: string;
  /** Weights to start with (after a router restart): a color left out starts in maintenance. */
  weights?: Partial<Record<Color, number>>;
}

export const routerSocket = (dir: string) => join(dir, 'haproxy.sock');
export const routerConfigPath = (dir: string) => join(dir, 'haproxy.cfg');

/**
 * The HAProxy config: one frontend, one backend with the two colors, health checks on /v2/health/ready,
 * one request per server connection (no reused connection can race a stopping server), and retries on
 * a refused connection or an empty answer, sent to the other server.
 */
export function haproxyConfig(layout: RouterLayout): string {
  const server = (color: Color) => {
    const weight = layout.weights?.[color];
    return `  server ${color} 127.0.0.1:${layout.servers[color]} weight ${weight ?? 0}${weight === undefined ? ' disabled' : ''}`;
  };
  return [
    'global',
    `  stats socket ${routerSocket(layout.dir)} mode 600 level admin`,
    '  stats timeout 10s',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout queue 10s',
    '  option http-server-close',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response',
    '',
    'frontend serve',
    `  bind ${layout.bindAddress}:${layout.port}`,
    `  default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    '  balance roundrobin',
    '  option httpchk GET /v2/health/ready',
    '  http-check expect status 200',
    '  default-server check inter 500ms fastinter 250ms downinter 500ms rise 2 fall 2',
    ...COLORS.map(server),
    '',
  ].join('\n');
}

export interface ServerStatus {
  color: Color;
  /** HAProxy's status column: UP, DOWN, MAINT, DRAIN, "UP 1/2", … */
  status: string;
  weight: number;
  /** Connections open now. */
  current: number;
  /** Requests sent to it since HAProxy started. */
  total: number;
}

/** A client of HAProxy's runtime API on its stats socket: one command per connection. */
export class HaproxyRuntime {
  constructor(readonly socketPath: string) {}

  /** Sends one command and returns HAProxy's answer; throws ServiceError when HAProxy reports an error or cannot be reached. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.socketPath);
      let answer = '';
      const fail = (why: string) => reject(new ServiceError('HAProxy', `runtime API (${this.socketPath}) '${line}': ${why}`));
      socket.setTimeout(COMMAND_TIMEOUT_MS, () => {
        socket.destroy();
        fail(`no answer within ${COMMAND_TIMEOUT_MS / 1000} s`);
      });
      socket.on('connect', () => socket.write(`${line}\n`));
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      socket.on('error', (error) => fail(error.message));
      socket.on('end', () => {
        const text = answer.trim();
        // Commands that change state answer nothing on success, and a sentence on failure.
        if (/^(No such|Unknown command|Require|Invalid|Permission denied|'set server'|Backend is using a static LB)/i.test(text))
          fail(text);
        else resolve(answer);
      });
    });
  }

  async setState(color: Color, state: 'ready' | 'drain' | 'maint'): Promise<void> {
    await this.command(`set server ${BACKEND}/${color} state ${state}`);
  }

  async setWeight(color: Color, weight: number): Promise<void> {
    await this.command(`set server ${BACKEND}/${color} weight ${weight}`);
  }

  async setAddress(color: Color, port: number): Promise<void> {
    await this.command(`set server ${BACKEND}/${color} addr 127.0.0.1 port ${port}`);
  }

  /** The two servers as `show stat` reports them. */
  async servers(): Promise<Record<Color, ServerStatus>> {
    const lines = (await this.command('show stat')).split('\n').filter((line) => line.trim());
    const header = lines[0]!.replace(/^#\s*/, '').split(',');
    const at = (name: string) => header.indexOf(name);
    const found: Partial<Record<Color, ServerStatus>> = {};
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      const color = cells[at('svname')] as Color;
      if (cells[at('pxname')] !== BACKEND || !COLORS.includes(color)) continue;
      found[color] = {
        color,
        status: cells[at('status')] ?? '',
        weight: Number(cells[at('weight')]),
        current: Number(cells[at('scur')]),
        total: Number(cells[at('stot')]),
      };
    }
    if (!found.blue || !found.green) throw new ServiceError('HAProxy', `show stat lists no ${BACKEND}/blue and ${BACKEND}/green servers`);
    return found as Record<Color, ServerStatus>;
  }

  /** Waits until `test` holds for a server; throws ServiceError with its last status after `timeoutMs`. */
  async waitFor(color: Color, what: string, test: (server: ServerStatus) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const server = (await this.servers())[color];
      if (test(server)) return;
      if (Date.now() > deadline)
        throw new ServiceError('HAProxy', `${BACKEND}/${color} was not ${what} within ${timeoutMs / 1000} s (status ${server.status})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** True when the socket answers. */
  async answers(): Promise<boolean> {
    return this.command('show info').then(
      () => true,
      () => false,
    );
  }
}

/** Where HAProxy runs: a process on this machine (tests, laptops) or a container from `router-image`. */
export type RouterHandle = { mode: 'process'; pid: number } | { mode: 'container'; containerId: string };

/** The haproxy binary: on PATH, else Debian's /usr/sbin/haproxy. */
async function haproxyBinary(): Promise<string> {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'])
    if (dir && existsSync(join(dir, 'haproxy'))) return join(dir, 'haproxy');
  throw new InputError('haproxy is not installed (Debian package haproxy); name a router-image to run it in a container instead');
}

async function waitForSocket(runtime: HaproxyRuntime, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await runtime.answers())) {
    if (Date.now() > deadline) throw new ServiceError('HAProxy', `${what} did not open ${runtime.socketPath} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts HAProxy as a daemon process with the config in `dir`; returns its pid once the runtime API answers. */
export async function startRouterProcess(dir: string): Promise<RouterHandle> {
  const binary = await haproxyBinary();
  const pidFile = join(dir, 'haproxy.pid');
  await rm(routerSocket(dir), { force: true });
  try {
    await run(binary, ['-c', '-q', '-f', routerConfigPath(dir)]);
    // -D: HAProxy detaches, so it outlives this deploy and serves until `mlops deploy stop`.
    await run(binary, ['-D', '-q', '-f', routerConfigPath(dir), '-p', pidFile]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new ServiceError('HAProxy', `${binary} -f ${routerConfigPath(dir)} failed: ${stderr || (error as Error).message}`, {
      cause: error,
    });
  }
  const pid = Number((await readFile(pidFile, 'utf8')).trim().split('\n')[0]);
  await waitForSocket(new HaproxyRuntime(routerSocket(dir)), `haproxy (pid ${pid})`, 10_000);
  return { mode: 'process', pid };
}

/**
 * Starts HAProxy from `image` in a container on the host network, with `dir` bind-mounted at its own path
 * and run as this process's uid so the socket stays ours. The image is never pulled.
 */
export async function startRouterContainer(docker: Dockerode, image: string, dir: string, name: string): Promise<RouterHandle> {
  try {
    await docker.getImage(image).inspect();
  } catch (error) {
    if (dockerStatusCode(error) === 404) throw new InputError(`router-image: ${image} is not on the Docker Engine; mlops never pulls it`);
    throw new ServiceError('Docker', `could not inspect router image ${image}: ${(error as Error).message}`, { cause: error });
  }
  await rm(routerSocket(dir), { force: true });
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
  const container = await docker.createContainer({
    name,
    Image: image,
    Cmd: ['haproxy', '-db', '-f', routerConfigPath(dir)],
    User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
    Labels: { [ROUTER_LABEL]: name },
    HostConfig: { NetworkMode: 'host', Binds: [`${dir}:${dir}`], RestartPolicy: { Name: 'unless-stopped' } },
  });
  await container.start();
  await waitForSocket(new HaproxyRuntime(routerSocket(dir)), `the router container ${name}`, 20_000);
  return { mode: 'container', containerId: container.id };
}

/** True when the router process or container still runs. */
export async function routerRunning(router: RouterHandle, docker: Dockerode): Promise<boolean> {
  if (router.mode === 'process') {
    try {
      process.kill(router.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return docker
    .getContainer(router.containerId)
    .inspect()
    .then(
      (info) => info.State.Running,
      () => false,
    );
}

/** Stops the router; a router already gone is fine. */
export async function stopRouter(router: RouterHandle, docker: Dockerode): Promise<void> {
  if (router.mode === 'container') {
    await docker
      .getContainer(router.containerId)
      .remove({ force: true })
      .catch(() => undefined);
    return;
  }
  try {
    process.kill(router.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(router.pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(router.pid, 'SIGKILL');
}
