import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { canonicalJson, readParams } from '../../../shared/train/params.js';
import { tempDir } from '../../temp-dirs.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'workflows-examples');

describe('readParams', () => {
  it('reads an existing YAML file', async () => {
    const read = await readParams('params.yaml', join(examples, 'penguins-node'));
    expect(read).toEqual({
      params: { epochs: 300, learning_rate: 0.5, l2: 0.001, seed: 0, test_fraction: 0.25 },
      source: { file: 'params.yaml' },
    });
  });

  it('reads a JSON file', async () => {
    const dir = tempDir('params-');
    writeFileSync(join(dir, 'p.json'), '{"hidden": 128, "layers": [64, 32]}');
    expect((await readParams('p.json', dir)).params).toEqual({ hidden: 128, layers: [64, 32] });
  });

  it('parses anything that is not a file as inline YAML', async () => {
    expect(await readParams('{epochs: 10, optimizer: adam}', tmpdir())).toEqual({
      params: { epochs: 10, optimizer: 'adam' },
      source: { inline: true },
    });
    expect((await readParams('epochs: 5\nlearning_rate: 0.1\n', tmpdir())).params).toEqual({ epochs: 5, learning_rate: 0.1 });
  });

  it('gives {} when not given', async () => {
    expect((await readParams(undefined, tmpdir())).params).toEqual({});
  });

  it('rejects a value that is not a mapping, saying it was read as inline YAML', async () => {
    const error = await readParams('parms.yaml', tmpdir()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      /^Input 'params': the inline params is "parms\.yaml" \(no file parms\.yaml exists in .*, so it was read as inline YAML\); expected a mapping/,
    );
  });

  it('rejects invalid YAML in a file, pointing at the file', async () => {
    const dir = tempDir('params-');
    writeFileSync(join(dir, 'bad.yaml'), 'epochs: [1, 2\n');
    const error = (await readParams('bad.yaml', dir).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Input 'params': the params file bad\.yaml is not valid YAML/);
    expect(error.at.file).toBe('bad.yaml');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
});
