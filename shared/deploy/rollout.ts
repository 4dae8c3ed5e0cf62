// The order of a deployment, the same on every target: start the new version beside the serving one,
// preflight it (loads within the time, in `tries` starts; answers example requests), smoke-test it, then
// move traffic. Any failure discards the candidate, so whatever served before keeps serving.
import type { Candidate, DeployPlan, DeployTarget, ServingState } from './deploy-target.js';

/** The checks the stage runs against a candidate; each resolves undefined when it passes, else says why not. */
export interface CandidateChecks {
  /** The model loaded and the runtime reports ready, within `timeoutMs`. */
  ready(candidate: Candidate, timeoutMs: number): Promise<string | undefined>;
  /** The candidate answers the example requests. */
  examples(candidate: Candidate): Promise<string | undefined>;
  /** The smoke test passes; undefined when there is none. */
  smokeTest?(candidate: Candidate): Promise<string | undefined>;
}

export type RolloutStep = 'start' | 'preflight' | 'smoke-test' | 'promote';

export interface RolloutResult {
  outcome: 'deployed' | 'failed' | 'unchanged';
  /** The candidate passed preflight. */
  blessed: boolean;
  /** What served before this run (from `target.current()`). */
  previous?: ServingState;
  /** What serves now (after promote; `previous` after a failure). */
  serving?: ServingState;
  candidate?: Candidate;
  /** The step that failed and why. */
  failure?: { step: RolloutStep; reason: string };
  /** Milliseconds from the start of the rollout to the new version serving. */
  servingAfterMs?: number;
}

export interface RolloutOptions {
  tries: number;
  maxLoadingSeconds: number;
  /** Lines of the candidate's log quoted when it fails to load. */
  logLines?: number;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Deploys `plan.model` to `target`. Never throws for a failing candidate: the result says which step
 * failed and why, after the candidate was discarded. The weight promoted is 100, or the canary weight.
 */
export async function rollOut(
  target: DeployTarget,
  plan: DeployPlan,
  checks: CandidateChecks,
  options: RolloutOptions,
): Promise<RolloutResult> {
  const began = Date.now();
  const previous = await target.current();
  if (previous?.stable?.digest === plan.model.digest && !previous.canary && plan.strategy !== 'canary') {
    plan.log(`${plan.model.version} (${plan.model.digest}) already serves at ${previous.url}: nothing to do.`);
    return { outcome: 'unchanged', blessed: true, previous, serving: previous };
  }
  const failed = async (candidate: Candidate | undefined, step: RolloutStep, reason: string): Promise<RolloutResult> => {
    if (candidate)
      await target.discard(candidate).catch((error: unknown) => plan.log(`Discarding ${candidate.id} failed: ${message(error)}`));
    plan.log(`${step} failed: ${reason}`);
    const serving = await target.current().catch(() => undefined);
    return {
      outcome: 'failed',
      blessed: step === 'smoke-test' || step === 'promote',
      ...(previous ? { previous } : {}),
      ...(serving ? { serving } : {}),
      ...(candidate ? { candidate } : {}),
      failure: { step, reason },
    };
  };

  let candidate: Candidate | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      candidate = await target.start(plan);
    } catch (error) {
      return failed(undefined, 'start', message(error));
    }
    const why = await checks.ready(candidate, options.maxLoadingSeconds * 1000);
    if (!why) break;
    const tail = await target.logTail?.(candidate, options.logLines ?? 5).catch(() => undefined);
    const reason = `try ${attempt} of ${options.tries}: ${why}${tail ? `; its log ends:\n${tail}` : ''}`;
    if (attempt >= options.tries) return failed(candidate, 'preflight', reason);
    plan.log(`preflight ${reason}; starting it again.`);
    await target.discard(candidate);
  }
  const unanswered = await checks.examples(candidate);
  if (unanswered) return failed(candidate, 'preflight', unanswered);
  plan.log(`preflight passed: ${plan.model.version} loaded and answered the example requests (blessed).`);

  const mismatch = await checks.smokeTest?.(candidate);
  if (mismatch) return failed(candidate, 'smoke-test', mismatch);

  const weight = plan.strategy === 'canary' ? (plan.canaryWeight ?? 10) : 100;
  let serving: ServingState;
  // Serving starts when traffic moves, not when promote returns (after the old version has drained).
  let servingAt: number | undefined;
  try {
    serving = await target.promote({ ...plan, onServing: () => (servingAt ??= Date.now()) }, candidate, weight);
  } catch (error) {
    return failed(candidate, 'promote', message(error));
  }
  return {
    outcome: 'deployed',
    blessed: true,
    ...(previous ? { previous } : {}),
    serving,
    candidate,
    servingAfterMs: (servingAt ?? Date.now()) - began,
  };
}
