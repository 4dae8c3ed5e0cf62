// MLOPS_REGISTRY_USERNAME / MLOPS_REGISTRY_PASSWORD reach every stage that reads or writes an oci://
// registry with users of its own (docker-registry 2.8 with htpasswd): register when its inputs name no
// password, and the model references deploy and monitor-gate resolve. Without them the registry refuses,
// and the stage fails closed naming the registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { resolveServedModel } from '../../../shared/monitor/served-model.js';
import { registryCredentialsFromEnv } from '../../../shared/registry/env-credentials.js';
import { register } from '../../../shared/registry/register.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import type { RegisterInputs } from '../../../shared/schemas/register.js';
import { registryOrSkip, startDockerRegistry, type TestRegistry } from '../../services/docker-registry.js';

let registry: TestRegistry | undefined;
const dir = mkdtempSync(join(tmpdir(), 'env-credentials-'));
const log: string[] = [];

beforeAll(async () => {
  registry = await startDockerRegistry('htpasswd');
  mkdirSync(join(dir, 'model'));
  writeFileSync(join(dir, 'model', 'model.onnx'), 'weights of a model');
});

afterAll(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` with the two variables set as given (absent when undefined), then restores them. */
async function withEnv<T>(values: { username?: string; password?: string }, work: () => Promise<T>): Promise<T> {
  const before = { username: process.env.MLOPS_REGISTRY_USERNAME, password: process.env.MLOPS_REGISTRY_PASSWORD };
  const set = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
  set('MLOPS_REGISTRY_USERNAME', values.username);
  set('MLOPS_REGISTRY_PASSWORD', values.password);
  try {
    return await work();
  } finally {
    set('MLOPS_REGISTRY_USERNAME', before.username);
    set('MLOPS_REGISTRY_PASSWORD', before.password);
  }
}

function registerInputs(more: Partial<RegisterInputs> = {}): RegisterInputs {
  return {
    'model-path': 'model',
    name: 'penguins',
    registry: `${registry!.url}/team`,
    version: 'auto',
    attest: false,
    'working-directory': '.',
    ...more,
  } as RegisterInputs;
}

const runtime = () =>
  new LocalRuntime({ inputs: {}, workspace: dir, log: (line) => log.push(line), env: { SOURCE_DATE_EPOCH: '1767225600' } });

describe('registry credentials from the environment', () => {
  it('reads the pair, leaving out what is empty', () => {
    expect(registryCredentialsFromEnv({ MLOPS_REGISTRY_USERNAME: 'u', MLOPS_REGISTRY_PASSWORD: 'p' })).toEqual({
      username: 'u',
      password: 'p',
    });
    expect(registryCredentialsFromEnv({ MLOPS_REGISTRY_USERNAME: '', MLOPS_REGISTRY_PASSWORD: '' })).toEqual({});
  });

  it('register: refused without them, registers with them (masked), and a password input wins over them', async () => {
    if (!registryOrSkip(registry)) return;
    const { username, password } = registry.credentials!;
    const refused = await withEnv({}, () => register(registerInputs(), runtime())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(new RegExp(`registry ${registry.host.replace(/\./g, '\\.')} requires credentials`));

    log.length = 0;
    const first = await withEnv({ username, password }, () => register(registerInputs(), runtime()));
    expect(first.failure).toBeUndefined();
    expect(first.outputs).toMatchObject({ version: 'v1', reference: `${registry.url}/team/penguins@${first.outputs.digest}` });
    expect(log.join('\n')).not.toContain(password);

    // The inputs name the user and password: a wrong pair in the environment is not used.
    writeFileSync(join(dir, 'model', 'model.onnx'), 'other weights');
    const second = await withEnv({ username: 'nobody', password: 'wrong' }, () =>
      register(registerInputs({ username, password }), runtime()),
    );
    expect(second.outputs.version).toBe('v2');
  });

  it('monitor-gate and deploy resolve a model reference with them, and fail closed without', async () => {
    if (!registryOrSkip(registry)) return;
    const reference = `${registry.url}/team/penguins@v1`;
    const served = await withEnv(registry.credentials!, () =>
      resolveServedModel(reference, 'model', dir, { ...registryCredentialsFromEnv(process.env), log: () => undefined }),
    );
    expect({ name: served.served, version: served.version }).toEqual({ name: 'penguins', version: 'v1' });
    const refused = await resolveServedModel(reference, 'model', dir, { log: () => undefined }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/requires credentials/);
  });
});
