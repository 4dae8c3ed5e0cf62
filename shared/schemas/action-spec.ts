/** A JSON Schema fragment (ajv draft-07 subset) describing one input's parsed value. */
export type JsonSchema = Record<string, unknown>;

/** One action input: documented once, used for validation, for action.yml and for the README. */
export interface InputSpec {
  description: string;
  required?: boolean;
  /** The default, as the runner would pass it (action.yml defaults are strings). */
  default?: string;
  /**
   * How the raw string is read before validation: `lines` (one entry per line, blank lines and
   * `#` comments dropped), `yaml` (a YAML or JSON value), or as it is (scalars are coerced by ajv).
   */
  format?: 'lines' | 'yaml';
  schema: JsonSchema;
}

export interface OutputSpec {
  description: string;
}

/** Everything that defines an action's interface. */
export interface ActionSpec {
  name: string;
  title: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
}

/** The `working-directory` input every stage has. */
export function workingDirectoryInput(description = 'The directory that relative paths are resolved against.'): InputSpec {
  return { description, default: '.', schema: { type: 'string', minLength: 1 } };
}

/** The JSON Schema of an action's parsed inputs (shipped for editors, used by ajv). */
export function inputsJsonSchema(spec: ActionSpec): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    properties[name] = { description: input.description, ...input.schema };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://github.com/mlops-actions/mlops-actions/schemas/${spec.name}.inputs.json`,
    title: `${spec.title} inputs`,
    type: 'object',
    properties,
    required: Object.entries(spec.inputs)
      .filter(([, input]) => input.required)
      .map(([name]) => name),
    additionalProperties: false,
  };
}
