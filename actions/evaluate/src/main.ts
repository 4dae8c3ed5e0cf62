import { evaluate } from '../../../shared/evaluate/evaluate.js';
import { GitHubRuntime } from '../../../shared/runtime/github.js';
import { evaluateSpec } from '../../../shared/schemas/evaluate.js';
import { runStage } from '../../../shared/stage.js';

/** The evaluate action: inputs from the runner, the work in shared/evaluate, outputs back. */
export async function run(): Promise<void> {
  await runStage(evaluateSpec, evaluate, new GitHubRuntime());
}
