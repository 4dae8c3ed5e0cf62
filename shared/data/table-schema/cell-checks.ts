// The castAndCheck closures compileField picks for the common column kinds: no allocation, no regex.

import type { Cast } from './casts/cast.js';
import { parseIsoDate } from './casts/iso-8601.js';
import { parseIntegerText, parseNumberText } from './casts/numbers.js';
import type { CellResult, CellViolation } from './types.js';

/** What the specialised checks need; unset bounds are infinite, so there are no flags to test. */
export interface HotPath {
  firstMissing: string | undefined;
  missingResult: CellResult;
  typeViolation: CellViolation;
  low: number;
  high: number;
  minimumViolation: CellViolation;
  maximumViolation: CellViolation;
  /** What a NaN value gives: NaN itself when the field has no bound, else a bound's violation (NaN is unordered). */
  nanResult: CellResult;
}

// One factory per common column kind: each returned closure calls its parser directly, so V8 can inline
// it. A single shared closure calling `cast(raw)` sees every type's parser and stops inlining any.

export function integerCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }: HotPath) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    const value = parseIntegerText(raw);
    if (value !== value) return typeViolation;
    if (value < low) return minimumViolation;
    return value > high ? maximumViolation : value;
  };
}

export function numberCheck({
  firstMissing,
  missingResult,
  typeViolation,
  low,
  high,
  minimumViolation,
  maximumViolation,
  nanResult,
}: HotPath) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    const value = parseNumberText(raw);
    if (value === undefined) return typeViolation;
    if (value < low) return minimumViolation;
    if (value > high) return maximumViolation;
    return value === value ? value : nanResult;
  };
}

export function isoDateCheck({ firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation }: HotPath) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    const value = parseIsoDate(raw);
    if (value === undefined) return typeViolation;
    if (value < low) return minimumViolation;
    return value > high ? maximumViolation : value;
  };
}

export function orderedCheck(
  { firstMissing, missingResult, typeViolation, low, high, minimumViolation, maximumViolation, nanResult }: HotPath,
  cast: Cast,
) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    const value = cast(raw) as number | undefined;
    if (value === undefined) return typeViolation;
    if (value < low) return minimumViolation;
    if (value > high) return maximumViolation;
    return value === value ? value : nanResult;
  };
}

export function castOnlyCheck({ firstMissing, missingResult, typeViolation }: HotPath, cast: Cast) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    const value = cast(raw);
    return value === undefined ? typeViolation : value;
  };
}

export function textEnumCheck(
  firstMissing: string | undefined,
  missingResult: CellResult,
  values: Set<string>,
  enumViolation: CellViolation,
) {
  return (raw: string): CellResult => {
    if (raw === firstMissing) return missingResult;
    return values.has(raw) ? raw : enumViolation;
  };
}
