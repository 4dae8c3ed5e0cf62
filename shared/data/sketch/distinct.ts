import { InputError } from '../../errors.js';

/** Serialized form of a {@link DistinctSketch}. */
export interface DistinctSketchJSON {
  kind: 'hll';
  p: number;
  /** Base64 of the 2^p one-byte registers (dense form). */
  registers?: string;
  /**
   * Sparse form, written instead of `registers` while few registers are set (a small column): base64
   * of 3 bytes per non-zero register, its index (big-endian 16 bits) then its value, by increasing index.
   */
  sparse?: string;
}

const P = 14;
const M = 1 << P;
const TWO_32 = 2 ** 32;
// Bias constant of HyperLogLog for m ≥ 128 (Flajolet et al. 2007).
const ALPHA = 0.7213 / (1 + 1.079 / M);

/**
 * HyperLogLog (Flajolet et al. 2007) with p=14: 16,384 one-byte registers over 32-bit hashes, with
 * linear counting below 2.5·m and the large-range correction for 32-bit hashes. Merging takes the
 * register-wise max, so it equals sketching the union.
 */
export class DistinctSketch {
  /** Standard error of estimate() relative to the true distinct count: 1.04 / sqrt(2^14) ≈ 0.0081. */
  static readonly relativeError = 1.04 / Math.sqrt(M);

  private readonly registers = new Uint8Array(M);

  /** Adds a 32-bit unsigned hash (from hashString, hashBytes or hashNumber). */
  addHash(hash: number): void {
    const index = hash >>> (32 - P);
    // A guard bit below the p index bits caps the rank at 32 - p + 1 when the rest is zero.
    const rank = Math.clz32((hash << P) | (1 << (P - 1))) + 1;
    if (rank > this.registers[index]!) this.registers[index] = rank;
  }

  /** Adds a string by the hash of its UTF-8 bytes. */
  addString(s: string): void {
    this.addHash(hashString(s));
  }

  /** Adds a number by the hash of its float64 bits (0 and -0 count as one value, as do all NaNs). */
  addNumber(x: number): void {
    this.addHash(hashNumber(x));
  }

  /** Adds the values of `other` (left unchanged). */
  merge(other: DistinctSketch): void {
    const a = this.registers;
    const b = other.registers;
    for (let i = 0; i < M; i++) if (b[i]! > a[i]!) a[i] = b[i]!;
  }

  /** Estimated number of distinct values added. */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return M * Math.log(M / zeros);
    if (raw > TWO_32 / 30) return -TWO_32 * Math.log(1 - raw / TWO_32);
    return raw;
  }

  /**
   * Serializes the registers as base64: dense (about 22 KB of JSON), or sparse (4 characters per set
   * register) while fewer than a third of them are set, so a small column's sketch stays small.
   */
  toJSON(): DistinctSketchJSON {
    let set = 0;
    for (let i = 0; i < M; i++) if (this.registers[i] !== 0) set++;
    if (set * 3 >= M) return { kind: 'hll', p: P, registers: Buffer.from(this.registers).toString('base64') };
    const sparse = Buffer.allocUnsafe(set * 3);
    let at = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      if (r === 0) continue;
      sparse.writeUInt16BE(i, at);
      sparse[at + 2] = r;
      at += 3;
    }
    return { kind: 'hll', p: P, sparse: sparse.toString('base64') };
  }

  /** Rebuilds a sketch from toJSON(); throws InputError when the JSON is not a p=14 HyperLogLog. */
  static fromJSON(json: DistinctSketchJSON): DistinctSketch {
    const bad = (why: string): InputError => new InputError(`distinct sketch JSON is invalid: ${why}`);
    if (json === null || typeof json !== 'object' || json.kind !== 'hll') throw bad('expected kind "hll"');
    if (json.p !== P) throw bad(`expected p ${P}, got ${json.p}`);
    const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
    if (json.registers === undefined && typeof json.sparse === 'string') {
      if (!base64.test(json.sparse)) throw bad('sparse must be base64');
      const pairs = Buffer.from(json.sparse, 'base64');
      if (pairs.length % 3 !== 0) throw bad('sparse must hold 3 bytes per register');
      const sketch = new DistinctSketch();
      let previous = -1;
      for (let at = 0; at < pairs.length; at += 3) {
        const index = pairs.readUInt16BE(at);
        const value = pairs[at + 2]!;
        if (index >= M || index <= previous) throw bad(`sparse register indexes must increase below ${M}, got ${index}`);
        if (value === 0 || value > 32 - P + 1) throw bad(`register ${index} holds ${value}, outside 1..${32 - P + 1}`);
        sketch.registers[index] = value;
        previous = index;
      }
      return sketch;
    }
    if (typeof json.registers !== 'string' || !base64.test(json.registers)) {
      throw bad('registers must be base64 (or sparse given instead)');
    }
    const bytes = Buffer.from(json.registers, 'base64');
    if (bytes.length !== M) throw bad(`expected ${M} registers, got ${bytes.length}`);
    const sketch = new DistinctSketch();
    for (let i = 0; i < M; i++) {
      if (bytes[i]! > 32 - P + 1) throw bad(`register ${i} holds ${bytes[i]}, above ${32 - P + 1}`);
      sketch.registers[i] = bytes[i]!;
    }
    return sketch;
  }
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number, tail: number, tailBytes: number, length: number): number {
  if (tailBytes > 0) {
    let k = Math.imul(tail, C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86_32 (seed 0) of bytes[start, end), as an unsigned 32-bit integer. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = mixBlock(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  let tail = 0;
  const tailBytes = end - i;
  for (let j = 0; j < tailBytes; j++) tail |= bytes[i + j]! << (8 * j);
  return finish(h, tail, tailBytes, end - start);
}

// State of hashString's byte stream; module-level so the UTF-8 encoding needs no allocation.
let streamHash = 0;
let streamWord = 0;
let streamShift = 0;
let streamLength = 0;

function pushByte(b: number): void {
  streamWord |= b << streamShift;
  streamShift += 8;
  streamLength++;
  if (streamShift === 32) {
    streamHash = mixBlock(streamHash, streamWord);
    streamWord = 0;
    streamShift = 0;
  }
}

/**
 * MurmurHash3 x86_32 (seed 0) of the UTF-8 encoding of s, encoded on the fly (lone surrogates as
 * U+FFFD, like TextEncoder): hashString(s) === hashBytes(utf8 of s).
 */
export function hashString(s: string): number {
  streamHash = 0;
  streamWord = 0;
  streamShift = 0;
  streamLength = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      pushByte(c);
    } else if (c < 0x800) {
      pushByte(0xc0 | (c >> 6));
      pushByte(0x80 | (c & 63));
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          pushByte(0xf0 | (cp >> 18));
          pushByte(0x80 | ((cp >> 12) & 63));
          pushByte(0x80 | ((cp >> 6) & 63));
          pushByte(0x80 | (cp & 63));
          continue;
        }
        c = 0xfffd;
      }
      pushByte(0xe0 | (c >> 12));
      pushByte(0x80 | ((c >> 6) & 63));
      pushByte(0x80 | (c & 63));
    }
  }
  return finish(streamHash, streamWord, streamShift >> 3, streamLength);
}

const numberBits = new Float64Array(1);
const numberWords = new Uint32Array(numberBits.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * MurmurHash3 x86_32 (seed 0) of the 8 little-endian bytes of x as float64, after mapping -0 to 0
 * and every NaN to the canonical NaN, so equal numbers hash equally.
 */
export function hashNumber(x: number): number {
  numberBits[0] = x === 0 ? 0 : x !== x ? NaN : x;
  const lo = numberWords[littleEndian ? 0 : 1]!;
  const hi = numberWords[littleEndian ? 1 : 0]!;
  return finish(mixBlock(mixBlock(0, lo), hi), 0, 0, 8);
}
