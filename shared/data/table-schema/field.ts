import { InputError } from '../../errors.js';
import type { Cast } from './casts/cast.js';
import { parseIsoDate, parseIsoDatetime, parseIsoTime } from './casts/iso-8601.js';
import { castInteger, parseNumberText } from './casts/numbers.js';
import { castText } from './casts/other-types.js';
import { typeCastFor } from './casts/type-cast-for.js';
import { type CellPattern, compileCellPattern } from './cell-pattern.js';
import { castOnlyCheck, type HotPath, integerCheck, isoDateCheck, numberCheck, orderedCheck, textEnumCheck } from './cell-checks.js';
import {
  type CellResult,
  type CellValue,
  type CellViolation,
  DEFAULT_MISSING_VALUES,
  type FieldCodec,
  type FieldType,
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

/**
 * Compiles one field into a codec. Precompiles patterns, enums and bounds so that `castAndCheck` does
 * no allocation and no regex work for plain numbers.
 * Throws FieldDefinitionError when the definition cannot be compiled.
 */
export function compileField(field: TableField, missingValues: readonly string[] = DEFAULT_MISSING_VALUES): FieldCodec {
  const type: FieldType = field.type ?? 'string';
  const constraints = field.constraints ?? {};
  const fail = (path: string, value: unknown, expected: string): never => {
    throw new FieldDefinitionError(field.name, path, value, expected);
  };
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
        `a valid regular expression (XML Schema style, matched in linear time: no back-references or lookaround), not one with ${compiled}`,
      );
    }
    pattern = compiled as CellPattern;
  }
  const patternViolation = violation('pattern', `to match ${constraints.pattern ?? ''}`);

  const bound = (key: 'minimum' | 'maximum'): number | undefined => {
    const given = constraints[key];
    if (given === undefined) return undefined;
    if (!typeCast.ordered)
      fail(`/constraints/${key}`, given, `no ${key} on a ${type} field${type === 'string' ? ' (use minLength/maxLength)' : ''}`);
    const value = constraintValue(given, type, cast);
    if (typeof value !== 'number') fail(`/constraints/${key}`, given, typeCast.expected);
    return value as number;
  };
  const minimum = bound('minimum');
  const maximum = bound('maximum');
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    fail('/constraints/minimum', constraints.minimum, `a minimum no greater than the maximum (${String(constraints.maximum)})`);
  }
  const hasMinimum = minimum !== undefined;
  const hasMaximum = maximum !== undefined;
  const minimumValue = minimum ?? 0;
  const maximumValue = maximum ?? 0;
  const minimumViolation = violation('minimum', `>= ${String(constraints.minimum)}`);
  const maximumViolation = violation('maximum', `<= ${String(constraints.maximum)}`);

  const minLength = constraints.minLength;
  const maxLength = constraints.maxLength;
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    fail('/constraints/minLength', minLength, `a minLength no greater than the maxLength (${maxLength})`);
  }
  const hasLength = minLength !== undefined || maxLength !== undefined;
  if (hasLength && type !== 'string' && type !== 'array' && type !== 'object') {
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
  const lastLength = typeCast.lastLength;

  let enumValues: Set<CellValue> | undefined;
  if (constraints.enum !== undefined) {
    enumValues = new Set();
    for (const [index, given] of constraints.enum.entries()) {
      const value = constraintValue(given, type, cast);
      if (value === undefined) fail(`/constraints/enum/${index}`, given, typeCast.expected);
      enumValues.add(value as CellValue);
    }
  }
  const enumViolation = violation('enum', `one of ${listForMessage(constraints.enum ?? [])}`);

  // One comparison for the usual single missing value; a Set only when there are several.
  const firstMissing = missingValues.length > 0 ? missingValues[0]! : undefined;
  const otherMissing = missingValues.length > 1 ? new Set(missingValues) : undefined;
  const missingResult: CellResult = required ? requiredViolation : null;

  let castAndCheck: (raw: string) => CellResult;
  const simple = pattern === undefined && !hasLength && otherMissing === undefined;
  if (simple && enumValues === undefined && (typeCast.ordered || (!hasMinimum && !hasMaximum))) {
    const hot: HotPath = {
      firstMissing,
      missingResult,
      typeViolation,
      low: minimum ?? -Infinity,
      high: maximum ?? Infinity,
      minimumViolation,
      maximumViolation,
    };
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
  } else if (simple && cast === castText && enumValues !== undefined && !hasMinimum && !hasMaximum) {
    castAndCheck = textEnumCheck(firstMissing, missingResult, enumValues as Set<string>, enumViolation);
  } else {
    castAndCheck = (raw) => {
      if (raw === firstMissing || (otherMissing !== undefined && otherMissing.has(raw))) return missingResult;
      const value = cast(raw);
      if (value === undefined) return typeViolation;
      if (pattern !== undefined && !pattern(raw)) return patternViolation;
      if (enumValues !== undefined && !enumValues.has(value)) return enumViolation;
      if (hasLength) {
        const length = lastLength === undefined ? (value as string).length : lastLength();
        if (length < minLengthValue) return minLengthViolation;
        if (length > maxLengthValue) return maxLengthViolation;
      }
      if (hasMinimum && (value as number) < minimumValue) return minimumViolation;
      if (hasMaximum && (value as number) > maximumValue) return maximumViolation;
      return value;
    };
  }
  return {
    name: field.name,
    type,
    required,
    unique: constraints.unique === true,
    castAndCheck,
  };
}

/**
 * Compiles every field of a schema. A single-field primary key makes that field required and unique;
 * each field of a composite key is required (the caller checks the combination).
 * Throws FieldDefinitionError as `compileField` does.
 */
export function compileTableSchema(schema: TableSchema): FieldCodec[] {
  const missingValues = schema.missingValues ?? DEFAULT_MISSING_VALUES;
  const key = schema.primaryKey === undefined ? [] : typeof schema.primaryKey === 'string' ? [schema.primaryKey] : schema.primaryKey;
  return schema.fields.map((field) => {
    if (!key.includes(field.name)) return compileField(field, missingValues);
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
