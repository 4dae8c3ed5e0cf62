// Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 for the registry tests: one process per
// test file, storage in a temp dir, in one of three auth modes: anonymous, htpasswd (bcrypt) Basic auth,
// or the Bearer token flow against a loopback token server (test/services/registry-token-server.ts).
// The config is written as JSON, which the registry's YAML parser reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startRegistryTokenServer, type RegistryTokenServer } from './registry-token-server.js';
import { findProgram, freePort, logTail } from './local-process.js';

export type RegistryAuthMode = 'anonymous' | 'htpasswd' | 'token';

export interface TestRegistry {
  /** `127.0.0.1:PORT`, the registry part of an `oci://` reference. */
  host: string;
  /** `oci://127.0.0.1:PORT` */
  url: string;
  auth: RegistryAuthMode;
  /** The user the htpasswd file or the token server knows (absent for anonymous). */
  credentials?: { username: string; password: string };
  tokenServer?: RegistryTokenServer;
  /** Where the registry keeps its files (filesystem driver). */
  storageDir: string;
  /** The file holding a blob's bytes in the storage dir (tests tamper with it). */
  blobDataPath(digest: string): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const START_TRIES = 3;
const USER = { username: 'mlops', password: 'correct horse battery staple' };

/** Resolves once `GET /v2/` answers (200, or 401 when auth is on); rejects if the process exits or time runs out. */
async function waitUntilReady(child: ChildProcess, host: string, logPath: string): Promise<void> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = `exited with ${signal ?? code}`));
  child.once('error', (error) => (exit = error.message));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`docker-registry ${exit}; its log (${logPath}) ends:\n${logTail(logPath)}`);
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `docker-registry did not answer on ${host} within ${START_TIMEOUT_MS / 1000} s; its log (${logPath}) ends:\n${logTail(logPath)}`,
  );
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a docker-registry on a free 127.0.0.1 port. Returns undefined (after one loud line) when
 * docker-registry is not installed outside CI; throws on CI, where .ci/run installs it.
 */
export async function startDockerRegistry(auth: RegistryAuthMode = 'anonymous'): Promise<TestRegistry | undefined> {
  const binary = findProgram('docker-registry');
  if (!binary) {
    const missing = 'docker-registry is not installed (Debian package docker-registry)';
    if (process.env.CI) throw new Error(`CI must run the registry tests, but ${missing}; .ci/run installs it`);
    console.warn(`\n*** REGISTRY TESTS SKIPPED: ${missing}. They run on CI (.ci/run). ***\n`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mlops-test-registry-'));
  const storageDir = join(dir, 'storage');
  const logPath = join(dir, 'registry.log');
  let tokenServer: RegistryTokenServer | undefined;
  let authConfig: Record<string, unknown> | undefined;
  if (auth === 'htpasswd') {
    const htpasswd = join(dir, 'htpasswd');
    // The registry accepts bcrypt only; cost 5 keeps each login fast.
    writeFileSync(htpasswd, `${USER.username}:${bcrypt.hashSync(USER.password, 5)}\n`);
    authConfig = { htpasswd: { realm: 'mlops-test', path: htpasswd } };
  } else if (auth === 'token') {
    tokenServer = await startRegistryTokenServer(dir, USER);
    authConfig = {
      token: {
        realm: tokenServer.realm,
        service: tokenServer.service,
        issuer: tokenServer.issuer,
        rootcertbundle: tokenServer.certificatePath,
      },
    };
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < START_TRIES; attempt++) {
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = {
      version: 0.1,
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } },
      http: { addr: host, secret: 'mlops-test-secret' },
      ...(authConfig ? { auth: authConfig } : {}),
    };
    const configPath = join(dir, 'config.yml');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const log = openSync(logPath, 'a');
    const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', log, log] });
    closeSync(log);
    try {
      await waitUntilReady(child, host, logPath);
    } catch (error) {
      // Another process may have taken the port between freePort() and the registry's bind.
      lastError = error;
      await stopProcess(child);
      continue;
    }
    return {
      host,
      url: `oci://${host}`,
      auth,
      ...(auth !== 'anonymous' ? { credentials: USER } : {}),
      ...(tokenServer ? { tokenServer } : {}),
      storageDir,
      blobDataPath: (digest) => {
        const [algorithm, hex] = digest.split(':');
        return join(storageDir, 'docker/registry/v2/blobs', algorithm, hex.slice(0, 2), hex, 'data');
      },
      stop: async () => {
        await stopProcess(child);
        await tokenServer?.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  await tokenServer?.stop();
  throw lastError;
}

/**
 * For the first line of a registry test: `if (!registryOrSkip(registry)) return;`. Asserts that a
 * skip only happens outside CI, so a test never passes silently where the registry must run.
 */
export function registryOrSkip(registry: TestRegistry | undefined): registry is TestRegistry {
  if (registry) return true;
  expect({ skippedBecauseNoRegistry: true, CI: process.env.CI }).toEqual({ skippedBecauseNoRegistry: true, CI: undefined });
  return false;
}
