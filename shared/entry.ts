import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { setWorkerScript } from './worker-script.js';

/**
 * Starts a bundle: its main program, or — when this same file was started as a worker thread — the
 * profiling work it was given. One file serves both, so a bundle needs no side files. Both are
 * loaded lazily: a thread compiles only what it runs, which keeps start-up and memory small.
 */
export async function startEntry(loadMain: () => Promise<{ run: () => Promise<void> }>, entryUrl: string): Promise<void> {
  if (!isMainThread && (workerData as { kind?: string } | null)?.kind === 'mlops-profile-task') {
    const { runProfileWorker } = await import('./data/parallel-profile.js');
    await runProfileWorker(workerData);
    return;
  }
  // Later steps on the same runner (or a self-hosted machine) start faster from Node's code cache.
  enableCompileCache?.();
  setWorkerScript(fileURLToPath(entryUrl));
  const { run } = await loadMain();
  await run();
}
