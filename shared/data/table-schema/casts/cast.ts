import type { CellValue } from '../types.js';

/** Reads one cell's text as a value of the field's type. Returns undefined when the text is not of the type. */
export type Cast = (raw: string) => CellValue | undefined;

/** A field's cast with what the checks need to know about its type. */
export interface TypeCast {
  /** Returns undefined when the text is not of the type. */
  cast: Cast;
  /** Phrase for a type violation. */
  expected: string;
  /** Whether values are numbers that minimum and maximum compare. */
  ordered: boolean;
  /** Length of the last cast value, for array and object (their cast returns the text). */
  lastLength?: () => number;
  /** The parsed JSON of the last cast value, for jsonSchema (object and array). */
  lastParsed?: () => unknown;
  lengthUnit: string;
}

/** Throws FieldDefinitionError at `path` of the field (the definition cannot be compiled). */
export type FailDefinition = (path: string, value: unknown, expected: string) => never;

/** A cast whose lengths are counted in characters. */
export function plainCast(cast: Cast, expected: string, ordered = false): TypeCast {
  return { cast, expected, ordered, lengthUnit: 'characters' };
}
