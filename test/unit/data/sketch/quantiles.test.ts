import { describe, expect, it } from '@jest/globals';
import { QuantileSketch } from '../../../../shared/data/sketch/quantiles.js';
import { InputError } from '../../../../shared/errors.js';
import { exactRank, readCsvRows, uniformStream } from './datasets.js';

/** sup over the retained items and 200 data quantiles of |estimated rank − true rank|. */
function supRankError(sketch: QuantileSketch, sorted: Float64Array): number {
  const points = sketch.items().map((i) => i.value);
  for (let i = 0; i < 200; i++) points.push(sorted[Math.floor((i * sorted.length) / 200)]!);
  return Math.max(...points.map((x) => Math.abs(sketch.rank(x) - exactRank(sorted, x))));
}

function normalStream(seed: number): () => number {
  const u = uniformStream(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const N = 1_000_000;

describe('QuantileSketch', () => {
  it('keeps the rank error of 1e6 values within rankError for several laws and orders', () => {
    const laws: [string, () => number][] = [
      ['uniform', uniformStream(7)],
      ['normal', normalStream(11)],
      [
        'lognormal',
        (() => {
          const z = normalStream(13);
          return () => Math.exp(2 * z());
        })(),
      ],
    ];
    for (const [, next] of laws) {
      const data = new Float64Array(N);
      for (let i = 0; i < N; i++) data[i] = next();
      const sketch = new QuantileSketch();
      for (let i = 0; i < N; i++) sketch.add(data[i]!);
      const sorted = Float64Array.from(data).sort();
      expect(sketch.count).toBe(N);
      expect(supRankError(sketch, sorted)).toBeLessThan(QuantileSketch.rankError);
      expect(sketch.min).toBe(sorted[0]);
      expect(sketch.max).toBe(sorted[N - 1]);
      // quantile is the inverse of rank: its true rank is within the error of q
      for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        expect(Math.abs(exactRank(sorted, sketch.quantile(q)) - q)).toBeLessThan(QuantileSketch.rankError);
      }
      expect(sketch.retained).toBeLessThan(1200);
    }
    // ascending input is the classic adversarial order for compactors
    const sorted = new Float64Array(N).map((_, i) => i);
    const sketch = new QuantileSketch();
    for (let i = 0; i < N; i++) sketch.add(i);
    expect(supRankError(sketch, sorted)).toBeLessThan(QuantileSketch.rankError);
  });

  it('merging sketches of parts gives the guarantees of sketching the concatenation', () => {
    const next = normalStream(5);
    const data = new Float64Array(N);
    for (let i = 0; i < N; i++) data[i] = next() * 10 + 50;
    const parts = [0, 1, 2, 3, 4, 5, 6].map(() => new QuantileSketch());
    // uneven parts, as workers get them
    const cuts = [0, 10, 1000, 150_000, 400_000, 401_000, 700_000, N];
    parts.forEach((part, p) => {
      for (let i = cuts[p]!; i < cuts[p + 1]!; i++) part.add(data[i]!);
    });
    const merged = new QuantileSketch();
    for (const part of parts) merged.merge(part);
    const sorted = Float64Array.from(data).sort();
    expect(merged.count).toBe(N);
    expect(merged.min).toBe(sorted[0]);
    expect(merged.max).toBe(sorted[N - 1]);
    expect(supRankError(merged, sorted)).toBeLessThan(QuantileSketch.rankError);
    expect(merged.items().reduce((sum, i) => sum + i.weight, 0)).toBe(N);
    // merging leaves the argument untouched
    expect(parts[3]!.count).toBe(cuts[4]! - cuts[3]!);
    // a tree of merges is as good as a chain
    const left = QuantileSketch.fromJSON(parts[0]!.toJSON());
    for (const part of parts.slice(1, 4)) left.merge(part);
    const right = QuantileSketch.fromJSON(parts[4]!.toJSON());
    for (const part of parts.slice(5)) right.merge(part);
    left.merge(right);
    expect(left.count).toBe(N);
    expect(supRankError(left, sorted)).toBeLessThan(QuantileSketch.rankError);
  });

  it('is exact while its input buffer holds every value (real data: Seattle daily max temperatures of 2013)', () => {
    const temps = readCsvRows('seattle-weather.csv')
      .filter((r) => r['date']!.startsWith('2013'))
      .map((r) => Number(r['temp_max']));
    const sketch = new QuantileSketch();
    temps.forEach((t) => sketch.add(t));
    const sorted = Float64Array.from(temps).sort();
    expect(sketch.count).toBe(365);
    for (const x of [-1.6, 0, 10.6, 15.6, 20, 35.6]) expect(sketch.rank(x)).toBeCloseTo(exactRank(sorted, x), 12);
    expect(sketch.quantile(0.5)).toBe(sorted[Math.ceil(0.5 * sorted.length) - 1]);
    expect(sketch.cdf([sorted[0]!, sorted[364]!])).toEqual([exactRank(sorted, sorted[0]!), 1]);
    expect(sketch.rank(sorted[0]!, false)).toBe(0);
  });

  it('is deterministic and round-trips through JSON, then continues identically', () => {
    const build = (): QuantileSketch => {
      const next = uniformStream(99);
      const sketch = new QuantileSketch();
      for (let i = 0; i < 300_000; i++) sketch.add(next());
      return sketch;
    };
    const a = build();
    const b = build();
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(restored.toJSON()).toEqual(a.toJSON());
    expect(restored.quantile(0.37)).toBe(a.quantile(0.37));
    const next = uniformStream(3);
    for (let i = 0; i < 100_000; i++) {
      const x = next();
      a.add(x);
      restored.add(x);
    }
    expect(restored.toJSON()).toEqual(a.toJSON());
  });

  it('keeps ±Infinity and ignores NaN', () => {
    const sketch = new QuantileSketch();
    [3, NaN, -Infinity, Infinity, 1].forEach((x) => sketch.add(x));
    expect(sketch.count).toBe(4);
    const restored = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(sketch.toJSON())));
    expect(restored.min).toBe(-Infinity);
    expect(restored.quantile(1)).toBe(Infinity);
    expect(restored.rank(2)).toBe(0.5);
  });

  it('answers NaN when empty and rejects bad arguments and JSON', () => {
    const empty = new QuantileSketch();
    expect(empty.quantile(0.5)).toBeNaN();
    expect(empty.rank(1)).toBeNaN();
    expect(() => empty.quantile(1.5)).toThrow(InputError);
    expect(() => new QuantileSketch(3)).toThrow(InputError);
    const json = empty.toJSON();
    expect(() => QuantileSketch.fromJSON({ ...json, count: 5 })).toThrow(/count 5 differs/);
    expect(() => QuantileSketch.fromJSON({ ...json, items: 'not base64!' })).toThrow(InputError);
  });

  it('sorts its retained items into exactly the view a stable sort of items() gives (ties, signed zeros, pair levels, merges)', () => {
    /** The view as a stable sort of the items by `<` builds it. */
    const stableView = (sketch: QuantileSketch): { values: number[]; cumulative: number[] } => {
      const items = sketch.items().sort((x, y) => (x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
      let sum = 0;
      return { values: items.map((i) => i.value), cumulative: items.map((i) => (sum += i.weight)) };
    };
    const u = uniformStream(11);
    const cases: [string, number, () => number][] = [
      ['few distinct values and signed zeros', 5_000, () => [0, -0, 1, -1, 2.5, Infinity, -Infinity][Math.floor(u() * 7)]!],
      ['uniform', 20_000, () => u()],
      ['rounded, many ties', 100_000, () => Math.round(u() * 50) / 10],
      ['past the pair-level threshold', 600_000, () => Math.round(u() * 1000)],
    ];
    for (const [name, n, next] of cases) {
      const sketch = new QuantileSketch();
      const other = new QuantileSketch(64);
      for (let i = 0; i < n; i++) {
        sketch.add(next());
        if (i % 3 === 0) other.add(next());
        if (i === Math.floor(n / 2)) {
          const view = sketch.sorted();
          const expected = stableView(sketch);
          expect({ name, values: [...view.values], cumulative: [...view.cumulative] }).toEqual({ name, ...expected });
          expect([...view.values].map((v) => Object.is(v, -0))).toEqual(expected.values.map((v) => Object.is(v, -0)));
        }
      }
      sketch.merge(other);
      const view = sketch.sorted();
      const expected = stableView(sketch);
      expect({ name, values: [...view.values], cumulative: [...view.cumulative] }).toEqual({ name, ...expected });
      expect([...view.values].map((v) => Object.is(v, -0))).toEqual(expected.values.map((v) => Object.is(v, -0)));
    }
  });
});
