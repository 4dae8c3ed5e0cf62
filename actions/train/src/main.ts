import { GitHubRuntime } from '../../../shared/runtime/github.js';
import { trainSpec } from '../../../shared/schemas/train.js';
import { runStage } from '../../../shared/stage.js';
import { train } from '../../../shared/train/train.js';

/** The train action: inputs from the runner, the work in shared/train, outputs back. */
export async function run(): Promise<void> {
  await runStage(trainSpec, train, new GitHubRuntime());
}
