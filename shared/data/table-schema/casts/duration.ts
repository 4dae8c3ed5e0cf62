// XML Schema durations as values that minimum, maximum and their exclusive forms can compare. Durations are
// only partially ordered (P1M and P30D are neither less, equal nor greater): XML Schema compares two by
// adding each to four reference dateTimes, and one is less than the other only when it is so at all four.

const DURATION_PARTS = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
// XML Schema Part 2, 3.2.6.2: 1696-09-01T00:00:00Z, 1697-02-01T00:00:00Z, 1903-03-01T00:00:00Z, 1903-07-01T00:00:00Z.
const REFERENCES: ReadonlyArray<readonly [number, number]> = [
  [1696, 8],
  [1697, 1],
  [1903, 2],
  [1903, 6],
];

/** A duration's months and milliseconds (both negative for a negative duration). */
export interface DurationValue {
  months: number;
  ms: number;
}

/** The parts of an XML Schema duration (cast-checked text), or undefined. */
export function parseDuration(text: string): DurationValue | undefined {
  const m = DURATION_PARTS.exec(text);
  if (!m || text === 'P' || text.endsWith('T') || text === '-P') return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const sign = m[1] ? -1 : 1;
  const months = n(2) * 12 + n(3);
  const ms = (((n(4) * 24 + n(5)) * 60 + n(6)) * 60 + n(7)) * 1000;
  return { months: sign * months, ms: sign * ms };
}

/** The instants of the four reference dateTimes plus `d`. */
function instants(d: DurationValue): number[] {
  // Each reference is the first of its month, so adding whole months never overflows a day.
  return REFERENCES.map(([year, month]) => Date.UTC(year, month + d.months, 1) + d.ms);
}

/** -1, 0 or 1 when `a` is less than, equal to or greater than `b` at all four references; NaN when indeterminate. */
export function compareDurations(a: DurationValue, b: DurationValue): number {
  const x = instants(a);
  const y = instants(b);
  if (x.every((t, i) => t < y[i]!)) return -1;
  if (x.every((t, i) => t > y[i]!)) return 1;
  if (x.every((t, i) => t === y[i]!)) return 0;
  return NaN;
}
