// The swarm target on a single-node Swarm made from the test engine (127.0.0.1 only): a service on the
// host network, a rolling update, Swarm's automatic rollback when the new tasks fail, and a rollback asked for.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSwarmTarget } from '../../../shared/deploy/swarm-target.js';
import type { DeployPlan, DeployStrategy, DeployTarget, DeployableModel } from '../../../shared/deploy/deploy-target.js';
import { servingImageTag } from '../../../shared/docker/serving-image.js';
import { InputError, ServiceError } from '../../../shared/errors.js';
import { dockerEngineOrSkip, useDockerEngine, type DockerEngine } from '../../services/docker-engine.js';
import { NODE_SERVING_IMAGE, useNodeServingImage } from '../../services/host-images.js';
import { tempDir } from '../../temp-dirs.js';
import { freePortRange, infer, modelVersion, startLoad, waitReady } from './deploy-fixtures.js';

const RUNTIME_DIR = join(import.meta.dirname, '..', '..', '..', 'dist');
let engine: DockerEngine | undefined;
let initialisedSwarm = false;
let target: DeployTarget;
let url: string;
let stateDir: string;
let v1: DeployableModel;
let v2: DeployableModel;
let broken: DeployableModel;
const lines: string[] = [];
const figures: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(join(RUNTIME_DIR, 'mlops.js'))) throw new Error(`${RUNTIME_DIR}/mlops.js is missing: npm run build first`);
  engine = await useDockerEngine();
  if (!engine) return;
  await useNodeServingImage(engine);
  const info = (await engine.docker.info()) as { Swarm: { LocalNodeState: string } };
  if (info.Swarm.LocalNodeState !== 'active') {
    await engine.docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    initialisedSwarm = true;
  }
  // A file of their own, so their digests and image tags differ from the docker target test's (run alongside).
  v1 = modelVersion('1', { 'TARGET.md': 'swarm\n' });
  v2 = modelVersion('2', { 'TARGET.md': 'swarm\n', 'NOTES.md': 'version 2\n' });
  broken = modelVersion('3-broken', { 'TARGET.md': 'swarm\n' }, true);
  const port = await freePortRange(1);
  url = `http://127.0.0.1:${port}`;
  stateDir = tempDir('deploy-swarm-');
  target = await createSwarmTarget({
    dockerHost: engine.env.DOCKER_HOST,
    baseImage: NODE_SERVING_IMAGE,
    port,
    name: `digits-swarm-${process.pid}`,
    stateDir,
    replicas: 1,
    updateParallelism: 1,
    updateDelaySeconds: 1,
    monitorSeconds: 5,
    startPeriodSeconds: 20,
    settleSeconds: 180,
    runtimeDir: RUNTIME_DIR,
  });
});

afterAll(async () => {
  if (!engine) return;
  await target?.stop(() => undefined).catch(() => undefined);
  // Tasks end after the service is removed; leave the swarm only then, and only if we made it.
  for (let i = 0; i < 100; i++) {
    const left = await engine.docker.listContainers({
      all: true,
      filters: { label: [`com.docker.swarm.service.name=mlops-digits-swarm-${process.pid}`] },
    });
    if (left.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (initialisedSwarm) {
    await engine.docker.swarmLeave({ force: true });
    // swarm init made this bridge (no traffic goes through it: services use the host network); leave keeps it.
    await engine.docker
      .getNetwork('docker_gwbridge')
      .remove()
      .catch(() => undefined);
  }
  for (const model of [v1, v2, broken])
    await engine.docker
      .getImage(servingImageTag(model.name, model.digest))
      .remove({ force: true })
      .catch(() => undefined);
  console.log(
    `swarm target figures:\n${Object.entries(figures)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`,
  );
});

const plan = (model: DeployableModel, strategy: DeployStrategy = 'blue-green'): DeployPlan => ({
  model,
  strategy,
  stateDir,
  log: (line) => lines.push(line),
});

async function deploy(model: DeployableModel) {
  const started = performance.now();
  const candidate = await target.start(plan(model));
  await waitReady(candidate.directUrl, 30_000);
  const state = await target.promote(plan(model), candidate, 100);
  return { candidate, state, seconds: (performance.now() - started) / 1000 };
}

async function versionsThrough(count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const answer = await infer(url);
    const key = answer.ok ? answer.version : 'failed';
    seen[key] = (seen[key] ?? 0) + 1;
  }
  return seen;
}

describe('swarm target on a single-node Swarm', () => {
  it('creates the service, then moves it to a new version by a rolling update', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    expect(await target.current()).toBeUndefined();
    const first = await deploy(v1);
    expect(first.state).toMatchObject({ url, stable: { version: '1', digest: v1.digest, id: first.candidate.id } });
    expect(await versionsThrough(5)).toEqual({ '1': 5 });
    // Swarm runs the image by id, so the engine never tries to pull it.
    const service = await engine.docker.getService(first.candidate.id).inspect();
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(service.Spec.UpdateConfig).toMatchObject({ FailureAction: 'rollback', Order: 'stop-first', Parallelism: 1 });
    expect(service.Spec.TaskTemplate.ContainerSpec.Healthcheck.Test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);

    const load = startLoad(url, 2, 180, 50_000);
    const second = await deploy(v2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const during = await load.stop();
    expect(second.candidate.id).toBe(first.candidate.id);
    expect(await versionsThrough(5)).toEqual({ '2': 5 });
    expect(await target.current()).toMatchObject({ stable: { version: '2', digest: v2.digest } });
    expect(during.versions['1']).toBeGreaterThan(0);
    expect(during.versions['2']).toBeGreaterThan(0);
    figures['first deploy (service create) to serving'] = `${first.seconds.toFixed(1)} s`;
    figures['rolling update to serving'] = `${second.seconds.toFixed(1)} s`;
    // stop-first on one node: the port is free for a moment, so some requests fail (documented).
    figures['requests during the update (1 replica, stop-first)'] = `${during.requests}, failed ${during.failures.length}`;
  });

  it('rolls back by itself when the new tasks fail, and says so', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const started = performance.now();
    const attempt = target.start(plan(broken));
    await expect(attempt).rejects.toThrow(ServiceError);
    await expect(attempt).rejects.toThrow(/failed \(rollback_completed.*Swarm rolled it back and 2 serves again/s);
    figures['failed update to rolled back'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    await waitReady(url, 30_000);
    expect(await versionsThrough(5)).toEqual({ '2': 5 });
    expect(await target.current()).toMatchObject({ stable: { version: '2' } });
  });

  it('rolls back to the previous version when asked', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    const started = performance.now();
    const state = await target.rollback((line) => lines.push(line));
    figures['rollback asked for'] = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    expect(state).toMatchObject({ stable: { version: '1', digest: v1.digest } });
    await waitReady(url, 30_000);
    expect(await versionsThrough(5)).toEqual({ '1': 5 });
  });

  it('refuses a canary: Swarm has no weights', async () => {
    if (!dockerEngineOrSkip(engine)) return;
    await expect(target.start(plan(v2, 'canary'))).rejects.toThrow(InputError);
  });
});
