import type { IncomingMessage } from 'node:http';
import { RequestError } from './request-error.js';

interface PendingBody {
  deadline: number;
  expire(): void;
}

/**
 * Reads request bodies up to `limit` bytes within `timeoutMs`. One timer checks the deadlines of the
 * bodies still arriving, a few times per timeout, rather than a timer being set and cleared per request:
 * a slow body is answered 408 within a tenth of the timeout (at most 100 ms) after its deadline.
 */
export class BodyReader {
  private readonly pending = new Set<PendingBody>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    private readonly timeoutMs: number,
  ) {
    this.timer = setInterval(() => this.expire(), Math.max(10, Math.min(100, timeoutMs / 10)));
    this.timer.unref();
  }

  /** The body; rejects with a 413 RequestError when it is too large, 408 when it is too slow, 400 when the client goes away. */
  read(req: IncomingMessage): Promise<Buffer> {
    const limit = this.limit;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit)
      return Promise.reject(new RequestError(413, `the body is ${declared} bytes; this server takes at most ${limit}`));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        this.pending.delete(entry);
        if (error) reject(error);
        else resolve(Buffer.concat(chunks, size));
      };
      const entry: PendingBody = {
        deadline: performance.now() + this.timeoutMs,
        expire: () => finish(new RequestError(408, `the request body did not arrive within ${this.timeoutMs / 1000} s`)),
      };
      this.pending.add(entry);
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > limit) finish(new RequestError(413, `the body is over ${limit} bytes, the most this server takes`));
        else chunks.push(chunk);
      });
      req.on('end', () => finish());
      req.on('error', (error) => finish(error));
      req.on('aborted', () => finish(new RequestError(400, 'the client closed the connection before the body was complete')));
    });
  }

  private expire(): void {
    const now = performance.now();
    for (const entry of this.pending) if (now >= entry.deadline) entry.expire();
  }

  /** Stops the deadline timer (bodies still arriving are no longer timed). */
  close(): void {
    clearInterval(this.timer);
  }
}
