// The one interface every deploy target implements (process, docker, swarm), so the deploy stage,
// preflight, the smoke test, GitHub Deployments and the CLI (`mlops deploy status|rollback|stop`) are
// written once. A target only knows how to start a version beside the one serving, move traffic, and
// take a version away; what "ready" and "correct" mean is decided by the stage (preflight, smoke test).

/** The model being deployed: a folder already pulled from the registry and verified. */
export interface DeployableModel {
  /** `<registry>/<name>@sha256:…`, as resolved. */
  reference: string;
  name: string;
  /** The version tag when the reference named one or one points at the digest, else the short digest. */
  version: string;
  digest: string;
  /** The pulled model folder. */
  modelDir: string;
  /** validate-data's profile registered with the model (the drift reference), when there is one. */
  profilePath?: string;
  /** The held-out predictions registered with the model (the prediction drift reference), when there are some. */
  predictionsPath?: string;
}

export type DeployStrategy = 'recreate' | 'blue-green' | 'canary';

export interface DeployPlan {
  model: DeployableModel;
  strategy: DeployStrategy;
  /** Per cent of requests to the new version (canary only). */
  canaryWeight?: number;
  /** Where the target keeps its state (process: pids and ports; docker: container ids) between runs. */
  stateDir: string;
  log: (line: string) => void;
  /** Called by `promote` the moment the new version takes traffic (before the old one has drained), for time-to-serving. */
  onServing?: () => void;
}

/** A version started beside the serving one, not yet taking traffic (recreate: the only one). */
export interface Candidate {
  /** Where the candidate answers directly (preflight and smoke test go here, not through the router). */
  directUrl: string;
  /** container id, service id or pid, for outputs and logs. */
  id: string;
  image?: string;
}

export interface ServingState {
  /** The stable address users call. */
  url: string;
  /** What serves now: digest, version, id; and a canary beside it, with its weight, when there is one. */
  stable?: { digest: string; version: string; id: string; image?: string };
  canary?: { digest: string; version: string; id: string; weight: number; image?: string };
}

export interface DeployTarget {
  readonly kind: 'process' | 'docker' | 'swarm';
  /** What serves now (read from the target's state and checked live), or undefined when nothing does. */
  current(): Promise<ServingState | undefined>;
  /** Starts the new version beside the serving one (recreate may stop the old one first: say so in the log). */
  start(plan: DeployPlan): Promise<Candidate>;
  /** Sends traffic to the candidate: all of it, or `weight` per cent (canary). The old version drains. */
  promote(plan: DeployPlan, candidate: Candidate, weight: number): Promise<ServingState>;
  /** Removes a candidate that failed; the serving version keeps all traffic. Never throws for a candidate already gone. */
  discard(candidate: Candidate): Promise<void>;
  /** Moves all traffic back to the version that served before the last promote, and removes the newer one. */
  rollback(log: (line: string) => void): Promise<ServingState>;
  /** Stops everything this target started. */
  stop(log: (line: string) => void): Promise<void>;
  /**
   * The last lines a candidate wrote (its log), to say why it failed preflight; undefined when the target
   * cannot tell. Optional: added for the process target; the stage works without it.
   */
  logTail?(candidate: Candidate, lines: number): Promise<string | undefined>;
  /** Whether the candidate is still running, so preflight stops waiting for one that exited. Optional, as logTail. */
  running?(candidate: Candidate): Promise<boolean>;
  /** For `mlops deploy status`: the version a rollback goes back to, and the target's own facts (router, replicas). */
  describe?(): Promise<TargetDescription>;
}

export interface TargetDescription {
  previous?: { digest: string; version: string; id?: string; image?: string };
  /** One fact a line, e.g. `router     HAProxy (process) …`. */
  lines: string[];
}

/** The name a model answers to in `/v2/models/{name}`: the last part of its registry name (`team/penguins` → `penguins`). */
export function servedModelName(name: string): string {
  return name.split('/').pop() || name;
}
