import { InputError, ServiceError } from './errors.js';
import type { Runtime } from './runtime/port.js';
import type { ActionSpec } from './schemas/action-spec.js';
import { readInputs } from './schemas/inputs.js';
import { sourceMappedStack } from './source-mapped-stack.js';

export type OutputValue = string | number | boolean;

/** What a stage hands back: its outputs, and a failure message when the step must fail (a gate said no). */
export interface StageResult {
  outputs: Record<string, OutputValue>;
  failure?: string;
}

export type Stage<I> = (inputs: I, runtime: Runtime) => Promise<StageResult>;

/**
 * Runs one stage: validates inputs with the action's schema, calls the stage, writes outputs.
 * User mistakes and service failures end the step with one error annotation and no stack trace;
 * anything else is a bug and keeps its stack. Returns true when the step succeeded.
 */
export async function runStage<I>(spec: ActionSpec, stage: Stage<I>, runtime: Runtime): Promise<boolean> {
  try {
    const inputs = await readInputs<I>(spec, (name) => runtime.input(name));
    const result = await stage(inputs, runtime);
    for (const [name, value] of Object.entries(result.outputs)) {
      if (!(name in spec.outputs)) throw new Error(`stage ${spec.name} set undeclared output '${name}'`);
      runtime.setOutput(name, String(value));
    }
    if (result.failure) {
      runtime.fail(result.failure);
      return false;
    }
    return true;
  } catch (error) {
    if (error instanceof InputError) {
      runtime.fail(error.message, { ...error.at, title: `${spec.name}: invalid input` });
    } else if (error instanceof ServiceError) {
      runtime.fail(error.message);
    } else {
      const bug = error instanceof Error ? error : new Error(String(error));
      runtime.info(sourceMappedStack(bug));
      runtime.fail(`${spec.name} hit an unexpected error (a bug in mlops-actions; please report it): ${bug.message}`);
    }
    return false;
  }
}
