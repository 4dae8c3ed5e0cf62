// Foreign keys (table-schema.mdx, `foreignKeys`): every row's key must be among the referenced fields' values,
// in this table (self-reference) or another resource of the package. The referenced keys are held as 64-bit
// digests of their logical values in one sorted array: 8 bytes a key, so the 256 MiB budget holds 33.5 million
// keys (the README says so); a key that is not there is never taken for one that is, and a missing key passes
// only if its digest equals a present key's (about 1 in 10^12 for 10 million keys). Beyond the budget the keys go
// to disk and are compared on their values (foreign-key-spill.ts).
import type { SpilledKeyProbe, SpilledKeySet } from './foreign-key-spill.js';
import type { CellValue } from './table-schema/types.js';

/** What validate-data may spend on referenced keys, all foreign keys together. */
export const KEY_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;
/** Bytes one referenced key takes. */
export const BYTES_PER_KEY = 8;

/** A foreign key with the v1 forms read as v2 reads them: `fields` always an array, `resource: ""` meaning this table. */
export interface ForeignKey {
  fields: string[];
  /** Undefined for a self-reference. */
  resource?: string;
  referenceFields: string[];
  /** Index in the schema's foreignKeys, for pointing at it. */
  index: number;
}

/** The foreign keys of a schema's `foreignKeys` (already checked against the profile), normalised. */
export function normalizeForeignKeys(foreignKeys: unknown): ForeignKey[] {
  if (!Array.isArray(foreignKeys)) return [];
  return foreignKeys.map((fk: { fields: string | string[]; reference: { resource?: string; fields: string | string[] } }, index) => ({
    // Backward compatibility: "Data consumer MUST support the foreignKey.fields and foreignKey.reference.fields
    // properties in a form of a single string".
    fields: typeof fk.fields === 'string' ? [fk.fields] : fk.fields,
    // "If the value of the foreignKey.reference.resource property is an empty string "" a data consumer MUST
    // interpret it as an omited property".
    resource: fk.reference.resource === '' || fk.reference.resource === undefined ? undefined : fk.reference.resource,
    referenceFields: typeof fk.reference.fields === 'string' ? [fk.reference.fields] : fk.reference.fields,
    index,
  }));
}

/** Problems a foreign key can have that the profile does not see; `fieldsOf` gives a resource's field names. */
export function foreignKeyIssue(
  fk: ForeignKey,
  own: string[],
  fieldsOf: (resource: string) => string[] | undefined,
  pointer: string,
): { pointer: string; message: string } | undefined {
  if (fk.fields.length !== fk.referenceFields.length)
    return {
      pointer: `${pointer}/reference/fields`,
      message: `${pointer}/reference/fields has ${fk.referenceFields.length} field(s) and ${pointer}/fields ${fk.fields.length}; expected the same number`,
    };
  for (const name of fk.fields)
    if (!own.includes(name))
      return {
        pointer: `${pointer}/fields`,
        message: `${pointer}/fields names ${JSON.stringify(name)}; expected a field of this schema (${own.join(', ')})`,
      };
  const target = fk.resource === undefined ? own : fieldsOf(fk.resource);
  if (target === undefined)
    return {
      pointer: `${pointer}/reference/resource`,
      message: `${pointer}/reference/resource is ${JSON.stringify(fk.resource)}; expected the name of a resource of this package`,
    };
  for (const name of fk.referenceFields)
    if (!target.includes(name))
      return {
        pointer: `${pointer}/reference/fields`,
        message: `${pointer}/reference/fields names ${JSON.stringify(name)}; expected a field of ${fk.resource === undefined ? 'this schema' : `resource ${fk.resource}`} (${target.join(', ')})`,
      };
  return undefined;
}

// Two independent 32-bit lanes (murmur3's mixing with different seeds) make the 64-bit digest.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Builds the 64-bit digest of a key from the logical values of its parts. */
export class KeyDigest {
  hi = 0;
  lo = 0;
  reset(): void {
    this.hi = 0x9747b28c;
    this.lo = 0x5bd1e995;
  }
  private word(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.hi ^ k;
    h = (h << 13) | (h >>> 19);
    this.hi = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let l = Math.imul(w ^ 0x85ebca6b, 0x27d4eb2f);
    l = (l << 17) | (l >>> 15);
    this.lo = (Math.imul(this.lo ^ l, 0x165667b1) + 0x61c88647) | 0;
  }
  /**
   * Adds one part. Numbers (integer, number, year, and dates and times as epoch milliseconds) compare by value:
   * 1, 1.0 and 1e0 are one key, 0 and -0 too; booleans and strings by value; each kind tagged apart.
   */
  add(value: Exclude<CellValue, null>): void {
    if (typeof value === 'number') {
      f64[0] = value === 0 ? 0 : value;
      this.word(1);
      this.word(u32[0]!);
      this.word(u32[1]!);
    } else if (typeof value === 'boolean') {
      this.word(value ? 3 : 2);
    } else {
      this.word(4);
      this.word(value.length);
      for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    }
  }
  /** Ends the key (lanes finalised). */
  finish(): void {
    this.hi = fmix(this.hi ^ this.lo) >>> 0;
    this.lo = fmix(this.lo + 0x7f4a7c15) >>> 0;
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Shares the memory budget between the key sets of one run. */
export class KeyBudget {
  used = 0;
  constructor(readonly bytes = KEY_MEMORY_BUDGET_BYTES) {}
  get keys(): number {
    return Math.floor(this.bytes / BYTES_PER_KEY);
  }
}

const BUCKET_SHIFT = 16;
const BUCKETS = 1 << (32 - BUCKET_SHIFT);

type Resizable = ArrayBuffer & { resize(bytes: number): void; readonly maxByteLength: number };

/**
 * The referenced keys of one foreign key target, as sorted 64-bit digests. Filled while the referenced table
 * is read, then sealed (sorted) and looked up. The buffer is resizable up to the budget, so it grows in place:
 * memory in use is 8 bytes a key, not twice that while growing.
 */
export class KeyDigestSet {
  private buffer: Resizable;
  private words: Uint32Array;
  size = 0;
  /** True when the budget ran out: the set is incomplete and must not be used to judge. */
  overflow = false;
  private sealed = false;
  /** Where the keys whose top 16 bits are b start (b = 0…65536): a lookup searches one bucket, not the whole array. */
  private starts = new Uint32Array(BUCKETS + 1);

  constructor(private readonly budget: KeyBudget) {
    const max = Math.max(BYTES_PER_KEY * 1024, budget.bytes - budget.used);
    const Resizable = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => Resizable;
    this.buffer = new Resizable(Math.min(max, BYTES_PER_KEY * 65536), { maxByteLength: max });
    // Views of a fixed length: V8 reads length-tracking views of a resizable buffer several times slower.
    this.words = new Uint32Array(this.buffer, 0, this.buffer.byteLength / 4);
  }

  add(digest: KeyDigest): void {
    if (this.overflow) return;
    if (this.budget.used + BYTES_PER_KEY > this.budget.bytes) {
      this.overflow = true;
      return;
    }
    const needed = (this.size + 1) * BYTES_PER_KEY;
    if (needed > this.buffer.byteLength) {
      const next = Math.min(this.buffer.maxByteLength, Math.max(needed, Math.floor(this.buffer.byteLength * 1.5)));
      this.buffer.resize(next);
      this.words = new Uint32Array(this.buffer, 0, next / 4);
    }
    // Little-endian halves of one uint64: sorting the BigUint64Array view orders by (hi, lo).
    this.words[2 * this.size] = digest.lo;
    this.words[2 * this.size + 1] = digest.hi;
    this.size++;
    this.budget.used += BYTES_PER_KEY;
  }

  /** Gives the memory back at once (shrinking the buffer decommits it; waiting for the collector could keep it). */
  release(): void {
    this.buffer.resize(0);
    this.words = new Uint32Array(0);
    this.size = 0;
  }

  /** Sorts the digests; call once, after the referenced table was read. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    new BigUint64Array(this.buffer, 0, this.size).sort();
    // Give back what growing reserved beyond the keys.
    const bytes = Math.max(BYTES_PER_KEY, this.size * BYTES_PER_KEY);
    this.buffer.resize(bytes);
    this.words = new Uint32Array(this.buffer, 0, bytes / 4);
    const starts = this.starts;
    for (let i = 0; i < this.size; i++) starts[(this.words[2 * i + 1]! >>> BUCKET_SHIFT) + 1]!++;
    for (let b = 0; b < BUCKETS; b++) starts[b + 1]! += starts[b]!;
  }

  has(digest: KeyDigest): boolean {
    const words = this.words;
    const hi = digest.hi;
    const lo = digest.lo;
    const bucket = hi >>> BUCKET_SHIFT;
    let low = this.starts[bucket]!;
    let high = this.starts[bucket + 1]! - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const h = words[2 * mid + 1]!;
      const l = words[2 * mid]!;
      if (h < hi || (h === hi && l < lo)) low = mid + 1;
      else if (h > hi || l > lo) high = mid - 1;
      else return true;
    }
    return false;
  }
}

/** Where a row's key goes while a table is read: collected into a set, or checked against one. */
export interface KeyHook {
  /** Column indexes of the key's fields in the table's plan. */
  columns: number[];
  /** In memory; absent when the keys are spilled to disk (`spilled` or `probe`). */
  set?: KeyDigestSet;
  /** Collect hooks beyond the budget: the keys go to disk (foreign-key-spill.ts). */
  spilled?: SpilledKeySet;
  /** Check hooks beyond the budget: the keys go to disk and are joined with the set once the table is read. */
  probe?: SpilledKeyProbe;
  /** Check hooks: the message of a key that is not there (`parts` are the cells as written). */
  missing?: (parts: string[]) => string;
  /** Check hooks: the field names, for the violation's column. */
  label?: string;
}
