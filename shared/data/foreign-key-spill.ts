// Foreign keys whose referenced keys do not fit the memory budget (foreign-keys.ts): the keys go to disk as sorted
// runs, the referencing rows' keys too, and a merge-join of the two finds the missing ones. Records sort by the
// key's 64-bit digest, then by the key's own bytes (its logical values, encoded canonically), and equality is
// decided on those bytes: a digest collision never lets a missing key pass. Memory stays bounded: one run's
// buffer (the budget: key bytes plus 48 bytes a record, no object per record) while writing, and at most FAN_IN
// 64 KiB reader buffers per side while merging (runs beyond that are merged in rounds first). Every file lives in
// one temp folder, removed by `close` (and on process exit).
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyDigest } from './foreign-keys.js';
import type { CellValue } from './table-schema/types.js';

/** Runs merged at once; more are merged in rounds, so open files and reader buffers stay bounded. */
export const FAN_IN = 32;
const READ_CHUNK = 64 * 1024;
/**
 * Bytes a buffered record takes besides its key and payload: five 32-bit words of metadata (20), its sort index (4)
 * and, while sorting, V8's copy of that index as tagged values (8) with its merge scratch (8); a little slack for
 * the metadata's growth.
 */
const RECORD_OVERHEAD = 48;
const HEADER = 16;

/**
 * A record where it lies: in a run's buffer while sorting, in a reader's buffer while merging. No record is an
 * object of its own, so millions of keys cost their bytes, not the garbage collector's time.
 */
interface RecordView {
  hi: number;
  lo: number;
  buf: Buffer;
  keyStart: number;
  keyEnd: number;
  /** Probes: where the key was read (file index, line, cells as written) follows the key. */
  payloadEnd: number;
}

function compare(a: RecordView, b: RecordView): number {
  if (a.hi !== b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.lo !== b.lo) return a.lo < b.lo ? -1 : 1;
  return a.buf.compare(b.buf, b.keyStart, b.keyEnd, a.keyStart, a.keyEnd);
}

const numberBytes = Buffer.alloc(8);

/** The canonical bytes of a key's logical values: equal exactly when the values are (1 and 1.0 alike, 0 and -0 too). */
export class KeyEncoder {
  bytes = Buffer.alloc(256);
  length = 0;

  begin(): void {
    this.length = 0;
  }

  part(value: Exclude<CellValue, null>): void {
    if (typeof value === 'number') {
      numberBytes.writeDoubleBE(value === 0 ? 0 : Number.isNaN(value) ? NaN : value);
      this.push(1, numberBytes);
    } else if (typeof value === 'boolean') this.push(value ? 3 : 2);
    else {
      const text = Buffer.from(value, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(text.length);
      this.push(4, length, text);
    }
  }

  private push(tag: number, ...parts: Buffer[]): void {
    const needed = this.length + 1 + parts.reduce((n, p) => n + p.length, 0);
    if (needed > this.bytes.length) {
      const grown = Buffer.alloc(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    this.bytes[this.length++] = tag;
    for (const part of parts) {
      part.copy(this.bytes, this.length);
      this.length += part.length;
    }
  }
}

/** Reads one run file record by record; `current` stays valid until the next `advance`. */
class RunReader {
  private buffer = Buffer.alloc(READ_CHUNK);
  private start = 0;
  private end = 0;
  private done = false;
  readonly current: RecordView = { hi: 0, lo: 0, buf: this.buffer, keyStart: 0, keyEnd: 0, payloadEnd: 0 };
  more = true;

  constructor(private readonly fd: number) {
    this.advance();
  }

  advance(): void {
    this.more = this.read();
  }

  private fill(needed: number): boolean {
    while (this.end - this.start < needed) {
      if (this.done) return false;
      if (this.start > 0) {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      if (needed > this.buffer.length) {
        const grown = Buffer.alloc(Math.max(needed, this.buffer.length * 2));
        this.buffer.copy(grown, 0, 0, this.end);
        this.buffer = grown;
      }
      const got = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (got === 0) this.done = true;
      this.end += got;
    }
    return true;
  }

  private read(): boolean {
    if (!this.fill(HEADER)) return false;
    let b = this.buffer;
    const hi = b.readUInt32BE(this.start);
    const lo = b.readUInt32BE(this.start + 4);
    const keyLength = b.readUInt32BE(this.start + 8);
    const payloadLength = b.readUInt32BE(this.start + 12);
    if (!this.fill(HEADER + keyLength + payloadLength)) throw new Error('foreign key spill: a run file ends inside a record');
    b = this.buffer;
    const c = this.current;
    c.hi = hi;
    c.lo = lo;
    c.buf = b;
    c.keyStart = this.start + HEADER;
    c.keyEnd = c.keyStart + keyLength;
    c.payloadEnd = c.keyEnd + payloadLength;
    this.start = c.payloadEnd;
    return true;
  }
}

/** The records of several sorted runs, in order; each record returned stays valid until the next call. */
class MergedRuns {
  private readonly readers: RunReader[];
  private readonly fds: number[];
  private taken: RunReader | undefined;

  constructor(paths: string[]) {
    this.fds = paths.map((p) => openSync(p, 'r'));
    this.readers = this.fds.map((fd) => new RunReader(fd));
  }

  /** The smallest record not yet taken, or undefined at the end. Few runs (at most FAN_IN): a scan beats a heap. */
  next(): RecordView | undefined {
    // The reader of the record returned last moves on only now, so that record was valid until this call.
    this.taken?.advance();
    let best: RunReader | undefined;
    for (const reader of this.readers) if (reader.more && (!best || compare(reader.current, best.current) < 0)) best = reader;
    this.taken = best;
    return best?.current;
  }

  close(): void {
    for (const fd of this.fds) closeSync(fd);
  }
}

/** The temp folder of one run's spilled keys; `close` removes it. */
export class SpillFolder {
  private dir: string | undefined;
  private files = 0;
  private readonly onExit = () => this.close();

  constructor(private readonly parent: string) {}

  /** A fresh file path in the folder (created on first use). */
  file(): string {
    if (!this.dir) {
      mkdirSync(this.parent, { recursive: true });
      this.dir = mkdtempSync(join(this.parent, 'foreign-keys-'));
      // A run that ends without reaching `close` (an uncaught error, process.exit) still leaves nothing behind.
      process.once('exit', this.onExit);
    }
    return join(this.dir, `run-${this.files++}.bin`);
  }

  /** Removes every file; safe to call more than once. */
  close(): void {
    if (!this.dir) return;
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    process.removeListener('exit', this.onExit);
  }
}

/**
 * Sorted runs of records on disk. Records are buffered as bytes in one arena with five 32-bit words each (digest,
 * offset, key and payload lengths); at `budgetBytes` the buffer is sorted through an index and written as a run.
 */
class SortedRuns {
  private arena = Buffer.alloc(64 * 1024);
  private used = 0;
  private meta = new Uint32Array(5 * 1024);
  private buffered = 0;
  runs: string[] = [];
  count = 0;

  constructor(
    private readonly folder: SpillFolder,
    private readonly budgetBytes: number,
  ) {}

  /** Buffers a key (the encoder's bytes) and, for a probe, where it was read. */
  add(hi: number, lo: number, key: KeyEncoder, where?: { file: number; line: number; parts: string[] }): void {
    let payloadMax = 0;
    if (where) {
      payloadMax = 16;
      for (const part of where.parts) payloadMax += 4 + 3 * part.length;
    }
    this.reserve(key.length + payloadMax);
    const start = this.used;
    key.bytes.copy(this.arena, start, 0, key.length);
    let at = start + key.length;
    if (where) {
      at = this.arena.writeUInt32BE(where.file, at);
      at = this.arena.writeDoubleBE(where.line, at);
      at = this.arena.writeUInt32BE(where.parts.length, at);
      for (const part of where.parts) {
        const written = this.arena.write(part, at + 4, 'utf8');
        this.arena.writeUInt32BE(written, at);
        at += 4 + written;
      }
    }
    this.used = at;
    if (5 * (this.buffered + 1) > this.meta.length) {
      const grown = new Uint32Array(this.meta.length * 2);
      grown.set(this.meta);
      this.meta = grown;
    }
    const m = 5 * this.buffered++;
    this.meta[m] = hi;
    this.meta[m + 1] = lo;
    this.meta[m + 2] = start;
    this.meta[m + 3] = key.length;
    this.meta[m + 4] = at - start - key.length;
    this.count++;
    if (this.used + RECORD_OVERHEAD * this.buffered >= this.budgetBytes) this.flush();
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.arena.length) return;
    // Doubling, but not past what the budget lets the buffer hold.
    const grown = Buffer.alloc(Math.max(this.used + bytes, Math.min(this.arena.length * 2, this.budgetBytes)));
    this.arena.copy(grown, 0, 0, this.used);
    this.arena = grown;
  }

  /** Writes what is buffered, then merges runs in rounds until at most FAN_IN are left. */
  seal(): void {
    this.flush();
    // The buffers are not needed any more: merging reads from disk.
    this.arena = Buffer.alloc(0);
    this.meta = new Uint32Array(0);
    while (this.runs.length > FAN_IN) {
      const group = this.runs.splice(0, FAN_IN);
      const merged = new MergedRuns(group);
      const out = this.folder.file();
      const writer = new RunWriter(out);
      for (let r = merged.next(); r; r = merged.next()) writer.write(r);
      writer.close();
      merged.close();
      for (const path of group) rmSync(path, { force: true });
      this.runs.push(out);
    }
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const meta = this.meta;
    const arena = this.arena;
    const order = new Uint32Array(this.buffered);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((x, y) => {
      const a = 5 * x;
      const b = 5 * y;
      if (meta[a] !== meta[b]) return meta[a]! < meta[b]! ? -1 : 1;
      if (meta[a + 1] !== meta[b + 1]) return meta[a + 1]! < meta[b + 1]! ? -1 : 1;
      return arena.compare(arena, meta[b + 2]!, meta[b + 2]! + meta[b + 3]!, meta[a + 2]!, meta[a + 2]! + meta[a + 3]!);
    });
    const path = this.folder.file();
    const writer = new RunWriter(path);
    const view: RecordView = { hi: 0, lo: 0, buf: arena, keyStart: 0, keyEnd: 0, payloadEnd: 0 };
    for (const i of order) {
      const m = 5 * i;
      view.hi = meta[m]!;
      view.lo = meta[m + 1]!;
      view.keyStart = meta[m + 2]!;
      view.keyEnd = view.keyStart + meta[m + 3]!;
      view.payloadEnd = view.keyEnd + meta[m + 4]!;
      writer.write(view);
    }
    writer.close();
    this.runs.push(path);
    this.buffered = 0;
    this.used = 0;
  }
}

class RunWriter {
  private readonly fd: number;
  private chunk = Buffer.alloc(READ_CHUNK);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(r: RecordView): void {
    const size = HEADER + r.payloadEnd - r.keyStart;
    if (this.used + size > this.chunk.length) this.drain();
    if (size > this.chunk.length) this.chunk = Buffer.alloc(size);
    const c = this.chunk;
    c.writeUInt32BE(r.hi, this.used);
    c.writeUInt32BE(r.lo, this.used + 4);
    c.writeUInt32BE(r.keyEnd - r.keyStart, this.used + 8);
    c.writeUInt32BE(r.payloadEnd - r.keyEnd, this.used + 12);
    r.buf.copy(c, this.used + HEADER, r.keyStart, r.payloadEnd);
    this.used += size;
  }

  private drain(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.chunk, written, this.used - written);
    this.used = 0;
  }

  close(): void {
    this.drain();
    closeSync(this.fd);
  }
}

/** The referenced keys of one target, on disk. Collected while the referenced table is read a second time. */
export class SpilledKeySet {
  readonly encoder = new KeyEncoder();
  private readonly runs: SortedRuns;

  constructor(folder: SpillFolder, budgetBytes: number) {
    this.runs = new SortedRuns(folder, budgetBytes);
  }

  /** Adds the key whose parts went through `encoder` since its `begin`. */
  add(digest: KeyDigest): void {
    this.runs.add(digest.hi, digest.lo, this.encoder);
  }

  seal(): void {
    this.runs.seal();
  }

  get size(): number {
    return this.runs.count;
  }

  /** The sorted runs, for a join. */
  get files(): string[] {
    return this.runs.runs;
  }
}

/** A key of the referencing table that the join finds missing. */
export interface MissingKey {
  file: string;
  line: number;
  parts: string[];
}

/** The keys of a referencing table's rows, checked against a SpilledKeySet once the table is read. */
export class SpilledKeyProbe {
  readonly encoder = new KeyEncoder();
  private readonly runs: SortedRuns;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();

  constructor(
    private readonly set: SpilledKeySet,
    folder: SpillFolder,
    budgetBytes: number,
  ) {
    this.runs = new SortedRuns(folder, budgetBytes);
  }

  /** Records the key whose parts went through `encoder`, read at `file`:`line` with these cells. */
  probe(digest: KeyDigest, file: string, line: number, parts: string[]): void {
    let index = this.fileIndex.get(file);
    if (index === undefined) {
      index = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, index);
    }
    this.runs.add(digest.hi, digest.lo, this.encoder, { file: index, line, parts });
  }

  /**
   * Merge-joins the probed keys with the set: the number missing, and the first `keep` of them in file and line
   * order (held in a buffer of at most twice that).
   */
  join(keep: number): { missing: number; first: MissingKey[] } {
    this.runs.seal();
    const probes = new MergedRuns(this.runs.runs);
    const referenced = new MergedRuns(this.set.files);
    let missing = 0;
    let first: MissingKey[] = [];
    const order = (a: MissingKey, b: MissingKey) => this.fileIndex.get(a.file)! - this.fileIndex.get(b.file)! || a.line - b.line;
    try {
      let ref = referenced.next();
      for (let probe = probes.next(); probe; probe = probes.next()) {
        while (ref && compare(ref, probe) < 0) ref = referenced.next();
        if (ref && compare(ref, probe) === 0) continue;
        missing++;
        if (keep === 0) continue;
        first.push(this.whereOf(probe));
        if (first.length >= 2 * keep) first = first.sort(order).slice(0, keep);
      }
    } finally {
      probes.close();
      referenced.close();
    }
    return { missing, first: first.sort(order).slice(0, keep) };
  }

  /** Where a probed key was read, from its payload. */
  private whereOf(r: RecordView): MissingKey {
    const b = r.buf;
    let at = r.keyEnd;
    const file = this.files[b.readUInt32BE(at)]!;
    const line = b.readDoubleBE(at + 4);
    const count = b.readUInt32BE(at + 12);
    at += 16;
    const parts: string[] = [];
    for (let k = 0; k < count; k++) {
      const length = b.readUInt32BE(at);
      parts.push(b.toString('utf8', at + 4, at + 4 + length));
      at += 4 + length;
    }
    return { file, line, parts };
  }
}
