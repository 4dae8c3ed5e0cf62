import { InputError } from '../../errors.js';
import { decodeFloat64s, encodeFloat64s } from './float64-base64.js';
import { sortFloat64s } from './sort-float64.js';

/** Serialized form of a {@link QuantileSketch}; exact and self-contained, so profiles can be merged later. */
export interface QuantileSketchJSON {
  kind: 'kll';
  k: number;
  /** Number of values added (the total weight of the retained items). */
  count: number;
  /** State of the compaction's xorshift32 generator, so a sketch resumed from JSON stays deterministic. */
  rngState: number;
  /** Level holding the unsorted input buffer; each level below it holds at most one item waiting for a pair. */
  inputLevel: number;
  /** Retained items per level; an item on level h stands for 2^h values. */
  levelSizes: number[];
  /** Base64 of little-endian float64s: min, max, then the items of level 0, 1, … in order. */
  items: string;
}

// Capacities shrink by 2/3 per level below the top (the KLL paper's c); MIN_WIDTH keeps low levels useful.
const SHRINK = 2 / 3;
const MIN_WIDTH = 8;
const RNG_SEED = 0x9e3779b9 | 0;
// The input buffer holds this many times k items, sorted once when full; a bigger buffer only adds accuracy.
const INPUT_BUFFER_FACTOR = 2;
// Pair levels (see the class comment) are added once count ≥ 2^s · PAIR_THRESHOLD. Their rank error
// has standard deviation at most sqrt(2^s / count) / 2 ≤ 1 / (2 · sqrt(PAIR_THRESHOLD)) ≈ 0.0014.
const PAIR_THRESHOLD = 2 ** 17;
const MAX_PAIR_LEVELS = 30;
// Scratch for the branch-free pick of the lower or higher item of a pair.
const pair = new Float64Array(2);

/**
 * KLL quantile sketch (Karnin, Lang & Liberty 2016) of numbers.
 *
 * Values go into an unsorted Float64Array input buffer (2k items), sorted and halved into the next
 * level when full. The levels above it form a lazy KLL: each kept sorted (compacting is a linear
 * merge), compacted lowest first and only when together they exceed their total capacity; the top
 * level holds k items, each level below 2/3 as many (at least 8). A compaction keeps the odd or the
 * even items, by one bit of a seeded xorshift32: the same values in the same order give the same sketch.
 *
 * Sorting (sort-float64.ts) costs about 10–35 ns per value on this project's runners, too slow for profiling millions of
 * rows, so once the sketch has seen 2·2^17 values the lowest levels become compactors of capacity 2
 * (as in the KLL paper, where low levels shrink to 2): each pair of values keeps its lower or higher
 * item at random, with twice the weight, and only the survivors are sorted. A pair level is added
 * each time the count doubles, which keeps their error far below that of the top levels.
 */
export class QuantileSketch {
  /**
   * Normalized rank error we claim for k=256: |estimated rank − true rank| ≤ 0.01 for every query
   * point at once (the sup over x of the error of rank(x)), with probability ≥ 99%.
   * Measured on 1e6 and 1e7 values (test/unit/data/sketch/quantiles.test.ts checks it on 1e6): worst sup
   * error over 21 runs of 3 distributions about 0.0065. Apache DataSketches' fit for its KLL at
   * k=256 gives 2.296/k^0.9723 ≈ 0.0105 for a single query. The error scales about as 1/k.
   */
  static readonly rankError = 0.01;

  private kParam: number;
  private n = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;
  private rngState = RNG_SEED;
  // Levels below `stages` are pair levels: pending[h] holds their waiting item when bit h of pendingMask is set.
  private stages = 0;
  private pending = new Float64Array(MAX_PAIR_LEVELS);
  private pendingMask = 0;
  // levels[stages] is the unsorted input buffer (fill n0, also `buffer`); higher levels are sorted.
  private levels: Float64Array[];
  private sizes: number[];
  private buffer: Float64Array;
  private n0 = 0;
  private limit0 = 0;
  private capacities: number[] = [];
  private maxSize = 0;
  private view: { count: number; values: Float64Array; cumulative: Float64Array } | null = null;

  /** Throws InputError when k is not an integer in [8, 65536]. */
  constructor(k = 256) {
    if (!Number.isInteger(k) || k < MIN_WIDTH || k > 65536) {
      throw new InputError(`quantile sketch k must be an integer between ${MIN_WIDTH} and 65536, got ${k}`);
    }
    this.kParam = k;
    this.buffer = new Float64Array(INPUT_BUFFER_FACTOR * k);
    this.levels = [this.buffer];
    this.sizes = [0];
    this.recomputeCapacities();
    this.updateLimit0();
  }

  /** Accuracy parameter: capacity of the top level. */
  get k(): number {
    return this.kParam;
  }

  /** Number of values added (NaN ignored). */
  get count(): number {
    return this.n;
  }

  /** Smallest value added (exact); NaN when empty. */
  get min(): number {
    return this.n === 0 ? NaN : this.minValue;
  }

  /** Largest value added (exact); NaN when empty. */
  get max(): number {
    return this.n === 0 ? NaN : this.maxValue;
  }

  /** Adds one value; NaN is ignored (missing values are counted elsewhere). */
  add(x: number): void {
    if (x !== x) return;
    this.n++;
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    const stages = this.stages;
    if (stages !== 0) {
      let mask = this.pendingMask;
      for (let h = 0; h < stages; h++) {
        const bit = 1 << h;
        if ((mask & bit) === 0) {
          this.pending[h] = x;
          this.pendingMask = mask | bit;
          return;
        }
        mask ^= bit;
        x = this.pickOfPair(x, this.pending[h]!);
      }
      this.pendingMask = mask;
    }
    this.buffer[this.n0++] = x;
    if (this.n0 >= this.limit0) this.compress();
  }

  /** Adds the values of `other` (left unchanged); the result has the guarantees of sketching both inputs together. */
  merge(other: QuantileSketch): void {
    if (other === this) other = QuantileSketch.fromJSON(this.toJSON());
    if (other.n === 0) return;
    if (other.kParam < this.kParam) {
      this.kParam = other.kParam;
      this.recomputeCapacities();
    }
    this.n += other.n;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    other.syncSizes();
    for (let h = 0; h < other.levels.length; h++) {
      if (h < other.stages) {
        if (other.pendingMask & (1 << h)) this.insertAt(h, other.pending[h]!);
        continue;
      }
      const items = other.levels[h]!.subarray(0, other.sizes[h]!);
      if (h <= this.stages) {
        for (let i = 0; i < items.length; i++) this.insertAt(h, items[i]!);
      } else {
        this.ensureLevels(h + 1);
        this.mergeIntoLevel(h, h === other.stages ? Float64Array.from(items).sort() : items, 0, items.length);
      }
    }
    this.compress();
  }

  /**
   * Estimated fraction of values ≤ x (the CDF), or < x when `inclusive` is false; NaN when empty.
   */
  rank(x: number, inclusive = true): number {
    if (this.n === 0) return NaN;
    const { values, cumulative } = this.sortedView();
    let lo = 0;
    let hi = values.length;
    // first index whose value is > x (inclusive) or ≥ x (exclusive)
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inclusive ? values[mid]! <= x : values[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : cumulative[lo - 1]! / this.n;
  }

  /** rank(x) for each point. */
  cdf(points: number[]): number[] {
    return points.map((p) => this.rank(p));
  }

  /**
   * Smallest retained value whose estimated rank is ≥ q; q=0 gives the exact min and q=1 the exact
   * max. NaN when empty; throws InputError when q is not in [0, 1].
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new InputError(`quantile must be between 0 and 1, got ${q}`);
    if (this.n === 0) return NaN;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    const { values, cumulative } = this.sortedView();
    const target = q * this.n;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return values[lo]!;
  }

  /**
   * The retained values in ascending order with the cumulative weight up to each (rank(values[i]) is
   * cumulative of the last index holding values[i], over count). Kept until the sketch changes: do not modify.
   */
  sorted(): { values: Float64Array; cumulative: Float64Array } {
    return this.sortedView();
  }

  /** The retained items, each standing for `weight` values; weights sum to count. */
  items(): { value: number; weight: number }[] {
    this.syncSizes();
    const out: { value: number; weight: number }[] = [];
    for (let h = 0; h < this.levels.length; h++) {
      const weight = 2 ** h;
      if (h < this.stages) {
        if (this.pendingMask & (1 << h)) out.push({ value: this.pending[h]!, weight });
        continue;
      }
      const level = this.levels[h]!;
      for (let i = 0; i < this.sizes[h]!; i++) out.push({ value: level[i]!, weight });
    }
    return out;
  }

  /** Number of retained items (memory use is about 8 bytes each). */
  get retained(): number {
    return this.items().length;
  }

  /** Serializes the sketch exactly (values as base64 float64, so ±Infinity and -0 survive). */
  toJSON(): QuantileSketchJSON {
    this.syncSizes();
    const levelSizes = this.sizes.map((size, h) => (h < this.stages ? (this.pendingMask >>> h) & 1 : size));
    const flat = new Float64Array(2 + levelSizes.reduce((a, b) => a + b, 0));
    flat[0] = this.minValue;
    flat[1] = this.maxValue;
    let at = 2;
    for (let h = 0; h < this.levels.length; h++) {
      if (h < this.stages) {
        if (levelSizes[h] === 1) flat[at++] = this.pending[h]!;
        continue;
      }
      flat.set(this.levels[h]!.subarray(0, levelSizes[h]!), at);
      at += levelSizes[h]!;
    }
    return {
      kind: 'kll',
      k: this.kParam,
      count: this.n,
      rngState: this.rngState,
      inputLevel: this.stages,
      levelSizes,
      items: encodeFloat64s(flat),
    };
  }

  /** Rebuilds a sketch from toJSON(); throws InputError when the JSON is not a consistent KLL sketch. */
  static fromJSON(json: QuantileSketchJSON): QuantileSketch {
    const bad = (why: string): InputError => new InputError(`quantile sketch JSON is invalid: ${why}`);
    if (json === null || typeof json !== 'object' || json.kind !== 'kll') throw bad('expected kind "kll"');
    const sketch = new QuantileSketch(json.k);
    const sizes = json.levelSizes;
    const input = json.inputLevel;
    if (!Array.isArray(sizes) || !sizes.every((s) => Number.isInteger(s) && s >= 0)) {
      throw bad('levelSizes must be an array of non-negative integers');
    }
    if (!Number.isInteger(input) || input < 0 || input >= Math.min(sizes.length, MAX_PAIR_LEVELS)) {
      throw bad(`inputLevel must be an integer below the number of levels, got ${input}`);
    }
    if (sizes.slice(0, input).some((s) => s > 1)) throw bad('a level below inputLevel holds more than one item');
    if (!Number.isInteger(json.rngState)) throw bad('rngState must be an integer');
    if (!Number.isSafeInteger(json.count) || json.count < 0) throw bad('count must be a non-negative integer');
    const flat = decodeFloat64s(json.items);
    if (flat === null) throw bad('items is not base64 of float64 values');
    const total = sizes.reduce((a, b) => a + b, 0);
    if (flat.length !== 2 + total) throw bad(`items holds ${flat.length - 2} values, levelSizes say ${total}`);
    if (flat.subarray(2).some((v) => v !== v)) throw bad('items contain NaN');
    let weight = 0;
    sizes.forEach((s, h) => (weight += s * 2 ** h));
    if (weight !== json.count) throw bad(`count ${json.count} differs from the items' total weight ${weight}`);

    sketch.stages = input;
    sketch.ensureLevels(sizes.length);
    sketch.buffer = sketch.levels[input]!;
    let at = 2;
    for (let h = 0; h < sizes.length; h++) {
      const items = flat.subarray(at, at + sizes[h]!);
      at += sizes[h]!;
      if (h < input) {
        if (items.length === 1) {
          sketch.pending[h] = items[0]!;
          sketch.pendingMask |= 1 << h;
        }
      } else if (h === input) {
        for (let i = 0; i < items.length; i++) sketch.pushToBuffer(items[i]!);
      } else {
        sketch.mergeIntoLevel(h, Float64Array.from(items).sort(), 0, items.length);
      }
    }
    sketch.recomputeCapacities();
    sketch.n = json.count;
    sketch.minValue = flat[0]!;
    sketch.maxValue = flat[1]!;
    sketch.rngState = json.rngState | 0;
    sketch.updateLimit0();
    return sketch;
  }

  private nextBit(): number {
    let s = this.rngState;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.rngState = s;
    return s >>> 31;
  }

  /** Compacts a pair: the lower or the higher item at random, without a data-dependent branch. */
  private pickOfPair(x: number, y: number): number {
    pair[0] = x;
    pair[1] = y;
    const xIsLower = x < y ? 1 : 0;
    // The higher item sits at index xIsLower, the lower one at xIsLower ^ 1; bit 1 keeps the higher.
    return pair[xIsLower ^ 1 ^ this.nextBit()]!;
  }

  /** Places one item of weight 2^h, carrying it up through the pair levels like add() does. */
  private insertAt(h: number, x: number): void {
    while (h < this.stages) {
      const bit = 1 << h;
      if ((this.pendingMask & bit) === 0) {
        this.pending[h] = x;
        this.pendingMask |= bit;
        return;
      }
      this.pendingMask ^= bit;
      x = this.pickOfPair(x, this.pending[h]!);
      h++;
    }
    if (h === this.stages) this.pushToBuffer(x);
    else {
      this.ensureLevels(h + 1);
      this.mergeIntoLevel(h, Float64Array.of(x), 0, 1);
    }
  }

  private pushToBuffer(x: number): void {
    if (this.n0 >= this.buffer.length) this.growBuffer(2 * this.buffer.length);
    this.buffer[this.n0++] = x;
  }

  private growBuffer(size: number): void {
    const grown = new Float64Array(size);
    grown.set(this.buffer.subarray(0, this.n0));
    this.buffer = grown;
    this.levels[this.stages] = grown;
  }

  private syncSizes(): void {
    this.sizes[this.stages] = this.n0;
  }

  private ensureLevels(count: number): void {
    if (this.levels.length >= count) return;
    while (this.levels.length < count) {
      this.levels.push(new Float64Array(this.kParam + MIN_WIDTH));
      this.sizes.push(0);
    }
    this.recomputeCapacities();
  }

  private inputSize(): number {
    return INPUT_BUFFER_FACTOR * this.kParam;
  }

  /** Capacities of the sorted levels: k on top, 2/3 as many per level below, at least MIN_WIDTH. */
  private recomputeCapacities(): void {
    const height = this.levels.length;
    this.capacities = new Array<number>(height).fill(0);
    this.maxSize = 0;
    for (let h = this.stages + 1; h < height; h++) {
      const cap = Math.max(MIN_WIDTH, Math.ceil(this.kParam * SHRINK ** (height - 1 - h)));
      this.capacities[h] = cap;
      this.maxSize += cap;
    }
  }

  private targetStages(): number {
    if (this.n < 2 * PAIR_THRESHOLD) return 0;
    return Math.min(MAX_PAIR_LEVELS - 1, Math.floor(Math.log2(this.n / PAIR_THRESHOLD)));
  }

  /**
   * Empties a full input buffer into the level above (adding a pair level when the count has
   * doubled), then compacts the sorted levels lazily: lowest over its capacity first, only while
   * they together exceed their total capacity.
   */
  private compress(): void {
    const target = this.targetStages();
    while (this.n0 >= this.inputSize() || this.stages < target) {
      const b = this.stages;
      this.ensureLevels(b + 2);
      this.syncSizes();
      this.compactLevel(b);
      this.n0 = this.sizes[b]!;
      if (b < target) this.addPairLevel();
    }
    let total = 0;
    for (let h = this.stages + 1; h < this.sizes.length; h++) total += this.sizes[h]!;
    while (this.levels.length > this.stages + 1 && total >= this.maxSize) {
      for (let h = this.stages + 1; h < this.levels.length; h++) {
        if (this.sizes[h]! < this.capacities[h]!) continue;
        this.ensureLevels(h + 2);
        total -= this.compactLevel(h);
        if (total < this.maxSize) break;
      }
    }
    this.updateLimit0();
  }

  /** Turns the (just emptied) input level into a pair level; the level above becomes the input buffer. */
  private addPairLevel(): void {
    const b = this.stages;
    if (this.n0 === 1) {
      this.pending[b] = this.buffer[0]!;
      this.pendingMask |= 1 << b;
    }
    this.sizes[b] = 0;
    this.stages = b + 1;
    this.buffer = this.levels[b + 1]!;
    this.n0 = this.sizes[b + 1]!;
    if (this.buffer.length < this.inputSize()) this.growBuffer(this.inputSize());
    this.recomputeCapacities();
  }

  private updateLimit0(): void {
    this.limit0 = Math.max(this.n0 + 1, this.inputSize());
    if (this.buffer.length < this.limit0) this.growBuffer(this.limit0);
  }

  /** Halves level h into level h+1; returns how many retained items that removed. */
  private compactLevel(h: number): number {
    const level = this.levels[h]!;
    const size = this.sizes[h]!;
    if (h === this.stages) sortFloat64s(level, size);
    // With an odd size the smallest item stays behind.
    const start = size & 1;
    const pairs = (size - start) >>> 1;
    const offset = this.nextBit();
    // In place after the leftover: write index start+j never passes read index start+offset+2j.
    for (let j = 0; j < pairs; j++) level[start + j] = level[start + offset + 2 * j]!;
    this.mergeIntoLevel(h + 1, level, start, start + pairs);
    this.sizes[h] = start;
    return pairs;
  }

  /** Merges the sorted run src[from, to) into sorted level h. */
  private mergeIntoLevel(h: number, src: Float64Array, from: number, to: number): void {
    const a = this.sizes[h]!;
    const b = to - from;
    let dest = this.levels[h]!;
    if (dest.length < a + b) {
      const grown = new Float64Array(Math.max(2 * dest.length, a + b));
      grown.set(dest.subarray(0, a));
      this.levels[h] = dest = grown;
    }
    let i = a - 1;
    let j = to - 1;
    let w = a + b - 1;
    while (j >= from) {
      if (i >= 0 && dest[i]! > src[j]!) dest[w--] = dest[i--]!;
      else dest[w--] = src[j--]!;
    }
    this.sizes[h] = a + b;
  }

  /**
   * The retained items sorted by value, with cumulative weights; ties keep the order of items()
   * (a stable sort of it). Built by merging sorted runs instead of sorting objects: every level above
   * the input buffer is sorted already and holds one weight, the buffer is sorted as numbers, and a
   * waiting pair item is a run of one. Scrapes of a serving profile rebuild this for every column.
   */
  private sortedView(): { count: number; values: Float64Array; cumulative: Float64Array } {
    if (this.view !== null && this.view.count === this.n) return this.view;
    this.syncSizes();
    // The runs in items() order: waiting pair items, then the levels from the input buffer up.
    const runs: Float64Array[] = [];
    const weights: number[] = [];
    let total = 0;
    for (let h = 0; h < this.levels.length; h++) {
      let run: Float64Array;
      if (h < this.stages) {
        if ((this.pendingMask & (1 << h)) === 0) continue;
        run = this.pending.subarray(h, h + 1);
      } else if (h === this.stages) {
        run = sortedBuffer(this.levels[h]!.subarray(0, this.sizes[h]!));
      } else {
        run = this.levels[h]!.subarray(0, this.sizes[h]!);
      }
      if (run.length === 0) continue;
      runs.push(run);
      weights.push(2 ** h);
      total += run.length;
    }
    const values = new Float64Array(total);
    const cumulative = new Float64Array(total);
    const at = new Array<number>(runs.length).fill(0);
    let sum = 0;
    for (let i = 0; i < total; i++) {
      // The smallest head; on a tie the earlier run, as a stable sort keeps items() order.
      let best = -1;
      let bestValue = 0;
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r]!;
        if (at[r]! >= run.length) continue;
        const v = run[at[r]!]!;
        if (best < 0 || v < bestValue) {
          best = r;
          bestValue = v;
        }
      }
      values[i] = bestValue;
      sum += weights[best]!;
      cumulative[i] = sum;
      at[best]!++;
    }
    this.view = { count: this.n, values, cumulative };
    return this.view;
  }
}

/**
 * A copy of the input buffer sorted as a stable sort by `<` would leave it: by value, and zeros (which
 * `<` does not tell apart) with their signs in buffer order, as the numeric sort puts -0 first.
 */
function sortedBuffer(buffer: Float64Array): Float64Array {
  const sorted = Float64Array.from(buffer).sort();
  let first = -1;
  let zeros = 0;
  for (let i = 0; i < sorted.length; i++)
    if (sorted[i] === 0) {
      if (first < 0) first = i;
      zeros++;
    }
  if (zeros > 1) {
    let k = first;
    for (let i = 0; i < buffer.length; i++) if (buffer[i] === 0) sorted[k++] = buffer[i]!;
  }
  return sorted;
}
