import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** What a stream of a blob turned out to be, for the error a mismatch raises. */
export interface BlobMismatch {
  expected: { digest: string; size?: number };
  actual: { digest: string; size: number };
  /** The stream carried more than `expected.size` bytes (it was stopped there). */
  tooLong: boolean;
}

/**
 * A pass-through stream that hashes what flows and, at its end, fails with `onMismatch(…)` unless the
 * bytes have `digest` (and `size`, when given). It fails as soon as the size is exceeded, so a hostile
 * source cannot make the reader take more than it asked for. Consumers must treat what they received
 * as untrusted until the stream has ended without error.
 */
export function digestVerifier(expected: { digest: string; size?: number }, onMismatch: (mismatch: BlobMismatch) => Error): Transform {
  const hash = createHash('sha256');
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (expected.size !== undefined && size > expected.size)
        return callback(onMismatch({ expected, actual: { digest: 'sha256:?', size }, tooLong: true }));
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const digest = `sha256:${hash.digest('hex')}`;
      if (digest === expected.digest && (expected.size === undefined || size === expected.size)) return callback();
      callback(onMismatch({ expected, actual: { digest, size }, tooLong: false }));
    },
  });
}

/** `sha256:…` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A short sentence for a mismatch: "has 10 bytes with digest sha256:…, expected 12 bytes with digest sha256:…". */
export function describeMismatch({ expected, actual, tooLong }: BlobMismatch): string {
  const want = `${expected.size !== undefined ? `${expected.size} bytes with ` : ''}digest ${expected.digest}`;
  if (tooLong) return `holds more than the ${expected.size} bytes expected`;
  return `has ${actual.size} bytes with digest ${actual.digest}, expected ${want}`;
}
