import type { EnvironmentFacts } from './environment.js';
import type { KeyFile } from './fingerprint.js';
import { gitOutput, insideGitWorkTree } from './git.js';
import type { FlatMetrics } from './metrics.js';
import type { HashedFile } from './output-files.js';
import type { Params } from './params.js';

/** The commit and ref a run trained, and where its workflow run is. */
export interface SourceFacts {
  commit: string | null;
  ref: string | null;
  workflowRunUrl: string | null;
}

/** Everything needed to reproduce and compare a training run, written as manifest.json. */
export interface TrainManifest {
  kind: 'mlops-train-manifest';
  version: 1;
  runId: string;
  runName: string | null;
  fingerprint: string;
  cacheKey: string;
  cacheHit: boolean;
  command: string;
  workingDirectory: string;
  containerImage: string | null;
  params: Params;
  paramsSource: string | null;
  dataFingerprint: string | null;
  /** Every file the fingerprint covers; `untracked`: those of them git does not track (source 'git'). */
  keyFiles: { source: 'patterns' | 'git' | 'walk'; files: KeyFile[]; untracked: string[] };
  git: { commit: string | null; ref: string | null };
  workflowRunUrl: string | null;
  start: string;
  end: string;
  durationSeconds: number;
  /** null on a cache hit: the command did not run. */
  exitCode: number | null;
  timedOut: boolean;
  environment: EnvironmentFacts;
  model: { path: string; files: HashedFile[] };
  metricsFile: string | null;
  metrics: FlatMetrics;
  learningCurveSteps: number;
  /** Other files the command wrote in the working directory (predictions, reports). */
  outputs: HashedFile[];
  log: string;
  /** On a cache hit: the run whose outputs were restored. */
  restoredFrom: {
    runId: string;
    start: string;
    end: string;
    durationSeconds: number;
    git: { commit: string | null; ref: string | null };
  } | null;
}

async function gitLine(cwd: string, args: string[]): Promise<string | null> {
  if (!insideGitWorkTree(cwd)) return null;
  return (await gitOutput(cwd, args))?.trim() || null;
}

/**
 * The commit, ref and workflow run URL: from GITHUB_SHA, GITHUB_REF and GITHUB_SERVER_URL/
 * GITHUB_REPOSITORY/GITHUB_RUN_ID inside Actions; from `git rev-parse` in `cwd` elsewhere (null
 * when cwd is not in a git repository).
 */
export async function describeSource(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<SourceFacts> {
  const commit = env.GITHUB_SHA || (await gitLine(cwd, ['rev-parse', 'HEAD']));
  let ref = env.GITHUB_REF || null;
  if (!ref && commit) {
    const symbolic = await gitLine(cwd, ['symbolic-ref', '-q', 'HEAD']);
    ref = symbolic ?? null;
  }
  const workflowRunUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
      : null;
  return { commit: commit || null, ref, workflowRunUrl };
}
