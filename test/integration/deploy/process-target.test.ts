// The deploy stage on the process target, end to end through `mlops deploy` (the CLI's stage command):
// the serving runtime and the proxy run as real background processes (`mlops serve`, `mlops deploy proxy`),
// started from the sources (mlops-from-source.ts: the build cannot load onnxruntime yet).
// v1 first; blue-green to v2 under a continuous load of 4 clients with no failed request; a 20 % canary
// gets a fifth of new connections; rollback; a broken v3 fails preflight and v2 keeps serving; a
// smoke-test mismatch rolls back; a passing smoke test deploys; rollback and stop.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { runCli } from '../../../shared/cli/main.js';
import { deployStateDir } from '../../../shared/deploy/deploy.js';
import type { ProcessState } from '../../../shared/deploy/process-target.js';
import { tempDir } from '../../temp-dirs.js';
import { send } from '../serve/http-client.js';
import { deployState, freePort, registerDigits, sourceCliEnv, type RegisteredModels } from './registered-models.js';

let models: RegisteredModels;
let stateDir: string;
let port: number;
let url: string;
let cleanup: ReturnType<typeof deployState>;
let saved: Record<string, string | undefined> = {};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function state(): ProcessState {
  return JSON.parse(readFileSync(join(deployStateDir(stateDir, 'digits'), 'state.json'), 'utf8')) as ProcessState;
}

/** Remembers every process the target started, so afterAll can make sure none outlives the tests. */
function notePids(): void {
  cleanup.note();
}

async function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    (t) => out.push(t),
    (t) => err.push(t),
    { env: { ...process.env, GITHUB_REPOSITORY: '', GITHUB_TOKEN: '' } },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function deploy(
  version: string,
  extra: string[] = [],
): Promise<{ code: number; outputs: Record<string, string>; stderr: string; ms: number }> {
  const started = Date.now();
  const run = await mlops([
    'deploy',
    '--model',
    models.reference(version),
    '--port',
    String(port),
    '--state-dir',
    stateDir,
    '--output',
    'json',
    ...extra,
  ]);
  notePids();
  return {
    code: run.code,
    outputs: JSON.parse(run.stdout || '{}') as Record<string, string>,
    stderr: run.stderr,
    ms: Date.now() - started,
  };
}

function inferBody(row = 0): string {
  return JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: models.rows[row]!.input }] });
}

/** The version that answers one request through the stable address. */
async function servingVersion(): Promise<string> {
  const response = await send(url, 'POST', '/v2/models/digits/infer', inferBody());
  expect(response.status).toBe(200);
  return response.json.model_version as string;
}

/** One request on a keep-alive connection of `agent` (send() opens a new connection each time). */
function keepAliveInfer(agent: Agent, body: string): Promise<{ status: number; json: any; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v2/models/digits/infer',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || 'null'), text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Clients sending requests back to back until stopped, bounded by count and time: half of them open a new
 * connection for each request, half keep their connections open (HTTP keep-alive).
 */
function startLoad(clients: number, maxRequests: number, maxMs: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: Math.ceil(clients / 2) });
  const versions: Record<string, number> = {};
  const failures: string[] = [];
  let sent = 0;
  let stopped = false;
  const deadline = Date.now() + maxMs;
  const worker = async (keepAlive: boolean): Promise<void> => {
    while (!stopped && sent < maxRequests && Date.now() < deadline) {
      sent++;
      try {
        const body = inferBody(sent % 20);
        const response = keepAlive ? await keepAliveInfer(agent, body) : await send(url, 'POST', '/v2/models/digits/infer', body);
        if (response.status === 200) versions[response.json.model_version] = (versions[response.json.model_version] ?? 0) + 1;
        else failures.push(`${response.status} ${response.text.slice(0, 100)}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, i) => worker(i % 2 === 1)));
  return {
    stop: async () => {
      stopped = true;
      await running;
      agent.destroy();
      return { sent, versions, failures };
    },
  };
}

beforeAll(async () => {
  saved = { MLOPS_CLI: process.env.MLOPS_CLI, NODE_OPTIONS: process.env.NODE_OPTIONS };
  Object.assign(process.env, sourceCliEnv());
  models = await registerDigits();
  cleanup = deployState('deploy-state-');
  stateDir = cleanup.stateDir;
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await cleanup.cleanup();
});

describe('deploy on the process target', () => {
  it('deploys v1 behind the stable address', async () => {
    const run = await deploy('v1');
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ url, blessed: 'true', previous: 'null', image: '', 'deployment-id': '' });
    expect(await servingVersion()).toBe('v1');
    expect(Number(run.outputs['container-id'])).toBe(state().stable!.pid);
    const figure = /serves at .* \((\d+\.\d) s from start\)/.exec(run.stderr)?.[1];
    console.log(
      `deploy v1 (nothing before): ${figure} s from the rollout's start to serving; ${(run.ms / 1000).toFixed(1)} s for the whole stage`,
    );
  });

  it('switches blue-green to v2 under continuous load (keep-alive clients too) with no failed request, and stops v1', async () => {
    const v1 = state().stable!.pid!;
    const load = startLoad(4, 20_000, 120_000);
    await new Promise((r) => setTimeout(r, 300));
    const run = await deploy('v2');
    await new Promise((r) => setTimeout(r, 300));
    const { sent, versions, failures } = await load.stop();
    expect(run.code).toBe(0);
    expect(failures).toEqual([]);
    expect(versions.v1).toBeGreaterThan(0);
    expect(versions.v2).toBeGreaterThan(0);
    expect(JSON.parse(run.outputs.previous!)).toMatchObject({ version: 'v1', digest: models.digests.v1 });
    expect(await servingVersion()).toBe('v2');
    expect(alive(v1)).toBe(false);
    console.log(
      `blue-green v1 → v2 under 4 clients (2 keep-alive): ${sent} requests, ${failures.length} failed (v1 ${versions.v1}, v2 ${versions.v2}); stage ${(run.ms / 1000).toFixed(1)} s`,
    );
  });

  it('sends a fifth of new connections to a 20 % canary, and rollback drops it', async () => {
    const run = await deploy('v1', ['--strategy', 'canary', '--canary-weight', '20']);
    expect(run.code).toBe(0);
    expect(state().canary).toMatchObject({ version: 'v1', weight: 20 });
    const seen: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const version = await servingVersion();
      seen[version] = (seen[version] ?? 0) + 1;
    }
    expect(seen.v1).toBeGreaterThanOrEqual(12);
    expect(seen.v1).toBeLessThanOrEqual(28);
    const status = await mlops(['deploy', 'status', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/canary {4}v1 .* 20 % of new connections/);
    const canaryPid = state().canary!.pid!;
    const rollback = await mlops(['deploy', 'rollback', '--state-dir', stateDir]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toMatch(/digits: v2 .* serves at/);
    expect(alive(canaryPid)).toBe(false);
    for (let i = 0; i < 10; i++) expect(await servingVersion()).toBe('v2');
  });

  it('a broken v3 fails preflight, says why, and v2 keeps serving', async () => {
    const run = await deploy('v3', ['--max-loading-seconds', '20', '--tries', '2']);
    expect(run.code).toBe(1);
    expect(run.outputs.blessed).toBe('false');
    expect(run.stderr).toMatch(/digits v3 failed preflight: try 2 of 2: it exited before it was ready/);
    expect(run.stderr).toMatch(/cannot be loaded by onnxruntime/);
    expect(run.stderr).toMatch(/v2 still serves at/);
    expect(state().candidates).toEqual([]);
    expect(await servingVersion()).toBe('v2');
  });

  it('a smoke-test mismatch rolls back; a passing smoke test deploys; rollback brings v2 back', async () => {
    const dir = tempDir('deploy-smoke-');
    const smokeCase = (row: number, logitsRow: number): string =>
      JSON.stringify({
        request: JSON.parse(inferBody(row)),
        path: '/v2/models/{name}/infer',
        expected: { model_version: 'v1', outputs: [{ name: 'logits', data: models.rows[logitsRow]!.logits }] },
        tolerance: 1e-4,
      });
    writeFileSync(join(dir, 'wrong.jsonl'), `${smokeCase(0, 0)}\n${smokeCase(1, 2)}\n`);
    writeFileSync(join(dir, 'right.jsonl'), [0, 1, 2, 3, 4].map((i) => smokeCase(i, i)).join('\n'));

    const wrong = await deploy('v1', ['--smoke-test', join(dir, 'wrong.jsonl')]);
    expect(wrong.code).toBe(1);
    expect(wrong.outputs.blessed).toBe('true');
    expect(wrong.stderr).toMatch(
      /digits v1 failed the smoke test: case on line 2: \$\.outputs\[0\]\.data\[0\]: expected .*tolerance 0\.0001/,
    );
    expect(await servingVersion()).toBe('v2');

    const right = await deploy('v1', ['--smoke-test', join(dir, 'right.jsonl')]);
    expect(right.code).toBe(0);
    expect(await servingVersion()).toBe('v1');

    const rollback = await mlops(['deploy', 'rollback', '--state-dir', stateDir]);
    notePids();
    expect(rollback.code).toBe(0);
    expect(await servingVersion()).toBe('v2');
  });

  it('recreate stops the serving version first, then starts the new one', async () => {
    const v2 = state().stable!.pid!;
    const run = await deploy('v1', ['--strategy', 'recreate']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/recreate: stopping v2 \(pid \d+\) first/);
    expect(alive(v2)).toBe(false);
    expect(JSON.parse(run.outputs.previous!)).toMatchObject({ version: 'v2' });
    expect(await servingVersion()).toBe('v1');
    expect(state().previous).toMatchObject({ version: 'v2' });
  });

  it('stop ends the proxy and every serving process', async () => {
    const running = [state().proxy!.pid, state().stable!.pid!];
    const stop = await mlops(['deploy', 'stop', '--state-dir', stateDir]);
    expect(stop.code).toBe(0);
    for (const pid of running) expect(alive(pid)).toBe(false);
    await expect(send(url, 'GET', '/v2/health/ready')).rejects.toThrow(/ECONNREFUSED/);
    const status = await mlops(['deploy', 'status', '--state-dir', stateDir]);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/digits: not serving/);
  });
});
