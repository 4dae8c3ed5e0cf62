import type { ActionSpec } from './action-spec.js';
import { evaluateSpec } from './evaluate.js';
import { trainSpec } from './train.js';
import { validateDataSpec } from './validate-data.js';

/** Every stage action, with its Marketplace branding. The order is the loop's order. */
export const actionCatalog: { spec: ActionSpec; branding: { icon: string; color: string } }[] = [
  { spec: validateDataSpec, branding: { icon: 'check-square', color: 'green' } },
  { spec: trainSpec, branding: { icon: 'cpu', color: 'purple' } },
  { spec: evaluateSpec, branding: { icon: 'bar-chart-2', color: 'blue' } },
];
