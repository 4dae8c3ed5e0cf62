/** Counts and latencies since the last report, for the server's one log line per minute. */
export class TrafficStats {
  private requests = 0;
  private errors = 0;
  private durations: number[] = [];
  /** Latencies kept per period: enough for a p95, bounded under any load. */
  private static readonly MAX_SAMPLES = 50_000;

  record(status: number, seconds: number, inference: boolean): void {
    this.requests++;
    if (status >= 400) this.errors++;
    if (inference && this.durations.length < TrafficStats.MAX_SAMPLES) this.durations.push(seconds);
  }

  /** What happened since the last call, and starts a new period. */
  take(): { requests: number; errors: number; p95Ms: number | null } {
    const sorted = this.durations.sort((a, b) => a - b);
    const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]! : null;
    const report = { requests: this.requests, errors: this.errors, p95Ms: p95 === null ? null : p95 * 1000 };
    this.requests = 0;
    this.errors = 0;
    this.durations = [];
    return report;
  }
}
