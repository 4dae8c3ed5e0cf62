// The `jsonSchema` constraint of object and array fields, on its own Ajv. Imported only when a schema is
// read (descriptor.ts) or a worker thread's plan has such a constraint, so a plain run never loads Ajv here.
import { Ajv } from 'ajv';
import { registerJsonSchemaCompiler } from './json-schema-registry.js';

// User schemas may carry keywords Ajv does not know (`title` is fine; `$comment`, vendor keys): not strict.
let ajv: Ajv | undefined;

registerJsonSchemaCompiler((schema) => {
  ajv ??= new Ajv({ strict: false, allErrors: false });
  if (!ajv.validateSchema(schema)) return `a valid JSON Schema (${ajv.errorsText(ajv.errors)})`;
  try {
    const validate = ajv.compile(schema);
    return (value: unknown) => validate(value) === true;
  } catch (error) {
    return `a JSON Schema Ajv can compile (${(error as Error).message})`;
  }
});
