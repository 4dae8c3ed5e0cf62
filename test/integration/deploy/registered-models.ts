// A temporary registry (an OCI image layout) holding digits-mlp-onnx as v1, v2 (the same model files
// plus one doc file: another digest) and v3 (a corrupt model.onnx), for the deploy tests; and the
// built CLI the process target starts (dist/mlops.js, from `npm run build`; dist is not committed here).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployStateDir } from '../../../shared/deploy/deploy.js';
import { ProcessTarget, type ProcessState } from '../../../shared/deploy/process-target.js';
import { ImageLayoutRepository } from '../../../shared/registry/image-layout.js';
import { buildModelPackage, pushModelPackage } from '../../../shared/registry/model-package.js';
import { tempDir } from '../../temp-dirs.js';

export const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'digits-mlp-onnx');
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const BUILT_CLI = join(REPO_ROOT, 'dist', 'mlops.js');

/** Throws unless dist/ holds a build with the deploy commands (npm run build of this branch). */
export function requireBuiltCli(): void {
  const dist = join(REPO_ROOT, 'dist');
  const built =
    existsSync(BUILT_CLI) &&
    readdirSync(dist).some((f) => f.endsWith('.index.js') && readFileSync(join(dist, f), 'utf8').includes('MLOPS_PROXY_TOKEN'));
  if (!built)
    throw new Error(`the deploy e2e test runs the build, and ${dist} has no build with mlops deploy proxy: run npm run build first`);
}

/**
 * The environment that makes the process target start `mlops` from the sources (see mlops-from-source.ts):
 * MLOPS_CLI names the entry, NODE_OPTIONS loads tsx in the processes it starts.
 */
export function sourceCliEnv(): Record<string, string> {
  const loader = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  return { MLOPS_CLI: join(import.meta.dirname, 'mlops-from-source.ts'), NODE_OPTIONS: `--import ${loader}` };
}

/**
 * A state folder for the process target that is always cleaned up: `note()` after each deploy remembers
 * every process the target started (proxy, versions, candidates); `cleanup()` stops the target, kills any
 * remembered process still alive, then removes the folder (in that order: stop needs the state file).
 */
export function deployState(prefix: string): { stateDir: string; note: () => void; cleanup: () => Promise<void> } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const stateDir = join(root, '.mlops');
  const pids = new Set<number>();
  const file = join(deployStateDir(stateDir, 'digits'), 'state.json');
  return {
    stateDir,
    note: () => {
      if (!existsSync(file)) return;
      const s = JSON.parse(readFileSync(file, 'utf8')) as ProcessState;
      for (const pid of [s.proxy?.pid, s.stable?.pid, s.canary?.pid, ...s.candidates.map((c) => c.pid)]) if (pid) pids.add(pid);
    },
    cleanup: async () => {
      await new ProcessTarget({ stateDir: deployStateDir(stateDir, 'digits') }).stop(() => undefined).catch(() => undefined);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RegisteredModels {
  /** The folder of layouts (`registry` input); the model is `<registry>/digits@<version>`. */
  registry: string;
  reference: (version: string) => string;
  digests: Record<string, string>;
  /** The fixture's 20 rows: input and the logits PyTorch computed. */
  rows: { input: number[]; logits: number[] }[];
}

/** Registers v1, v2 and v3 of `digits` into a fresh layout. */
export async function registerDigits(): Promise<RegisteredModels> {
  const root = tempDir('deploy-models-');
  const registry = join(root, 'registry');
  const repository = ImageLayoutRepository.open(registry, 'digits');
  const v2 = join(root, 'v2');
  cpSync(FIXTURE, v2, { recursive: true });
  writeFileSync(join(v2, 'README.md'), '# digits v2\nThe same network; this file makes another digest.\n');
  const v3 = join(root, 'v3');
  cpSync(FIXTURE, v3, { recursive: true });
  writeFileSync(join(v3, 'model.onnx'), Buffer.from('this is not an ONNX graph'));
  const digests: Record<string, string> = {};
  for (const [version, dir] of [
    ['v1', FIXTURE],
    ['v2', v2],
    ['v3', v3],
  ] as const) {
    const pkg = await buildModelPackage(dir, { name: 'digits', format: 'onnx' }, { sourceDateEpoch: '1700000000' });
    await pushModelPackage(repository, pkg, version);
    digests[version] = pkg.manifest.digest;
  }
  const rows = readFileSync(join(FIXTURE, 'expected.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { input: number[]; logits: number[] });
  return { registry, reference: (version) => `${join(registry, 'digits')}@${version}`, digests, rows };
}

/** A port free on 127.0.0.1 now. */
export { freePort } from '../../services/local-process.js';
