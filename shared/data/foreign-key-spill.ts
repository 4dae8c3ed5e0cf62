// Foreign keys whose referenced keys do not fit the memory budget (foreign-keys.ts): the keys go to disk as sorted
// runs, the referencing rows' keys too, and a merge-join of the two finds the missing ones. Records sort by the
// key's 64-bit digest, then by the key's own bytes (its logical values, encoded canonically), and equality is
// decided on those bytes: a digest collision never lets a missing key pass. Memory stays bounded: one run's
// buffer (the budget) while writing, and at most FAN_IN reader buffers per side while merging (runs beyond that
// are merged in rounds first). Every file lives in one temp folder, removed by `close` (and on process exit).
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyDigest } from './foreign-keys.js';
import type { CellValue } from './table-schema/types.js';

/** Runs merged at once; more are merged in rounds, so open files and reader buffers stay bounded. */
export const FAN_IN = 32;
const READ_CHUNK = 64 * 1024;
/** What an in-memory record costs besides its bytes (object, array slot, two Buffers: measured ~186 on Node 24), for the run budget. */
const RECORD_OVERHEAD = 192;
const HEADER = 16;

interface SpillRecord {
  hi: number;
  lo: number;
  key: Buffer;
  /** Probes: where the key was read ([file index, line, cells as written]), as JSON. */
  payload: Buffer;
}

function compare(a: SpillRecord, b: SpillRecord): number {
  if (a.hi !== b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.lo !== b.lo) return a.lo < b.lo ? -1 : 1;
  return Buffer.compare(a.key, b.key);
}

const numberBytes = Buffer.alloc(8);

/** The canonical bytes of a key's logical values: equal exactly when the values are (1 and 1.0 alike, 0 and -0 too). */
export class KeyEncoder {
  private bytes = Buffer.alloc(256);
  private length = 0;

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

  /** A copy of the key's bytes. */
  take(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
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

/** Reads one run file record by record. */
class RunReader {
  private buffer = Buffer.alloc(READ_CHUNK);
  private start = 0;
  private end = 0;
  private done = false;
  current: SpillRecord | undefined;

  constructor(private readonly fd: number) {
    this.advance();
  }

  advance(): void {
    this.current = this.read();
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

  private read(): SpillRecord | undefined {
    if (!this.fill(HEADER)) return undefined;
    const b = this.buffer;
    const s = this.start;
    const hi = b.readUInt32BE(s);
    const lo = b.readUInt32BE(s + 4);
    const keyLength = b.readUInt32BE(s + 8);
    const payloadLength = b.readUInt32BE(s + 12);
    if (!this.fill(HEADER + keyLength + payloadLength)) throw new Error('foreign key spill: a run file ends inside a record');
    const at = this.start + HEADER;
    const key = Buffer.from(this.buffer.subarray(at, at + keyLength));
    const payload = Buffer.from(this.buffer.subarray(at + keyLength, at + keyLength + payloadLength));
    this.start = at + keyLength + payloadLength;
    return { hi, lo, key, payload };
  }
}

/** The records of several sorted runs, in order. */
class MergedRuns {
  private readonly readers: RunReader[];
  private readonly fds: number[];

  constructor(paths: string[]) {
    this.fds = paths.map((p) => openSync(p, 'r'));
    this.readers = this.fds.map((fd) => new RunReader(fd));
  }

  /** The smallest record not yet taken, or undefined at the end. Few runs (at most FAN_IN): a scan beats a heap. */
  next(): SpillRecord | undefined {
    let best: RunReader | undefined;
    for (const reader of this.readers) if (reader.current && (!best || compare(reader.current, best.current!) < 0)) best = reader;
    if (!best) return undefined;
    const record = best.current!;
    best.advance();
    return record;
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

/** Sorted runs of records on disk, written from a buffer of at most `budgetBytes`. */
class SortedRuns {
  private buffered: SpillRecord[] = [];
  private bufferedBytes = 0;
  runs: string[] = [];
  count = 0;

  constructor(
    private readonly folder: SpillFolder,
    private readonly budgetBytes: number,
  ) {}

  add(record: SpillRecord): void {
    this.buffered.push(record);
    this.count++;
    this.bufferedBytes += record.key.length + record.payload.length + RECORD_OVERHEAD;
    if (this.bufferedBytes >= this.budgetBytes) this.flush();
  }

  /** Writes what is buffered, then merges runs in rounds until at most FAN_IN are left. */
  seal(): void {
    this.flush();
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
    if (this.buffered.length === 0) return;
    this.buffered.sort(compare);
    const path = this.folder.file();
    const writer = new RunWriter(path);
    for (const record of this.buffered) writer.write(record);
    writer.close();
    this.runs.push(path);
    this.buffered = [];
    this.bufferedBytes = 0;
  }
}

class RunWriter {
  private readonly fd: number;
  private chunk = Buffer.alloc(READ_CHUNK);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(r: SpillRecord): void {
    const size = HEADER + r.key.length + r.payload.length;
    if (this.used + size > this.chunk.length) this.drain();
    if (size > this.chunk.length) this.chunk = Buffer.alloc(size);
    const c = this.chunk;
    c.writeUInt32BE(r.hi, this.used);
    c.writeUInt32BE(r.lo, this.used + 4);
    c.writeUInt32BE(r.key.length, this.used + 8);
    c.writeUInt32BE(r.payload.length, this.used + 12);
    r.key.copy(c, this.used + HEADER);
    r.payload.copy(c, this.used + HEADER + r.key.length);
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
    this.runs.add({ hi: digest.hi, lo: digest.lo, key: this.encoder.take(), payload: EMPTY });
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

const EMPTY = Buffer.alloc(0);

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
    const payload = Buffer.from(JSON.stringify([index, line, parts]));
    this.runs.add({ hi: digest.hi, lo: digest.lo, key: this.encoder.take(), payload });
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
    let first: [number, number, string[]][] = [];
    const order = (a: [number, number, string[]], b: [number, number, string[]]) => a[0] - b[0] || a[1] - b[1];
    try {
      let ref = referenced.next();
      for (let probe = probes.next(); probe; probe = probes.next()) {
        while (ref && compare(ref, probe) < 0) ref = referenced.next();
        if (ref && compare(ref, probe) === 0) continue;
        missing++;
        if (keep === 0) continue;
        first.push(JSON.parse(probe.payload.toString('utf8')) as [number, number, string[]]);
        if (first.length >= 2 * keep) first = first.sort(order).slice(0, keep);
      }
    } finally {
      probes.close();
      referenced.close();
    }
    return {
      missing,
      first: first
        .sort(order)
        .slice(0, keep)
        .map(([file, line, parts]) => ({ file: this.files[file]!, line, parts })),
    };
  }
}
