// The types of a Table Schema and of its compiled fields, in a module of their own so that the descriptor
// (which compiles fields to check them) and the field codecs both depend on it and not on each other.

/** The field types of Frictionless Table Schema v1. */
export const FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'yearmonth',
  'duration',
  'object',
  'array',
  'geopoint',
  'geojson',
  'any',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** Constraint values are in the field's own representation: numbers, or strings cast like a cell (dates). */
export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  minimum?: number | string;
  maximum?: number | string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: Array<string | number | boolean>;
}

/** One column of a table. `type` defaults to `string`, `format` to `default`. */
export interface TableField {
  name: string;
  type?: FieldType;
  format?: string;
  title?: string;
  description?: string;
  constraints?: FieldConstraints;
  /** boolean only; default `true`, `True`, `TRUE`, `1`. */
  trueValues?: string[];
  /** boolean only; default `false`, `False`, `FALSE`, `0`. */
  falseValues?: string[];
  /** number only; default `.`. */
  decimalChar?: string;
  /** number and integer; none by default. */
  groupChar?: string;
  /** number and integer; `false` lets non-numeric characters lead and trail (`$12`, `95%`). Default `true`. */
  bareNumber?: boolean;
}

/** A Frictionless Table Schema (v1) descriptor. */
export interface TableSchema {
  fields: TableField[];
  /** Cell texts that mean "no value"; default `[""]`. */
  missingValues?: string[];
  primaryKey?: string | string[];
  /** Accepted so that existing descriptors load; not checked. */
  foreignKeys?: unknown[];
}

/** The schema's `missingValues` when it sets none. */
export const DEFAULT_MISSING_VALUES: readonly string[] = [''];

/** The rule a cell broke. */
export type ViolationRule = 'type' | 'required' | 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern' | 'enum';

/** A broken rule and what the cell should have been (`an integer`, `>= 0`, `one of Adelie, Gentoo`). */
export interface CellViolation {
  readonly rule: ViolationRule;
  readonly expected: string;
}

/**
 * A cast cell: a number for integer, number, year, yearmonth, date, datetime and time (the last four as
 * epoch milliseconds UTC; a time as milliseconds since midnight), a boolean, the text itself for the other
 * types, or null for a missing value.
 */
export type CellValue = number | boolean | string | null;

/**
 * What `castAndCheck` returns: the value itself, or a violation. Violations are allocated once per codec
 * and rule, so a cell costs no allocation either way.
 */
export type CellResult = CellValue | CellViolation;

/** True when `result` is a violation rather than a value. */
export function isViolation(result: CellResult): result is CellViolation {
  return typeof result === 'object' && result !== null;
}

/** Casts and checks the cells of one column. */
export interface FieldCodec {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** The caller checks uniqueness, since that needs the whole column. */
  readonly unique: boolean;
  /** The cast value, or a violation (one object per rule, shared between calls). */
  castAndCheck(raw: string): CellResult;
}
