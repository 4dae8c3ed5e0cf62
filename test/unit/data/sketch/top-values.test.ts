import { describe, expect, it } from '@jest/globals';
import { TopValues } from '../../../../shared/data/sketch/top-values.js';
import { InputError } from '../../../../shared/errors.js';
import { readJsonRows, uniformStream } from './datasets.js';

/** Zipf-like stream: value i with probability ∝ 1/i over 1..5000. */
function zipfStream(seed: number, n: number): string[] {
  const next = uniformStream(seed);
  const weights = Array.from({ length: 5000 }, (_, i) => 1 / (i + 1));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1]!;
  return Array.from({ length: n }, () => {
    const u = next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return `v${lo}`;
  });
}

function exactCounts(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
  return counts;
}

function expectGuarantees(top: TopValues, truth: Map<string, number>): void {
  const entries = top.entries();
  for (const e of entries) {
    const real = truth.get(e.value) ?? 0;
    expect(e.count).toBeGreaterThanOrEqual(real);
    expect(e.count - e.error).toBeLessThanOrEqual(real);
    expect(e.error).toBeLessThanOrEqual(top.total / top.capacity);
  }
  const kept = new Set(entries.map((e) => e.value));
  for (const [value, count] of truth) if (count > top.total / top.capacity) expect(kept.has(value)).toBe(true);
}

describe('TopValues', () => {
  it('counts exactly while distinct values fit (real data: car origins and cylinders)', () => {
    const cars = readJsonRows<{ Origin: string; Cylinders: number }>('cars.json');
    const top = new TopValues();
    cars.forEach((c) => top.add(c.Origin));
    expect(top.exact).toBe(true);
    expect(top.total).toBe(406);
    expect(top.entries()).toEqual([
      { value: 'USA', count: 254, error: 0 },
      { value: 'Japan', count: 79, error: 0 },
      { value: 'Europe', count: 73, error: 0 },
    ]);
    const cylinders = new TopValues(3);
    cars.forEach((c) => cylinders.add(String(c.Cylinders)));
    expect(cylinders.exact).toBe(false);
    expectGuarantees(cylinders, exactCounts(cars.map((c) => String(c.Cylinders))));
  });

  it('keeps the Space-Saving guarantees on a skewed stream, and after merging parts', () => {
    const stream = zipfStream(5, 200_000);
    const truth = exactCounts(stream);
    const whole = new TopValues(64);
    stream.forEach((v) => whole.add(v));
    expect(whole.exact).toBe(false);
    expect(whole.total).toBe(200_000);
    expectGuarantees(whole, truth);
    expect(whole.entries()[0]!.value).toBe('v0');

    const parts = [new TopValues(64), new TopValues(64), new TopValues(64)];
    stream.forEach((v, i) => parts[i < 20_000 ? 0 : i < 150_000 ? 1 : 2]!.add(v));
    const merged = new TopValues(64);
    parts.forEach((p) => merged.merge(p));
    expect(merged.total).toBe(200_000);
    expect(merged.entries()).toHaveLength(64);
    expectGuarantees(merged, truth);
    const topFive = [...truth.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([v]) => v);
    expect(
      merged
        .entries()
        .slice(0, 5)
        .map((e) => e.value),
    ).toEqual(topFive);
    expect(
      whole
        .entries()
        .slice(0, 5)
        .map((e) => e.value),
    ).toEqual(topFive);
  });

  it('merges exact summaries exactly, and sorts ties by value', () => {
    const a = new TopValues(4);
    const b = new TopValues(4);
    a.add('x', 3);
    a.add('y');
    b.add('y', 2);
    b.add('b', 3);
    a.merge(b);
    expect(a.exact).toBe(true);
    expect(a.entries()).toEqual([
      { value: 'b', count: 3, error: 0 },
      { value: 'x', count: 3, error: 0 },
      { value: 'y', count: 3, error: 0 },
    ]);
  });

  it('round-trips through JSON and rejects malformed JSON', () => {
    const top = new TopValues(8);
    zipfStream(9, 5000).forEach((v) => top.add(v));
    const restored = TopValues.fromJSON(JSON.parse(JSON.stringify(top)));
    expect(restored.toJSON()).toEqual(top.toJSON());
    restored.add('v0');
    top.add('v0');
    expect(restored.toJSON()).toEqual(top.toJSON());
    expect(() => TopValues.fromJSON({ ...top.toJSON(), entries: [['a', 1, 2]] })).toThrow(InputError);
    expect(() => new TopValues(0)).toThrow(InputError);
  });
});
