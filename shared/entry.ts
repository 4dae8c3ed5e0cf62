// The one entry of the build (dist/index.js). Each action's dist/<stage>.js and the CLI's dist/mlops.js
// are two-line files that import this module and call runAction or runCli; all
// else is in chunks loaded on demand, so a stage compiles only what it runs.
import './bundle-globals.js';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { findStage } from './stages.js';
import { setWorkerScript } from './worker-script.js';

function startMainThread(): void {
  // Later steps on the same runner (or a self-hosted machine) start faster from Node's code cache.
  enableCompileCache?.();
  // Profiling threads start from this same file (see the end of it), so the build needs no side files.
  setWorkerScript(fileURLToPath(import.meta.url));
}

/** Runs the stage action called `name` inside a GitHub Actions job (the runner gives its inputs). */
export async function runAction(name: string): Promise<void> {
  startMainThread();
  await reportingBugs(async () => {
    const stage = findStage(name);
    if (!stage) throw new Error(`no stage named ${name}: the build wrote an entry for a stage that does not exist`);
    const [{ runStage }, { GitHubRuntime }, implementation] = await Promise.all([
      import('./stage.js'),
      import('./runtime/github.js'),
      stage.load(),
    ]);
    await runStage(stage.spec, implementation, new GitHubRuntime());
  });
}

/** Runs the root action (action.yml): the whole loop of mlops.yml for the job's event. */
export async function runLoopAction(): Promise<void> {
  startMainThread();
  await reportingBugs(async () => {
    const { runLoopAction: run } = await import('./loop/loop-action.js');
    await run();
  });
}

/** Runs the `mlops` command line of this process. */
export async function runCli(): Promise<void> {
  startMainThread();
  await reportingBugs(async () => {
    const { run } = await import('./cli/main.js');
    await run();
  });
}

/**
 * Runs `work`; an error it lets through (runStage reports the stage's own) is a bug: its stack goes
 * to stderr with TypeScript locations, as Node would print it with source maps on, and the exit code is 1.
 */
async function reportingBugs(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const { sourceMappedStack } = await import('./source-mapped-stack.js');
    process.stderr.write(`mlops hit an unexpected error (a bug in mlops-actions; please report it):\n${sourceMappedStack(error)}\n`);
    process.exitCode = 1;
  }
}

// Started as a worker thread by parallel profiling: do the work it was given, loaded lazily too.
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === 'mlops-profile-task') {
  const { runProfileWorker } = await import('./data/parallel-profile.js');
  await runProfileWorker(workerData);
}
