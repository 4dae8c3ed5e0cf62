// The analysis loop, with Argo Rollouts' AnalysisRun semantics: wait `initialDelay`, then take a
// measurement every `interval`, at most `count` of them. Failed measurements beyond `failureLimit` fail
// the analysis at once, inconclusive ones beyond `inconclusiveLimit` end it inconclusive, measurement
// errors in a row beyond `consecutiveErrorLimit` end it with `error` (one blip is not a failure), and
// `consecutiveSuccessLimit` passes in a row end it early with a pass. It never passes without evidence:
// an analysis with no passing measurement, or whose last measurement did not pass, does not pass.
import { ServiceError } from '../errors.js';

export type MeasurementVerdict = 'pass' | 'fail' | 'inconclusive' | 'error';
export type AnalysisVerdict = MeasurementVerdict;

export interface AnalysisOptions {
  initialDelayMs: number;
  intervalMs: number;
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  /** 0: off. */
  consecutiveSuccessLimit: number;
}

/** Time, injected so that tests run the loop on a fake clock. */
export interface AnalysisClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: AnalysisClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A measurement that could not be taken (the service did not answer). */
export interface MeasurementError {
  index: number;
  at: string;
  verdict: 'error';
  error: string;
}

export interface AnalysisResult<M> {
  verdict: AnalysisVerdict;
  /** One sentence: why the analysis ended as it did. */
  reason: string;
  measurements: (M | MeasurementError)[];
  counts: { pass: number; fail: number; inconclusive: number; error: number };
}

/**
 * Runs the analysis: `measure(index)` takes measurement `index` (1-based) and says its verdict; a
 * ServiceError it throws is a measurement error (counted, not a failure, until the error limit). Any
 * other error (a bad rule: InputError; a bug) ends the analysis by propagating.
 */
export async function runAnalysis<M extends { verdict: MeasurementVerdict }>(
  options: AnalysisOptions,
  measure: (index: number) => Promise<M>,
  clock: AnalysisClock = realClock,
  log: (line: string) => void = () => undefined,
): Promise<AnalysisResult<M>> {
  const measurements: (M | MeasurementError)[] = [];
  const counts = { pass: 0, fail: 0, inconclusive: 0, error: 0 };
  let consecutiveErrors = 0;
  let consecutiveSuccesses = 0;
  const start = clock.now();
  const done = (verdict: AnalysisVerdict, reason: string): AnalysisResult<M> => ({ verdict, reason, measurements, counts });

  for (let index = 1; index <= options.count; index++) {
    // Measurements keep to their schedule however long each takes.
    const due = start + options.initialDelayMs + (index - 1) * options.intervalMs;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait);
    let measurement: M | MeasurementError;
    try {
      measurement = await measure(index);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      measurement = { index, at: new Date(clock.now()).toISOString(), verdict: 'error', error: error.message };
    }
    measurements.push(measurement);
    counts[measurement.verdict]++;
    log(`measurement ${index} of ${options.count}: ${measurement.verdict}${'error' in measurement ? ` (${measurement.error})` : ''}`);

    if (measurement.verdict === 'error') {
      consecutiveErrors++;
      consecutiveSuccesses = 0;
      if (consecutiveErrors > options.consecutiveErrorLimit)
        return done(
          'error',
          `${consecutiveErrors} measurement errors in a row, more than consecutive-error-limit ${options.consecutiveErrorLimit}: ${(measurement as MeasurementError).error}`,
        );
      continue;
    }
    consecutiveErrors = 0;
    if (measurement.verdict === 'fail') {
      consecutiveSuccesses = 0;
      if (counts.fail > options.failureLimit)
        return done(
          'fail',
          `${counts.fail} failed measurement${counts.fail === 1 ? '' : 's'}, more than failure-limit ${options.failureLimit}`,
        );
    } else if (measurement.verdict === 'inconclusive') {
      consecutiveSuccesses = 0;
      if (counts.inconclusive > options.inconclusiveLimit)
        return done(
          'inconclusive',
          `${counts.inconclusive} inconclusive measurement${counts.inconclusive === 1 ? '' : 's'}, more than inconclusive-limit ${options.inconclusiveLimit}`,
        );
    } else {
      consecutiveSuccesses++;
      if (options.consecutiveSuccessLimit > 0 && consecutiveSuccesses >= options.consecutiveSuccessLimit)
        return done(
          'pass',
          `${consecutiveSuccesses} passing measurements in a row (consecutive-success-limit), after ${index} of ${options.count}`,
        );
    }
  }
  const last = measurements[measurements.length - 1];
  if (counts.pass === 0)
    return done(
      counts.error > 0 && counts.inconclusive === 0 && counts.fail === 0 ? 'error' : 'inconclusive',
      counts.error === measurements.length
        ? `every measurement failed to be taken (${counts.error})`
        : 'no measurement passed: nothing shows the model healthy',
    );
  if (last && last.verdict !== 'pass')
    return done(
      last.verdict === 'error' ? 'error' : 'inconclusive',
      `the last measurement was ${last.verdict === 'error' ? 'an error' : last.verdict}: the analysis ended without a measurement that shows the model healthy now`,
    );
  return done('pass', `${counts.pass} of ${measurements.length} measurements passed, within the limits`);
}
