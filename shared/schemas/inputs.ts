import type { ErrorObject, ValidateFunction } from 'ajv';
import { InputError } from '../errors.js';
import { type ActionSpec, inputsJsonSchema, type JsonSchema } from './action-spec.js';
import { inputValidators } from './input-validators.generated.js';

/** Each action's inputs schema, made once so that its validator is compiled once. */
const inputSchemas = new WeakMap<ActionSpec, JsonSchema>();

/**
 * The validator of a spec's inputs: the stages' are compiled ahead of time (npm run docs), so a stage
 * starts without loading Ajv; any other spec (a test's) is compiled here, once.
 */
async function inputsValidator(spec: ActionSpec): Promise<ValidateFunction> {
  const precompiled = inputValidators[spec.name];
  if (precompiled) return precompiled;
  let schema = inputSchemas.get(spec);
  if (!schema) {
    schema = inputsJsonSchema(spec);
    inputSchemas.set(spec, schema);
  }
  const { schemaValidator } = await import('./ajv.js');
  return schemaValidator(schema, { coerceInputs: true });
}

function describeExpected(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `${/^[aeiou]/.test(String(p.type)) ? 'an' : 'a'} ${String(p.type)}`;
    case 'enum':
      return `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(p.comparison)} ${String(p.limit)}`;
    case 'minItems':
      return `at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`;
    case 'minLength':
      return `at least ${String(p.limit)} character${p.limit === 1 ? '' : 's'}`;
    case 'pattern':
      return `text matching ${String(p.pattern)}`;
    case 'additionalProperties':
      return `no key "${String(p.additionalProperty)}"`;
    case 'required':
      return `a key "${String(p.missingProperty)}"`;
    default:
      return error.message ?? error.keyword;
  }
}

/** A plain key that YAML's core schema reads as a string (not a number, boolean or null). */
const FLOW_KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const NOT_STRING_KEY = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
/** A decimal number as YAML's core schema reads it (int or float), which Number() reads the same. */
const FLOW_NUMBER = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * A one-line flow map of plain keys to decimal numbers (`{psi: 0.2, js: 0.1, p-value: 0.05}`, the
 * drift-threshold default) read without the YAML package, to the value it would give; undefined for
 * anything else (comments, quotes, nesting, repeated keys…), which the YAML package reads.
 */
export function numbersFlowMap(raw: string): Record<string, number> | undefined {
  const text = raw.trim();
  if (!text.startsWith('{') || !text.endsWith('}') || text.includes('\n')) return undefined;
  const body = text.slice(1, -1).trim();
  if (body === '') return undefined;
  const map: Record<string, number> = {};
  for (const entry of body.split(',')) {
    const colon = entry.indexOf(': ');
    if (colon < 0) return undefined;
    const key = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 2).trim();
    if (!FLOW_KEY.test(key) || NOT_STRING_KEY.test(key) || !FLOW_NUMBER.test(value) || Object.hasOwn(map, key)) return undefined;
    map[key] = Number(value);
  }
  return map;
}

async function readRaw(name: string, raw: string, format: 'lines' | 'yaml' | undefined): Promise<unknown> {
  if (format === 'lines') {
    return raw
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }
  if (format === 'yaml') {
    const flow = numbersFlowMap(raw);
    if (flow) return flow;
    // Loaded only when an input is YAML that the fast path above does not read: train and evaluate have none.
    const { parse: parseYaml } = await import('yaml');
    try {
      return parseYaml(raw);
    } catch (error) {
      throw new InputError(`Input '${name}' is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return raw.trim();
}

/**
 * Reads and validates an action's inputs with its schema. `get` returns the raw string of an input
 * or undefined when it was not given. Throws InputError naming the input, its value and what was expected.
 */
export async function readInputs<T>(spec: ActionSpec, get: (name: string) => string | undefined): Promise<T> {
  const validate = await inputsValidator(spec);
  const values: Record<string, unknown> = {};
  const raws: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    const raw = get(name) ?? input.default;
    if (raw === undefined || raw === '') {
      if (input.required) throw new InputError(`Input '${name}' is required: ${input.description}`);
      continue;
    }
    raws[name] = raw;
    values[name] = await readRaw(name, raw, input.format);
  }
  if (!validate(values)) {
    const error = validate.errors![0]!;
    const [, name, ...rest] = error.instancePath.split('/');
    const inputName = name ?? String((error.params as Record<string, unknown>).missingProperty ?? '');
    const where = rest.length ? ` (at ${rest.join('.')})` : '';
    throw new InputError(`Input '${inputName}' is ${JSON.stringify(raws[inputName] ?? '')}${where}: expected ${describeExpected(error)}.`);
  }
  return values as T;
}
