// Benchmark of the deploy stage on the `process` target (issue 12): the time from `mlops deploy` start to
// the new version serving through the stable address, per strategy, and the requests that failed while
// each switch ran (target: zero for blue-green).
//
// Each round, in a fresh state folder on a fresh port on 127.0.0.1:
//   1. first: deploy v1 with nothing serving (blue-green, the default);
//   2. recreate v1 → v2;  3. blue-green v2 → v1;  4. canary 20 % v1 → v2 (v1 stays stable beside it);
// then `ProcessTarget.stop()` ends the proxy and every serving process (and any pid the state ever named
// is killed, on failure too). The model is test/fixtures/digits-mlp-onnx packaged with buildModelPackage
// into a temp OCI image layout: tag v1, and v2 = the same files plus a README.md (another digest).
//
// `mlops deploy` runs as its own process from the committed bundle, dist/mlops.js (the targets start
// `mlops serve` and `mlops deploy proxy` beside it from the same bundle), so no module loading of the
// TypeScript sources is in the figures. Figures per deploy:
//   - toServingSeconds: from the deploy process's spawn to the first answer of the new version through the
//     stable address, as the load process saw it (epoch ms on both sides); for the first deploy, from
//     spawn to the first 200 of a poll loop of this process (every 20 ms);
//   - stageServingSeconds: the stage's own "serves at … (N s from start)" (rollout start → promoted, 0.1 s);
//   - stageSeconds: spawn to exit of the deploy process (includes draining and stopping the old version).
// The stage's figure is taken after promote() returns, and the process target's promote waits for the old
// version to drain and exit (about 2 s of drain, then its exit): for blue-green it is ~3 s later than the
// moment the new version answered, which toServingSeconds shows.
// Load during each switch: a child process of this runner (`--load`) with 4 concurrent clients on
// 127.0.0.1 (2 on keep-alive connections, 2 opening a connection per request), from before the deploy
// starts until 300 ms after it exits, bounded at 120 s and 50 000 requests, each request at 10 s; a
// failure is a non-200 answer or a connection error. The clients do not back off: during recreate's outage
// (nothing serves between the old version's stop and the new one's start) every refused or reset connection
// is a failure at once, so that count scales with the outage; gapMs (the old version's last answer to the
// new one's first) is the outage itself.
//
// The docker target runs the same steps (`--target docker`): the serving image built on the tests' base
// image (test/services/host-images.ts) on the tests' Docker Engine (test/services/docker-engine.ts, started
// when it is not running), HAProxy (Debian's haproxy, a process) in front of two containers on the host
// network. Its first deploy includes building the serving image (the engine's build cache holds it from the
// second round on); `mlops deploy stop` ends each round. Images built for v1 and v2 are removed at the end.
// The swarm target (`--targets …,swarm`, a single-node Swarm on 127.0.0.1, initialised and left again when it
// was not active): first, recreate and the rolling update (blue-green), 1 replica, update-delay 1 s and a
// 5 s monitor window; no canary (Swarm has no weights). Its switches fail requests by design (stop-first on
// one node: README, deploy), so it has no target; the count says how long the gap is under this load.
//
//   node_modules/.bin/node --experimental-transform-types bench/deploy/run.ts [--repetitions 3]
//       [--targets process,docker,swarm] [--docker-repetitions 2] [--swarm-repetitions 1]
//
// Writes bench/results/deploy.json; a run of one target keeps the other target's figures from the file.
// The machine's 2 cores are shared: the load average is recorded.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { load, machine, median, resolveTypeScriptSources, resultPath as resultFile, root, round, writeResult } from '../runner-support.js';

resolveTypeScriptSources();

const resultPath = resultFile('deploy');
const FIXTURE = join(root, 'test', 'fixtures', 'digits-mlp-onnx');
const CLI = join(root, 'dist', 'mlops.js');
const MODEL_NAME = 'digits';
const CLIENTS = 4;
const LOAD_MAX_SECONDS = 120;
const LOAD_MAX_REQUESTS = 50_000;
const REQUEST_TIMEOUT_MS = 10_000;
const DEPLOY_TIMEOUT_MS = 5 * 60_000;
const AFTER_SWITCH_MS = 300;
const BEFORE_SWITCH_MS = 300;

type Strategy = 'recreate' | 'blue-green' | 'canary';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function inferBody(): string {
  const row = (JSON.parse(readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8').split('\n')[0]!) as { input: number[] }).input;
  return JSON.stringify({ inputs: [{ name: 'input', shape: [1, 64], datatype: 'FP32', data: row }] });
}

// ---- the load process: 4 clients until stdin closes (or the bounds), then one JSON line ----

interface LoadResult {
  requests: number;
  failed: number;
  /** The first few failures, as said. */
  failures: string[];
  versions: Record<string, number>;
  /** Epoch ms of the first and last answer of each version. */
  firstAt: Record<string, number>;
  lastAt: Record<string, number>;
}

function infer(port: number, body: string, agent: Agent | false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: `/v2/models/${MODEL_NAME}/infer`,
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function runLoad(port: number): Promise<LoadResult> {
  const body = inferBody();
  const keepAlive = new Agent({ keepAlive: true, maxSockets: CLIENTS / 2 });
  const result: LoadResult = { requests: 0, failed: 0, failures: [], versions: {}, firstAt: {}, lastAt: {} };
  let stopped = false;
  createInterface({ input: process.stdin }).on('close', () => (stopped = true));
  const deadline = Date.now() + LOAD_MAX_SECONDS * 1000;
  const fail = (why: string): void => {
    result.failed++;
    if (result.failures.length < 10) result.failures.push(why);
  };
  const client = async (agent: Agent | false): Promise<void> => {
    while (!stopped && Date.now() < deadline && result.requests < LOAD_MAX_REQUESTS) {
      result.requests++;
      try {
        const answer = await infer(port, body, agent);
        if (answer.status !== 200) {
          fail(`${answer.status} ${answer.text.slice(0, 120)}`);
          continue;
        }
        const version = (JSON.parse(answer.text) as { model_version: string }).model_version;
        const now = Date.now();
        result.versions[version] = (result.versions[version] ?? 0) + 1;
        result.firstAt[version] ??= now;
        result.lastAt[version] = now;
      } catch (error) {
        fail((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i % 2 === 0 ? keepAlive : false)));
  keepAlive.destroy();
  return result;
}

// ---- processes ----

const children = new Set<ChildProcess>();

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  seconds: number;
}

/** Runs `mlops deploy …` from the bundle to completion (SIGKILL after DEPLOY_TIMEOUT_MS). */
function mlopsDeploy(args: string[], extraEnv: Record<string, string> = {}): Promise<Exited> {
  return mlopsCommand(['deploy', ...args], extraEnv);
}

/** Runs `mlops …` from the bundle to completion (SIGKILL after DEPLOY_TIMEOUT_MS). */
function mlopsCommand(args: string[], extraEnv: Record<string, string> = {}): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_REPOSITORY: '', GITHUB_TOKEN: '', ...extraEnv };
    delete env.MLOPS_CLI;
    delete env.NODE_OPTIONS;
    const startedAt = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-32_768)));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEPLOY_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr, startedAt, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** Starts the load process against the stable port; `stop()` closes its stdin and resolves with its result. */
function startLoad(port: number): { stop: () => Promise<LoadResult> } {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--load', String(port)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-8_192)));
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      if (code !== 0) reject(new Error(`the load process exited with ${code}:\n${stderr}`));
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
  return {
    stop: async () => {
      child.stdin!.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), (LOAD_MAX_SECONDS + 30) * 1000);
      try {
        return await done;
      } finally {
        clearTimeout(kill);
      }
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Epoch ms of the first 200 from /v2/health/ready at `port`, polled every 20 ms until `timeoutMs`. */
async function firstReady(port: number, timeoutMs: number, done: () => boolean): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/v2/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => (await res.arrayBuffer(), res.status === 200),
      () => false,
    );
    if (ok) return Date.now();
    if (done()) return undefined;
    await sleep(20);
  }
  return undefined;
}

// ---- main ----

type TargetKind = 'process' | 'docker' | 'swarm';

interface DeployRun {
  round: number;
  step: 'first' | Strategy;
  from?: string;
  to: string;
  toServingSeconds: number;
  stageServingSeconds?: number;
  stageSeconds: number;
  requests?: number;
  failed?: number;
  failures?: string[];
  versions?: Record<string, number>;
  /** recreate: ms between the old version's last answer and the new one's first (nothing answered between). */
  gapMs?: number;
  load: number;
}

/** How each target is deployed and cleaned up between rounds. */
interface TargetSetup {
  kind: TargetKind;
  rounds: number;
  /** Ports the target needs from P on (docker: the router and the two colors). */
  ports: number;
  args: string[];
  env: Record<string, string>;
  /** The switches after the first deploy (default: recreate, blue-green, canary). */
  steps?: typeof STEPS;
  /** Stops everything the round started. */
  cleanup: (stateDir: string) => Promise<void>;
  notePids?: (stateDir: string) => void;
}

const STEPS: { step: Strategy; from: string; to: string; extra: string[] }[] = [
  { step: 'recreate', from: 'v1', to: 'v2', extra: ['--strategy', 'recreate'] },
  { step: 'blue-green', from: 'v2', to: 'v1', extra: ['--strategy', 'blue-green'] },
  { step: 'canary', from: 'v1', to: 'v2', extra: ['--strategy', 'canary', '--canary-weight', '20'] },
];
const STEPS_ALL = ['first', 'recreate', 'blue-green', 'canary'] as const;

/** `span` consecutive ports free on 127.0.0.1 now. */
async function freePorts(span: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = span === 1 ? await freePort() : 20_000 + Math.floor(Math.random() * 20_000);
    let ok = true;
    for (let i = 0; i < span && ok; i++)
      ok = await new Promise<boolean>((resolve) => {
        const server = createServer();
        server.once('error', () => resolve(false));
        server.listen(base + i, '127.0.0.1', () => server.close(() => resolve(true)));
      });
    if (ok) return base;
  }
  throw new Error(`no ${span} free consecutive ports on 127.0.0.1`);
}

/** The rounds of one target: first deploy, then recreate, blue-green and canary 20 %, each switch under load. */
async function benchTarget(setup: TargetSetup, registry: string, work: string): Promise<DeployRun[]> {
  const runs: DeployRun[] = [];
  for (let r = 1; r <= setup.rounds; r++) {
    const stateDir = join(work, `${setup.kind}-round-${r}`, '.mlops');
    const port = await freePorts(setup.ports);
    const deploy = async (version: string, extra: string[]): Promise<Exited> => {
      const args = ['--model', `${join(registry, MODEL_NAME)}@${version}`, '--port', String(port), '--state-dir', stateDir];
      const run = await mlopsDeploy([...args, ...setup.args, '--output', 'json', ...extra], setup.env);
      setup.notePids?.(stateDir);
      if (run.code !== 0)
        throw new Error(`mlops deploy ${version} ${extra.join(' ')} (${setup.kind}) exited with ${run.code}:\n${run.stderr.slice(-4000)}`);
      return run;
    };
    const stageServing = (run: Exited): number | undefined => {
      const figure = /serves at .* \((\d+(?:\.\d+)?) s from start\)/.exec(run.stderr)?.[1];
      return figure === undefined ? undefined : Number(figure);
    };
    try {
      // 1. The first deploy: nothing serves before it.
      let exited = false;
      const pending = deploy('v1', []).finally(() => (exited = true));
      const spawnedAt = Date.now();
      const readyAt = await firstReady(port, DEPLOY_TIMEOUT_MS, () => exited);
      const first = await pending;
      if (readyAt === undefined) throw new Error(`round ${r}: the first deploy exited and 127.0.0.1:${port} never answered ready`);
      const firstRun: DeployRun = {
        round: r,
        step: 'first',
        to: 'v1',
        toServingSeconds: round((readyAt - Math.max(first.startedAt, spawnedAt - 50)) / 1000),
        stageSeconds: round(first.seconds),
        load: load()[0]!,
      };
      const s = stageServing(first);
      if (s !== undefined) firstRun.stageServingSeconds = s;
      runs.push(firstRun);
      console.log(
        `  ${setup.kind} round ${r} first v1: serving after ${firstRun.toServingSeconds.toFixed(2)} s (stage says ${s} s; process ${first.seconds.toFixed(2)} s)`,
      );

      // 2-4. The switches, each under load.
      for (const { step, from, to, extra } of setup.steps ?? STEPS) {
        const loader = startLoad(port);
        await sleep(BEFORE_SWITCH_MS);
        // The load stops (and its process ends) whether the deploy succeeded or not.
        const deployed = await deploy(to, extra).then(
          async (value) => (await sleep(AFTER_SWITCH_MS), { value }),
          (error: unknown) => ({ error }),
        );
        const result = await loader.stop();
        if ('error' in deployed) throw deployed.error;
        const run = deployed.value;
        const firstNew = result.firstAt[to];
        if (firstNew === undefined) throw new Error(`round ${r} ${step}: ${to} never answered through 127.0.0.1:${port}`);
        const entry: DeployRun = {
          round: r,
          step,
          from,
          to,
          toServingSeconds: round((firstNew - run.startedAt) / 1000),
          stageSeconds: round(run.seconds),
          requests: result.requests,
          failed: result.failed,
          failures: result.failures,
          versions: result.versions,
          load: load()[0]!,
        };
        const stage = stageServing(run);
        if (stage !== undefined) entry.stageServingSeconds = stage;
        if (step === 'recreate' && result.lastAt[from] !== undefined) entry.gapMs = firstNew - result.lastAt[from]!;
        runs.push(entry);
        console.log(
          `  ${setup.kind} round ${r} ${step} ${from} → ${to}: serving after ${entry.toServingSeconds.toFixed(2)} s (stage says ${stage} s; process ${run.seconds.toFixed(2)} s); ${result.requests} requests, ${result.failed} failed (${Object.entries(
            result.versions,
          )
            .map(([v, n]) => `${v} ${n}`)
            .join(', ')}) (load ${load()[0]})`,
        );
      }
    } finally {
      await setup.cleanup(stateDir).catch((error: unknown) => console.error(`cleanup of ${setup.kind} round ${r}: ${String(error)}`));
      rmSync(join(work, `${setup.kind}-round-${r}`), { recursive: true, force: true });
    }
  }
  return runs;
}

/** Medians per step and the failed requests of each switch. */
function summarise(runs: DeployRun[], kind: TargetKind) {
  const of = (step: string): DeployRun[] => runs.filter((run) => run.step === step);
  const medianOf = (step: string, key: 'toServingSeconds' | 'stageSeconds' | 'stageServingSeconds'): number | undefined => {
    const values = of(step)
      .map((run) => run[key])
      .filter((v): v is number => v !== undefined);
    return values.length ? round(median(values)) : undefined;
  };
  const present = STEPS_ALL.filter((step) => of(step).length > 0);
  const medians = Object.fromEntries(
    present.map((step) => [
      step,
      {
        toServingSeconds: medianOf(step, 'toServingSeconds'),
        stageServingSeconds: medianOf(step, 'stageServingSeconds'),
        stageSeconds: medianOf(step, 'stageSeconds'),
        ...(step === 'first'
          ? {}
          : {
              failedPerSwitch: of(step).map((run) => run.failed ?? 0),
              medianFailed: median(of(step).map((run) => run.failed ?? 0)),
              ...(step === 'recreate' ? { medianGapMs: median(of(step).map((run) => run.gapMs ?? 0)) } : {}),
              requestsPerSwitch: of(step).map((run) => run.requests ?? 0),
            }),
      },
    ]),
  );
  const failed = (step: string): number => of(step).reduce((sum, run) => sum + (run.failed ?? 0), 0);
  for (const step of present) {
    const m = medians[step] as {
      toServingSeconds?: number;
      stageServingSeconds?: number;
      stageSeconds?: number;
      failedPerSwitch?: number[];
      medianGapMs?: number;
    };
    console.log(
      `${kind.padEnd(8)}${step.padEnd(11)} to serving ${m.toServingSeconds?.toFixed(2)} s (stage ${m.stageServingSeconds?.toFixed(1)} s, process ${m.stageSeconds?.toFixed(2)} s)${
        m.failedPerSwitch ? `; failed per switch ${m.failedPerSwitch.join(', ')}` : ''
      }${m.medianGapMs !== undefined ? `; nothing answered for ${(m.medianGapMs / 1000).toFixed(2)} s` : ''}`,
    );
  }
  return {
    rounds: Math.max(0, ...runs.map((run) => run.round)),
    runs,
    median: medians,
    failed: { recreate: failed('recreate'), blueGreen: failed('blue-green'), canary: failed('canary') },
    target: {
      name: `requests failed during blue-green switches (${kind})`,
      target: '0',
      value: failed('blue-green'),
      met: failed('blue-green') === 0,
    },
  };
}

if (process.argv.includes('--load')) {
  const port = Number(process.argv[process.argv.indexOf('--load') + 1]);
  process.stdout.write(JSON.stringify(await runLoad(port)));
} else {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: the bench runs the committed bundle (npm run build writes it)`);
  const { buildModelPackage, pushModelPackage } = await import('../../shared/registry/model-package.js');
  const { ImageLayoutRepository } = await import('../../shared/registry/image-layout.js');
  const { ProcessTarget } = await import('../../shared/deploy/process-target.js');
  const { deployStateDir } = await import('../../shared/deploy/deploy.js');

  const at = process.argv.indexOf('--targets');
  const kinds = (at < 0 ? 'process,docker,swarm' : process.argv[at + 1]!).split(',') as TargetKind[];
  for (const kind of kinds)
    if (!['process', 'docker', 'swarm'].includes(kind)) throw new Error(`--targets: ${kind} is not process, docker or swarm`);
  const work = mkdtempSync(join(tmpdir(), 'bench-deploy-'));
  const pids = new Set<number>();
  const notePids = (stateDir: string): void => {
    const file = join(deployStateDir(stateDir, MODEL_NAME), 'state.json');
    if (!existsSync(file)) return;
    const s = JSON.parse(readFileSync(file, 'utf8')) as {
      proxy?: { pid: number };
      stable?: { pid?: number };
      canary?: { pid?: number };
      candidates?: { pid?: number }[];
      router?: { pid?: number };
    };
    for (const pid of [s.proxy?.pid, s.stable?.pid, s.canary?.pid, s.router?.pid, ...(s.candidates ?? []).map((c) => c.pid)])
      if (pid) pids.add(pid);
  };
  const killAll = (): void => {
    for (const child of children) child.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    pids.clear();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killAll();
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });

  const previous = existsSync(resultPath) ? (JSON.parse(readFileSync(resultPath, 'utf8')) as Record<string, unknown>) : {};
  let removeImages = async (): Promise<void> => undefined;
  try {
    const loadAtStart = load();
    // The registry: an OCI image layout holding digits v1 and v2 (v2 = v1 + README.md).
    const registry = join(work, 'registry');
    const repository = ImageLayoutRepository.open(registry, MODEL_NAME);
    const v2Dir = join(work, 'v2');
    cpSync(FIXTURE, v2Dir, { recursive: true });
    writeFileSync(join(v2Dir, 'README.md'), '# digits v2\nThe same network; this file makes another digest.\n');
    const digests: Record<string, string> = {};
    for (const [version, dir] of [
      ['v1', FIXTURE],
      ['v2', v2Dir],
    ] as const) {
      const pkg = await buildModelPackage(dir, { name: MODEL_NAME, format: 'onnx' }, { sourceDateEpoch: '1700000000' });
      await pushModelPackage(repository, pkg, version);
      digests[version] = pkg.manifest.digest;
    }
    console.log(`registry: ${registry} (v1 ${digests.v1!.slice(0, 19)}…, v2 ${digests.v2!.slice(0, 19)}…)`);

    type Section = ReturnType<typeof summarise>;
    const sections: Partial<Record<TargetKind, Section>> = {};
    if (kinds.includes('process')) {
      const runs = await benchTarget(
        {
          kind: 'process',
          rounds: Math.max(option('--repetitions', 3), 3),
          ports: 1,
          args: [],
          env: {},
          notePids,
          cleanup: async (stateDir) => {
            await new ProcessTarget({ stateDir: deployStateDir(stateDir, MODEL_NAME) }).stop(() => undefined).catch(() => undefined);
            killAll();
          },
        },
        registry,
        work,
      );
      sections.process = summarise(runs, 'process');
    }
    let dockerSetup: string | undefined;
    if (kinds.includes('docker') || kinds.includes('swarm')) {
      const { useDockerEngine } = await import('../../test/services/docker-engine.js');
      const { NODE_SERVING_IMAGE, useNodeServingImage } = await import('../../test/services/host-images.js');
      const { servingImageTag } = await import('../../shared/docker/serving-image.js');
      const engine = await useDockerEngine();
      if (!engine) throw new Error('--targets docker: no Docker Engine can run here (see the line above)');
      await useNodeServingImage(engine);
      const { Driver, ServerVersion } = (await engine.docker.info()) as { Driver: string; ServerVersion: string };
      dockerSetup = `Docker Engine ${ServerVersion} (${Driver}, --bridge=none, host network), base image ${NODE_SERVING_IMAGE}, Debian's haproxy as a process`;
      removeImages = async () => {
        for (const digest of Object.values(digests))
          await engine.docker
            .getImage(servingImageTag(MODEL_NAME, digest))
            .remove({ force: true })
            .catch(() => undefined);
      };
      const stopRound = async (stateDir: string): Promise<void> => {
        const stop = await mlopsCommand(['deploy', 'stop', '--state-dir', stateDir], engine.env);
        if (stop.code !== 0) throw new Error(`mlops deploy stop exited with ${stop.code}: ${stop.stderr.slice(-2000)}`);
        killAll();
      };
      if (kinds.includes('docker')) {
        const runs = await benchTarget(
          {
            kind: 'docker',
            rounds: Math.max(option('--docker-repetitions', 2), 1),
            ports: 3,
            args: ['--target', 'docker', '--base-image', NODE_SERVING_IMAGE],
            env: engine.env,
            notePids,
            cleanup: stopRound,
          },
          registry,
          work,
        );
        sections.docker = summarise(runs, 'docker');
      }
      if (kinds.includes('swarm')) {
        const info = (await engine.docker.info()) as { Swarm: { LocalNodeState: string } };
        const madeSwarm = info.Swarm.LocalNodeState !== 'active';
        if (madeSwarm) await engine.docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
        try {
          const runs = await benchTarget(
            {
              kind: 'swarm',
              rounds: Math.max(option('--swarm-repetitions', 1), 1),
              ports: 1,
              // A 5 s monitor window (the default is 10 s): the update counts as done only after it.
              args: ['--target', 'swarm', '--base-image', NODE_SERVING_IMAGE, '--update-delay', '1', '--update-monitor', '5'],
              env: engine.env,
              steps: STEPS.filter((step) => step.step !== 'canary'),
              cleanup: async (stateDir) => {
                await stopRound(stateDir);
                // The service's tasks end after it is removed; the next round (or swarm leave) waits for them.
                for (let i = 0; i < 150; i++) {
                  const left = await engine.docker.listContainers({
                    all: true,
                    filters: { label: ['com.docker.swarm.service.name=mlops-digits'] },
                  });
                  if (left.length === 0) break;
                  await sleep(200);
                }
              },
            },
            registry,
            work,
          );
          sections.swarm = summarise(runs, 'swarm');
        } finally {
          if (madeSwarm) {
            await engine.docker.swarmLeave({ force: true });
            await engine.docker
              .getNetwork('docker_gwbridge')
              .remove()
              .catch(() => undefined);
          }
        }
      }
    }

    // A result file from before the docker section kept the process figures at its top level.
    const earlierProcess = (previous.process ??
      (previous.runs
        ? {
            rounds: previous.rounds,
            runs: previous.runs,
            median: previous.median,
            failed: previous.failed,
            target: (previous.targets as Section['target'][] | undefined)?.[0],
          }
        : undefined)) as Section | undefined;
    const process_ = sections.process ?? earlierProcess;
    const docker = sections.docker ?? (previous.docker as Section | undefined);
    const swarm = sections.swarm ?? (previous.swarm as Section | undefined);
    // Swarm has no target: stop-first on one node is a gap in service by design (README, deploy).
    const targets = [process_?.target, docker?.target].filter((t) => t !== undefined);
    const result = {
      name: 'deploy',
      description:
        'mlops deploy (dist/mlops.js) on the process, docker and swarm targets: time from deploy start to serving per strategy, and requests failed during each switch under 4 clients',
      date: new Date().toISOString(),
      machine: machine(loadAtStart),
      input: { model: 'test/fixtures/digits-mlp-onnx in an OCI image layout', digests },
      targetsCovered: ['process', 'docker', 'swarm'].filter((kind) => ({ process: process_, docker, swarm })[kind]),
      measuredThisRun: kinds,
      leftOut:
        'canary on swarm (Swarm has no weights); swarm has no failed-request target: its rolling update on one node is stop-first, a gap by design (README, deploy)',
      commands: [
        'node dist/mlops.js deploy --model <layout>/digits@v1 --port P --state-dir S --output json [--target docker --base-image B] (first, nothing serving)',
        '… @v2 --strategy recreate; … @v1 --strategy blue-green; … @v2 --strategy canary --canary-weight 20',
        `load: ${CLIENTS} clients (2 keep-alive, 2 a connection per request) POST /v2/models/digits/infer through 127.0.0.1:P, from ${BEFORE_SWITCH_MS} ms before the deploy until ${AFTER_SWITCH_MS} ms after it exits`,
        'a fresh state folder and port per round; process: ProcessTarget.stop() after each round; docker: mlops deploy stop',
      ].join('; '),
      ...(dockerSetup ? { dockerSetup } : previous.dockerSetup ? { dockerSetup: previous.dockerSetup } : {}),
      ...(process_ ? { process: { ...process_, ...(sections.process ? {} : { measuredOn: previous.date }) } } : {}),
      ...(docker ? { docker: { ...docker, ...(sections.docker ? {} : { measuredOn: previous.date }) } } : {}),
      ...(swarm ? { swarm: { ...swarm, ...(sections.swarm ? {} : { measuredOn: previous.date }) } } : {}),
      targets,
      targetsMet: targets.every((t) => t.met),
    };
    writeResult('deploy', result);
    console.log(`load average: start ${loadAtStart.join(' ')}, end ${load().join(' ')} (${result.machine.cpus} CPUs shared)`);
    console.log(`${result.targetsMet ? 'targets met' : 'targets NOT met'} (blue-green: 0 failed); wrote ${resultPath}`);
  } finally {
    killAll();
    await removeImages();
    rmSync(work, { recursive: true, force: true });
  }
}
