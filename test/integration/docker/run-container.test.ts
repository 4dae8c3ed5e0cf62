import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Dockerode from 'dockerode';
import { InputError, ServiceError } from '../../../shared/errors.js';
import {
  CONTAINER_LABEL,
  containerCreateOptions,
  parseMemory,
  runInContainer,
  type ContainerRunOptions,
} from '../../../shared/docker/run-container.js';
import { dockerEngineOrSkip, useDockerEngine, useNodeImage, usePythonTorchImage, type DockerEngine } from '../../services/docker-engine.js';

let engine: DockerEngine | undefined;
let workspace: string;
const createdIds: string[] = [];

beforeAll(async () => {
  engine = await useDockerEngine();
  if (engine) await useNodeImage(engine);
  workspace = await mkdtemp(join(tmpdir(), 'docker-workspace-'));
  // Writable by the unprivileged uid the containers run as.
  await chmod(workspace, 0o777);
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** Runs in the node image on the test engine, collecting output with the time each piece arrived. */
async function runCollecting(options: Partial<ContainerRunOptions> & { command: string }) {
  const pieces: { text: string; stream: 'stdout' | 'stderr'; at: number }[] = [];
  const result = await runInContainer({
    image: 'mlops-test/node:local',
    workingDir: workspace,
    binds: [{ host: workspace, container: workspace }],
    env: {},
    docker: engine!.docker,
    onOutput: (text, stream) => pieces.push({ text, stream, at: Date.now() }),
    ...options,
  });
  createdIds.push(result.containerId);
  const text = (stream: 'stdout' | 'stderr') =>
    pieces
      .filter((piece) => piece.stream === stream)
      .map((piece) => piece.text)
      .join('');
  return { result, pieces, stdout: text('stdout'), stderr: text('stderr'), endedAt: Date.now() };
}

/** Pids of host processes whose argument list is exactly `args` (read from /proc: `ps` may be absent). */
async function processesRunning(args: string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline === args.join('\0') + '\0') pids.push(Number(entry));
  }
  return pids;
}

describe('runInContainer on a real Docker Engine', () => {
  it('streams output live, keeps stdout and stderr apart and propagates the exit code', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { result, pieces, stdout, stderr, endedAt } = await runCollecting({
      command: 'echo first; sleep 2; echo second >&2; node -e "process.exit(3)"',
    });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false });
    expect(stdout).toBe('first\n');
    expect(stderr).toBe('second\n');
    const first = pieces.find((piece) => piece.text.includes('first'))!;
    // It arrived while the container still slept, not in one block at the end.
    expect(endedAt - first.at).toBeGreaterThan(1500);
  });

  it('runs node and sees the workspace at its own path, reading and writing files as the given uid:gid', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    await writeFile(join(workspace, 'input.txt'), 'from the host\n');
    const { result, stdout } = await runCollecting({
      command: "pwd; cat input.txt; id -u; id -g; node -e \"require('fs').writeFileSync('written.txt', process.version)\"",
      user: '1000:1001',
    });
    expect(result.exitCode).toBe(0);
    expect(stdout).toBe(`${workspace}\nfrom the host\n1000\n1001\n`);
    const written = await stat(join(workspace, 'written.txt'));
    expect({ uid: written.uid, gid: written.gid }).toEqual({ uid: 1000, gid: 1001 });
    expect(await readFile(join(workspace, 'written.txt'), 'utf8')).toBe(process.version);
  });

  it('mounts read-only binds read-only', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { result, stderr } = await runCollecting({
      command: 'echo x > data/x',
      binds: [{ host: workspace, container: join(workspace, 'data'), readOnly: true }],
    });
    expect(result.exitCode).not.toBe(0);
    expect(stderr).toMatch(/Read-only file system/);
  });

  it('passes the environment through unchanged, quotes and newlines included', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const params = JSON.stringify({ lr: 0.01, name: 'it\'s "quoted"', note: 'two\nlines' });
    const { stdout } = await runCollecting({
      command: 'printf "%s|%s" "$MLOPS_PARAMS" "$MLOPS_RUN_NAME"',
      env: { MLOPS_PARAMS: params, MLOPS_RUN_NAME: 'lr 0.01' },
    });
    expect(stdout).toBe(`${params}|lr 0.01`);
  });

  it('applies memory and cpu limits', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { stdout } = await runCollecting({
      command:
        'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d" " -f1 /sys/fs/cgroup/cpu.max',
      memory: '64m',
      cpus: 0.5,
    });
    expect(stdout.split('\n').slice(0, 2)).toEqual([String(64 * 1024 * 1024), '50000']);
  });

  it('kills the container and every process in it at the timeout, and removes it', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const started = Date.now();
    const running = runCollecting({ command: 'sleep 1017 & echo started; wait', timeoutMs: 2_000 });
    // The child is visible from the host while the container runs, so its absence afterwards means something.
    let seenWhileRunning: number[] = [];
    for (let i = 0; i < 15 && seenWhileRunning.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seenWhileRunning = await processesRunning(['sleep', '1017']);
    }
    expect(seenWhileRunning.length).toBe(1);
    const { result, stdout } = await running;
    expect(stdout).toBe('started\n');
    expect(result).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await processesRunning(['sleep', '1017'])).toEqual([]);
    await expect(engine.docker.getContainer(result.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses a missing image without pulling it', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const run = runCollecting({ command: 'true', image: 'mlops-test/not-built:never' });
    await expect(run).rejects.toThrow(ServiceError);
    await expect(run).rejects.toThrow('image mlops-test/not-built:never is not on this Docker Engine');
    await expect(run).rejects.toThrow('(docker pull mlops-test/not-built:never)');
    const images = await engine.docker.listImages({ filters: { reference: ['mlops-test/not-built'] } });
    expect(images).toEqual([]);
  });

  it('removes the container when it cannot start', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const marker = `start-fails-${process.pid}-${Date.now()}`;
    await expect(runCollecting({ command: `echo ${marker}`, user: 'no-such-user' })).rejects.toThrow(
      /could not start the container.*no-such-user/s,
    );
    const left = await engine.docker.listContainers({ all: true, filters: { label: [CONTAINER_LABEL] } });
    expect(left.filter((container) => container.Command.includes(marker))).toEqual([]);
  });

  it('names the socket and DOCKER_HOST when the engine cannot be reached', async () => {
    const unreachable = new Dockerode({ socketPath: join(tmpdir(), 'no-docker-here', 'docker.sock') });
    const run = runInContainer({
      image: 'any',
      command: 'true',
      workingDir: '/',
      binds: [],
      env: {},
      onOutput: () => undefined,
      docker: unreachable,
    });
    await expect(run).rejects.toThrow(ServiceError);
    await expect(run).rejects.toThrow(`cannot reach the Docker Engine at unix://${join(tmpdir(), 'no-docker-here', 'docker.sock')}`);

    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const fromEnv = runInContainer({ image: 'any', command: 'true', workingDir: '/', binds: [], env: {}, onOutput: () => undefined });
      await expect(fromEnv).rejects.toThrow('unix:///nonexistent/docker.sock (DOCKER_HOST=unix:///nonexistent/docker.sock)');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('runs torch and scikit-learn in the locally built Python image', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const image = await usePythonTorchImage(engine);
    console.log(
      `${image.tag}: ${(image.sizeBytes / 1024 ** 2).toFixed(0)} MiB, ${image.builtNow ? `built in ${image.seconds.toFixed(1)} s` : 'already built'}`,
    );
    const hostTorch = execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    const { result, stdout } = await runCollecting({
      image: image.tag,
      command: 'python3 -c "import torch, sklearn; print(torch.__version__)"',
      user: '1000:1000',
    });
    expect(result.exitCode).toBe(0);
    expect(stdout).toBe(hostTorch);
  });

  it('leaves none of its containers behind', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    expect(createdIds.length).toBeGreaterThanOrEqual(6);
    const all = await engine.docker.listContainers({ all: true });
    expect(all.filter((container) => createdIds.includes(container.Id))).toEqual([]);
  });
});

describe('container create options', () => {
  const base = {
    image: 'img',
    command: 'python train.py',
    workingDir: '/w',
    binds: [
      { host: '/w', container: '/w' },
      { host: '/data', container: '/data', readOnly: true },
    ],
    env: { A: '1' },
  };

  it('asks for GPUs as Docker device requests', () => {
    expect(containerCreateOptions({ ...base, gpus: 'all' }).HostConfig!.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
    ]);
    expect(containerCreateOptions({ ...base, gpus: 2 }).HostConfig!.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] },
    ]);
    expect(containerCreateOptions(base).HostConfig!.DeviceRequests).toBeUndefined();
    expect(() => containerCreateOptions({ ...base, gpus: 0 })).toThrow(InputError);
    expect(() => containerCreateOptions({ ...base, gpus: 1.5 })).toThrow("gpus: '1.5' is not valid");
  });

  it('uses host networking, bash -c, the mounts, env, user and limits', () => {
    const options = containerCreateOptions({ ...base, user: '1001:121', memory: '4g', cpus: 1.5 });
    expect(options).toMatchObject({
      Image: 'img',
      Cmd: ['bash', '-c', 'python train.py'],
      WorkingDir: '/w',
      Env: ['A=1'],
      User: '1001:121',
      Labels: { [CONTAINER_LABEL]: 'true' },
      HostConfig: {
        NetworkMode: 'host',
        Binds: ['/w:/w', '/data:/data:ro'],
        Memory: 4 * 1024 ** 3,
        MemorySwap: 4 * 1024 ** 3,
        NanoCpus: 1_500_000_000,
      },
    });
    expect(() => containerCreateOptions({ ...base, cpus: 0 })).toThrow("cpus: '0' is not valid");
    expect(() => containerCreateOptions({ ...base, binds: [{ host: 'relative', container: '/w' }] })).toThrow(InputError);
  });

  it('parses memory sizes as Docker does', () => {
    expect(parseMemory('512m')).toBe(512 * 1024 ** 2);
    expect(parseMemory('4g')).toBe(4 * 1024 ** 3);
    expect(parseMemory('4GB')).toBe(4 * 1024 ** 3);
    expect(parseMemory('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('2Gi')).toBe(2 * 1024 ** 3);
    expect(parseMemory('100000000')).toBe(100_000_000);
    expect(parseMemory(' 8192k ')).toBe(8 * 1024 ** 2);
    for (const bad of ['lots', '4x', '-1g', '', 'g']) expect(() => parseMemory(bad)).toThrow(InputError);
    expect(() => parseMemory('lots')).toThrow("memory: 'lots' is not a memory size");
    expect(() => parseMemory('1m')).toThrow("memory: '1m' is below Docker's minimum of 6m");
  });
});
