// `attest: true` fails closed where no workflow identity exists: an InputError naming the input,
// before anything is packaged into the registry.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { attestationSubjectName, register } from '../../../shared/registry/register.js';
import { registryLocation } from '../../../shared/registry/open-repository.js';
import { LocalRuntime } from '../../../shared/runtime/local.js';
import type { RegisterInputs } from '../../../shared/schemas/register.js';

const dir = mkdtempSync(join(tmpdir(), 'register-attest-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputs = (attest: boolean): RegisterInputs => ({
  'model-path': 'model',
  name: 'penguins',
  registry: '.mlops/registry',
  version: 'auto',
  attest,
  'github-token': 'ghs_local',
  'working-directory': '.',
});

describe('register with attest outside GitHub Actions', () => {
  it('is an input error naming the input, and registers nothing', async () => {
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'model.onnx'), 'not really onnx');
    const log: string[] = [];
    const runtime = new LocalRuntime({
      inputs: {},
      workspace: dir,
      log: (line) => log.push(line),
      env: { SOURCE_DATE_EPOCH: '1767225600' },
    });
    const error = await register(inputs(true), runtime).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(
      /^input 'attest' is true, but this run is outside GitHub Actions: .*id-token: write.*set attest: false$/,
    );
    expect(existsSync(join(dir, '.mlops', 'registry', 'penguins', 'index.json'))).toBe(false);
    expect(await runtime.signProvenance()).toEqual({ unavailable: expect.stringContaining('outside GitHub Actions') });
    // The same run with attest: false registers (the refusal above is the input's, not the model's).
    const result = await register(inputs(false), runtime);
    expect(result.outputs.version).toBe('v1');
    expect(result.outputs['attestation-id']).toBeUndefined();
  });

  it('names the subject as cosign and gh do: the image name without oci://, or the layout path', () => {
    expect(attestationSubjectName(registryLocation('oci://ghcr.io/acme/', dir), 'penguins')).toBe('ghcr.io/acme/penguins');
    expect(attestationSubjectName(registryLocation('.mlops/registry', dir), 'team/penguins')).toBe('.mlops/registry/team/penguins');
  });
});
