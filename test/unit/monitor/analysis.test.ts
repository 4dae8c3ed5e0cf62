import { describe, expect, it } from '@jest/globals';
import { ServiceError } from '../../../shared/errors.js';
import { runAnalysis, type AnalysisClock, type AnalysisOptions, type MeasurementVerdict } from '../../../shared/monitor/analysis.js';

/** A clock that only moves when the analysis sleeps. */
function fakeClock(): AnalysisClock & { slept: number[]; t: number } {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

const base: AnalysisOptions = {
  initialDelayMs: 60_000,
  intervalMs: 30_000,
  count: 5,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccessLimit: 0,
};

/** Runs the analysis over a script of verdicts ('error' throws a ServiceError); returns the result and the times measured. */
async function script(verdicts: MeasurementVerdict[], options: Partial<AnalysisOptions> = {}) {
  const clock = fakeClock();
  const times: number[] = [];
  const result = await runAnalysis(
    { ...base, count: verdicts.length, ...options },
    async (index) => {
      times.push(clock.t);
      const verdict = verdicts[index - 1]!;
      if (verdict === 'error') throw new ServiceError('Prometheus', 'connection refused');
      clock.t += 1234; // a measurement takes time; the schedule does not drift
      return { verdict, index };
    },
    clock,
  );
  return { result, times };
}

describe('runAnalysis: Argo Rollouts semantics', () => {
  it('waits the initial delay, then measures every interval on schedule, and passes when all pass', async () => {
    const { result, times } = await script(['pass', 'pass', 'pass']);
    expect(times).toEqual([60_000, 90_000, 120_000]);
    expect(result.verdict).toBe('pass');
    expect(result.counts).toEqual({ pass: 3, fail: 0, inconclusive: 0, error: 0 });
  });

  it('stops at the first failure beyond failure-limit', async () => {
    const { result } = await script(['pass', 'fail', 'pass', 'pass']);
    expect(result.verdict).toBe('fail');
    expect(result.measurements).toHaveLength(2);
    expect(result.reason).toBe('1 failed measurement, more than failure-limit 0');
    const tolerant = await script(['pass', 'fail', 'pass', 'fail', 'pass'], { failureLimit: 1 });
    expect(tolerant.result.verdict).toBe('fail');
    expect(tolerant.result.measurements).toHaveLength(4);
    const withinLimit = await script(['pass', 'fail', 'pass'], { failureLimit: 1 });
    expect(withinLimit.result.verdict).toBe('pass');
  });

  it('ends inconclusive beyond inconclusive-limit, and never passes on inconclusive measurements alone', async () => {
    expect((await script(['pass', 'inconclusive', 'pass'])).result.verdict).toBe('inconclusive');
    const all = await script(['inconclusive', 'inconclusive'], { inconclusiveLimit: 5 });
    expect(all.result.verdict).toBe('inconclusive');
    expect(all.result.reason).toMatch(/no measurement passed/);
    const lastInconclusive = await script(['pass', 'inconclusive'], { inconclusiveLimit: 5 });
    expect(lastInconclusive.result.verdict).toBe('inconclusive');
  });

  it('counts measurement errors in a row: a blip is not a failure, past the limit the verdict is error', async () => {
    const blip = await script(['error', 'pass', 'error', 'error', 'pass'], { consecutiveErrorLimit: 2 });
    expect(blip.result.verdict).toBe('pass');
    expect(blip.result.counts.error).toBe(3);
    const down = await script(['pass', 'error', 'error', 'error', 'pass'], { consecutiveErrorLimit: 2 });
    expect(down.result.verdict).toBe('error');
    expect(down.result.measurements).toHaveLength(4);
    expect(down.result.reason).toMatch(
      /^3 measurement errors in a row, more than consecutive-error-limit 2: Prometheus: connection refused/,
    );
    const never = await script(['error', 'error']);
    expect(never.result.verdict).toBe('error');
  });

  it('promotes early after consecutive-success-limit passes in a row', async () => {
    const { result } = await script(['pass', 'inconclusive', 'pass', 'pass', 'pass', 'pass'], {
      consecutiveSuccessLimit: 2,
      inconclusiveLimit: 1,
    });
    expect(result.verdict).toBe('pass');
    expect(result.measurements).toHaveLength(4);
    expect(result.reason).toMatch(/2 passing measurements in a row/);
  });

  it('lets any other error through: a bad rule or a bug ends the analysis', async () => {
    await expect(
      runAnalysis(
        base,
        async () => {
          throw new TypeError('bug');
        },
        fakeClock(),
      ),
    ).rejects.toThrow('bug');
  });
});
