import type { ActionSpec } from '../schemas/action-spec.js';
import { evaluateSpec } from '../schemas/evaluate.js';
import { trainSpec } from '../schemas/train.js';
import { validateDataSpec } from '../schemas/validate-data.js';
import type { Stage } from '../stage.js';

/** A stage the CLI can run: its interface, and its implementation loaded on demand (start-up stays small). */
export interface StageEntry {
  spec: ActionSpec;
  load: () => Promise<Stage<never>>;
}

export const stages: Record<string, StageEntry> = {
  'validate-data': {
    spec: validateDataSpec,
    load: async () => (await import('../data/validate-data.js')).validateData as Stage<never>,
  },
  train: {
    spec: trainSpec,
    load: async () => (await import('../train/train.js')).train as Stage<never>,
  },
  evaluate: {
    spec: evaluateSpec,
    load: async () => (await import('../evaluate/evaluate.js')).evaluate as Stage<never>,
  },
};
