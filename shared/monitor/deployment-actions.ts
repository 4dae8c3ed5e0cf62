// What a decision does to the deployment, with register's and deploy's own code: `promote` moves the
// alias to the model (recorded in the alias history) and sends it all traffic (deploy, blue-green: a
// canary becomes the only version); `rollback` drops a canary, or moves the alias back along its
// history and redeploys the version it pointed at before.
import { resolve } from 'node:path';
import { deploy, deployStateDir } from '../deploy/deploy.js';
import { openTarget, readTargetSettings, type TargetSettings } from '../deploy/target-settings.js';
import type { DeployTarget, ServingState } from '../deploy/deploy-target.js';
import { ServiceError } from '../errors.js';
import { withLockFile } from '../lock-file.js';
import { moveAlias, rollbackAlias } from '../registry/aliases.js';
import type { Runtime } from '../runtime/port.js';
import { deploySpec, type DeployInputs } from '../schemas/deploy.js';
import { readInputs } from '../schemas/inputs.js';
import { monitorGateSpec, type MonitorGateInputs } from '../schemas/monitor-gate.js';
import type { ServedModel } from './served-model.js';

export interface ActionRecord {
  /** What was done, in words, for the report. */
  done: string[];
  /** deploy's own summaries (Markdown), which the report places after the decision. */
  deploySummaries: string[];
  /** What serves after, when the target says. */
  serving?: ServingState;
}

/**
 * How the deployment is reached: the settings deploy saved (target, port, engine) when there are any,
 * else the inputs; so a promote never moves users' address to a default port or another engine.
 */
async function deploymentSettings(model: ServedModel, inputs: MonitorGateInputs, runtime: Runtime): Promise<TargetSettings> {
  const stateDir = deployStateDir(resolve(runtime.workspace, runtime.stateDir), model.name);
  const saved = await readTargetSettings(stateDir);
  // The runner passes action.yml's defaults as if given: only a value other than the default overrides what deploy saved.
  const given = (name: 'port' | 'target'): boolean => {
    const value = runtime.input(name);
    return value !== undefined && value !== '' && value !== monitorGateSpec.inputs[name].default;
  };
  if (saved && !given('port') && !given('target')) return { ...saved, name: saved.name || model.name };
  return {
    kind: inputs.target,
    name: inputs.target === 'process' ? model.name : model.name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-'),
    port: saved && !given('port') ? saved.port : inputs.port,
    ...(inputs['docker-host'] ? { dockerHost: inputs['docker-host'] } : {}),
    ...(inputs['base-image'] ? { baseImage: inputs['base-image'] } : {}),
  };
}

/** Runs deploy (the stage itself) for `reference`, blue-green, on the same target and port as the deployment. */
async function deployReference(
  model: ServedModel,
  reference: string,
  inputs: MonitorGateInputs,
  runtime: Runtime,
  summaries: string[],
): Promise<void> {
  const settings = await deploymentSettings(model, inputs, runtime);
  const given: Record<string, string | undefined> = {
    model: reference,
    strategy: 'blue-green',
    target: settings.kind,
    port: String(settings.port),
    'docker-host': settings.dockerHost,
    'base-image': settings.baseImage,
    'router-image': settings.routerImage,
    'push-image': settings.pushImage,
    ...(settings.replicas !== undefined ? { replicas: String(settings.replicas) } : {}),
    'github-token': inputs['github-token'],
    'github-deployment': 'false',
    'working-directory': inputs['working-directory'],
  };
  const deployInputs = await readInputs<DeployInputs>(deploySpec, (name) => given[name]);
  // deploy's summary goes into monitor-gate's report, below the decision, rather than above it in the job summary.
  const capturing = new Proxy(runtime, {
    get(target, property) {
      if (property === 'summary')
        return async (markdown: string) => {
          summaries.push(markdown);
          return false;
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const result = await deploy(deployInputs, capturing);
  if (result.failure) throw new ServiceError('deploy', result.failure);
}

async function withTarget<T>(
  model: ServedModel,
  inputs: MonitorGateInputs,
  runtime: Runtime,
  work: (target: DeployTarget) => Promise<T>,
): Promise<T> {
  const stateDir = deployStateDir(resolve(runtime.workspace, runtime.stateDir), model.name);
  const target = await openTarget(await deploymentSettings(model, inputs, runtime), stateDir);
  // The lock deploy takes: a deploy and a rollback never interleave.
  return withLockFile(resolve(stateDir, 'deploy.lock'), () => work(target), {
    what: `changing ${model.name}'s deployment`,
    waitMs: 10 * 60_000,
    staleMs: 6 * 60 * 60_000,
  });
}

/** Promotes `model`: the alias moves to it, and it takes all traffic. */
export async function promoteModel(model: ServedModel, inputs: MonitorGateInputs, runtime: Runtime): Promise<ActionRecord> {
  const done: string[] = [];
  const deploySummaries: string[] = [];
  const runUrl = runtime.runUrl();
  const move = await moveAlias(model.repository, inputs.alias, model.manifest, {
    action: 'promote',
    version: model.version,
    ...(runUrl ? { runUrl } : {}),
    now: new Date(),
  });
  done.push(
    move.moved
      ? `moved alias ${inputs.alias} to ${model.version} (${move.to})${move.from ? `, from ${move.from}` : ''}`
      : `alias ${inputs.alias} already pointed at ${model.version}`,
  );
  await deployReference(model, `${model.where}@${model.manifest.digest}`, inputs, runtime, deploySummaries);
  const serving = await withTarget(model, inputs, runtime, (target) => target.current());
  done.push(`${model.version} takes all traffic${serving ? ` at ${serving.url}` : ''}`);
  return { done, deploySummaries, ...(serving ? { serving } : {}) };
}

/**
 * Rolls `model` back: a canary of it is dropped (the stable version takes all traffic); when the alias
 * points at it, the alias moves back along its history and the version it pointed at before is deployed.
 */
export async function rollBackModel(model: ServedModel, inputs: MonitorGateInputs, runtime: Runtime): Promise<ActionRecord> {
  const done: string[] = [];
  const deploySummaries: string[] = [];
  const log = (line: string): void => runtime.info(line);
  const digest = model.manifest.digest;
  const before = await withTarget(model, inputs, runtime, (target) => target.current());
  if (before?.canary?.digest === digest) {
    const serving = await withTarget(model, inputs, runtime, (target) => target.rollback(log));
    done.push(`dropped the canary ${model.version}; ${serving.stable?.version ?? 'the stable version'} takes all traffic`);
  }
  const aliasAt = await model.repository.getManifest(inputs.alias);
  if (aliasAt?.digest === digest) {
    const runUrl = runtime.runUrl();
    const move = await rollbackAlias(model.repository, inputs.alias, { now: new Date(), ...(runUrl ? { runUrl } : {}) });
    done.push(`moved alias ${inputs.alias} back to ${move.version ?? move.to} (${move.to})`);
    const current = await withTarget(model, inputs, runtime, (target) => target.current());
    if (current?.stable?.digest === digest) {
      await deployReference(model, `${model.where}@${move.to}`, inputs, runtime, deploySummaries);
      done.push(`redeployed ${move.version ?? move.to}`);
    }
  } else if (before?.stable?.digest === digest && !before.canary) {
    // The alias does not name it: the target's own record of what served before is the way back.
    const serving = await withTarget(model, inputs, runtime, (target) => target.rollback(log));
    done.push(`rolled the deployment back to ${serving.stable?.version ?? 'the previous version'}`);
  }
  if (done.length === 0) done.push(`${model.version} neither serves as a canary nor is ${inputs.alias}: nothing to roll back`);
  const serving = await withTarget(model, inputs, runtime, (target) => target.current());
  return { done, deploySummaries, ...(serving ? { serving } : {}) };
}
