// The official Data Package v2 JSON Schema profiles (datapackage.org/profiles/2.0/ and their v1 forms), vendored
// unchanged in shared/schemas/frictionless/ (public domain, frictionlessdata/datapackage, see its LICENSE.md),
// and the one way validate-data checks a Data Package, Data Resource or Table Dialect descriptor against them.
// Loaded only when a run has such a descriptor: the package profiles are large.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** Which standard's profile a descriptor is checked against. */
export type ProfileName = 'datapackage' | 'dataresource' | 'tabledialect';

// The profiles use annotation keywords of their own (propertyOrder, context, options) and formats Ajv does
// not know: strict mode is off for them, formats are not asserted (the spec's own checks follow below).
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

async function profileSchema(name: ProfileName, version: 1 | 2): Promise<object> {
  const suffix = version === 1 ? '.v1' : '';
  switch (`${name}${suffix}`) {
    case 'datapackage':
      return (await import('../schemas/frictionless/datapackage.json', { with: { type: 'json' } })).default;
    case 'datapackage.v1':
      return (await import('../schemas/frictionless/datapackage.v1.json', { with: { type: 'json' } })).default;
    case 'dataresource':
      return (await import('../schemas/frictionless/dataresource.json', { with: { type: 'json' } })).default;
    case 'dataresource.v1':
      return (await import('../schemas/frictionless/dataresource.v1.json', { with: { type: 'json' } })).default;
    case 'tabledialect':
      return (await import('../schemas/frictionless/tabledialect.json', { with: { type: 'json' } })).default;
    default:
      return (await import('../schemas/frictionless/tabledialect.v1.json', { with: { type: 'json' } })).default;
  }
}

/**
 * The version of the standard a descriptor follows: 1 when its `$schema` names a 1.0 profile or, without
 * `$schema`, it has a v1 `profile` property (the spec: validate it "according to the Profiles specification");
 * else 2 (v2 keeps every v1 rule marked "Backward Compatibility", so its profile reads both).
 */
export function descriptorVersion(descriptor: unknown): 1 | 2 {
  if (typeof descriptor !== 'object' || descriptor === null) return 2;
  const record = descriptor as Record<string, unknown>;
  const schema = record.$schema;
  if (typeof schema === 'string') return /\/1\.0\/|specs\.frictionlessdata\.io/.test(schema) ? 1 : 2;
  return typeof record.profile === 'string' ? 1 : 2;
}

/** A descriptor problem at a JSON pointer, worded for the user. */
export interface DescriptorProblem {
  pointer: string;
  message: string;
}

/**
 * Checks `data` against the official profile. Returns undefined when it conforms, else the most specific
 * problem: the deepest failing property, named with its value and what the profile expects.
 */
export async function checkAgainstProfile(
  name: ProfileName,
  data: unknown,
  version = descriptorVersion(data),
): Promise<DescriptorProblem | undefined> {
  const key = `${name}.v${version}`;
  let validate = compiled.get(key);
  if (!validate) {
    ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false, allowUnionTypes: true, code: { optimize: false } });
    validate = ajv.compile(await profileSchema(name, version));
    compiled.set(key, validate);
  }
  if (validate(data)) return undefined;
  return describeProfileError(bestError(validate.errors ?? []), data);
}

/** The error most worth showing: deepest path first, a concrete keyword before a oneOf/anyOf summary. */
function bestError(errors: ErrorObject[]): ErrorObject {
  const vague = new Set(['oneOf', 'anyOf', 'allOf', 'if', 'not']);
  return errors.reduce((best, e) => {
    const depth = (x: ErrorObject) => x.instancePath.split('/').length;
    if (depth(e) !== depth(best)) return depth(e) > depth(best) ? e : best;
    if (vague.has(best.keyword) && !vague.has(e.keyword)) return e;
    return best;
  });
}

function describeProfileError(error: ErrorObject, data: unknown): DescriptorProblem {
  const params = error.params as Record<string, unknown>;
  let pointer = error.instancePath;
  const where = () => (pointer === '' ? 'the descriptor' : pointer);
  const value = () => describeValue(valueAt(data, pointer));
  switch (error.keyword) {
    case 'required':
      return {
        pointer,
        message: `${where()} has no "${String(params.missingProperty)}"; expected a "${String(params.missingProperty)}" property`,
      };
    case 'type': {
      const types = String(params.type).split(',');
      return { pointer, message: `${where()} is ${value()}; expected ${types.map(withArticle).join(' or ')}` };
    }
    case 'enum':
      return {
        pointer,
        message: `${where()} is ${value()}; expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { pointer, message: `${where()} is ${value()}; expected ${JSON.stringify(params.allowedValue)}` };
    case 'pattern':
      return { pointer, message: `${where()} is ${value()}; expected a string matching ${String(params.pattern)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { pointer, message: `${where()} is ${value()}; expected a number ${String(params.comparison)} ${String(params.limit)}` };
    case 'minItems':
      return { pointer, message: `${where()} is ${value()}; expected at least ${String(params.limit)} item(s)` };
    case 'minLength':
      return { pointer, message: `${where()} is ${value()}; expected at least ${String(params.limit)} character(s)` };
    case 'uniqueItems':
      return {
        pointer,
        message: `${where()} is ${value()}; expected unique items (items ${String(params.j)} and ${String(params.i)} are equal)`,
      };
    case 'additionalProperties':
      pointer = `${pointer}/${String(params.additionalProperty)}`;
      return { pointer, message: `${where()} is not a property the profile allows here` };
    case 'oneOf':
    case 'anyOf':
      return {
        pointer,
        message: `${where()} is ${value()}; expected one of the forms the profile allows (${error.message ?? 'see the standard'})`,
      };
    default:
      return { pointer, message: `${where()} is ${value()}; expected it to ${error.message ?? 'conform to the profile'}` };
  }
}

function withArticle(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as the user wrote it, shortened. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'absent';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  if (pointer === '') return node;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
