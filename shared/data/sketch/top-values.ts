import { InputError } from '../../errors.js';

/** One counted value: the true count lies in [count − error, count]. */
export interface TopValueEntry {
  value: string;
  count: number;
  error: number;
}

/** Serialized form of {@link TopValues}. */
export interface TopValuesJSON {
  kind: 'space-saving';
  capacity: number;
  total: number;
  /** True once a value has been evicted (counts are then estimates). */
  evicted: boolean;
  /** [value, count, error] sorted as entries() returns them. */
  entries: [string, number, number][];
}

/**
 * Heavy hitters of a string column by Space-Saving (Metwally, Agrawal & El Abbadi 2005): at most
 * `capacity` counters; a new value takes over the smallest counter and inherits its count as error.
 * Every value occurring more than total/capacity times is kept, and each count overestimates by at
 * most total/capacity. Counters sit in a min-heap of slots so eviction costs O(log capacity).
 */
export class TopValues {
  readonly capacity: number;
  private totalCount = 0;
  private evicted = false;
  private readonly slotOf = new Map<string, number>();
  private readonly values: string[] = [];
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  // heap[i] is a slot; position[slot] is its index in heap.
  private readonly heap: Int32Array;
  private readonly position: Int32Array;

  /** Throws InputError when capacity is not a positive integer. */
  constructor(capacity = 64) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 20) {
      throw new InputError(`top values capacity must be an integer between 1 and ${1 << 20}, got ${capacity}`);
    }
    this.capacity = capacity;
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.position = new Int32Array(capacity);
  }

  /** Number of values added (exact, including evicted ones). */
  get total(): number {
    return this.totalCount;
  }

  /** True while no value was ever evicted: entries() then holds every value with its exact count. */
  get exact(): boolean {
    return !this.evicted;
  }

  /** Counts `value` `count` times; throws RangeError when count is not a positive finite number. */
  add(value: string, count = 1): void {
    if (!(count > 0 && count < Infinity)) throw new RangeError(`count must be positive and finite, got ${count}`);
    this.totalCount += count;
    const slot = this.slotOf.get(value);
    if (slot !== undefined) {
      this.counts[slot] += count;
      this.siftDown(this.position[slot]!);
      return;
    }
    const size = this.values.length;
    if (size < this.capacity) {
      this.values.push(value);
      this.counts[size] = count;
      this.errors[size] = 0;
      this.heap[size] = size;
      this.position[size] = size;
      this.slotOf.set(value, size);
      this.siftUp(size);
      return;
    }
    this.evicted = true;
    const victim = this.heap[0]!;
    this.slotOf.delete(this.values[victim]!);
    this.values[victim] = value;
    this.errors[victim] = this.counts[victim]!;
    this.counts[victim] += count;
    this.slotOf.set(value, victim);
    this.siftDown(0);
  }

  /**
   * Adds the summary `other` (left unchanged), as in the mergeable summaries of Agarwal et al. (2012):
   * a value missing from a summary that has evicted may have occurred up to that summary's smallest
   * count times, so that count is added to both its count and its error; the largest `capacity`
   * combined counters are kept. Counts stay within total/capacity of the truth.
   */
  merge(other: TopValues): void {
    const mine = this.slotMap();
    const theirs = other.slotMap();
    const myFloor = this.evicted ? this.minCount() : 0;
    const theirFloor = other.evicted ? other.minCount() : 0;
    const combined = new Map<string, TopValueEntry>();
    for (const [value, a] of mine) {
      const b = theirs.get(value);
      combined.set(value, {
        value,
        count: a.count + (b ? b.count : theirFloor),
        error: a.error + (b ? b.error : theirFloor),
      });
    }
    for (const [value, b] of theirs) {
      if (mine.has(value)) continue;
      combined.set(value, { value, count: b.count + myFloor, error: b.error + myFloor });
    }
    const entries = [...combined.values()].sort(byCountThenValue);
    const evicted = this.evicted || other.evicted || entries.length > this.capacity;
    const total = this.totalCount + other.totalCount;
    this.load(entries.slice(0, this.capacity), total, evicted);
  }

  /** Counted values, by count descending, then value (code-unit order). */
  entries(): TopValueEntry[] {
    return [...this.slotMap().values()].sort(byCountThenValue);
  }

  /** Serializes the counters. */
  toJSON(): TopValuesJSON {
    return {
      kind: 'space-saving',
      capacity: this.capacity,
      total: this.totalCount,
      evicted: this.evicted,
      entries: this.entries().map((e) => [e.value, e.count, e.error]),
    };
  }

  /** Rebuilds from toJSON(); throws InputError on a malformed object. */
  static fromJSON(json: TopValuesJSON): TopValues {
    const bad = (why: string): InputError => new InputError(`top values JSON is invalid: ${why}`);
    if (json === null || typeof json !== 'object' || json.kind !== 'space-saving') throw bad('expected kind "space-saving"');
    const top = new TopValues(json.capacity);
    if (!Array.isArray(json.entries) || json.entries.length > top.capacity) {
      throw bad(`entries must be an array of at most ${top.capacity} [value, count, error]`);
    }
    const entries: TopValueEntry[] = [];
    const seen = new Set<string>();
    for (const e of json.entries) {
      if (!Array.isArray(e) || typeof e[0] !== 'string' || !(e[1] > 0) || !(e[2] >= 0 && e[2] <= e[1]) || seen.has(e[0])) {
        throw bad(`entry ${JSON.stringify(e)} is not a distinct [value, count > 0, 0 ≤ error ≤ count]`);
      }
      seen.add(e[0]);
      entries.push({ value: e[0], count: e[1], error: e[2] });
    }
    if (!(json.total >= 0) || typeof json.evicted !== 'boolean') throw bad('total must be ≥ 0 and evicted a boolean');
    top.load(entries, json.total, json.evicted);
    return top;
  }

  private slotMap(): Map<string, TopValueEntry> {
    const out = new Map<string, TopValueEntry>();
    this.values.forEach((value, slot) => {
      out.set(value, { value, count: this.counts[slot]!, error: this.errors[slot]! });
    });
    return out;
  }

  private minCount(): number {
    return this.values.length === 0 ? 0 : this.counts[this.heap[0]!]!;
  }

  private load(entries: TopValueEntry[], total: number, evicted: boolean): void {
    this.slotOf.clear();
    this.values.length = 0;
    entries.forEach((e, slot) => {
      this.values.push(e.value);
      this.counts[slot] = e.count;
      this.errors[slot] = e.error;
      this.heap[slot] = slot;
      this.position[slot] = slot;
      this.slotOf.set(e.value, slot);
    });
    for (let i = (entries.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.totalCount = total;
    this.evicted = evicted;
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.position[b] = i;
    this.position[a] = j;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.counts[this.heap[parent]!]! <= this.counts[this.heap[i]!]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const size = this.values.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      let child = left;
      if (right < size && this.counts[this.heap[right]!]! < this.counts[this.heap[left]!]!) child = right;
      if (this.counts[this.heap[i]!]! <= this.counts[this.heap[child]!]!) return;
      this.swap(i, child);
      i = child;
    }
  }
}

function byCountThenValue(a: TopValueEntry, b: TopValueEntry): number {
  return b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
}
