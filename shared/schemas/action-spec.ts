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

declare const inputsType: unique symbol;

/** An action's interface that also carries, in its type only, the type of its validated inputs. */
export type TypedActionSpec<Inputs> = ActionSpec & { readonly [inputsType]?: Inputs };

/**
 * Declares an action's interface. Its literals (`required: true`, a schema's `type` and `enum`) give
 * the type of its inputs, `InputsOf<typeof spec>`, derived from the same object that validates the
 * inputs and writes action.yml and the README: the two cannot drift apart.
 */
export function defineAction<const S extends ActionSpec>(spec: S): TypedActionSpec<InputsFromSpec<S>> {
  return spec;
}

/** The inputs of an action after parsing and validation (see `defineAction`). */
export type InputsOf<S> = S extends { readonly [inputsType]?: infer I } ? NonNullable<I> : never;

/** The `working-directory` input every stage has. */
export function workingDirectoryInput(description = 'The directory that relative paths are resolved against.') {
  return { description, default: '.', schema: { type: 'string', minLength: 1 } } as const satisfies InputSpec;
}

/** The value a JSON Schema fragment accepts, for the subset the input schemas use. */
export type ValueOf<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'number' | 'integer' }
      ? number
      : S extends { type: 'boolean' }
        ? boolean
        : S extends { type: 'array'; items: infer I }
          ? ValueOf<I>[]
          : S extends { type: 'object'; properties: infer P }
            ? Flatten<WithPresence<P, { [K in keyof P]: P[K] extends { default: unknown } ? true : false }>>
            : unknown;

/** Properties marked present are required, the others optional. */
type WithPresence<P, Present extends Record<keyof P, boolean>> = {
  -readonly [K in keyof P as Present[K] extends true ? K : never]: ValueOf<P[K]>;
} & {
  -readonly [K in keyof P as Present[K] extends true ? never : K]?: ValueOf<P[K]>;
};

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** An input is always there after validation when it is required or has a default (which fills it in). */
type InputPresence<I> = { [K in keyof I]: I[K] extends { required: true } | { default: string } ? true : false };

type InputValues<I> = { [K in keyof I]: I[K] extends { schema: infer S } ? S : never };

/** The inputs a spec's literal type describes. */
type InputsFromSpec<S extends { inputs: object }> = Flatten<
  WithPresence<InputValues<S['inputs']>, InputPresence<S['inputs']> & Record<keyof S['inputs'], boolean>>
>;

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
