import { hashBytes } from './sketch/distinct.js';

/** Longest cell kept in the table; longer text is free text and takes the string path. */
const MAX_KEY_BYTES = 64;
const MAX_ENTRIES = 4096;
const SLOTS = 8192;

/**
 * The distinct byte strings of one categorical column, each with its count and the cached outcome of
 * casting it, so a repeated category costs a hash and a byte comparison instead of a new string, a
 * cast and a map update. Counts are handed to the column's sketches in `drain`.
 */
export class CategoryTable {
  private readonly slots = new Int32Array(SLOTS).fill(-1);
  private readonly hashes = new Int32Array(MAX_ENTRIES);
  private readonly offsets = new Int32Array(MAX_ENTRIES);
  private readonly lengths = new Int32Array(MAX_ENTRIES);
  private pool = new Uint8Array(MAX_ENTRIES * 16);
  private poolUsed = 0;
  readonly counts = new Float64Array(MAX_ENTRIES);
  /** The cached outcome per entry (whatever the caller stored: a value, null or a violation). */
  readonly outcomes: unknown[] = [];
  /** The text of each entry, made once. */
  readonly texts: string[] = [];
  size = 0;

  /** The entry holding buf[start, end), or -1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length > MAX_KEY_BYTES) return -1;
    const hash = hashBytes(buf, start, end) | 0;
    let slot = hash & (SLOTS - 1);
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === -1) return -1;
      if (this.hashes[entry] === hash && this.lengths[entry] === length) {
        const offset = this.offsets[entry]!;
        const pool = this.pool;
        let i = 0;
        while (i < length && pool[offset + i] === buf[start + i]) i++;
        if (i === length) return entry;
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
  }

  /** Adds buf[start, end) with its text and outcome; returns the entry, or -1 when the table is full or the text too long. */
  insert(buf: Uint8Array, start: number, end: number, text: string, outcome: unknown): number {
    const length = end - start;
    if (this.size >= MAX_ENTRIES || length > MAX_KEY_BYTES) return -1;
    if (this.poolUsed + length > this.pool.length) {
      const bigger = new Uint8Array(this.pool.length * 2);
      bigger.set(this.pool);
      this.pool = bigger;
    }
    const entry = this.size++;
    const hash = hashBytes(buf, start, end) | 0;
    this.hashes[entry] = hash;
    this.offsets[entry] = this.poolUsed;
    this.lengths[entry] = length;
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    this.poolUsed += length;
    this.texts.push(text);
    this.outcomes.push(outcome);
    let slot = hash & (SLOTS - 1);
    while (this.slots[slot] !== -1) slot = (slot + 1) & (SLOTS - 1);
    this.slots[slot] = entry;
    return entry;
  }

  /** Calls `take` with each entry counted since the last drain, and resets the counts. */
  drain(take: (text: string, count: number, outcome: unknown) => void): void {
    for (let i = 0; i < this.size; i++) {
      const count = this.counts[i]!;
      if (count > 0) {
        take(this.texts[i]!, count, this.outcomes[i]);
        this.counts[i] = 0;
      }
    }
  }
}
