// How a target starts `mlops` itself in a new process (the serving runtime, the process target's proxy):
// the bundle's own CLI entry, dist/mlops.js beside the running chunk, on this Node.
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { workerScript } from '../worker-script.js';

/**
 * The command line that runs `mlops`: MLOPS_CLI (a path to a built mlops.js, for tests and unusual
 * installs) when set, else dist/mlops.js beside the running bundle. InputError outside a bundle without MLOPS_CLI.
 */
export function mlopsCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.MLOPS_CLI) return [process.execPath, env.MLOPS_CLI];
  const script = workerScript();
  if (script) return [process.execPath, join(dirname(script), 'mlops.js')];
  throw new InputError(
    'the process target starts the built mlops CLI (dist/mlops.js) as a background process, and this run is not from the build: run it from the bundle (npm run build), or set MLOPS_CLI to the path of dist/mlops.js',
  );
}
