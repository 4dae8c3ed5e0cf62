import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';

export interface RequestLogOptions {
  /** Where the JSONL files go. */
  dir: string;
  /** Requests kept per period (a uniform sample of all of them). Default 1,000. */
  capacity?: number;
  /** How often the sample is written to a new file, in ms. Default 60,000. */
  periodMs?: number;
  /** Files kept; older ones are deleted. Default 24. */
  files?: number;
  random?: () => number;
}

export interface RequestLogEntry {
  id: string;
  time: string;
  [key: string]: unknown;
}

/**
 * A bounded log of requests and their predictions, keyed by request id, for joining ground truth that
 * arrives later. Each period keeps a uniform sample of at most `capacity` requests (reservoir sampling,
 * Algorithm R), so memory and disk stay bounded under any load; each period's sample is written to its
 * own `requests-<start>.jsonl`, and only the newest `files` files are kept.
 */
export class RequestLog {
  private sample: RequestLogEntry[] = [];
  private seen = 0;
  private periodStart = new Date();
  private readonly timer: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private readonly capacity: number;
  private readonly files: number;
  private readonly random: () => number;
  /** Requests offered since the start, and files written. */
  offered = 0;
  written = 0;

  constructor(private readonly options: RequestLogOptions) {
    this.capacity = options.capacity ?? 1000;
    this.files = options.files ?? 24;
    this.random = options.random ?? Math.random;
    this.timer = setInterval(() => void this.rotate(), options.periodMs ?? 60_000);
    this.timer.unref();
  }

  /** Offers a request to the sample; `entry` is only built when the request is kept. */
  offer(entry: () => RequestLogEntry): void {
    this.offered++;
    this.seen++;
    if (this.sample.length < this.capacity) {
      this.sample.push(entry());
      return;
    }
    const j = Math.floor(this.random() * this.seen);
    if (j < this.capacity) this.sample[j] = entry();
  }

  /** Writes the current period's sample (if any) to its file and starts a new period. */
  rotate(): Promise<void> {
    const sample = this.sample;
    const start = this.periodStart;
    this.sample = [];
    this.seen = 0;
    // A period's start names its file: two periods never share a millisecond, or the later file would replace the earlier.
    this.periodStart = new Date(Math.max(Date.now(), start.getTime() + 1));
    if (sample.length === 0) return this.writing;
    sample.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    const file = join(this.options.dir, `requests-${start.toISOString().replace(/[:.]/g, '-')}.jsonl`);
    const text = sample.map((e) => JSON.stringify(e)).join('\n') + '\n';
    this.writing = this.writing.then(async () => {
      try {
        await writeFileAtomic(file, text);
        this.written++;
        const names = (await readdir(this.options.dir)).filter((n) => /^requests-.*\.jsonl$/.test(n)).sort();
        for (const old of names.slice(0, Math.max(0, names.length - this.files))) await rm(join(this.options.dir, old), { force: true });
      } catch (error) {
        // The log is an aid, never a reason to stop serving: report and go on.
        process.emitWarning(`request log: could not write ${file}: ${(error as Error).message}`);
      }
    });
    return this.writing;
  }

  /** Writes what is pending and stops the timer. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.rotate();
  }
}
