import { describe, expect, it } from '@jest/globals';
import { DistinctSketch, hashBytes, hashNumber, hashString } from '../../../../shared/data/sketch/distinct.js';
import { InputError } from '../../../../shared/errors.js';
import { readJsonRows } from './datasets.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('hashes', () => {
  it('are MurmurHash3 x86_32 with seed 0 (published test vectors)', () => {
    expect(hashString('')).toBe(0);
    expect(hashString('hello')).toBe(0x248bfa47);
    expect(hashString('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('hash a string and its UTF-8 bytes alike, including multi-byte and unpaired surrogates', () => {
    const names = readJsonRows<{ Name: string }>('cars.json').map((c) => c.Name);
    const samples = [...names, 'é', 'Zürich', '東京', '😀 emoji', 'a\uD800b', '\uDC00', 'x\uD83D', 'abc', 'abcd', 'abcde'];
    for (const s of samples) {
      const bytes = utf8(`..${s}..`);
      expect(hashString(s)).toBe(hashBytes(bytes, 2, bytes.length - 2));
    }
  });

  it('hash a number by its float64 bits, with -0 as 0 and one NaN', () => {
    const bytes = new Uint8Array(new Float64Array([3.25]).buffer);
    expect(hashNumber(3.25)).toBe(hashBytes(bytes, 0, 8));
    expect(hashNumber(-0)).toBe(hashNumber(0));
    expect(hashNumber(NaN)).toBe(hashNumber(0 / 0));
    expect(hashNumber(1)).not.toBe(hashNumber(2));
  });
});

describe('DistinctSketch', () => {
  it('estimates distinct counts from 10 to 1e6 (strings to 2e5, numbers at 1e6) within 3 standard errors', () => {
    for (const n of [10, 1000, 20_000, 40_000, 60_000, 200_000]) {
      const sketch = new DistinctSketch();
      // every value twice: duplicates must not count
      for (let r = 0; r < 2; r++) for (let i = 0; i < n; i++) sketch.addString(`user-${i}`);
      expect(Math.abs(sketch.estimate() / n - 1)).toBeLessThan(3 * DistinctSketch.relativeError);
    }
    const numbers = new DistinctSketch();
    for (let i = 0; i < 1_000_000; i++) numbers.addNumber(i / 10);
    expect(Math.abs(numbers.estimate() / 1_000_000 - 1)).toBeLessThan(3 * DistinctSketch.relativeError);
  });

  it('counts small sets of real values closely by linear counting (cars: 311 distinct names)', () => {
    const names = readJsonRows<{ Name: string }>('cars.json').map((c) => c.Name);
    const sketch = new DistinctSketch();
    names.forEach((n) => sketch.addString(n));
    expect(new Set(names).size).toBe(311);
    // linear counting's standard error here is about n / sqrt(2m) ≈ 1.7
    expect(Math.abs(sketch.estimate() - 311)).toBeLessThan(6);
  });

  it('merging equals sketching the union, and round-trips through JSON', () => {
    const a = new DistinctSketch();
    const b = new DistinctSketch();
    const all = new DistinctSketch();
    for (let i = 0; i < 150_000; i++) {
      (i < 100_000 ? a : b).addNumber(i);
      if (i >= 50_000) b.addNumber(i - 50_000);
      all.addNumber(i);
    }
    a.merge(b);
    expect(a.toJSON()).toEqual(all.toJSON());
    expect(Math.abs(a.estimate() / 150_000 - 1)).toBeLessThan(3 * DistinctSketch.relativeError);
    const restored = DistinctSketch.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(restored.estimate()).toBe(a.estimate());
    expect(() => DistinctSketch.fromJSON({ ...a.toJSON(), p: 12 })).toThrow(InputError);
    expect(() => DistinctSketch.fromJSON({ ...a.toJSON(), registers: 'AAAA' })).toThrow(/16384 registers/);
    expect(new DistinctSketch().estimate()).toBe(0);
  });
});
