// Validators are compiled at run time without checking their schema against the meta-schema
// (shared/schemas/ajv.ts): that check is made here, once, for every schema a stage compiles.
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { expectationsJsonSchema } from '../../../shared/data/expectations.js';
import { tableSchemaJsonSchema } from '../../../shared/data/table-schema/index.js';
import { inputsJsonSchema } from '../../../shared/schemas/action-spec.js';
import { modelPackConfigJsonSchema } from '../../../shared/schemas/modelpack-config.js';
import { loopConfigJsonSchema } from '../../../shared/loop/loop-config.js';
import { loopSpec } from '../../../shared/schemas/loop.js';
import { stages } from '../../../shared/stages.js';

const schemas: [string, object][] = [
  ...stages.map(({ spec }) => [`${spec.name} inputs`, inputsJsonSchema(spec)] as [string, object]),
  ['expectations', expectationsJsonSchema],
  ['table schema', tableSchemaJsonSchema],
  ['ModelPack config', modelPackConfigJsonSchema],
  ['root action (loop) inputs', inputsJsonSchema(loopSpec)],
  ['mlops.yml', loopConfigJsonSchema()],
];

describe.each(schemas)('the %s JSON Schema', (_name, schema) => {
  it('is valid against the JSON Schema meta-schema', () => {
    const ajv = new Ajv({ strict: false });
    const valid = ajv.validateSchema(schema);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
