import { Ajv, type ValidateFunction } from 'ajv';

// The project's one Ajv configuration. Action inputs arrive as strings, so validating them also coerces
// scalars and fills in defaults (which needs an instance of its own); documents are checked as written.
// The schemas are ours and fixed: a test checks them against the meta-schema once
// (test/unit/schemas/meta-schema.test.ts) instead of every start, where compiling the meta-schema's
// validator was most of a stage's start-up; code is generated without the optimising pass, which
// compiles several times faster for validators that run a handful of times per step.
const OPTIONS = { allErrors: false, strict: true, allowUnionTypes: true, validateSchema: false, code: { optimize: false } } as const;
/** The options of the Ajv that validates action inputs (scripts/input-validators.ts compiles the stages' ahead of time with them). */
export const INPUT_OPTIONS = { ...OPTIONS, coerceTypes: true, useDefaults: true } as const;
let documentAjv: Ajv | undefined;
let inputAjv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * The validator of a JSON Schema, compiled once per schema object. With `coerceInputs`, validating
 * changes the data: strings become the numbers and booleans the schema asks for, defaults are filled in.
 */
export function schemaValidator(schema: object, { coerceInputs = false } = {}): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    const ajv = coerceInputs ? (inputAjv ??= new Ajv(INPUT_OPTIONS)) : (documentAjv ??= new Ajv(OPTIONS));
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}
