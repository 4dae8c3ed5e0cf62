// The quantile sketch's radix sort must give the built-in Float64Array sort's result bit for bit
// (-0 before +0, subnormals, infinities, repeats), at every size, or sketches would differ.
import { describe, expect, it } from '@jest/globals';
import { sortFloat64s } from '../../../../shared/data/sketch/sort-float64.js';

/** A deterministic xorshift32 stream in [0, 1). */
function stream(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const SPECIAL = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, Infinity, -Infinity, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE];

const kinds: Record<string, (r: () => number) => number> = {
  'uniform fractions': (r) => r(),
  'signed magnitudes': (r) => (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20),
  'coarse fractions (k/16)': (r) => Math.floor(r() * 17) / 16,
  'small integers': (r) => Math.floor(r() * 200) - 100,
  'special values': (r) => SPECIAL[Math.floor(r() * SPECIAL.length)]!,
};

describe('sortFloat64s', () => {
  it.each(Object.keys(kinds))('sorts %s exactly as Float64Array.prototype.sort, leaving the rest of the array', (kind) => {
    const next = stream(kind.length * 7919);
    for (const n of [0, 1, 2, 3, 63, 64, 65, 100, 511, 512, 1000]) {
      const values = Float64Array.from({ length: n + 5 }, () => kinds[kind]!(next));
      const expected = values.slice();
      expected.subarray(0, n).sort();
      sortFloat64s(values, n);
      expect(Array.from(new Uint32Array(values.buffer))).toEqual(Array.from(new Uint32Array(expected.buffer)));
    }
  });

  it('sorts a view at an offset into a larger buffer', () => {
    const next = stream(3);
    const buffer = Float64Array.from({ length: 300 }, () => next() - 0.5);
    const view = buffer.subarray(100, 250);
    const expected = buffer.slice();
    expected.subarray(100, 250).sort();
    sortFloat64s(view, view.length);
    expect(Array.from(buffer)).toEqual(Array.from(expected));
  });
});
