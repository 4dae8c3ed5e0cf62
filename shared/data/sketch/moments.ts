import { InputError } from '../../errors.js';

/** Serialized form of {@link Moments}; non-finite numbers (an empty column's min/max) as strings. */
export interface MomentsJSON {
  count: number;
  min: number | string;
  max: number | string;
  mean: number | string;
  m2: number | string;
}

/**
 * Count, min, max, mean and the sum of squared deviations (M2) of numbers, updated with Welford's
 * method and merged with the parallel formula of Chan, Golub & LeVeque, so merging partial results
 * from several workers matches one pass over all the values.
 */
export class Moments {
  private n = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private meanValue = 0;
  private m2Value = 0;

  /** Adds a value; NaN is ignored (missing values are counted elsewhere). */
  add(x: number): void {
    if (x !== x) return;
    const n = ++this.n;
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    const delta = x - this.meanValue;
    this.meanValue += delta / n;
    this.m2Value += delta * (x - this.meanValue);
  }

  /** Adds the values summarized by `other` (left unchanged). */
  merge(other: Moments): void {
    if (other.n === 0) return;
    if (this.n === 0) {
      this.n = other.n;
      this.minValue = other.minValue;
      this.maxValue = other.maxValue;
      this.meanValue = other.meanValue;
      this.m2Value = other.m2Value;
      return;
    }
    const n = this.n + other.n;
    const delta = other.meanValue - this.meanValue;
    this.m2Value += other.m2Value + (delta * delta * this.n * other.n) / n;
    this.meanValue += (delta * other.n) / n;
    this.n = n;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  /** Number of values added. */
  get count(): number {
    return this.n;
  }

  /** Smallest value; NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.minValue;
  }

  /** Largest value; NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.maxValue;
  }

  /** Arithmetic mean; NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.meanValue;
  }

  /** Sum of squared deviations from the mean. */
  get m2(): number {
    return this.m2Value;
  }

  /** Sample variance (n − 1 in the denominator); NaN with fewer than two values. */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2Value / (this.n - 1);
  }

  /** Sample standard deviation; NaN with fewer than two values. */
  get stddev(): number {
    return Math.sqrt(this.variance);
  }

  /** Serializes exactly (JSON numbers round-trip float64). */
  toJSON(): MomentsJSON {
    return {
      count: this.n,
      min: encodeNumber(this.minValue),
      max: encodeNumber(this.maxValue),
      mean: encodeNumber(this.meanValue),
      m2: encodeNumber(this.m2Value),
    };
  }

  /** Rebuilds from toJSON(); throws InputError on a malformed object. */
  static fromJSON(json: MomentsJSON): Moments {
    if (json === null || typeof json !== 'object' || !Number.isSafeInteger(json.count) || json.count < 0) {
      throw new InputError('moments JSON is invalid: count must be a non-negative integer');
    }
    const moments = new Moments();
    moments.n = json.count;
    moments.minValue = decodeNumber(json.min, 'min');
    moments.maxValue = decodeNumber(json.max, 'max');
    moments.meanValue = decodeNumber(json.mean, 'mean');
    moments.m2Value = decodeNumber(json.m2, 'm2');
    return moments;
  }
}

// JSON has no Infinity or NaN (an empty column's min is Infinity; a column with Infinity has NaN M2).
function encodeNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function decodeNumber(x: unknown, field: string): number {
  if (typeof x === 'number') return x;
  if (x === 'Infinity' || x === '-Infinity' || x === 'NaN') return Number(x);
  throw new InputError(`moments JSON is invalid: ${field} must be a number, "Infinity", "-Infinity" or "NaN", got ${JSON.stringify(x)}`);
}
