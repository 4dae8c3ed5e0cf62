// Every Table Schema the project writes or ships is valid under the official Frictionless profiles
// (Data Package v2's tableschema.json, and v1's, which v2 keeps backward compatible with).
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { copyFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateData } from '../../shared/data/validate-data.js';
import { LocalRuntime } from '../../shared/runtime/local.js';
import { validateDataSpec } from '../../shared/schemas/validate-data.js';
import { runStage } from '../../shared/stage.js';
import { tempDir } from '../temp-dirs.js';
import { referencePath } from './reference.js';

const repo = join(import.meta.dirname, '..', '..');
const vega = join(repo, 'node_modules', 'vega-datasets', 'data');
// Real tables of every shape validate-data infers: dates, datetimes, integers, numbers, booleans, text, nulls.
const realTables = [
  'airports.csv',
  'birdstrikes.csv',
  'disasters.csv',
  'github.csv',
  'la-riots.csv',
  'seattle-weather.csv',
  'stocks.csv',
  'weather.csv',
  'zipcodes.csv',
];
const shippedSchemas = ['workflows-examples/penguins-node/schema.yaml', 'test/fixtures/table-schema/penguins.schema.yaml'];

function profileValidators(): Array<[string, (schema: unknown) => string[]]> {
  return ['tableschema.json', 'tableschema.v1.json'].map((file) => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const check = ajv.compile(JSON.parse(readFileSync(referencePath('frictionless', 'profiles', file), 'utf8')));
    return [file, (schema) => (check(schema) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))];
  });
}

describe('Table Schemas against the Frictionless profiles', () => {
  const validators = profileValidators();

  it.each(shippedSchemas)('%s (shipped) is valid', (file) => {
    const schema = parseYaml(readFileSync(join(repo, file), 'utf8'));
    for (const [profile, validate] of validators) expect({ profile, errors: validate(schema) }).toEqual({ profile, errors: [] });
  });

  it.each(realTables)('the schema inferred from %s is valid', async (table) => {
    const workspace = tempDir('mlops-conformance-');
    copyFileSync(join(vega, table), join(workspace, table));
    const runtime = new LocalRuntime({ inputs: { data: table, 'infer-schema': 'schema.yaml' }, workspace, log: () => undefined });
    expect(await runStage(validateDataSpec, validateData, runtime)).toBe(true);
    const schema = parseYaml(readFileSync(join(workspace, 'schema.yaml'), 'utf8')) as { fields: unknown[] };
    expect(schema.fields.length).toBeGreaterThan(1);
    for (const [profile, validate] of validators)
      expect({ profile, table: basename(table), errors: validate(schema) }).toEqual({ profile, table: basename(table), errors: [] });
  });

  it('the profiles reject what the spec forbids (the check can fail)', () => {
    for (const [profile, validate] of validators) {
      expect({ profile, errors: validate({ fields: [{ name: 'x', type: 'decimal' }] }).length }).not.toEqual({ profile, errors: 0 });
      expect({ profile, errors: validate({ fields: [{ type: 'number' }] }).length }).not.toEqual({ profile, errors: 0 });
    }
  });
});
