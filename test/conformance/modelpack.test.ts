// What the register stage packages is valid under the upstream ModelPack specification: its config
// under modelpack/model-spec's config-schema.json (JSON Schema 2020-12), its media types among
// mediatype.go's constants.
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModelPackage } from '../../shared/registry/model-package.js';
import { modelPackConfigJsonSchema } from '../../shared/schemas/modelpack-config.js';
import { tempDir } from '../temp-dirs.js';
import { referencePath } from './reference.js';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'digits-mlp-onnx');

function upstreamConfigValidator(): (config: unknown) => string[] {
  // Upstream's `format: date-time` needs ajv-formats; our own schema checks those fields as RFC 3339.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const check = ajv.compile(JSON.parse(readFileSync(referencePath('modelpack', 'config-schema.json'), 'utf8')));
  return (config) => (check(config) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** Every media type constant in upstream's mediatype.go. */
function upstreamMediaTypes(): Set<string> {
  const source = readFileSync(referencePath('modelpack', 'mediatype.go'), 'utf8');
  return new Set([...source.matchAll(/=\s*"(application\/vnd\.cncf\.model\.[^"]+)"/g)].map((match) => match[1]));
}

describe('ModelPack packages against the upstream specification', () => {
  const validate = upstreamConfigValidator();

  it('writes configs the upstream schema accepts, minimal and full', async () => {
    const dir = tempDir('conformance-modelpack-');
    for (const name of ['model.onnx', 'model.onnx.data']) copyFileSync(join(fixture, name), join(dir, name));
    writeFileSync(join(dir, 'README.md'), '# digits');
    writeFileSync(join(dir, 'serve.py'), 'print(1)');
    const minimal = await buildModelPackage(dir, { name: 'digits' }, { sourceDateEpoch: '0' });
    const full = await buildModelPackage(
      dir,
      {
        name: 'digits',
        version: 'v3',
        revision: 'ffac537e6cbbf934b08745a378932722df287a53',
        sourceUrl: 'https://github.com/octo-org/ml-repo',
        title: 'Digits MLP',
        description: 'An MLP on the digits data',
        authors: ['ML team'],
        vendor: 'Octo',
        family: 'mlp',
        licenses: ['MIT'],
        docUrl: 'https://github.com/octo-org/ml-repo#readme',
        datasetsUrls: ['https://scikit-learn.org/stable/datasets/toy_dataset.html#digits-dataset'],
        architecture: 'mlp',
        paramSize: '0.1k',
        precision: 'float32',
        quantization: 'none',
      },
      { sourceDateEpoch: '1700000000' },
    );
    for (const pkg of [minimal, full]) expect(validate(JSON.parse(pkg.config.bytes.toString()))).toEqual([]);
    const mediaTypes = upstreamMediaTypes();
    for (const pkg of [minimal, full]) {
      expect(mediaTypes.has(pkg.manifestJson.config.mediaType)).toBe(true);
      expect(mediaTypes.has(pkg.manifestJson.artifactType!)).toBe(true);
      for (const layer of pkg.manifestJson.layers) expect(mediaTypes.has(layer.mediaType)).toBe(true);
    }
  });

  it("has a schema of its own that accepts upstream's example config", () => {
    // Ours is stricter than upstream's (RFC 3339 times, sha256 diffIds, paramSize and precision grammar): not too strict for the spec's own example.
    const example = JSON.parse(readFileSync(referencePath('modelpack', 'config.md'), 'utf8').match(/```json[^\n]*\n([\s\S]*?)```/)![1]);
    expect(validate(example)).toEqual([]);
    const ours = new Ajv({ strict: true });
    expect(ours.validate(modelPackConfigJsonSchema, example)).toBe(true);
  });
});
