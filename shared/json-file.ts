// Writes JSON of any size: the text goes to the file in pieces, never as one string, since V8 caps a
// string at about 512 MiB (`Invalid string length`) and one JSON.stringify of a large report holds it all.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Bytes gathered before each write: few system calls, little memory. */
const CHUNK_CHARS = 1 << 20;

/**
 * The text of `value` as `JSON.stringify(value, null, indent)` writes it, in pieces: each piece is a
 * primitive, a key or punctuation, so no piece is larger than the largest string in `value`.
 */
export function* jsonPieces(value: unknown, indent = 2, depth = 0): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') {
    // undefined, functions and symbols are left out of objects by the caller; in arrays they are null.
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  const inner = `\n${' '.repeat(indent * (depth + 1))}`;
  const outer = `\n${' '.repeat(indent * depth)}`;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    if (items.length === 0) {
      yield '[]';
      return;
    }
    yield '[';
    for (let i = 0; i < items.length; i++) {
      yield i === 0 ? inner : `,${inner}`;
      yield* jsonPieces(items[i], indent, depth + 1);
    }
    yield `${outer}]`;
    return;
  }
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '{' : ','}${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonPieces(item, indent, depth + 1);
  }
  yield first ? '{}' : `${outer}}`;
}

/**
 * Writes `value` as indented JSON (and a final newline) to `path` atomically (a temp file beside it,
 * then a rename), streaming: the size of the file is bounded by the disk, not by the string limit.
 */
export async function writeJsonFileAtomic(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temp, 'w');
  try {
    let buffer = '';
    for (const piece of jsonPieces(value)) {
      buffer += piece;
      if (buffer.length >= CHUNK_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    }
    await file.write(`${buffer}\n`);
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
}
