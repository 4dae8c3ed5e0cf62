let script: string | undefined;

/** Records which bundle file to start as a worker thread (each entry point sets itself). */
export function setWorkerScript(path: string): void {
  script = path;
}

/** The bundle to start worker threads from; undefined outside a bundle (tests), where work stays on one thread. */
export function workerScript(): string | undefined {
  return script;
}
