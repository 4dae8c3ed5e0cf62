// The plan `mlops run --dry` prints: per event which steps run, which train restores from the cache,
// which are skipped and why, and which gates decide. Pure: the registry and cache facts are given.
import { describe, expect, it } from '@jest/globals';
import { parseLoopConfig } from '../../../shared/loop/loop-config.js';
import { planLoop, renderPlan, type LoopFacts, type PlannedStep } from '../../../shared/loop/loop-plan.js';

const config = parseLoopConfig(
  `
validate-data:
  data: data/penguins.csv
  schema: schema.yaml
train:
  command: node train.mjs
  model-path: model
evaluate:
  predictions: predictions.csv
  gates: |
    accuracy >= 0.9
    f1_macro >= baseline - 0.005 # no worse than production
register:
  name: penguins
deploy:
  strategy: canary
  canary-weight: 20
loop:
  max-model-age: 30d
`,
  'mlops.yml',
);

const now = new Date('2026-12-02T00:00:00Z');
const installed = ['validate-data', 'train', 'evaluate', 'register', 'deploy'];
const production = { reference: '.mlops/registry/penguins@production', digest: 'sha256:aa', version: 'v3', hasProfile: true };
const facts = (more: Partial<LoopFacts> = {}): LoopFacts => ({ now, installed, modelRepository: '.mlops/registry/penguins', ...more });
const actions = (plan: PlannedStep[]): Record<string, string> => Object.fromEntries(plan.map((s) => [s.step, s.action]));

describe('planLoop', () => {
  it('pull_request: validate, train, evaluate against production; nothing registered or deployed', () => {
    const plan = planLoop(
      config,
      { event: 'pull_request' },
      facts({ production, trainCache: { fingerprint: `sha256:${'b'.repeat(64)}`, hit: false, where: 'the local cache' } }),
    );
    expect(actions(plan)).toEqual({
      'validate-data': 'run',
      train: 'run',
      evaluate: 'run',
      register: 'skip',
      deploy: 'skip',
      promote: 'skip',
    });
    const evaluate = plan.find((s) => s.step === 'evaluate')!;
    expect(evaluate.why).toBe('against production (v3)');
    expect(evaluate.gates).toEqual(['accuracy >= 0.9', 'f1_macro >= baseline - 0.005']);
    expect(plan.find((s) => s.step === 'register')!.why).toBe('pull_request runs validate-data, train, evaluate only');
    expect(plan.find((s) => s.step === 'train')!.why).toMatch(
      /^fingerprint sha256:bbbbbbbbbbbb… not in the local cache: `node train.mjs` runs$/,
    );
  });

  it('push: train restored from the cache when its fingerprint is there; a canary beside production, then promote', () => {
    const plan = planLoop(
      config,
      { event: 'push' },
      facts({ production, trainCache: { fingerprint: `sha256:${'c'.repeat(64)}`, hit: true, where: 'the local cache' } }),
    );
    expect(actions(plan)).toEqual({
      'validate-data': 'run',
      train: 'cached',
      evaluate: 'run',
      register: 'run',
      deploy: 'run',
      promote: 'when',
    });
    expect(plan.find((s) => s.step === 'deploy')!.why).toBe('canary 20 % on process');
    expect(plan.find((s) => s.step === 'register')!.why).toBe('a new version of .mlops/registry/penguins, alias staging');
    expect(plan.find((s) => s.step === 'promote')!.gates).toEqual(["deploy's preflight (monitor-gate not in this run)"]);
  });

  it('push with no production model yet: blue-green, and rules against the baseline left out', () => {
    const plan = planLoop(config, { event: 'push' }, facts());
    expect(plan.find((s) => s.step === 'deploy')!.why).toBe('blue-green on process (no production model yet to run a canary beside)');
    expect(plan.find((s) => s.step === 'evaluate')!.gates).toEqual(['accuracy >= 0.9']);
    expect(plan.find((s) => s.step === 'evaluate')!.why).toBe('against no baseline (no production model yet)');
  });

  it('picks up a stage the build adds (monitor-gate) and lets it decide promotion', () => {
    const plan = planLoop(config, { event: 'push' }, facts({ production, installed: [...installed, 'monitor-gate'] }));
    expect(plan.map((s) => s.step)).toEqual([...installed, 'monitor-gate', 'promote']);
    // No monitor-gate section in this mlops.yml: skipped, and promotion falls back to deploy's preflight.
    expect(plan.find((s) => s.step === 'monitor-gate')).toMatchObject({ action: 'skip', why: 'no monitor-gate section in mlops.yml' });
    // The schema of mlops.yml follows the build's stages; a section for the new stage, as the parser would give it.
    const withSection = { ...config, sections: [...config.sections, 'monitor-gate'], stages: { ...config.stages, 'monitor-gate': {} } };
    const gated = planLoop(withSection, { event: 'push' }, facts({ production, installed: [...installed, 'monitor-gate'] }));
    expect(gated.find((s) => s.step === 'promote')!.gates).toEqual(["monitor-gate's verdict"]);
  });

  it("monitor-gate: the new version at deploy's url against production in a canary, its rules as gates; promote follows it", () => {
    const withGate = parseLoopConfig(
      `deploy:\n  strategy: canary\nmonitor-gate:\n  rules: |\n    error_rate < 0.1\n    drift.share < 0.5 # inputs like training's\n  interval: 5s\n  count: 3\n  load-test: load-test.jsonl\n  load-test-rate: 50\n  on-fail: rollback\n`,
      'mlops.yml',
    );
    const all = [...installed, 'monitor-gate'];
    const canary = planLoop(withGate, { event: 'push' }, facts({ production, installed: all }));
    expect(canary.find((s) => s.step === 'monitor-gate')).toEqual({
      step: 'monitor-gate',
      action: 'run',
      why: "the new version at deploy's url against stable production (v3): 3 measurement(s) every 5s, load test load-test.jsonl at 50/s, on pass promote, on fail rollback",
      gates: ['error_rate < 0.1', 'drift.share < 0.5'],
    });
    expect(canary.find((s) => s.step === 'promote')!.gates).toEqual(["monitor-gate's verdict"]);
    // The first version takes all traffic: nothing to compare it with.
    const first = planLoop(withGate, { event: 'push' }, facts({ installed: all }));
    expect(first.find((s) => s.step === 'monitor-gate')!.why).toMatch(/^the new version at deploy's url: 3 measurement/);
    // No section: promotion is deploy's preflight's.
    const without = planLoop(config, { event: 'push' }, facts({ production, installed: all }));
    expect(without.find((s) => s.step === 'promote')!.gates).toEqual(["deploy's preflight (monitor-gate not in this run)"]);
  });

  it('schedule: the rest is decided by drift, or runs when the model is older than max-model-age, or stops', () => {
    const young = { ...production, trainedAt: new Date('2026-11-25T00:00:00Z') };
    const drift = planLoop(config, { event: 'schedule' }, facts({ production: young }));
    expect(actions(drift)).toEqual({
      'validate-data': 'run',
      train: 'when',
      evaluate: 'run',
      register: 'run',
      deploy: 'run',
      promote: 'when',
    });
    expect(drift.find((s) => s.step === 'train')!.gates).toEqual([
      "dataset drift against production's profile or age 7 d > max-model-age 30d",
    ]);
    expect(drift.find((s) => s.step === 'validate-data')!.why).toBe("data/penguins.csv against schema.yaml, drift against v3's profile");

    const old = planLoop(
      config,
      { event: 'schedule' },
      facts({ production: { ...production, trainedAt: new Date('2026-10-01T00:00:00Z') } }),
    );
    expect(actions(old).train).toBe('run');

    const noProfile = planLoop(config, { event: 'schedule' }, facts({ production: { ...young, hasProfile: false } }));
    expect(noProfile.find((s) => s.step === 'train')).toMatchObject({
      action: 'skip',
      why: 'no retraining: v3 has no data profile to measure drift against',
    });
  });

  it('workflow_dispatch --from and --to: the steps outside are skipped', () => {
    const plan = planLoop(config, { event: 'workflow_dispatch', from: 'register', to: 'deploy' }, facts({ production }));
    expect(actions(plan)).toEqual({
      'validate-data': 'skip',
      train: 'skip',
      evaluate: 'skip',
      register: 'run',
      deploy: 'run',
      promote: 'skip',
    });
    expect(plan[0]!.why).toBe('before --from register');
    expect(plan[5]!.why).toBe('after --to deploy');
  });

  it('loop.events narrows an event; a stage without a section is skipped', () => {
    const narrow = parseLoopConfig(`train:\n  command: x\n  model-path: m\nloop:\n  events:\n    push: [train]\n`, 'mlops.yml');
    const plan = planLoop(narrow, { event: 'push' }, facts());
    expect(actions(plan)).toEqual({
      'validate-data': 'skip',
      train: 'run',
      evaluate: 'skip',
      register: 'skip',
      deploy: 'skip',
      promote: 'skip',
    });
    expect(plan[0]!.why).toBe('not in loop.events.push');
  });

  it('renders one line per step and one per gate', () => {
    const text = renderPlan(planLoop(config, { event: 'pull_request' }, facts({ production })), 'plan');
    expect(text.split('\n')).toEqual([
      'plan',
      '  validate-data  run     data/penguins.csv against schema.yaml',
      '                           gate: fail-on errors',
      '  train          run     `node train.mjs` runs',
      '  evaluate       run     against production (v3)',
      '                           gate: accuracy >= 0.9',
      '                           gate: f1_macro >= baseline - 0.005',
      '  register       skip    pull_request runs validate-data, train, evaluate only',
      '  deploy         skip    pull_request runs validate-data, train, evaluate only',
      '  promote        skip    pull_request runs validate-data, train, evaluate only',
    ]);
  });
});
