import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderActionYml, renderInputTables } from '../../../shared/schemas/render.js';
import { loopSpec } from '../../../shared/schemas/loop.js';
import { stages } from '../../../shared/stages.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe.each(stages.map((a) => [a.spec.name, a] as const))('actions/%s/action.yml', (name, { spec, branding }) => {
  const text = readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8');
  const metadata = parse(text) as {
    inputs: Record<string, { description: string; required: boolean; default?: string }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };

  it('declares exactly the schema inputs, with the same defaults, descriptions and required flags', () => {
    expect(Object.keys(metadata.inputs).sort()).toEqual(Object.keys(spec.inputs).sort());
    for (const [input, declared] of Object.entries(metadata.inputs)) {
      const schema = spec.inputs[input]!;
      expect({ input, description: declared.description, required: declared.required, default: declared.default }).toEqual({
        input,
        description: schema.description,
        required: schema.required === true,
        default: schema.default,
      });
    }
  });

  it('declares exactly the schema outputs', () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual(Object.keys(spec.outputs).sort());
    for (const [output, declared] of Object.entries(metadata.outputs)) expect(declared.description).toBe(spec.outputs[output]!.description);
  });

  it('runs its entry in the committed build on node24 and is what npm run docs generates', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: `../../dist/${name}.js` });
    expect(text).toBe(renderActionYml(spec, branding));
  });

  it('has its input and output tables in the README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(renderInputTables(spec));
  });
});

describe('action.yml, the root action (the whole loop)', () => {
  const text = readFileSync(join(root, 'action.yml'), 'utf8');
  const metadata = parse(text) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    runs: { using: string; main: string };
  };

  it('declares the loop schema inputs and outputs, runs dist/loop.js on node24 and is what npm run docs generates', () => {
    expect(Object.keys(metadata.inputs)).toEqual(Object.keys(loopSpec.inputs));
    expect(Object.keys(metadata.outputs)).toEqual(Object.keys(loopSpec.outputs));
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/loop.js' });
    expect(text).toBe(renderActionYml(loopSpec, { icon: 'refresh-cw', color: 'blue' }, { main: 'dist/loop.js' }));
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(renderInputTables(loopSpec));
  });
});
