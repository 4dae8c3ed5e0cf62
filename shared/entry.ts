import { isMainThread, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { isProfileWorker, runProfileWorker, useWorkerScript } from './data/parallel-profile.js';

/**
 * Starts a bundle: the main program, or — when this same file was started as a worker thread —
 * the profiling work it was given. One file serves both, so a bundle needs no side files.
 */
export async function startEntry(main: () => Promise<void>, entryUrl: string): Promise<void> {
  if (!isMainThread && isProfileWorker(workerData)) {
    await runProfileWorker(workerData);
    return;
  }
  useWorkerScript(fileURLToPath(entryUrl));
  await main();
}
