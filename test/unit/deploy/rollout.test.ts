// The order of a deployment against a recording fake target: what is started, checked, promoted and
// discarded in each case, and that the old version is what serves after every failure.
import { describe, expect, it } from '@jest/globals';
import type { Candidate, DeployPlan, DeployTarget, ServingState } from '../../../shared/deploy/deploy-target.js';
import { rollOut, type CandidateChecks } from '../../../shared/deploy/rollout.js';

const URL = 'http://127.0.0.1:8080';
const OLD = { digest: 'sha256:old', version: 'v1', id: '100' };

class FakeTarget implements DeployTarget {
  readonly kind = 'process' as const;
  calls: string[] = [];
  serving: ServingState | undefined = { url: URL, stable: OLD };
  private next = 200;
  failStart = false;
  failPromote = false;

  async current(): Promise<ServingState | undefined> {
    return this.serving;
  }
  drainMs = 0;
  async start(): Promise<Candidate> {
    if (this.failStart) throw new Error('port in use');
    const id = String(this.next++);
    this.calls.push(`start ${id}`);
    return { directUrl: `http://127.0.0.1:${id}`, id };
  }
  async promote(plan: DeployPlan, candidate: Candidate, weight: number): Promise<ServingState> {
    this.calls.push(`promote ${candidate.id} ${weight}`);
    if (this.failPromote) throw new Error('proxy gone');
    plan.onServing?.();
    // The old version drains after traffic has moved: that wait is not time to serving.
    if (this.drainMs) await new Promise((resolve) => setTimeout(resolve, this.drainMs));
    const mine = { digest: plan.model.digest, version: plan.model.version, id: candidate.id };
    this.serving = weight === 100 ? { url: URL, stable: mine } : { url: URL, stable: OLD, canary: { ...mine, weight } };
    return this.serving;
  }
  async discard(candidate: Candidate): Promise<void> {
    this.calls.push(`discard ${candidate.id}`);
  }
  async rollback(): Promise<ServingState> {
    throw new Error('not used');
  }
  async stop(): Promise<void> {}
  async logTail(candidate: Candidate): Promise<string> {
    return `log of ${candidate.id}: cannot load model.onnx`;
  }
}

function plan(strategy: DeployPlan['strategy'] = 'blue-green', digest = 'sha256:new'): DeployPlan {
  return {
    model: { reference: `r@${digest}`, name: 'digits', version: 'v2', digest, modelDir: '/m' },
    strategy,
    ...(strategy === 'canary' ? { canaryWeight: 20 } : {}),
    stateDir: '/s',
    log: () => undefined,
  };
}

function checks(overrides: Partial<CandidateChecks> = {}, calls?: string[]): CandidateChecks {
  return {
    ready: async (c) => void calls?.push(`ready ${c.id}`),
    examples: async (c) => void calls?.push(`examples ${c.id}`),
    smokeTest: async (c) => void calls?.push(`smoke ${c.id}`),
    ...overrides,
  };
}

const options = { tries: 2, maxLoadingSeconds: 5 };

describe('rollOut', () => {
  it('blue-green: start, preflight, smoke test, then all traffic', async () => {
    const target = new FakeTarget();
    const result = await rollOut(target, plan(), checks({}, target.calls), options);
    expect(target.calls).toEqual(['start 200', 'ready 200', 'examples 200', 'smoke 200', 'promote 200 100']);
    expect(result).toMatchObject({ outcome: 'deployed', blessed: true, previous: { stable: OLD }, serving: { stable: { version: 'v2' } } });
    expect(result.servingAfterMs).toBeGreaterThanOrEqual(0);
  });

  it('time to serving ends when traffic moves, not when the old version has drained', async () => {
    const target = new FakeTarget();
    target.drainMs = 400;
    const started = Date.now();
    const result = await rollOut(target, plan(), checks(), options);
    // The drain was waited for (a timer may fire a millisecond early by Date.now's clock).
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(result.servingAfterMs).toBeLessThan(300);
  });

  it('canary: promotes with the canary weight', async () => {
    const target = new FakeTarget();
    const result = await rollOut(target, plan('canary'), checks(), options);
    expect(target.calls).toEqual(['start 200', 'promote 200 20']);
    expect(result.serving?.canary).toMatchObject({ version: 'v2', weight: 20 });
  });

  it('starts again when the first try does not load in time, and deploys on the second', async () => {
    const target = new FakeTarget();
    let tries = 0;
    const result = await rollOut(
      target,
      plan(),
      checks({ ready: async () => (++tries === 1 ? 'not ready within 5 s' : undefined) }),
      options,
    );
    expect(target.calls).toEqual(['start 200', 'discard 200', 'start 201', 'promote 201 100']);
    expect(result.outcome).toBe('deployed');
  });

  it('fails preflight after `tries` starts, quoting the log; the old version still serves', async () => {
    const target = new FakeTarget();
    const result = await rollOut(target, plan(), checks({ ready: async () => 'it exited before it was ready' }), options);
    expect(target.calls).toEqual(['start 200', 'discard 200', 'start 201', 'discard 201']);
    expect(result).toMatchObject({ outcome: 'failed', blessed: false, serving: { stable: OLD } });
    expect(result.failure).toEqual({
      step: 'preflight',
      reason: 'try 2 of 2: it exited before it was ready; its log ends:\nlog of 201: cannot load model.onnx',
    });
  });

  it('fails preflight when the example requests are not answered', async () => {
    const target = new FakeTarget();
    const result = await rollOut(target, plan(), checks({ examples: async () => 'example request 1 answered 500' }), options);
    expect(target.calls).toEqual(['start 200', 'discard 200']);
    expect(result).toMatchObject({
      outcome: 'failed',
      blessed: false,
      failure: { step: 'preflight', reason: 'example request 1 answered 500' },
    });
  });

  it('a smoke-test mismatch discards a blessed candidate and never promotes it', async () => {
    const target = new FakeTarget();
    const result = await rollOut(target, plan(), checks({ smokeTest: async () => 'case on line 3: $.y[0]: expected 1, got 2' }), options);
    expect(target.calls).toEqual(['start 200', 'discard 200']);
    expect(result).toMatchObject({ outcome: 'failed', blessed: true, failure: { step: 'smoke-test' }, serving: { stable: OLD } });
  });

  it('a failed promote and a failed start are failures too', async () => {
    const target = new FakeTarget();
    target.failPromote = true;
    expect((await rollOut(target, plan(), checks(), options)).failure).toEqual({ step: 'promote', reason: 'proxy gone' });
    expect(target.calls).toEqual(['start 200', 'promote 200 100', 'discard 200']);
    const broken = new FakeTarget();
    broken.failStart = true;
    expect(await rollOut(broken, plan(), checks(), options)).toMatchObject({
      outcome: 'failed',
      failure: { step: 'start', reason: 'port in use' },
    });
    expect(broken.calls).toEqual([]);
  });

  it('does nothing when that digest already serves; deploys when nothing serves yet', async () => {
    const target = new FakeTarget();
    const same = await rollOut(target, plan('blue-green', OLD.digest), checks(), options);
    expect(same).toMatchObject({ outcome: 'unchanged', blessed: true });
    expect(target.calls).toEqual([]);
    target.serving = undefined;
    expect((await rollOut(target, plan(), checks(), options)).outcome).toBe('deployed');
    expect(target.calls).toEqual(['start 200', 'promote 200 100']);
  });
});
