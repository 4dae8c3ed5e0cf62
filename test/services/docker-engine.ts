// One real Docker Engine for the whole test run, shared by every test file and jest worker and kept
// running between runs (state in /tmp/mlops-test-docker; `.ci/run` stops it at the end of CI).
//
// Flags that work on this kind of machine (Debian 12, docker.io 20.10, kernel 6.x, cgroup v1
// hierarchy with cgroup2 mounted at /sys/fs/cgroup/unified, running as root):
//   dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false
//           --data-root D/data --exec-root D/exec -H unix://D/docker.sock --pidfile D/dockerd.pid
// - No bridge and no iptables: containers only get host networking, so the `iptables` and
//   `uidmap` packages are not needed, and nothing changes the machine's firewall or forwarding.
// - overlay2 works here (overlay is in /proc/filesystems); dockerd falls back to another driver by
//   itself, and MLOPS_TEST_DOCKERD_STORAGE=vfs forces `--storage-driver vfs` where overlay is refused.
// - dockerd starts its own containerd under the exec root (no system containerd is needed).
// - Memory and CPU limits work with the cgroupfs driver; the kernel lacks blkio weights (a warning).
// - dockerd must run as root; otherwise the Docker tests are skipped (outside CI) like a missing dockerd.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import Dockerode from 'dockerode';
import { withLockFile } from './state-lock.js';

export { useNodeImage, usePythonTorchImage } from './host-images.js';

export interface DockerEngine {
  socketPath: string;
  /** Where dockerd keeps its state, and where image builds take their locks. */
  stateDir: string;
  docker: Dockerode;
  /** For child processes (the CLI, the bundles): points them at this engine. */
  env: { DOCKER_HOST: string };
}

export const DOCKER_STATE_DIR = process.env.MLOPS_TEST_DOCKER_DIR ?? '/tmp/mlops-test-docker';
const SOCKET_PATH = join(DOCKER_STATE_DIR, 'docker.sock');
const PID_FILE = join(DOCKER_STATE_DIR, 'dockerd.pid');
const LOG_FILE = join(DOCKER_STATE_DIR, 'dockerd.log');
const START_TIMEOUT_MS = 60_000;

let engine: Promise<DockerEngine | undefined> | undefined;

function findExecutable(name: string): string | undefined {
  // dockerd lives in /usr/sbin, which an ordinary user's PATH may lack.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** True when the engine at `socketPath` answers /_ping within 2 s. */
export function pingEngine(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function readPid(): number | undefined {
  try {
    const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function logTail(): string {
  try {
    return readFileSync(LOG_FILE, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startDockerd(dockerd: string): Promise<void> {
  const stale = readPid();
  // A dockerd of ours that no longer answers is stopped, since a new one refuses a live pid file.
  if (stale && alive(stale)) {
    process.kill(stale, 'SIGTERM');
    for (let i = 0; i < 50 && alive(stale); i++) await new Promise((resolve) => setTimeout(resolve, 200));
    if (alive(stale)) process.kill(stale, 'SIGKILL');
  }
  rmSync(PID_FILE, { force: true });
  rmSync(SOCKET_PATH, { force: true });
  const args = [
    '--bridge=none',
    '--iptables=false',
    '--ip6tables=false',
    '--ip-masq=false',
    '--ip-forward=false',
    `--data-root=${join(DOCKER_STATE_DIR, 'data')}`,
    `--exec-root=${join(DOCKER_STATE_DIR, 'exec')}`,
    `--host=unix://${SOCKET_PATH}`,
    `--pidfile=${PID_FILE}`,
    ...(process.env.MLOPS_TEST_DOCKERD_STORAGE ? [`--storage-driver=${process.env.MLOPS_TEST_DOCKERD_STORAGE}`] : []),
  ];
  const log = openSync(LOG_FILE, 'a');
  const child = spawn(dockerd, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  let exit: string | undefined;
  child.on('exit', (code, signal) => (exit = `exited with ${signal ?? code}`));
  child.on('error', (error) => (exit = error.message));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await pingEngine(SOCKET_PATH))) {
    if (exit) throw new Error(`dockerd ${args.join(' ')} ${exit}; its log (${LOG_FILE}) ends:\n${logTail()}`);
    if (Date.now() > deadline) {
      throw new Error(
        `dockerd did not answer on ${SOCKET_PATH} within ${START_TIMEOUT_MS / 1000} s; its log (${LOG_FILE}) ends:\n${logTail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startOrReuse(): Promise<DockerEngine | undefined> {
  const dockerd = findExecutable('dockerd');
  const missing = !dockerd
    ? 'dockerd is not installed (Debian package docker.io)'
    : process.getuid?.() !== 0
      ? 'dockerd needs root and these tests do not run as root'
      : undefined;
  if (missing) {
    if (process.env.CI)
      throw new Error(`CI must be able to run the Docker tests, but ${missing}; .ci/run installs docker.io and runs as root`);
    console.warn(`\n*** DOCKER TESTS SKIPPED: ${missing}. They run on CI (.ci/run). ***\n`);
    return undefined;
  }
  mkdirSync(DOCKER_STATE_DIR, { recursive: true });
  await withLockFile(join(DOCKER_STATE_DIR, 'engine.lock'), 2 * START_TIMEOUT_MS, async () => {
    if (!(await pingEngine(SOCKET_PATH))) await startDockerd(dockerd!);
  });
  return {
    socketPath: SOCKET_PATH,
    stateDir: DOCKER_STATE_DIR,
    docker: new Dockerode({ socketPath: SOCKET_PATH }),
    env: { DOCKER_HOST: `unix://${SOCKET_PATH}` },
  };
}

/**
 * The test run's Docker Engine: reuses a live dockerd from DOCKER_STATE_DIR or starts one. Returns
 * undefined (after one loud line) when dockerd cannot run here outside CI; throws on CI.
 */
export function useDockerEngine(): Promise<DockerEngine | undefined> {
  engine ??= startOrReuse();
  return engine;
}

/**
 * For the first line of a Docker test: `if (!dockerEngineOrSkip(engine)) return;`. Asserts that a
 * skip only happens outside CI, so a test never passes silently where Docker must work.
 */
// Uses the global `expect` (Jest injects it) so that this module also loads outside Jest, e.g. in benchmarks.
export function dockerEngineOrSkip(engine: DockerEngine | undefined): engine is DockerEngine {
  if (engine) return true;
  expect({ skippedBecauseNoDocker: true, CI: process.env.CI }).toEqual({ skippedBecauseNoDocker: true, CI: undefined });
  return false;
}
