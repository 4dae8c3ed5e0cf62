// The deploy stage: resolve and pull the model (and its registered data profile), then on the chosen
// target start it beside the serving version, preflight it, smoke-test it and move traffic to it; on any
// failure the candidate is discarded, the old version keeps serving, and the step fails saying why.
// A GitHub Deployment records it (in progress, then success or failure) unless told not to.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { ProfileJSON } from '../data/profile.js';
import { InputError } from '../errors.js';
import { withLockFile } from '../lock-file.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import { writeRegisteredPredictions } from '../registry/fetch-model.js';
import { readReferrerLayer, referrersOfKind } from '../registry/lineage.js';
import { ANNOTATION_NAME } from '../registry/model-package.js';
import { registryCredentialsFromEnv } from '../registry/env-credentials.js';
import { parseModelReference } from '../registry/open-repository.js';
import { pullModelPackage } from '../registry/pull.js';
import type { OciRepository } from '../registry/oci-repository.js';
import { isDigest } from '../registry/registry-reference.js';
import type { Runtime } from '../runtime/port.js';
import type { DeployInputs } from '../schemas/deploy.js';
import type { StageResult } from '../stage.js';
import { gitOutput } from '../train/git.js';
import { servedModelName, type DeployableModel, type DeployPlan, type DeployTarget, type ServingState } from './deploy-target.js';
import { exampleRequests, httpJson, queryExamples, waitForReady } from './preflight.js';
import { rollOut, type CandidateChecks, type RolloutResult } from './rollout.js';
import { parseSmokeTest, runSmokeTest, type SmokeCase } from './smoke-test.js';
import { leaveOtherTarget, openTarget, targetSettings, writeTargetSettings, type TargetSettings } from './target-settings.js';

/** The github-token input; undefined when absent or when it is the action.yml default unexpanded (the CLI: GITHUB_TOKEN then). */
function givenToken(inputs: DeployInputs): string | undefined {
  const token = inputs['github-token'];
  return token && !token.startsWith('${{') ? token : undefined;
}

/** The folder a model's deploy state lives in: `<state-dir>/deploy/<name>`. */
export function deployStateDir(stateDir: string, name: string): string {
  return join(stateDir, 'deploy', ...name.split('/'));
}

/**
 * The version a deployed model is served as (its `version` label): the reference itself when it is a
 * version tag, else a version tag on the same digest, else the short digest (or the alias).
 */
export async function versionOf(repository: OciRepository, reference: string, digest: string): Promise<string> {
  let version = !isDigest(reference) && /^v?[0-9]/.test(reference) ? reference : undefined;
  if (!version) {
    for (const tag of (await repository.listTags()).filter((t) => /^v?[0-9]/.test(t)).sort()) {
      if ((await repository.getManifest(tag))?.digest === digest) version = tag;
    }
  }
  return version ?? (isDigest(reference) ? digest.slice(7, 19) : reference);
}

/** A model resolved from the registry and pulled (verified) into the deploy state folder. */
async function resolveModel(
  inputs: DeployInputs,
  cwd: string,
  stateDir: string,
  runtime: Runtime,
): Promise<{ model: DeployableModel; profile?: ProfileJSON; stateDir: string }> {
  const fromEnv = registryCredentialsFromEnv(process.env);
  if (fromEnv.password) runtime.mask(fromEnv.password);
  const { repository, reference, where } = parseModelReference(inputs.model, cwd, {
    ...fromEnv,
    ...(givenToken(inputs) ? { githubToken: givenToken(inputs) } : {}),
    log: (line) => runtime.info(line),
  });
  const manifest = await repository.getManifest(reference);
  if (!manifest) throw new InputError(`input 'model': ${reference} does not exist in ${repository.label}`);
  const annotations = (JSON.parse(manifest.bytes.toString('utf8')) as { annotations?: Record<string, string> }).annotations ?? {};
  const name = annotations[ANNOTATION_NAME] ?? basename(where);
  const version = await versionOf(repository, reference, manifest.digest);
  const dir = deployStateDir(stateDir, name);
  // One folder per digest: content-addressed, verified when pulled, never changed while it serves.
  const modelDir = join(dir, 'models', manifest.digest.replace(':', '-'));
  if (!existsSync(modelDir)) {
    const pulled = await pullModelPackage(repository, manifest, modelDir);
    runtime.info(`Pulled ${name} ${version} (${manifest.digest}): ${pulled.files.length} file(s), every digest verified.`);
  } else runtime.info(`${name} ${version} (${manifest.digest}) is already pulled.`);
  let profile: ProfileJSON | undefined;
  let profilePath: string | undefined;
  const [newest] = await referrersOfKind(repository, manifest.digest, 'data-profile');
  if (newest) {
    const { bytes } = await readReferrerLayer(repository, newest);
    profilePath = `${modelDir}.profile.json`;
    await writeFile(profilePath, bytes);
    const { parseProfile } = await import('../data/profile.js');
    profile = parseProfile(bytes.toString('utf8'), profilePath);
    runtime.info(`The registered data profile (${profile.rows} rows) is the drift reference and fills preflight's example request.`);
  }
  const predictionsPath = await writeRegisteredPredictions(repository, manifest.digest, modelDir);
  if (predictionsPath) runtime.info('The registered held-out predictions are the prediction drift reference.');
  return {
    model: {
      reference: `${where}@${manifest.digest}`,
      name,
      version,
      digest: manifest.digest,
      modelDir,
      ...(profilePath ? { profilePath } : {}),
      ...(predictionsPath ? { predictionsPath } : {}),
    },
    ...(profile ? { profile } : {}),
    stateDir: dir,
  };
}

/** The checks of preflight and the smoke test, over HTTP to the candidate's own address. */
function candidateChecks(
  target: DeployTarget,
  servedName: string,
  cases: SmokeCase[] | undefined,
  profile: ProfileJSON | undefined,
): CandidateChecks {
  return {
    ready: (candidate, timeoutMs) =>
      waitForReady(candidate.directUrl, timeoutMs, async () => (target.running ? !(await target.running(candidate)) : false)),
    examples: async (candidate) => {
      try {
        return await queryExamples(candidate.directUrl, await exampleRequests(candidate.directUrl, servedName, cases, profile));
      } catch (error) {
        return `the example requests could not be made: ${(error as Error).message}`;
      }
    },
    ...(cases
      ? {
          smokeTest: async (candidate) => {
            const outcome = await runSmokeTest(cases, (path, body) => httpJson(candidate.directUrl, 'POST', path, body), servedName);
            return outcome.failure ? `case on line ${outcome.failure.line}: ${outcome.failure.reason}` : undefined;
          },
        }
      : {}),
  };
}

function describeServing(state: ServingState | undefined): string {
  if (!state?.stable) return 'nothing';
  return `${state.stable.version}${state.canary ? ` (and canary ${state.canary.version} at ${state.canary.weight} %)` : ''}`;
}

const STEP_WORDS = {
  start: 'could not be started',
  preflight: 'failed preflight',
  'smoke-test': 'failed the smoke test',
  promote: 'could not take traffic',
};

/** A code span (the URL stays readable and is not turned into a link). */
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** The job summary: the verdict first, then the facts. */
function summaryMarkdown(model: DeployableModel, inputs: DeployInputs, result: RolloutResult, deploymentId: number | undefined): string {
  const name = escapeMarkdownText(`${model.name} ${model.version}`);
  const after = describeServing(result.serving);
  const heading =
    result.outcome === 'failed'
      ? `## deploy: failed: ${name} ${STEP_WORDS[result.failure!.step]}; ${escapeMarkdownText(after)} ${after === 'nothing' ? 'serves' : 'still serves'}`
      : result.outcome === 'unchanged'
        ? `## deploy: ${name} already serves at ${code(result.serving!.url)}`
        : `## deploy: ${name} ${inputs.strategy === 'canary' ? `takes ${inputs['canary-weight']} % of traffic` : 'serves'} at ${code(result.serving?.url ?? '')}`;
  const rows = [
    ['model', code(model.reference)],
    ['target, strategy', `${inputs.target}, ${inputs.strategy}${inputs.strategy === 'canary' ? ` (${inputs['canary-weight']} %)` : ''}`],
    ['before', escapeMarkdownText(describeServing(result.previous))],
    ['now', escapeMarkdownText(after)],
    ['blessed (preflight)', result.blessed ? 'yes' : 'no'],
    ...(result.servingAfterMs !== undefined ? [['time to serving', `${(result.servingAfterMs / 1000).toFixed(1)} s`]] : []),
    ...(deploymentId !== undefined ? [['GitHub deployment', String(deploymentId)]] : []),
  ];
  const why = result.failure ? `\n**Why:** ${escapeMarkdownText(result.failure.reason)}\n` : '';
  return `${heading}\n${why}\n| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`;
}

interface GitHubDeployment {
  id: number;
  update(state: 'success' | 'failure', description: string, environmentUrl?: string): Promise<void>;
}

/** Creates the GitHub Deployment (in progress), or says why there is none; a GitHub failure is a warning, never a failed deploy. */
async function startGitHubDeployment(
  inputs: DeployInputs,
  runtime: Runtime,
  model: DeployableModel,
  cwd: string,
  settings: TargetSettings,
): Promise<GitHubDeployment | undefined> {
  if (!inputs['github-deployment']) {
    runtime.info("No GitHub Deployment: github-deployment is false (the job's environment: records one).");
    return undefined;
  }
  const access = await runtime.github(givenToken(inputs));
  if ('unavailable' in access) {
    runtime.info(`No GitHub Deployment: ${access.unavailable}.`);
    return undefined;
  }
  const { createDeployment, setDeploymentStatus } = await import('../github/deployments.js');
  const ref = process.env.GITHUB_SHA || (await gitOutput(cwd, ['rev-parse', 'HEAD']))?.trim();
  if (!ref) {
    runtime.warning('No GitHub Deployment: the commit is not known (GITHUB_SHA is unset and this is not a git checkout).');
    return undefined;
  }
  const logUrl = runtime.runUrl();
  // The serving image's tag is known before it is built: it is named after the model digest.
  const image =
    settings.kind === 'process' ? undefined : (await import('../docker/serving-image.js')).servingImageTag(model.name, model.digest);
  try {
    const id = await createDeployment(access.client, {
      ...access.repository,
      ref,
      environment: inputs.environment,
      description: `${model.name} ${model.version}`,
      payload: { digest: model.digest, model: model.reference, version: model.version, ...(image ? { image } : {}) },
    });
    await setDeploymentStatus(access.client, access.repository, id, {
      state: 'in_progress',
      description: `deploying ${model.name} ${model.version}`,
      ...(logUrl ? { logUrl } : {}),
    });
    runtime.info(`GitHub Deployment ${id} in ${inputs.environment}: in progress.`);
    return {
      id,
      update: async (state, description, environmentUrl) => {
        try {
          await setDeploymentStatus(access.client, access.repository, id, {
            state,
            description,
            ...(environmentUrl ? { environmentUrl } : {}),
            ...(logUrl ? { logUrl } : {}),
          });
        } catch (error) {
          runtime.warning(`GitHub Deployment ${id} could not be set to ${state}: ${(error as Error).message}`);
        }
      },
    };
  } catch (error) {
    runtime.warning(`No GitHub Deployment: ${(error as Error).message}`);
    return undefined;
  }
}

export async function deploy(inputs: DeployInputs, runtime: Runtime): Promise<StageResult> {
  const cwd = resolve(runtime.workspace, inputs['working-directory']);
  let cases: SmokeCase[] | undefined;
  if (inputs['smoke-test']) {
    const path = resolve(cwd, inputs['smoke-test']);
    const text = await readFile(path, 'utf8').catch(() => {
      throw new InputError(`input 'smoke-test': ${inputs['smoke-test']} does not exist (looked in ${cwd})`);
    });
    cases = parseSmokeTest(text, relative(cwd, path) || path);
  }
  if (inputs.strategy !== 'canary' && runtime.input('canary-weight') !== undefined)
    runtime.warning(`canary-weight is ignored: the strategy is ${inputs.strategy}, not canary`);

  const stateRoot = resolve(runtime.workspace, runtime.stateDir);
  const { model, profile, stateDir } = await resolveModel(inputs, cwd, stateRoot, runtime);
  const settings = targetSettings(inputs, model.name);
  const target = await openTarget(settings, stateDir);
  const plan: DeployPlan = {
    model,
    strategy: inputs.strategy,
    ...(inputs.strategy === 'canary' ? { canaryWeight: inputs['canary-weight'] } : {}),
    stateDir,
    log: (line) => runtime.info(line),
  };
  const github = await startGitHubDeployment(inputs, runtime, model, cwd, settings);
  const result = await withLockFile(
    join(stateDir, 'deploy.lock'),
    async () => {
      await leaveOtherTarget(stateDir, settings, plan.log);
      // Saved before anything starts, so `mlops deploy status|rollback|stop` find even a half-done deploy.
      await writeTargetSettings(stateDir, settings);
      return rollOut(target, plan, candidateChecks(target, servedModelName(model.name), cases, profile), {
        tries: inputs.tries,
        maxLoadingSeconds: inputs['max-loading-seconds'],
      });
    },
    { what: `deploying ${model.name}`, waitMs: 10 * 60_000, staleMs: 6 * 60 * 60_000 },
  ).catch(async (error: unknown) => {
    // Not left in progress: the deployment failed (e.g. the model still serves on another kind of target).
    await github?.update('failure', `${model.version}: ${(error as Error).message}`.slice(0, 140));
    throw error;
  });

  const url = result.serving?.url ?? '';
  if (github) {
    if (result.outcome === 'failed') await github.update('failure', `${model.version} ${STEP_WORDS[result.failure!.step]}`);
    else await github.update('success', `${model.version} serves`, url || undefined);
  }
  await runtime.summary(summaryMarkdown(model, inputs, result, github?.id));
  const previous = result.previous?.stable ?? null;
  const newId = result.outcome === 'deployed' ? (result.candidate?.id ?? '') : '';
  const outputs = {
    url,
    image: result.candidate?.image ?? '',
    'container-id': settings.kind === 'swarm' ? '' : newId,
    'service-id': settings.kind === 'swarm' ? newId : '',
    previous: JSON.stringify(previous),
    'deployment-id': github ? String(github.id) : '',
    blessed: String(result.blessed),
  };
  if (result.outcome === 'failed') {
    const still = describeServing(result.serving);
    const recreateNote =
      inputs.strategy === 'recreate' && result.previous?.stable && still === 'nothing'
        ? `; recreate stopped ${result.previous.stable.version} first: \`mlops deploy rollback\` starts it again`
        : '';
    return {
      outputs,
      failure: `deploy: ${model.name} ${model.version} ${STEP_WORDS[result.failure!.step]}: ${result.failure!.reason.replace(/\.+$/, '')}. ${still === 'nothing' ? 'Nothing serves' : `${still} still serves at ${url}`}${recreateNote}`,
    };
  }
  if (result.outcome === 'deployed')
    runtime.info(`${model.name} ${model.version} serves at ${url} (${((result.servingAfterMs ?? 0) / 1000).toFixed(1)} s from start).`);
  return { outputs };
}
