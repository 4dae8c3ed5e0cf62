import type { Location } from '../errors.js';
import type { GitHubClient } from '../github/client.js';

/** The event that started the run (GITHUB_EVENT_NAME / GITHUB_EVENT_PATH), or a local stand-in. */
export interface RunEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** A GitHub repository, as GITHUB_REPOSITORY names it (`owner/name`). */
export interface Repository {
  owner: string;
  repo: string;
}

/** GitHub's API for the run's repository, through a client authenticated with the run's token; or why there is none. */
export type GitHubAccess = { repository: Repository; client: GitHubClient } | { unavailable: string };

/** Where an artifact ended up: an Actions artifact id, or a folder under .mlops/artifacts. */
export interface StoredArtifact {
  name: string;
  location: string;
  id?: number;
}

/** What a provenance statement is about: an artifact's name and digests (`{sha256: hex}`). */
export interface ProvenanceSubject {
  name: string;
  digest: Record<string, string>;
}

/** A signed build-provenance statement: the Sigstore bundle (JSON) and what it holds. */
export interface SignedProvenance {
  bundle: Record<string, unknown>;
  /** The bundle's media type (`application/vnd.dev.sigstore.bundle.v0.3+json`). */
  mediaType: string;
  /** The in-toto predicate type (`https://slsa.dev/provenance/v1`). */
  predicateType: string;
}

/**
 * The one port to the host. Domain code receives a Runtime and never imports @actions/* itself,
 * so the same stage runs inside Actions, in the `mlops` CLI and in tests.
 */
export interface Runtime {
  readonly kind: 'github' | 'local';
  /** The working directory relative paths are resolved against. */
  readonly workspace: string;
  /** The local state folder (.mlops by default). */
  readonly stateDir: string;
  /**
   * The id of this run of the loop; each stage writes under `.mlops/runs/<run-id>/<stage>/`. Stages of
   * one loop share it (locally `--run-id` or MLOPS_RUN_ID); otherwise each stage run gets a new one.
   */
  readonly runId: string;

  /** The raw input, or undefined when not given (an empty string counts as not given). */
  input(name: string): string | undefined;
  setOutput(name: string, value: string): void;
  /**
   * Appends Markdown to the job summary, cut to GitHub's 1 MiB per step (with what this step wrote
   * before) with a note saying where the full report is: `fullReportAt` (Markdown), e.g. an artifact.
   * Returns true when it was cut.
   */
  summary(markdown: string, fullReportAt?: string): Promise<boolean>;

  info(message: string): void;
  debug(message: string): void;
  warning(message: string, at?: Location & { title?: string }): void;
  error(message: string, at?: Location & { title?: string }): void;
  notice(message: string, at?: Location & { title?: string }): void;
  /**
   * Runs `fn` with its log lines in a collapsed group: `::group::` in Actions; in the CLI a progress
   * line on a terminal (the lines themselves hidden), and one closing line saying how many there were
   * and where the full output is kept (`log`). Warnings and errors inside the group are always shown.
   * `verbatim`: the lines are a program's output, shown as the program wrote them, and nothing in them
   * is read as a workflow command (Actions: `::stop-commands::`). Outside such a group, a logged line
   * the runner would read as a command is neutralised: what we log (file names, columns, labels) comes from outside.
   */
  group<T>(name: string, fn: () => Promise<T>, options?: { log?: string; verbatim?: boolean }): Promise<T>;
  /** Resolves when the log written so far has been taken by its reader: back-pressure for a loud program's output. */
  drained(): Promise<void>;
  /** The job's id in the workflow (GITHUB_JOB), or undefined outside a job. */
  job(): string | undefined;
  /** Hides a secret value from every later log line. */
  mask(secret: string): void;
  /** Marks the step failed (exit code 1) with one error annotation, located when `at` is given. */
  fail(message: string, at?: Location & { title?: string }): void;

  /** The event that started the run: the runner's (GITHUB_EVENT_NAME / GITHUB_EVENT_PATH), or a local stand-in. */
  event(): RunEvent;
  /** The web page of the workflow run (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID), or undefined outside Actions. */
  runUrl(): string | undefined;
  /** The repository the run belongs to (GITHUB_REPOSITORY), or undefined when it is not known. */
  repository(): Repository | undefined;
  /**
   * GitHub's API for the run's repository, authenticated with `token` (a stage's `github-token` input;
   * locally GITHUB_TOKEN when it is not given), with retries and a timeout on every request. The
   * token is masked. Returns `unavailable` (a phrase saying what is missing) without a repository or
   * a token: locally that is the normal case.
   */
  github(token?: string): Promise<GitHubAccess>;
  /**
   * Signs an SLSA build-provenance statement of `subjects` with the job's OIDC identity (Sigstore), or
   * says why it cannot here (`unavailable`: outside a GitHub Actions job, or without `id-token: write`).
   * Storing it (GitHub attestations, a registry) is the caller's.
   */
  signProvenance(subjects: ProvenanceSubject[]): Promise<SignedProvenance | { unavailable: string }>;
  /** Stores files as one artifact; fails hard, since a lost artifact is lost work. */
  uploadArtifact(name: string, files: string[], rootDir: string): Promise<StoredArtifact>;
  /** Restores a cache entry into `paths`; returns the matched key, or undefined. Fails soft. */
  restoreCache(paths: string[], key: string, restoreKeys?: string[]): Promise<string | undefined>;
  /** Saves `paths` under `key`. Fails soft: a cache is an optimisation. */
  saveCache(paths: string[], key: string): Promise<boolean>;
}
