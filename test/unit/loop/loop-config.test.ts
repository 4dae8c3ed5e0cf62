// mlops.yml: its keys are the stages' inputs (from their schemas), and every mistake names the file,
// the line and what was meant.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { durationMs, loopConfigJsonSchema, parseLoopConfig } from '../../../shared/loop/loop-config.js';
import { stages } from '../../../shared/stages.js';

const root = join(import.meta.dirname, '..', '..', '..');

function problem(text: string): string {
  try {
    parseLoopConfig(text, 'mlops.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('mlops.yml', () => {
  it('has one section per stage whose keys are exactly its inputs, and the loop section', () => {
    const schema = loopConfigJsonSchema() as { properties: Record<string, { properties: Record<string, unknown> }> };
    for (const { spec } of stages) expect(Object.keys(schema.properties[spec.name]!.properties)).toEqual(Object.keys(spec.inputs));
    expect(Object.keys(schema.properties)).toEqual([...stages.map((s) => s.spec.name), 'loop']);
    expect(Object.keys(schema.properties.loop!.properties)).toEqual(['max-model-age', 'production-alias', 'staging-alias', 'events']);
  });

  it('ships as shared/schemas/json/mlops.json, as npm run docs writes it', () => {
    const shipped = JSON.parse(readFileSync(join(root, 'shared', 'schemas', 'json', 'mlops.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(loopConfigJsonSchema());
  });

  it('reads every input as the runner would pass it: lists one entry per line, mappings as YAML text, scalars as text', () => {
    const config = parseLoopConfig(
      [
        'validate-data:',
        '  data: [a.csv, b.csv]',
        '  drift-threshold: {psi: 0.3}',
        '  drift-share: 0.4',
        'train:',
        '  command: node train.mjs',
        '  cache: false',
        'deploy:',
        '  port: 8765',
        'loop:',
        '  max-model-age: 2w',
        '  events: {pull_request: [validate-data, train]}',
      ].join('\n'),
      'mlops.yml',
    );
    expect(config.stages['validate-data']).toEqual({ data: 'a.csv\nb.csv', 'drift-threshold': '{"psi":0.3}', 'drift-share': '0.4' });
    expect(config.stages.train).toEqual({ command: 'node train.mjs', cache: 'false' });
    expect(config.stages.deploy).toEqual({ port: '8765' });
    expect(config.lines['train.cache']).toBe(7);
    expect(config.loop).toEqual({
      productionAlias: 'production',
      stagingAlias: 'staging',
      maxModelAge: '2w',
      maxModelAgeMs: 14 * 86_400_000,
      events: { pull_request: ['validate-data', 'train'] },
    });
  });

  it('names the file, the line and the nearest valid key for a key no stage has', () => {
    expect(problem('validate-data:\n  data: a.csv\ntrain:\n  comand: node train.mjs\n')).toBe(
      "mlops.yml:4: unknown key 'comand' in section train; did you mean 'command'?",
    );
    expect(problem('trian:\n  command: x\n')).toBe("mlops.yml:1: unknown key 'trian' in the top level; did you mean 'train'?");
    expect(problem('loop:\n  max-modle-age: 3d\n')).toBe(
      "mlops.yml:2: unknown key 'max-modle-age' in section loop; did you mean 'max-model-age'?",
    );
    // Nothing close: the keys that section takes.
    expect(problem('loop:\n  events:\n    nightly: [train]\n')).toBe(
      "mlops.yml:3: unknown key 'nightly' in section loop.events (section loop.events takes 'pull_request', 'push', 'schedule', 'workflow_dispatch')",
    );
  });

  it('names the line and what was expected for a value of the wrong kind', () => {
    expect(problem('deploy:\n  target: process\n  port: eighty\n')).toBe('mlops.yml:3: deploy.port must be an integer');
    expect(problem('deploy:\n  strategy: rolling\n')).toBe(
      'mlops.yml:2: deploy.strategy must be one of "recreate", "blue-green", "canary"',
    );
    expect(problem('validate-data:\n  data: {a: 1}\n')).toBe('mlops.yml:2: validate-data.data must be a list');
    expect(problem('loop:\n  max-model-age: 30 days\n')).toBe(
      'mlops.yml:2: loop.max-model-age must be a number and a unit, m, h, d or w (e.g. 30d)',
    );
    expect(problem('loop:\n  events: {push: [train, retrain]}\n')).toMatch(
      /^mlops\.yml:2: loop\.events\.push\.1 must be one of "validate-data", "train"/,
    );
    expect(problem('loop:\n  staging-alias: production\n')).toBe(
      "mlops.yml:2: loop.staging-alias and loop.production-alias are both 'production': they must differ",
    );
    expect(problem('train:\n  command: [a\n')).toMatch(/^mlops\.yml:\d+: /);
  });

  it('reads durations', () => {
    expect(durationMs('30d')).toBe(30 * 86_400_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    expect(() => durationMs('a week')).toThrow(InputError);
  });

  it("the example projects' mlops.yml files parse, and point editors at the shipped schema", () => {
    for (const example of ['penguins-node', 'digits-torch']) {
      const text = readFileSync(join(root, 'workflows-examples', example, 'mlops.yml'), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../shared/schemas/json/mlops.json');
      const config = parseLoopConfig(text, `${example}/mlops.yml`);
      expect(config.stages.train!.command).toBeTruthy();
      expect(config.stages.register!.name).toBeTruthy();
    }
  });
});
