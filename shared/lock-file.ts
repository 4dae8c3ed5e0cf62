import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ServiceError } from './errors.js';

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs?: number;
  /** A lock older than this is taken over, whoever holds it (holders keep it for milliseconds). */
  staleMs?: number;
  /** For messages: what the lock protects, e.g. `.mlops/registry/iris`. */
  what?: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock whose file says `content` and was written `ageMs` ago has been abandoned. */
function isStale(content: string, ageMs: number, staleMs: number): boolean {
  if (ageMs > staleMs) return true;
  const [pid, host] = content.split(' ');
  // A pid means something only on the host that wrote it (a shared folder may be mounted elsewhere).
  return host === hostname() && Number(pid) > 0 && !processAlive(Number(pid));
}

/**
 * Runs `work` while holding the lock file `path` (created with O_EXCL; it says `pid host nonce`). Waits
 * up to `waitMs` for another holder, polling; takes over a lock whose process has died on this host or
 * that is older than `staleMs`. Throws ServiceError naming `what` when the lock stays held.
 */
export async function withLockFile<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { waitMs = 30_000, staleMs = 60_000, what = path } = options;
  const mine = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + waitMs;
  let delay = 10;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(mine);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const seen = await readFile(path, 'utf8').catch(() => null);
      const info = await stat(path).catch(() => null);
      if (seen !== null && info && isStale(seen, Date.now() - info.mtimeMs, staleMs)) {
        await takeOver(path, seen);
        continue;
      }
      if (Date.now() > deadline)
        throw new ServiceError(what, `the lock ${path} is still held (${seen || 'by a process starting up'}) after ${waitMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 250);
    }
  }
  try {
    return await work();
  } finally {
    // Only remove the lock if it is still ours (a holder that overran staleMs may have lost it).
    if ((await readFile(path, 'utf8').catch(() => null)) === mine) await unlink(path).catch(() => undefined);
  }
}

/**
 * Moves an abandoned lock aside. Rename is atomic, so of several waiters only one moves it; if what
 * was moved turns out to be a fresh lock taken in between, it is put back (link fails if yet another
 * lock exists, in which case that one stands).
 */
async function takeOver(path: string, stale: string): Promise<void> {
  const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== stale) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
