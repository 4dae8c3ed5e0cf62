// Azurite's blob service (npm `azurite`, a devDependency) as a child process on 127.0.0.1: a free port,
// in-memory storage, no telemetry. Stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(new URL('../..', import.meta.url).pathname);

/** Azurite's well-known development account (documented, not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts Azurite's blob service; rejects when it has not said where it listens within `timeoutMs`. */
export async function startAzurite(timeoutMs = 30_000): Promise<Azurite> {
  const main = join(repoRoot, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  if (!existsSync(main)) throw new Error(`Azurite is missing (${main}): run npm ci`);
  // Azurite wants Node 22+; the `node` devDependency gives Node 24.
  const node =
    [join(repoRoot, 'node_modules', 'node', 'bin', 'node'), join(repoRoot, 'node_modules', '.bin', 'node')].find((p) => existsSync(p)) ??
    process.execPath;
  const cwd = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child: ChildProcess = spawn(
    node,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '256',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--silent',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => fail(new Error(`Azurite exited with ${code} before listening: ${output}`)));
    child.once('error', fail);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
