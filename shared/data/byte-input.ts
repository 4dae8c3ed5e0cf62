import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import type { DataSource } from './sources.js';

/** Bytes of a file (or a range of it), read into the caller's buffer; gzip is inflated on the way. */
export interface ByteInput {
  /** Fills target[offset..] as far as it can; 0 means the end. */
  read(target: Buffer, offset: number): Promise<number>;
  close(): Promise<void>;
}

class FileRangeInput implements ByteInput {
  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly end: number,
  ) {}
  async read(target: Buffer, offset: number): Promise<number> {
    const length = Math.min(target.length - offset, this.end - this.position);
    if (length <= 0) return 0;
    const { bytesRead } = await this.handle.read(target, offset, length, this.position);
    this.position += bytesRead;
    return bytesRead;
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

class GunzipInput implements ByteInput {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer | undefined;
  private readonly stream;
  private inflated = 0;
  /** `skip`: decompressed bytes to pass over first (the header, already read). `file`: the path shown to the user. */
  constructor(
    path: string,
    private readonly file: string,
    private skip = 0,
  ) {
    this.stream = createReadStream(path).pipe(createGunzip());
    this.chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }
  async read(target: Buffer, offset: number): Promise<number> {
    while (!this.pending || this.pending.length === 0) {
      let next: IteratorResult<Buffer>;
      try {
        next = await this.chunks.next();
      } catch (error) {
        throw new UnreadableBytesError(
          this.file,
          `${this.file} cannot be decompressed after ${this.inflated} bytes of data: ${(error as Error).message} (is it truncated, corrupt, or not really gzip?)`,
        );
      }
      if (next.done) return 0;
      this.pending = next.value;
      this.inflated += next.value.length;
      if (this.skip > 0) {
        const skipped = Math.min(this.skip, this.pending.length);
        this.pending = this.pending.subarray(skipped);
        this.skip -= skipped;
      }
    }
    const n = this.pending.copy(target, offset);
    this.pending = this.pending.subarray(n);
    return n;
  }
  async close(): Promise<void> {
    this.stream.destroy();
  }
}

/** A file's bytes cannot be read (corrupt compression): the user's file is at fault. */
export class UnreadableBytesError extends InputError {
  constructor(file: string, message: string) {
    super(message, { file });
  }
}

/** Opens a source's bytes from `start`: to `end` in an uncompressed file, to the end of a gzip one (offsets in its inflated bytes). */
export async function openByteInput(source: DataSource, start = 0, end = source.size): Promise<ByteInput> {
  if (source.gzip) return new GunzipInput(source.absolute, source.path, start);
  return new FileRangeInput(await open(source.absolute, 'r'), start, end);
}

/**
 * The first line start at or after `offset`: `offset` itself when the byte before it is a newline,
 * else the byte after the next newline (or the file size). Threads split a file at these points.
 */
export async function lineStartAtOrAfter(path: string, offset: number, size: number): Promise<number> {
  if (offset <= 0) return 0;
  if (offset >= size) return size;
  const handle = await open(path, 'r');
  try {
    const block = Buffer.allocUnsafe(64 * 1024);
    let position = offset - 1;
    while (position < size) {
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) break;
      const newline = block.subarray(0, bytesRead).indexOf(0x0a);
      if (newline !== -1) return position + newline + 1;
      position += bytesRead;
    }
    return size;
  } finally {
    await handle.close();
  }
}
