// `mlops run` and the root action: the loop, stage by stage, through the same stage functions the
// actions run (shared/stages.ts, runStage), each with its inputs from mlops.yml and what the stages
// before it produced (train's model to register, register's reference to deploy). Then the loop's own
// step: promote the new version to the production alias, or roll back.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { InputError, ServiceError } from '../errors.js';
import { registryCredentialsFromEnv } from '../registry/env-credentials.js';
import type { StageEntry } from '../stages.js';
import { stages } from '../stages.js';
import type { LoopConfig, LoopEvent } from './loop-config.js';
import { PROMOTE_STEP } from './loop-config.js';
import { planLoop, scheduledRetrain, type LoopFacts, type LoopRequest, type PlannedStep } from './loop-plan.js';

/** How one stage ran: its outputs, whether it succeeded, and where its files are. */
export interface StageRun {
  ok: boolean;
  outputs: Record<string, string>;
  /** The stage's folder of the run (summary.md, run.json, its reports), when it has one. */
  folder?: string;
  /** Why it failed, as the stage said. */
  failure?: string;
}

/** What the loop needs from its host: running a stage (CLI: LocalRuntime; action: GitHubRuntime), logging, the clock. */
export interface LoopHost {
  workspace: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** Runs one stage with these raw inputs; `folder` names its run folder when a stage runs twice (deploy to finish a canary). */
  runStage: (entry: StageEntry, inputs: Record<string, string>, folder: string) => Promise<StageRun>;
  log: (line: string) => void;
  now: () => Date;
}

/** One step of the loop as it went. */
export interface StepOutcome {
  step: string;
  status: 'passed' | 'restored' | 'failed' | 'skipped';
  why: string;
  outputs: Record<string, string>;
  folder?: string;
}

export interface LoopResult {
  ok: boolean;
  plan: PlannedStep[];
  steps: StepOutcome[];
  /** What serves, what the aliases point at, after the loop (for the report). */
  promoted?: { alias: string; version?: string; digest: string };
  rolledBack?: string;
}

/** `<registry>/<name>` of the model: register's registry (default `<state-dir>/registry`) and name. */
export function modelRepositoryOf(config: LoopConfig, host: Pick<LoopHost, 'workspace' | 'stateDir'>): string | undefined {
  const register = config.stages.register ?? {};
  if (!register.name) return undefined;
  const cwd = resolve(host.workspace, register['working-directory'] ?? '.');
  const registry = register.registry ?? join(host.stateDir, 'registry');
  const where = registry.startsWith('oci://') ? registry.replace(/\/+$/, '') : resolve(cwd, registry);
  return `${where}/${register.name}`;
}

/** The production model's facts, or undefined when the alias does not exist (a layout folder not there yet counts). */
async function productionFacts(config: LoopConfig, host: Pick<LoopHost, 'workspace' | 'stateDir' | 'env'>, repository: string) {
  const { looksLikeModelReference, parseModelReference } = await import('../registry/open-repository.js');
  const reference = `${repository}@${config.loop.productionAlias}`;
  if (!repository.startsWith('oci://') && !looksLikeModelReference(reference, host.workspace)) return undefined;
  const parsed = parseModelReference(reference, host.workspace, registryCredentialsFromEnv(host.env));
  const manifest = await parsed.repository.getManifest(parsed.reference);
  if (!manifest) return undefined;
  const [{ readModelDetails }, { readModelTags, versionsOf }] = await Promise.all([
    import('../registry/model-details.js'),
    import('../registry/model-versions.js'),
  ]);
  const details = await readModelDetails(parsed.repository, manifest);
  const versions = versionsOf(await readModelTags(parsed.repository), manifest.digest);
  const trainedAt = details.lineage.some((l) => l.kind === 'run-manifest') ? await trainedTime(reference, host) : undefined;
  return {
    reference,
    digest: manifest.digest,
    ...(versions[0] ? { version: versions[0] } : {}),
    ...(trainedAt ? { trainedAt } : {}),
    hasProfile: details.lineage.some((l) => l.kind === 'data-profile'),
  };
}

/**
 * When the model was trained: the end of the training run its registered run manifest records (of the
 * original run when that one was restored from the cache). Package and referrer times are the commit's
 * (reproducible digests), not when anything happened, so they cannot say how old a model is.
 */
async function trainedTime(reference: string, host: Pick<LoopHost, 'workspace' | 'env'>): Promise<Date | undefined> {
  const { fetchLineageFile } = await import('../registry/model-lineage-file.js');
  const file = await fetchLineageFile(reference, host.workspace, ['run-manifest'], registryCredentialsFromEnv(host.env));
  const manifest = JSON.parse(await readFile(file.path, 'utf8')) as { end?: unknown; restoredFrom?: { end?: unknown } | null };
  const end = manifest.restoredFrom?.end ?? manifest.end;
  const time = typeof end === 'string' ? new Date(end) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

/** The data fingerprint validate-data would output for its `data` input now (sha256 of each file, combined). */
async function dataFingerprintNow(inputs: Record<string, string>, cwd: string): Promise<string> {
  const [{ resolveDataSources }, { dataFingerprint }, { sha256OfFile }] = await Promise.all([
    import('../data/sources.js'),
    import('../data/profile.js'),
    import('../digest.js'),
  ]);
  const patterns = (inputs.data ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const sources = await resolveDataSources(patterns, cwd);
  return dataFingerprint(await Promise.all(sources.map(async (s) => ({ sha256: `sha256:${await sha256OfFile(s.absolute)}` }))));
}

/** train's fingerprint as it would be now, and whether the local cache holds its outputs. */
async function trainCacheFacts(config: LoopConfig, host: Pick<LoopHost, 'workspace' | 'stateDir'>): Promise<LoopFacts['trainCache']> {
  try {
    const raw = { ...(config.stages.train ?? {}) };
    const data = config.stages['validate-data'] ?? {};
    if (!raw['data-fingerprint'] && data.data)
      raw['data-fingerprint'] = await dataFingerprintNow(data, resolve(host.workspace, data['working-directory'] ?? '.'));
    const [{ readInputs }, { trainSpec }, { plannedTrainKey }, { LocalCache }] = await Promise.all([
      import('../schemas/inputs.js'),
      import('../schemas/train.js'),
      import('../train/train.js'),
      import('../runtime/local-store.js'),
    ]);
    const inputs = await readInputs<Parameters<typeof plannedTrainKey>[0]>(trainSpec, (name) => raw[name]);
    const { fingerprint, cacheKey } = await plannedTrainKey(inputs, host);
    const hit = await new LocalCache(join(host.stateDir, 'cache'), host.workspace).has(cacheKey);
    return { fingerprint, hit, where: 'the local cache' };
  } catch (error) {
    if (error instanceof InputError || error instanceof ServiceError) return { problem: error.message };
    throw error;
  }
}

/** The facts a plan depends on, read from the registry and the cache. */
export async function gatherLoopFacts(
  config: LoopConfig,
  host: Pick<LoopHost, 'workspace' | 'stateDir' | 'env' | 'now'>,
  { trainCache }: { trainCache: boolean },
): Promise<LoopFacts> {
  const modelRepository = modelRepositoryOf(config, host);
  const production = modelRepository ? await productionFacts(config, host, modelRepository) : undefined;
  return {
    now: host.now(),
    installed: stages.map((s) => s.spec.name),
    ...(modelRepository ? { modelRepository } : {}),
    ...(production ? { production } : {}),
    ...(trainCache && config.stages.train?.command ? { trainCache: await trainCacheFacts(config, host) } : {}),
  };
}

const WORKSPACE_MARK = '${workspace}';

/** Where the loop keeps the outputs of the stages it ran, for a later run that starts part-way (`--from`). */
function loopOutputsPath(host: Pick<LoopHost, 'stateDir'>): string {
  return join(host.stateDir, 'loop-outputs.json');
}

/** The outputs the last loop in this state folder kept; paths inside the workspace come back under this workspace (another runner's checkout). */
async function readLoopOutputs(host: Pick<LoopHost, 'stateDir' | 'workspace'>): Promise<Record<string, Record<string, string>>> {
  const text = await readFile(loopOutputsPath(host), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const kept = JSON.parse(text) as Record<string, Record<string, string>>;
  const outputs: Record<string, Record<string, string>> = {};
  for (const [stage, values] of Object.entries(kept))
    outputs[stage] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.split(WORKSPACE_MARK).join(host.workspace)]));
  return outputs;
}

async function writeLoopOutputs(
  host: Pick<LoopHost, 'stateDir' | 'workspace'>,
  outputs: Record<string, Record<string, string>>,
): Promise<void> {
  const kept: Record<string, Record<string, string>> = {};
  for (const [stage, values] of Object.entries(outputs))
    kept[stage] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.split(`${host.workspace}/`).join(`${WORKSPACE_MARK}/`)]));
  await writeFileAtomic(loopOutputsPath(host), `${JSON.stringify(kept, null, 2)}\n`);
}

/** Outputs of an earlier stage that a later stage's input takes, when mlops.yml does not set it. */
const FEEDS: Record<string, Record<string, [stage: string, output: string]>> = {
  train: { 'data-fingerprint': ['validate-data', 'fingerprint'] },
  register: {
    'model-path': ['train', 'model-path'],
    'metrics-file': ['train', 'metrics-file'],
    manifest: ['train', 'manifest'],
    profile: ['validate-data', 'profile'],
    evaluation: ['evaluate', 'report-json'],
  },
  deploy: { model: ['register', 'reference'] },
  // The analysis watches what deploy serves: the new version, at deploy's stable address.
  'monitor-gate': { endpoint: ['deploy', 'url'], model: ['register', 'reference'] },
};

/** The absolute path of a stage's path input (relative to its working directory), as another stage must see it. */
function stagePath(config: LoopConfig, host: Pick<LoopHost, 'workspace'>, stage: string, input: string): string | undefined {
  const inputs = config.stages[stage] ?? {};
  const value = inputs[input];
  return value ? resolve(host.workspace, inputs['working-directory'] ?? '.', value) : undefined;
}

/**
 * The raw inputs of `stage` in this run: mlops.yml's, then what earlier stages produced and the loop
 * decides (the baseline is the production model, register adds the staging alias, deploy starts a
 * canary). Inputs mlops.yml sets are never overridden, except where the loop's meaning requires it (said in the log).
 */
function stageInputs(
  stage: string,
  config: LoopConfig,
  context: { event: LoopEvent; facts: LoopFacts; outputs: Record<string, Record<string, string>>; host: LoopHost; profile?: string },
): Record<string, string> {
  const { facts, outputs, host } = context;
  const inputs: Record<string, string> = { ...(config.stages[stage] ?? {}) };
  for (const [input, [from, output]] of Object.entries(FEEDS[stage] ?? {})) {
    const value = outputs[from]?.[output];
    if (inputs[input] === undefined && value) inputs[input] = value;
  }
  const repository = facts.modelRepository;
  switch (stage) {
    case 'validate-data':
      if (context.event === 'schedule') {
        if (context.profile && inputs.reference === undefined) inputs.reference = context.profile;
        // On a schedule drift decides retraining; it must not fail the step before the loop can react.
        if (inputs['fail-on'] === 'drift') {
          host.log(`  (validate-data: fail-on drift read as errors on a scheduled run: drift decides retraining)`);
          inputs['fail-on'] = 'errors';
        }
      }
      break;
    case 'evaluate':
      if (facts.production) {
        if (inputs.baseline && inputs.baseline !== facts.production.reference)
          host.log(`  (evaluate: baseline ${facts.production.reference} instead of ${inputs.baseline}: the loop compares with production)`);
        inputs.baseline = facts.production.reference;
      } else if (inputs.baseline === undefined && inputs.gates?.includes('\n')) {
        // The first version has nothing to be compared with: its rules against a baseline are left out, said here.
        const rules = inputs.gates.split('\n');
        const kept = rules.filter((rule) => !/\bbaseline\b/.test(rule.replace(/#.*$/, '')));
        if (kept.length < rules.length) {
          host.log(
            `  (evaluate: no ${config.loop.productionAlias} model and no baseline yet: ${rules.length - kept.length} rule(s) against the baseline left out)`,
          );
          inputs.gates = kept.join('\n');
        }
      }
      break;
    case 'register': {
      if (inputs['model-path'] === undefined) {
        const model = stagePath(config, host, 'train', 'model-path');
        if (model) inputs['model-path'] = model;
      }
      const predictions = stagePath(config, host, 'evaluate', 'predictions');
      if (inputs.predictions === undefined && predictions && outputs.evaluate) inputs.predictions = predictions;
      if (inputs.registry === undefined) inputs.registry = join(host.stateDir, 'registry');
      const aliases = (inputs.aliases ?? '').split('\n').filter(Boolean);
      if (!aliases.includes(config.loop.stagingAlias)) aliases.push(config.loop.stagingAlias);
      inputs.aliases = aliases.join('\n');
      break;
    }
    case 'deploy':
      if (inputs.model === undefined && repository) inputs.model = `${repository}@${config.loop.stagingAlias}`;
      if (inputs.strategy === undefined) inputs.strategy = 'canary';
      // A canary needs a stable version beside it: the first version takes all traffic at once.
      if (inputs.strategy === 'canary' && !facts.production) {
        inputs.strategy = 'blue-green';
        delete inputs['canary-weight'];
      }
      if (inputs.environment === undefined) inputs.environment = config.loop.productionAlias;
      break;
    case 'monitor-gate': {
      // In a canary the production version serves beside the new one: the rules' `stable` is it (pinned to its
      // version, since on-pass moves the alias). The same digest registered again is no canary of itself.
      const production = facts.production;
      if (inputs.stable === undefined && production && outputs.register?.digest !== production.digest && repository)
        inputs.stable = `${repository}@${production.version ?? production.digest}`;
      // The loop's own decision, unless mlops.yml says otherwise: promote to production on a pass, roll back on a fail.
      if (inputs['on-pass'] === undefined) inputs['on-pass'] = 'promote';
      if (inputs['on-fail'] === undefined) inputs['on-fail'] = 'rollback';
      if (inputs.alias === undefined) inputs.alias = config.loop.productionAlias;
      break;
    }
  }
  return inputs;
}

/** The model a reference names, opened: its repository and manifest. */
async function openModel(reference: string, host: LoopHost) {
  const { parseModelReference } = await import('../registry/open-repository.js');
  const parsed = parseModelReference(reference, host.workspace, registryCredentialsFromEnv(host.env));
  const manifest = await parsed.repository.getManifest(parsed.reference);
  if (!manifest) throw new InputError(`model reference '${reference}' does not exist`);
  return { repository: parsed.repository, manifest };
}

/**
 * When the data changed since the production model was registered (its profile's fingerprint is not
 * this run's), its held-out predictions are of other rows and cannot be paired with the new model's:
 * the baseline is then its registered evaluation's metrics (with their intervals), written to a file,
 * else its training metrics. Undefined when the data is the same (or unknown): production's predictions, paired.
 */
async function productionMetricsOnOtherData(
  production: NonNullable<LoopFacts['production']>,
  fingerprint: string | undefined,
  host: LoopHost,
): Promise<string | undefined> {
  if (!fingerprint || !production.hasProfile) return undefined;
  const { fetchLineageFile } = await import('../registry/model-lineage-file.js');
  const fetch = (kind: 'data-profile' | 'evaluation' | 'metrics') =>
    fetchLineageFile(production.reference, host.workspace, [kind], registryCredentialsFromEnv(host.env)).catch((error: unknown) => {
      if (error instanceof InputError) return undefined;
      throw error;
    });
  const profile = await fetch('data-profile');
  if (!profile) return undefined;
  const registered = (JSON.parse(await readFile(profile.path, 'utf8')) as { fingerprint?: unknown }).fingerprint;
  if (registered === fingerprint) return undefined;
  const name = production.version ?? production.digest;
  const evaluation = await fetch('evaluation');
  const candidate = evaluation
    ? (JSON.parse(await readFile(evaluation.path, 'utf8')) as { metrics?: { candidate?: unknown } }).metrics?.candidate
    : undefined;
  if (candidate && typeof candidate === 'object') {
    const path = join(host.stateDir, 'loop', `${production.digest.replace(':', '-')}.evaluation-metrics.json`);
    await writeFileAtomic(path, `${JSON.stringify(candidate, null, 2)}\n`);
    host.log(
      `  (evaluate: the data changed since ${name} (${String(registered).slice(0, 19)}… → ${fingerprint.slice(0, 19)}…): its predictions are of other rows, so the baseline is its registered evaluation's metrics, unpaired)`,
    );
    return path;
  }
  const metrics = await fetch('metrics');
  if (metrics) host.log(`  (evaluate: the data changed since ${name}: the baseline is its registered training metrics, unpaired)`);
  return metrics?.path;
}

/** Rolls back what deploy started: the process target drops its canary (or returns to the version before); other targets get production again. */
async function rollBack(
  config: LoopConfig,
  facts: LoopFacts,
  host: LoopHost,
  outputs: Record<string, Record<string, string>>,
): Promise<string> {
  const inputs = config.stages.deploy ?? {};
  if ((inputs.target ?? 'process') === 'process') {
    const [{ ProcessTarget }, { deployStateDir }] = await Promise.all([
      import('../deploy/process-target.js'),
      import('../deploy/deploy.js'),
    ]);
    const name = (config.stages.register?.name ?? '').split('/').pop()!;
    const stateDir = deployStateDir(host.stateDir, name);
    const saved = await new ProcessTarget({ stateDir }).readState();
    const state = await new ProcessTarget({ stateDir, port: saved.port, host: saved.host }).rollback((line) => host.log(`  ${line}`));
    return state.stable ? `${state.stable.version} serves again at ${state.url}` : 'nothing serves';
  }
  if (!facts.production) return `nothing to roll back to: no ${config.loop.productionAlias} model (the new version still serves: stop it)`;
  const entry = stages.find((s) => s.spec.name === 'deploy')!;
  const run = await host.runStage(entry, { ...inputs, model: facts.production.reference, strategy: 'blue-green' }, 'deploy-rollback');
  outputs['deploy-rollback'] = run.outputs;
  return run.ok
    ? `${facts.production.version ?? facts.production.digest} serves again`
    : `the rollback deploy failed: ${run.failure ?? ''}`;
}

/**
 * Runs the loop for `request`: plans it, then runs each planned stage in order, feeding each the
 * outputs it needs; stops at the first stage that fails. On a schedule, validate-data's drift (or the
 * production model's age) decides whether the rest runs. The promote step moves the production alias
 * to the new version and finishes a canary, or rolls back when monitor-gate said no.
 */
export async function runLoop(config: LoopConfig, request: LoopRequest, host: LoopHost, facts?: LoopFacts): Promise<LoopResult> {
  const known = facts ?? (await gatherLoopFacts(config, host, { trainCache: false }));
  const plan = planLoop(config, request, known);
  const result: LoopResult = { ok: true, plan, steps: [] };
  // Started part-way (--from, or one job of the reusable workflow): the earlier stages' outputs of the last loop here.
  const outputs: Record<string, Record<string, string>> = request.from !== undefined ? await readLoopOutputs(host) : {};
  let stopped: string | undefined;
  let profile: string | undefined;

  if (request.event === 'schedule' && known.production?.hasProfile && plan.some((s) => s.step === 'validate-data' && s.action !== 'skip')) {
    const { fetchLineageFile } = await import('../registry/model-lineage-file.js');
    profile = (await fetchLineageFile(known.production.reference, host.workspace, ['data-profile'], registryCredentialsFromEnv(host.env)))
      .path;
  }

  for (const planned of plan) {
    const skip = (why: string): void => void result.steps.push({ step: planned.step, status: 'skipped', why, outputs: {} });
    // A failed analysis still ends in the promote step: it rolls back what monitor-gate left serving.
    const settles = planned.step === PROMOTE_STEP && outputs['monitor-gate']?.verdict !== undefined;
    if (stopped && !settles) {
      skip(stopped);
      continue;
    }
    if (planned.action === 'skip') {
      skip(planned.why);
      continue;
    }
    if (planned.step === PROMOTE_STEP) {
      result.steps.push(await promote(config, known, host, outputs, result));
      continue;
    }
    const entry = stages.find((s) => s.spec.name === planned.step)!;
    const inputs = stageInputs(planned.step, config, { event: request.event, facts: known, outputs, host, profile });
    if (planned.step === 'evaluate' && known.production) {
      const metrics = await productionMetricsOnOtherData(known.production, outputs['validate-data']?.fingerprint, host);
      if (metrics) inputs.baseline = metrics;
    }
    host.log(`== ${planned.step}`);
    const run = await host.runStage(entry, inputs, planned.step);
    outputs[planned.step] = run.outputs;
    await writeLoopOutputs(host, outputs);
    const restored = planned.step === 'train' && run.outputs['cache-hit'] === 'true';
    result.steps.push({
      step: planned.step,
      status: run.ok ? (restored ? 'restored' : 'passed') : 'failed',
      why: run.ok ? (restored ? 'outputs restored from the cache' : planned.why) : (run.failure ?? 'failed'),
      outputs: run.outputs,
      ...(run.folder ? { folder: run.folder } : {}),
    });
    if (!run.ok) {
      result.ok = false;
      stopped = `${planned.step} failed`;
      if (planned.step === 'deploy') stopped += ': what served before still serves';
      continue;
    }
    if (request.event === 'schedule' && planned.step === 'validate-data') {
      const decided = scheduledRetrain(config, known);
      const drifted = run.outputs['dataset-drift'] === 'true';
      if (decided === undefined && drifted)
        host.log(`  dataset drift (${(JSON.parse(run.outputs['drifted-columns'] ?? '[]') as string[]).join(', ')}): retraining`);
      else if (decided === undefined)
        stopped = `no drift against ${config.loop.productionAlias}'s profile, and the model is young enough: nothing to retrain`;
      else if (!decided.retrain) stopped = `no retraining: ${decided.why}`;
      else host.log(`  retraining: ${decided.why}`);
      if (stopped) host.log(`  ${stopped}`);
    }
  }
  return result;
}

/** The loop's last step: promote the new version when the gates passed (finishing a canary), else roll back; monitor-gate's decision first. */
async function promote(
  config: LoopConfig,
  facts: LoopFacts,
  host: LoopHost,
  outputs: Record<string, Record<string, string>>,
  result: LoopResult,
): Promise<StepOutcome> {
  const reference = outputs.register?.reference;
  if (!reference)
    return { step: PROMOTE_STEP, status: 'skipped', why: 'register did not run in this loop: nothing new to promote', outputs: {} };
  host.log(`== ${PROMOTE_STEP}`);
  const alias = config.loop.productionAlias;
  const monitor = outputs['monitor-gate'];
  const version = outputs.register?.version;
  const name = version ?? outputs.register?.digest ?? reference;
  if (monitor?.verdict !== undefined && monitor.verdict !== 'pass') {
    result.ok = false;
    // monitor-gate rolled back itself (on-fail rollback): the loop follows; any other decision leaves the canary, so the loop rolls back.
    const how =
      monitor.decision === 'rollback'
        ? `monitor-gate rolled back (${monitorActions(monitor)})`
        : outputs.deploy
          ? await rollBack(config, facts, host, outputs)
          : 'nothing was deployed';
    result.rolledBack = how;
    host.log(`  monitor-gate said ${monitor.verdict}: ${how}; ${alias} unchanged`);
    return { step: PROMOTE_STEP, status: 'failed', why: `monitor-gate said ${monitor.verdict}: ${how}; ${name} not promoted`, outputs: {} };
  }
  const { repository, manifest } = await openModel(reference, host);
  const deployed = outputs.deploy;
  if (monitor?.decision === 'promote') {
    // monitor-gate promoted (on-pass promote): the alias moved and the new version takes all traffic; the loop checks and reports it.
    const at = await repository.getManifest(alias);
    if (at?.digest !== manifest.digest) {
      result.ok = false;
      return {
        step: PROMOTE_STEP,
        status: 'failed',
        why: `monitor-gate said promote, but ${alias} is ${at?.digest ?? 'not set'}, not ${manifest.digest}`,
        outputs: {},
      };
    }
    result.promoted = { alias, ...(version ? { version } : {}), digest: manifest.digest };
    host.log(`  ${alias} → ${name} (monitor-gate promoted it)`);
    return {
      step: PROMOTE_STEP,
      status: 'passed',
      why: `monitor-gate passed and promoted: ${alias} → ${name}${deployed ? `, serving at ${deployed.url}` : ''}`,
      outputs: { alias, version: version ?? '', digest: manifest.digest, previous: facts.production?.digest ?? '' },
    };
  }
  const { moveAlias } = await import('../registry/aliases.js');
  const move = await moveAlias(repository, alias, manifest, {
    action: 'promote',
    ...(version ? { version } : {}),
    now: host.now(),
  });
  result.promoted = { alias, ...(version ? { version } : {}), digest: manifest.digest };
  host.log(`  ${alias} → ${name}${move.moved ? '' : ' (already there)'}`);
  // A canary takes part of the traffic only: deploying the same model blue-green gives it all.
  const deployInputs = stageInputs('deploy', config, { event: 'push', facts, outputs, host });
  if (deployed && deployInputs.strategy === 'canary') {
    const entry = stages.find((s) => s.spec.name === 'deploy')!;
    const rest = { ...deployInputs };
    delete rest['canary-weight'];
    const finish = await host.runStage(entry, { ...rest, strategy: 'blue-green' }, 'deploy-promote');
    outputs['deploy-promote'] = finish.outputs;
    if (!finish.ok) {
      result.ok = false;
      return { step: PROMOTE_STEP, status: 'failed', why: `finishing the canary failed: ${finish.failure ?? ''}`, outputs: finish.outputs };
    }
  }
  const judge = monitor ? 'monitor-gate passed' : "deploy's preflight passed";
  return {
    step: PROMOTE_STEP,
    status: 'passed',
    why: `${judge}: ${alias} → ${name}${deployed ? `, serving at ${outputs['deploy-promote']?.url ?? deployed.url}` : ''}`,
    outputs: { alias, version: version ?? '', digest: manifest.digest, previous: move.from ?? '' },
  };
}

/** What monitor-gate did, from its JSON report (its actions), for the loop's report. */
function monitorActions(monitor: Record<string, string>): string {
  try {
    const report = JSON.parse(readFileSync(monitor.report!.replace(/\.md$/, '.json'), 'utf8')) as { actions?: string[] };
    return report.actions?.join('; ') || 'no action recorded';
  } catch {
    return `see ${monitor.report ?? 'its report'}`;
  }
}
