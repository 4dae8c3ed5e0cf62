// The stages' input validators compiled ahead of time (shared/schemas/input-validators.generated.ts) are
// what scripts/input-validators.ts renders from today's schemas, and judge as Ajv compiling the schema does.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderInputValidators } from '../../../scripts/input-validators.js';
import { inputsJsonSchema } from '../../../shared/schemas/action-spec.js';
import { schemaValidator } from '../../../shared/schemas/ajv.js';
import { inputValidators } from '../../../shared/schemas/input-validators.generated.js';
import { stages } from '../../../shared/stages.js';

const generated = join(import.meta.dirname, '..', '..', '..', 'shared', 'schemas', 'input-validators.generated.ts');

describe('precompiled input validators', () => {
  it('are up to date with the schemas (npm run docs writes them)', () => {
    expect(readFileSync(generated, 'utf8')).toBe(renderInputValidators());
    expect(Object.keys(inputValidators)).toEqual(stages.map(({ spec }) => spec.name));
  });

  it('coerce, fill in defaults and report errors as the validator Ajv compiles at run time', () => {
    const values = [
      { data: ['a.csv'], 'max-reported-errors': '7', 'drift-threshold': { psi: 0.3 } },
      { data: [], 'fail-on': 'sometimes' },
      { command: 'x', 'model-path': 'm', 'timeout-minutes': 'soon', cache: 'false' },
      { command: 'x', 'model-path': 'm', gpus: '0' },
      { predictions: 'p.csv', 'bootstrap-samples': '0', confidence: '2' },
      { predictions: 'p.csv', unknown: 'x' },
    ];
    for (const { spec } of stages) {
      const compiled = schemaValidator(inputsJsonSchema(spec), { coerceInputs: true });
      const precompiled = inputValidators[spec.name]!;
      for (const value of values) {
        const [a, b] = [structuredClone(value), structuredClone(value)];
        const verdict = { stage: spec.name, valid: precompiled(a), data: a, errors: precompiled.errors ?? null };
        expect(verdict).toEqual({ stage: spec.name, valid: compiled(b), data: b, errors: compiled.errors ?? null });
      }
    }
  });
});
