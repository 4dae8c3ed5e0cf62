// The docker target on the real Docker Engine with Debian's HAProxy as the router (a process on
// 127.0.0.1, driven through its runtime API): recreate, blue-green under load with no failed request,
// a 20 % canary, broken candidates that leave the old version serving, and rollback.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDockerTarget } from '../../../shared/deploy/docker-target.js';
import type { DeployPlan, DeployStrategy, DeployTarget, DeployableModel } from '../../../shared/deploy/deploy-target.js';
import { DEPLOYMENT_LABEL } from '../../../shared/docker/serving-container.js';
import { servingImageTag } from '../../../shared/docker/serving-image.js';
import { ServiceError } from '../../../shared/errors.js';
import { dockerEngineOrSkip, useDockerEngine, type DockerEngine } from '../../services/docker-engine.js';
import { HAPROXY_IMAGE, NODE_SERVING_IMAGE, useHaproxyImage, useNodeServingImage } from '../../services/host-images.js';
import { freePortRange, infer, modelVersion, startLoad, waitReady } from './deploy-fixtures.js';

const HAPROXY = '/usr/sbin/haproxy';
const RUNTIME_DIR = join(import.meta.dirname, '..', '..', '..', 'dist');
let engine: DockerEngine | undefined;
let v1: DeployableModel;
let v2: DeployableModel;
let broken: DeployableModel;
const targets: DeployTarget[] = [];
const stateDirs: string[] = [];
const deployments: string[] = [];
const figures: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(HAPROXY)) {
    if (process.env.CI) throw new Error(`CI must run the deploy tests, but ${HAPROXY} is missing; .ci/run installs haproxy`);
    console.warn(`\n*** DOCKER TARGET TESTS SKIPPED: ${HAPROXY} is not installed (Debian package haproxy). ***\n`);
    return;
  }
  if (!existsSync(join(RUNTIME_DIR, 'mlops.js'))) throw new Error(`${RUNTIME_DIR}/mlops.js is missing: npm run build first`);
  engine = await useDockerEngine();
  if (engine) await useNodeServingImage(engine);
  v1 = modelVersion('1');
  v2 = modelVersion('2', { 'NOTES.md': 'version 2: same weights, a note beside them\n' });
  broken = modelVersion('3-broken', {}, true);
});

afterAll(async () => {
  for (const target of targets) await target.stop(() => undefined);
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  if (!engine) return;
  for (const name of deployments) {
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=${name}`] } });
    for (const container of left) await engine.docker.getContainer(container.Id).remove({ force: true });
  }
  // Only this file's images: the swarm test's may be in use alongside.
  for (const model of [v1, v2, broken])
    await engine.docker
      .getImage(servingImageTag(model.name, model.digest))
      .remove({ force: true })
      .catch(() => undefined);
  if (Object.keys(figures).length)
    console.log(
      `docker target figures:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
});

async function newTarget(label: string, extra: { readySeconds?: number; routerImage?: string } = {}) {
  const port = await freePortRange(3);
  const name = `digits-${label}-${process.pid}`;
  deployments.push(name);
  // Not tempDir: its afterAll may run before ours, and stop() needs the state to find the router.
  const stateDir = mkdtempSync(join(tmpdir(), `deploy-docker-${label}-`));
  stateDirs.push(stateDir);
  const target = await createDockerTarget({
    dockerHost: engine!.env.DOCKER_HOST,
    baseImage: NODE_SERVING_IMAGE,
    port,
    name,
    stateDir,
    runtimeDir: RUNTIME_DIR,
    drainSeconds: 10,
    stopGraceSeconds: 5,
    ...extra,
  });
  targets.push(target);
  return { target, url: `http://127.0.0.1:${port}`, stateDir, name, port };
}

const lines: string[] = [];
const plan = (model: DeployableModel, strategy: DeployStrategy, stateDir: string, canaryWeight?: number): DeployPlan => ({
  model,
  strategy,
  stateDir,
  log: (line) => lines.push(line),
  ...(canaryWeight !== undefined ? { canaryWeight } : {}),
});

/** What the deploy stage does, minus preflight and smoke test: start, wait until ready, promote. */
async function deploy(target: DeployTarget, model: DeployableModel, strategy: DeployStrategy, stateDir: string, weight = 100) {
  const started = performance.now();
  const candidate = await target.start(plan(model, strategy, stateDir, weight));
  await waitReady(candidate.directUrl, 60_000);
  const state = await target.promote(plan(model, strategy, stateDir, weight), candidate, weight);
  return { candidate, state, seconds: (performance.now() - started) / 1000 };
}

/** Deploys the broken model as the stage would: start, preflight (fails), discard. Returns how it failed. */
async function deployBroken(target: DeployTarget, stateDir: string, strategy: DeployStrategy): Promise<string> {
  const candidate = await target.start(plan(broken, strategy, stateDir)).catch((error: Error) => error);
  if (candidate instanceof Error) {
    expect(candidate).toBeInstanceOf(ServiceError);
    expect(candidate.message).toMatch(/exited with 1 right after starting; its output ends:\n[\s\S]*model\.onnx/);
    return 'start';
  }
  await expect(waitReady(candidate.directUrl, 15_000)).rejects.toThrow('was not ready');
  await target.discard(candidate);
  return 'preflight';
}

async function versionsThrough(url: string, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const answer = await infer(url);
    const key = answer.ok ? answer.version : `failed: ${answer.error}`;
    seen[key] = (seen[key] ?? 0) + 1;
  }
  return seen;
}

describe('docker target behind HAProxy', () => {
  it('recreate: stops the old version, then the new one serves at the stable address', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir } = await newTarget('recreate');
    expect(await target.current()).toBeUndefined();
    const first = await deploy(target, v1, 'recreate', stateDir);
    expect(first.state).toMatchObject({ url, stable: { digest: v1.digest, version: '1', id: first.candidate.id } });
    expect(first.candidate.image).toBe(`mlops-serve/digits:${v1.digest.slice(7, 19)}`);
    expect(await versionsThrough(url, 5)).toEqual({ '1': 5 });
    const second = await deploy(target, v2, 'recreate', stateDir);
    expect(lines.some((line) => line.startsWith('recreate: stopping 1'))).toBe(true);
    expect(await versionsThrough(url, 5)).toEqual({ '2': 5 });
    expect(await target.current()).toMatchObject({ url, stable: { version: '2', id: second.candidate.id } });
    // The old container is kept stopped for a rollback; the state says which color serves.
    const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ live: { version: '2', color: 'green' }, previous: { version: '1', color: 'blue' } });
    expect((await engine.docker.getContainer(first.candidate.id).inspect()).State.Running).toBe(false);
    figures['recreate: first deploy to serving'] = `${first.seconds.toFixed(1)} s`;
    figures['recreate: second deploy to serving'] = `${second.seconds.toFixed(1)} s`;
  });

  it('blue-green: switches under a continuous load of 4 clients with no failed request, then rolls back the same way', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir } = await newTarget('bluegreen');
    const first = await deploy(target, v1, 'blue-green', stateDir);
    const load = startLoad(url, 4, 120, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const second = await deploy(target, v2, 'blue-green', stateDir);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const during = await load.stop();
    expect(during.failures).toEqual([]);
    expect(during.versions['1']).toBeGreaterThan(20);
    expect(during.versions['2']).toBeGreaterThan(20);
    // Once the new version answered, the old one got at most the requests already on their way.
    const firstNew = during.sequence.indexOf('2');
    expect(during.sequence.slice(firstNew).filter((v) => v === '1').length).toBeLessThanOrEqual(8);
    expect(await versionsThrough(url, 5)).toEqual({ '2': 5 });
    expect((await engine.docker.getContainer(first.candidate.id).inspect()).State.Running).toBe(false);
    figures['blue-green: deploy to serving (under load)'] = `${second.seconds.toFixed(1)} s`;
    figures['blue-green: requests during the switch'] = `${during.requests}, failed ${during.failures.length}`;

    const back = startLoad(url, 4, 120, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    const rolled = await target.rollback((line) => lines.push(line));
    const rollbackSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const duringRollback = await back.stop();
    expect(duringRollback.failures).toEqual([]);
    expect(rolled).toMatchObject({ url, stable: { version: '1', id: first.candidate.id } });
    expect(await versionsThrough(url, 5)).toEqual({ '1': 5 });
    // The rolled-back version is gone; nothing older is left to roll back to.
    await expect(engine.docker.getContainer(second.candidate.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(target.rollback(() => undefined)).rejects.toThrow('nothing to roll back to');
    figures['rollback (under load)'] =
      `${rollbackSeconds.toFixed(1)} s, ${duringRollback.requests} requests, failed ${duringRollback.failures.length}`;
  });

  it('canary at 20 %: about a fifth of requests reach the new version; promoting it to 100 retires the old', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir } = await newTarget('canary');
    await deploy(target, v1, 'blue-green', stateDir);
    const canary = await deploy(target, v2, 'canary', stateDir, 20);
    expect(canary.state).toMatchObject({ stable: { version: '1' }, canary: { version: '2', weight: 20, id: canary.candidate.id } });
    const seen = await versionsThrough(url, 200);
    expect(seen['1']! + seen['2']!).toBe(200);
    expect(seen['2']).toBeGreaterThanOrEqual(25);
    expect(seen['2']).toBeLessThanOrEqual(55);
    figures['canary 20 %: answers of 200 from the new version'] = String(seen['2']);
    // A second deploy waits for the canary's verdict.
    await expect(target.start(plan(v1, 'blue-green', stateDir))).rejects.toThrow('promote it to 100 or roll it back');
    const full = await target.promote(plan(v2, 'canary', stateDir), canary.candidate, 100);
    expect(full).toMatchObject({ stable: { version: '2' } });
    expect(full.canary).toBeUndefined();
    expect(await versionsThrough(url, 10)).toEqual({ '2': 10 });
  });

  it('canary rollback removes the canary and the stable version takes all traffic again', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir } = await newTarget('canaryback');
    await deploy(target, v1, 'blue-green', stateDir);
    const canary = await deploy(target, v2, 'canary', stateDir, 20);
    const rolled = await target.rollback(() => undefined);
    expect(rolled.canary).toBeUndefined();
    expect(rolled.stable).toMatchObject({ version: '1' });
    expect(await versionsThrough(url, 20)).toEqual({ '1': 20 });
    await expect(engine.docker.getContainer(canary.candidate.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a candidate that fails to start, or never gets healthy, is discarded and the old version keeps serving', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir, name } = await newTarget('broken', { readySeconds: 5 });
    const first = await deploy(target, v1, 'blue-green', stateDir);
    const load = startLoad(url, 2, 120, 20_000);
    // The broken model makes mlops serve exit: start says so when it sees the exit, else preflight fails and the stage discards.
    await deployBroken(target, stateDir, 'blue-green');
    // A candidate that dies after start: promote waits for HAProxy's health checks, gives up, the stage discards it.
    const candidate = await target.start(plan(v2, 'blue-green', stateDir));
    await engine.docker.getContainer(candidate.id).kill();
    const promoted = target.promote(plan(v2, 'blue-green', stateDir), candidate, 100);
    await expect(promoted).rejects.toThrow(ServiceError);
    await expect(promoted).rejects.toThrow(/models\/green was not up within 5 s .*; container [0-9a-f]{12} exited with 137/);
    await target.discard(candidate);
    await target.discard(candidate);
    const during = await load.stop();
    expect(during.failures).toEqual([]);
    expect(Object.keys(during.versions)).toEqual(['1']);
    expect(await target.current()).toMatchObject({ stable: { version: '1', id: first.candidate.id } });
    const left = await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=${name}`] } });
    expect(left.map((container) => container.Id)).toEqual([first.candidate.id]);
  });

  it('recreate with a broken candidate brings the old version back', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir } = await newTarget('recreatebroken', { readySeconds: 20 });
    await deploy(target, v1, 'recreate', stateDir);
    await deployBroken(target, stateDir, 'recreate');
    expect(await versionsThrough(url, 5)).toEqual({ '1': 5 });
    expect(await target.current()).toMatchObject({ stable: { version: '1' } });
  });

  it('runs the router in a container from router-image (host network, the socket in a bind-mounted folder)', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    await useHaproxyImage(engine);
    const { target, url, stateDir, name } = await newTarget('routerimage', { routerImage: HAPROXY_IMAGE });
    await deploy(target, v1, 'blue-green', stateDir);
    const { router } = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { router: { mode: string; containerId: string } };
    expect(router.mode).toBe('container');
    expect((await engine.docker.getContainer(router.containerId).inspect()).Config.Image).toBe(HAPROXY_IMAGE);
    const load = startLoad(url, 4, 120, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await deploy(target, v2, 'blue-green', stateDir);
    const during = await load.stop();
    expect(during.failures).toEqual([]);
    expect(during.versions['2']).toBeGreaterThan(0);
    expect(await versionsThrough(url, 5)).toEqual({ '2': 5 });
    await target.stop(() => undefined);
    await expect(engine.docker.getContainer(router.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=${name}`] } })).toEqual([]);
    figures['router container: requests during the switch'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('stop removes the containers and the router', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const { target, url, stateDir, name } = await newTarget('stop');
    await deploy(target, v1, 'blue-green', stateDir);
    const { pid } = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')).router as { pid: number };
    await target.stop(() => undefined);
    expect(await engine.docker.listContainers({ all: true, filters: { label: [`${DEPLOYMENT_LABEL}=${name}`] } })).toEqual([]);
    expect(() => process.kill(pid, 0)).toThrow();
    expect((await infer(url)).ok).toBe(false);
    expect(await target.current()).toBeUndefined();
  });
});
