import type { ActionSpec } from './schemas/action-spec.js';
import { deploySpec } from './schemas/deploy.js';
import { evaluateSpec } from './schemas/evaluate.js';
import { monitorGateSpec } from './schemas/monitor-gate.js';
import { registerSpec } from './schemas/register.js';
import { trainSpec } from './schemas/train.js';
import { validateDataSpec } from './schemas/validate-data.js';
import type { Stage } from './stage.js';

/** One stage of the loop: its interface, its action's branding, and its implementation loaded on demand. */
export interface StageEntry {
  spec: ActionSpec;
  /** Marketplace branding of actions/<name>/action.yml. */
  branding: { icon: string; color: string };
  /** Imported only when the stage runs: start-up stays small, and the build gives each stage its own chunks. */
  load: () => Promise<Stage<never>>;
}

/**
 * Every stage, in the loop's order. The CLI's commands, the build's `dist/<name>.js` entries and the
 * `actions/<name>/action.yml` files that `npm run docs` writes all come from this list: adding a
 * stage is one line here, its schema (shared/schemas/) and its domain module.
 */
export const stages: readonly StageEntry[] = [
  {
    spec: validateDataSpec,
    branding: { icon: 'check-square', color: 'green' },
    load: async () => (await import('./data/validate-data.js')).validateData as Stage<never>,
  },
  {
    spec: trainSpec,
    branding: { icon: 'cpu', color: 'purple' },
    load: async () => (await import('./train/train.js')).train as Stage<never>,
  },
  {
    spec: evaluateSpec,
    branding: { icon: 'bar-chart-2', color: 'blue' },
    load: async () => (await import('./evaluate/evaluate.js')).evaluate as Stage<never>,
  },
  {
    spec: registerSpec,
    branding: { icon: 'package', color: 'orange' },
    load: async () => (await import('./registry/register.js')).register as Stage<never>,
  },
  {
    spec: deploySpec,
    branding: { icon: 'upload-cloud', color: 'gray-dark' },
    load: async () => (await import('./deploy/deploy.js')).deploy as Stage<never>,
  },
  {
    spec: monitorGateSpec,
    branding: { icon: 'activity', color: 'red' },
    load: async () => (await import('./monitor/monitor-gate.js')).monitorGate as Stage<never>,
  },
];

/** The stage called `name`, or undefined. */
export function findStage(name: string): StageEntry | undefined {
  return stages.find((stage) => stage.spec.name === name);
}
