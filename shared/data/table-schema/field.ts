import { InputError } from '../../errors.js';
import type { Cast } from './casts/cast.js';
import { parseIsoDate, parseIsoDatetime, parseIsoTime } from './casts/iso-8601.js';
import { castInteger, parseNumberText } from './casts/numbers.js';
import { castText } from './casts/other-types.js';
import { compareDurations, type DurationValue, parseDuration } from './casts/duration.js';
import { typeCastFor } from './casts/type-cast-for.js';
import { type CellPattern, compileCellPattern } from './cell-pattern.js';
import { castOnlyCheck, type HotPath, integerCheck, isoDateCheck, numberCheck, orderedCheck, textEnumCheck } from './cell-checks.js';
import { jsonSchemaCompiler } from './json-schema-registry.js';
import {
  type CellResult,
  type CellValue,
  type CellViolation,
  DEFAULT_MISSING_VALUES,
  type FieldCodec,
  fieldMissingValues,
  type FieldType,
  type MissingValue,
  primaryKeyFields,
  type TableField,
  type TableSchema,
  type ViolationRule,
} from './types.js';

/**
 * A field definition that cannot be compiled (a bad regex, minimum above maximum, an enum value that is
 * not of the field's type). `path` is the JSON pointer inside the field, e.g. `/constraints/pattern`.
 */
export class FieldDefinitionError extends InputError {
  constructor(
    readonly fieldName: string,
    readonly path: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`field ${JSON.stringify(fieldName)}: ${path.slice(1)} is ${JSON.stringify(value)}; expected ${expected}`);
  }
}

type BoundKey = 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum';
const BOUND_SIGNS: Record<BoundKey, string> = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' };
const LENGTH_TYPES: readonly FieldType[] = ['string', 'array', 'object', 'list'];

/**
 * Compiles one field into a codec. Precompiles patterns, enums and bounds so that `castAndCheck` does
 * no allocation and no regex work for plain numbers. `schemaMissingValues` is the schema's list; the
 * field's own `missingValues` replaces it.
 * Throws FieldDefinitionError when the definition cannot be compiled.
 */
export function compileField(field: TableField, schemaMissingValues: readonly MissingValue[] = DEFAULT_MISSING_VALUES): FieldCodec {
  // "If type is not provided a consumer MUST utilize the any type for the field instead of inferring it".
  const type: FieldType = field.type ?? 'any';
  const untyped = field.type === undefined;
  const constraints = field.constraints ?? {};
  const fail = (path: string, value: unknown, expected: string): never => {
    throw new FieldDefinitionError(field.name, path, value, expected);
  };
  // `any` has no formats; an untyped field's format was most likely meant for a string (v1 defaulted to it).
  if (untyped && field.format !== undefined && field.format !== 'default')
    fail('/format', field.format, 'no format on a field without a type (it is of type any, which has none); add type: string');
  const typeCast = typeCastFor(field, type, fail);
  const { cast } = typeCast;
  const required = constraints.required === true;
  const violation = (rule: ViolationRule, expected: string): CellViolation => Object.freeze({ rule, expected });

  const typeViolation = violation('type', typeCast.expected);
  const requiredViolation = violation('required', 'a value');

  let pattern: CellPattern | undefined;
  if (constraints.pattern !== undefined) {
    const compiled = typeof constraints.pattern === 'string' ? compileCellPattern(constraints.pattern) : 'a value that is not text';
    if (typeof compiled === 'string') {
      fail(
        '/constraints/pattern',
        constraints.pattern,
        `an XML Schema regular expression for field ${JSON.stringify(field.name)} (it matches the whole value, in linear time), not one with ${compiled}`,
      );
    }
    pattern = compiled as CellPattern;
  }
  const patternViolation = violation('pattern', `to match ${constraints.pattern ?? ''}`);

  // "All constraints MUST be tested against the logical representation of data, and the physical
  // representation of constraint values MAY be ... strings that are castable with the type and format rules of the field."
  // Durations are only partially ordered: their bounds are compared in XML Schema's way, below.
  const durationBounds: Partial<Record<BoundKey, DurationValue>> = {};
  if (type === 'duration') {
    for (const key of Object.keys(BOUND_SIGNS) as BoundKey[]) {
      const given = constraints[key];
      if (given === undefined) continue;
      const value = typeof given === 'string' ? parseDuration(given) : undefined;
      if (value === undefined) fail(`/constraints/${key}`, given, typeCast.expected);
      durationBounds[key] = value;
    }
  }
  const hasDurationBounds = Object.keys(durationBounds).length > 0;
  // "When categoriesOrdered is true, implementations SHOULD regard the order of appearance of the values in the
  // categories property as their natural order": bounds then compare positions in that list. "When ... false,
  // implementations SHOULD assume that the categories do not have a natural order": a bound has nothing to compare.
  const categoryRank = field.categoriesOrdered === true && field.categories !== undefined ? new Map<CellValue, number>() : undefined;
  field.categories?.forEach((c, rank) => {
    const written = typeof c === 'object' && c !== null ? c.value : c;
    const value = constraintValue(written, type, cast);
    if (value !== undefined && !categoryRank?.has(value)) categoryRank?.set(value, rank);
  });
  const bound = (key: BoundKey): number | undefined => {
    const given = constraints[key];
    if (given === undefined || type === 'duration') return undefined;
    if (field.categoriesOrdered === false && field.categories !== undefined)
      fail(`/constraints/${key}`, given, `no ${key} on a field whose categories are unordered (categoriesOrdered: false)`);
    // "If a minimum value constraint is specified then the field descriptor MUST contain a type key."
    if (untyped) fail(`/constraints/${key}`, given, `a type on the field (a ${key} needs one; a field without a type is of type any)`);
    if (!typeCast.ordered)
      fail(`/constraints/${key}`, given, `no ${key} on a ${type} field${type === 'string' ? ' (use minLength/maxLength)' : ''}`);
    const value = constraintValue(given, type, cast);
    if (typeof value !== 'number' || value !== value) fail(`/constraints/${key}`, given, typeCast.expected);
    if (categoryRank === undefined) return value as number;
    const rank = categoryRank.get(value as number);
    if (rank === undefined)
      fail(`/constraints/${key}`, given, "one of the field's categories (categoriesOrdered: bounds compare their order)");
    return rank;
  };
  const minimum = bound('minimum');
  const maximum = bound('maximum');
  const exclusiveMinimum = bound('exclusiveMinimum');
  const exclusiveMaximum = bound('exclusiveMaximum');
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    fail(
      '/constraints/minimum',
      constraints.minimum,
      `a minimum no greater than the maximum (${String(constraints.maximum)})${categoryRank ? ' in the order of the categories' : ''}`,
    );
  }
  const inOrder = categoryRank === undefined ? '' : ' in the order of the categories';
  const boundViolation = (key: BoundKey): CellViolation => violation(key, `${BOUND_SIGNS[key]} ${String(constraints[key])}${inOrder}`);
  const minimumViolation = boundViolation('minimum');
  const maximumViolation = boundViolation('maximum');
  const exclusiveMinimumViolation = boundViolation('exclusiveMinimum');
  const exclusiveMaximumViolation = boundViolation('exclusiveMaximum');
  const boundViolationOf: Record<BoundKey, CellViolation> = {
    minimum: minimumViolation,
    maximum: maximumViolation,
    exclusiveMinimum: exclusiveMinimumViolation,
    exclusiveMaximum: exclusiveMaximumViolation,
  };
  const hasExclusive = exclusiveMinimum !== undefined || exclusiveMaximum !== undefined;
  const bounded = minimum !== undefined || maximum !== undefined || hasExclusive;
  // NaN is unordered: it is outside any bound, so a bounded field refuses it with the first bound it has.
  const nanViolation =
    minimum !== undefined
      ? minimumViolation
      : exclusiveMinimum !== undefined
        ? exclusiveMinimumViolation
        : maximum !== undefined
          ? maximumViolation
          : exclusiveMaximumViolation;

  const minLength = constraints.minLength;
  const maxLength = constraints.maxLength;
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    fail('/constraints/minLength', minLength, `a minLength no greater than the maxLength (${maxLength})`);
  }
  const hasLength = minLength !== undefined || maxLength !== undefined;
  // An untyped field's cells are kept as the source's text, which a length can measure (the official profile
  // reads a field without type through its string branch, which allows minLength and maxLength).
  if (hasLength && !LENGTH_TYPES.includes(type) && !untyped) {
    fail(
      `/constraints/${minLength !== undefined ? 'minLength' : 'maxLength'}`,
      minLength ?? maxLength,
      `no length constraint on a ${type} field`,
    );
  }
  const minLengthValue = minLength ?? 0;
  const maxLengthValue = maxLength ?? Number.MAX_SAFE_INTEGER;
  const minLengthViolation = violation('minLength', `at least ${minLengthValue} ${typeCast.lengthUnit}`);
  const maxLengthViolation = violation('maxLength', `at most ${maxLengthValue} ${typeCast.lengthUnit}`);
  // Strings are measured in characters (code points): an emoji outside the BMP is one, not two UTF-16 units.
  const lastLength = typeCast.lastLength ?? ((): number => 0);
  const measuresText = typeCast.lastLength === undefined;

  const valueSet = (given: readonly unknown[], path: string): Set<CellValue> => {
    const values = new Set<CellValue>();
    for (const [index, item] of given.entries()) {
      const written = typeof item === 'object' && item !== null ? (item as { value: unknown }).value : item;
      const value = constraintValue(written as string | number | boolean, type, cast);
      if (value === undefined) fail(`${path}/${index}`, item, typeCast.expected);
      values.add(value as CellValue);
    }
    return values;
  };
  const enumValues = constraints.enum === undefined ? undefined : valueSet(constraints.enum, '/constraints/enum');
  const enumViolation = violation('enum', `one of ${listForMessage(constraints.enum ?? [])}`);

  // "string and integer field types MAY include a categories property ... The logical representation of data
  // in the field MUST exactly match one of the values in categories."
  let categoryValues: Set<CellValue> | undefined;
  if (field.categories !== undefined) {
    // An untyped field's text is compared as written (the profile's string branch, which reads it, allows categories).
    if (type !== 'string' && type !== 'integer' && !untyped)
      fail('/categories', field.categories, `no categories on a ${type} field (string and integer only)`);
    categoryValues = valueSet(field.categories, '/categories');
    // "the enum values MUST be a subset of the values in categories".
    for (const [index, value] of [...(enumValues ?? [])].entries()) {
      if (!categoryValues.has(value)) fail(`/constraints/enum/${index}`, constraints.enum![index], "one of the field's categories");
    }
  }
  const categoryNames = (field.categories ?? []).map((c) => (typeof c === 'object' && c !== null ? c.value : c));
  const categoriesViolation = violation('categories', `one of the categories ${listForMessage(categoryNames)}`);

  let jsonSchemaCheck: ((value: unknown) => boolean) | undefined;
  if (constraints.jsonSchema !== undefined) {
    if (typeCast.lastParsed === undefined)
      fail('/constraints/jsonSchema', constraints.jsonSchema, `no jsonSchema on a ${type} field (object and array only)`);
    const compiled = jsonSchemaCompiler()(constraints.jsonSchema);
    if (typeof compiled === 'string') fail('/constraints/jsonSchema', constraints.jsonSchema, compiled);
    jsonSchemaCheck = compiled as (value: unknown) => boolean;
  }
  const lastParsed = typeCast.lastParsed;
  const jsonSchemaViolation = violation('jsonSchema', "a value valid under the field's jsonSchema");

  const missingValues = fieldMissingValues(field, schemaMissingValues);
  // One comparison for the usual single missing value; a Set only when there are several.
  const firstMissing = missingValues.length > 0 ? missingValues[0]! : undefined;
  const otherMissing = missingValues.length > 1 ? new Set(missingValues) : undefined;
  const missingResult: CellResult = required ? requiredViolation : null;
  const emptyIsMissing = missingValues.includes('');

  let castAndCheck: (raw: string) => CellResult;
  let fastBounds: readonly [number, number] | undefined;
  const simple =
    pattern === undefined &&
    !hasLength &&
    otherMissing === undefined &&
    categoryValues === undefined &&
    jsonSchemaCheck === undefined &&
    !hasExclusive &&
    !hasDurationBounds;
  if (simple && enumValues === undefined && (typeCast.ordered || !bounded)) {
    const hot: HotPath = {
      firstMissing,
      missingResult,
      typeViolation,
      low: minimum ?? -Infinity,
      high: maximum ?? Infinity,
      minimumViolation,
      maximumViolation,
      nanResult: bounded ? nanViolation : NaN,
    };
    if (typeCast.ordered && firstMissing === '') fastBounds = [hot.low, hot.high];
    castAndCheck =
      cast === castInteger
        ? integerCheck(hot)
        : cast === parseNumberText
          ? numberCheck(hot)
          : cast === parseIsoDate
            ? isoDateCheck(hot)
            : typeCast.ordered
              ? orderedCheck(hot, cast)
              : castOnlyCheck(hot, cast);
  } else if (simple && cast === castText && enumValues !== undefined && !bounded) {
    castAndCheck = textEnumCheck(firstMissing, missingResult, enumValues as Set<string>, enumViolation);
  } else {
    const low = minimum ?? -Infinity;
    const high = maximum ?? Infinity;
    const exclusiveLow = exclusiveMinimum ?? -Infinity;
    const exclusiveHigh = exclusiveMaximum ?? Infinity;
    castAndCheck = (raw) => {
      if (raw === firstMissing || (otherMissing !== undefined && otherMissing.has(raw))) return missingResult;
      const value = cast(raw);
      if (value === undefined) return typeViolation;
      if (pattern !== undefined && !pattern(raw)) return patternViolation;
      if (enumValues !== undefined && !enumValues.has(value)) return enumViolation;
      if (categoryValues !== undefined && !categoryValues.has(value)) return categoriesViolation;
      if (hasLength) {
        const length = measuresText ? textLengthAgainst(value as string, minLengthValue, maxLengthValue) : lastLength();
        if (length < minLengthValue) return minLengthViolation;
        if (length > maxLengthValue) return maxLengthViolation;
      }
      if (jsonSchemaCheck !== undefined && !jsonSchemaCheck(lastParsed!())) return jsonSchemaViolation;
      if (hasDurationBounds) {
        const violated = durationBoundBroken(raw, durationBounds);
        if (violated !== undefined) return boundViolationOf[violated];
      }
      if (bounded) {
        const n = categoryRank === undefined ? (value as number) : categoryRank.get(value)!;
        if (n !== n) return nanViolation;
        if (n < low) return minimumViolation;
        if (n > high) return maximumViolation;
        if (n <= exclusiveLow) return exclusiveMinimumViolation;
        if (n >= exclusiveHigh) return exclusiveMaximumViolation;
      }
      return value;
    };
  }
  return {
    name: field.name,
    type,
    required,
    unique: constraints.unique === true,
    emptyIsMissing,
    ...(fastBounds ? { fastBounds } : {}),
    castAndCheck,
  };
}

/**
 * The first bound a duration breaks, or undefined. A duration incomparable with a bound (P1M against P30D)
 * is not provably within it, so it breaks it.
 */
function durationBoundBroken(raw: string, bounds: Partial<Record<BoundKey, DurationValue>>): BoundKey | undefined {
  const value = parseDuration(raw)!;
  const holds: Record<BoundKey, (order: number) => boolean> = {
    minimum: (order) => order >= 0,
    maximum: (order) => order <= 0,
    exclusiveMinimum: (order) => order > 0,
    exclusiveMaximum: (order) => order < 0,
  };
  for (const key of Object.keys(bounds) as BoundKey[]) {
    if (!holds[key](compareDurations(value, bounds[key]!))) return key;
  }
  return undefined;
}

/**
 * The text's length in characters, or its UTF-16 length when that already decides the bounds: a text has
 * between half and all of its UTF-16 length in code points, so most cells need no scan.
 */
function textLengthAgainst(text: string, min: number, max: number): number {
  const units = text.length;
  if (units < min || (units <= max && (units + 1) >> 1 >= min)) return units;
  return codePointLength(text);
}

/** The number of characters (Unicode code points) of a text: a surrogate pair counts once. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Compiles every field of a schema. Primary key fields are required ("their use in the primary key is
 * equivalent to adding required: true"); a single-field key is also unique.
 * Throws FieldDefinitionError as `compileField` does.
 */
export function compileTableSchema(schema: TableSchema): FieldCodec[] {
  const missingValues = schema.missingValues ?? DEFAULT_MISSING_VALUES;
  const key = primaryKeyFields(schema);
  // A key naming a repeated field name means its first field.
  return schema.fields.map((field, index) => {
    if (!key.includes(field.name) || schema.fields.findIndex((f) => f.name === field.name) !== index)
      return compileField(field, missingValues);
    const constraints = { ...field.constraints, required: true, unique: key.length === 1 || field.constraints?.unique === true };
    return compileField({ ...field, constraints }, missingValues);
  });
}

function constraintValue(given: string | number | boolean, type: FieldType, cast: Cast): CellValue | undefined {
  if (typeof given === 'number') {
    if (type === 'integer' || type === 'year') return Number.isInteger(given) ? given : undefined;
    if (type === 'number') return given;
    if (type === 'string' || type === 'any') return String(given);
    return undefined;
  }
  if (typeof given === 'boolean') {
    if (type === 'boolean') return given;
    return type === 'string' || type === 'any' ? String(given) : undefined;
  }
  const value = cast(given);
  if (value !== undefined) return value;
  // Bounds of a date field with a custom format may still be written in ISO 8601.
  if (type === 'date') return parseIsoDate(given);
  if (type === 'datetime') return parseIsoDatetime(given);
  if (type === 'time') return parseIsoTime(given);
  return undefined;
}

function listForMessage(values: readonly unknown[]): string {
  const shown = values.slice(0, 12).map(String).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}
