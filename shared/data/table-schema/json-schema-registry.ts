// Where the jsonSchema constraint's compiler is found, so that field.ts needs no static import of Ajv
// (json-schema-constraint.ts registers it when loaded).

/** A validator of one JSON Schema, or a phrase saying why the schema is not usable. */
export type JsonSchemaCompiler = (schema: object) => ((value: unknown) => boolean) | string;

let compiler: JsonSchemaCompiler | undefined;

export function registerJsonSchemaCompiler(compile: JsonSchemaCompiler): void {
  compiler = compile;
}

/** The registered compiler; throws (a bug) when json-schema-constraint.ts was not imported first. */
export function jsonSchemaCompiler(): JsonSchemaCompiler {
  if (!compiler) throw new Error('the jsonSchema constraint needs json-schema-constraint.ts to be imported before fields are compiled');
  return compiler;
}

/** Whether any field of a plan or schema has a jsonSchema constraint (its reader must import the compiler). */
export function usesJsonSchema(fields: Iterable<{ constraints?: { jsonSchema?: unknown } }>): boolean {
  for (const field of fields) if (field.constraints?.jsonSchema !== undefined) return true;
  return false;
}
