import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** The hex sha256 of a file's bytes, read through one reused buffer (no garbage per block). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const block = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      hash.update(block.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * One read of several files: each file's sha256, and `algorithm`'s digest and the byte count of the files
 * concatenated in order (a Data Resource's `hash` and `bytes` when its `path` is an array).
 */
export async function digestsOfFiles(paths: string[], algorithm: string): Promise<{ sha256: string[]; combined: string; bytes: number }> {
  const combined = createHash(algorithm);
  const sha256: string[] = [];
  let bytes = 0;
  const block = Buffer.allocUnsafe(1 << 20);
  for (const path of paths) {
    const own = createHash('sha256');
    const handle = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await handle.read(block, 0, block.length, null);
        if (bytesRead === 0) break;
        own.update(block.subarray(0, bytesRead));
        combined.update(block.subarray(0, bytesRead));
        bytes += bytesRead;
      }
    } finally {
      await handle.close();
    }
    sha256.push(own.digest('hex'));
  }
  return { sha256, combined: combined.digest('hex'), bytes };
}
