import { validateData } from '../../../shared/data/validate-data.js';
import { GitHubRuntime } from '../../../shared/runtime/github.js';
import { validateDataSpec } from '../../../shared/schemas/validate-data.js';
import { runStage } from '../../../shared/stage.js';

/** The validate-data action: inputs from the runner, the work in shared/data, outputs back. */
export async function run(): Promise<void> {
  await runStage(validateDataSpec, validateData, new GitHubRuntime());
}
