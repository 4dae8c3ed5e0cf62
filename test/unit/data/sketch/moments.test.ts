import { describe, expect, it } from '@jest/globals';
import { Moments } from '../../../../shared/data/sketch/moments.js';
import { InputError } from '../../../../shared/errors.js';
import { readJsonRows, uniformStream } from './datasets.js';

function exact(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

describe('Moments', () => {
  it('matches a two-pass computation on real data (flights: 200k delays)', () => {
    const delays = readJsonRows<{ delay: number }>('flights-200k.json').map((f) => f.delay);
    const m = new Moments();
    delays.forEach((d) => m.add(d));
    const { mean, variance } = exact(delays);
    expect(m.count).toBe(delays.length);
    expect(m.min).toBe(delays.reduce((a, b) => Math.min(a, b)));
    expect(m.max).toBe(delays.reduce((a, b) => Math.max(a, b)));
    expect(Math.abs(m.mean / mean - 1)).toBeLessThan(1e-12);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(1e-10);
    expect(m.stddev).toBeCloseTo(Math.sqrt(variance), 9);
  });

  it('merging parts equals one pass: count/min/max exact, mean to 1e-12', () => {
    const next = uniformStream(21);
    const values = Array.from({ length: 1_000_000 }, () => 1000 + next() * 50);
    const whole = new Moments();
    values.forEach((v) => whole.add(v));
    const cuts = [0, 1, 17, 250_000, 600_000, 1_000_000];
    const merged = new Moments();
    for (let p = 0; p + 1 < cuts.length; p++) {
      const part = new Moments();
      for (let i = cuts[p]!; i < cuts[p + 1]!; i++) part.add(values[i]!);
      merged.merge(part);
    }
    merged.merge(new Moments());
    expect(merged.count).toBe(whole.count);
    expect(merged.min).toBe(whole.min);
    expect(merged.max).toBe(whole.max);
    expect(Math.abs(merged.mean / whole.mean - 1)).toBeLessThan(1e-12);
    expect(Math.abs(merged.variance / whole.variance - 1)).toBeLessThan(1e-9);
    expect(Math.abs(merged.variance / exact(values).variance - 1)).toBeLessThan(1e-9);
  });

  it('round-trips through JSON, also when empty or holding Infinity', () => {
    const m = new Moments();
    [2, NaN, 4, 9].forEach((x) => m.add(x));
    expect(m.count).toBe(3);
    const restored = Moments.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(restored.toJSON()).toEqual(m.toJSON());
    expect(restored.variance).toBe(m.variance);
    const empty = Moments.fromJSON(JSON.parse(JSON.stringify(new Moments())));
    expect(empty.count).toBe(0);
    expect(empty.mean).toBeNaN();
    empty.add(5);
    expect(empty.min).toBe(5);
    const infinite = new Moments();
    infinite.add(Infinity);
    expect(Moments.fromJSON(JSON.parse(JSON.stringify(infinite))).max).toBe(Infinity);
    expect(() => Moments.fromJSON({ ...m.toJSON(), mean: 'big' })).toThrow(InputError);
  });
});
