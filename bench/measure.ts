// What every benchmark runner shares: its numeric command-line options and the statistics it reports.

/** The number after `name` on the command line, or `fallback` when it is not given. */
export function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `value` rounded to `digits` decimals, for result files. */
export const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
