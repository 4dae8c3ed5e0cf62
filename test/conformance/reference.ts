import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The upstream specifications (read-only, beside the repository as ../shared/reference, or where
 * MLOPS_REFERENCE_DIR says). Only `npm run conformance` reads them; a missing folder is an error,
 * never a silent pass.
 */
export function referencePath(...parts: string[]): string {
  const root = resolve(process.env.MLOPS_REFERENCE_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'reference'));
  const path = join(root, ...parts);
  if (!existsSync(path))
    throw new Error(`${path} does not exist: npm run conformance needs the upstream specifications (set MLOPS_REFERENCE_DIR)`);
  return path;
}
