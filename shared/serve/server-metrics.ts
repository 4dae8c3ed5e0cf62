import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ColumnDrift } from '../data/drift.js';

/** Seconds; from half a millisecond (a small model on loopback) to 10 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type SeriesLabels = Record<'model' | 'version' | 'endpoint', string>;

/**
 * A Prometheus histogram of latencies in seconds, registered with prom-client as a metric of its own:
 * an observation is a bucket search and three additions on plain numbers (prom-client's Histogram
 * validates and hashes the label set on every observation). The exposition is prom-client's histogram
 * format: cumulative `_bucket{le=…}` series, `+Inf`, `_sum` and `_count`, per label set.
 */
class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, { labels: SeriesLabels; counts: Float64Array; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
    private readonly model: { model: string; version: string },
  ) {}

  observe(endpoint: string, seconds: number): void {
    let entry = this.series.get(endpoint);
    if (!entry) {
      entry = { labels: { ...this.model, endpoint }, counts: new Float64Array(this.buckets.length), sum: 0, count: 0 };
      this.series.set(endpoint, entry);
    }
    const buckets = this.buckets;
    let b = 0;
    while (b < buckets.length && seconds > buckets[b]!) b++;
    if (b < buckets.length) entry.counts[b]!++;
    entry.sum += seconds;
    entry.count++;
  }

  /** The values as prom-client's registry reads them (its Histogram's form). */
  get(): { name: string; help: string; type: string; aggregator: string; values: unknown[] } {
    const values: unknown[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, b) => {
        cumulative += counts[b]!;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

/**
 * The server's Prometheus metrics, in a registry of its own: request counts and a latency histogram
 * (buckets aggregate across replicas, unlike summaries), rows predicted, and drift gauges that are
 * computed when Prometheus scrapes.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'model' | 'version' | 'endpoint' | 'code'>;
  private readonly duration: LatencyHistogram;
  private readonly rows: Counter<'model' | 'version'>;
  private readonly labels: { model: string; version: string };
  /** Requests answered per endpoint and code since the last scrape: added to the counter when it is collected. */
  private readonly requestCounts = new Map<string, { labels: Record<'model' | 'version' | 'endpoint' | 'code', string>; count: number }>();
  /** Rows predicted since the last scrape; undefined when nothing was counted. */
  private pendingRows: number | undefined;

  constructor(
    model: { name: string; version: string },
    drift: () => ColumnDrift[],
    liveRows: () => number,
    predictionDrift: () => ColumnDrift[] = () => [],
    modelRuns: () => number = () => 0,
  ) {
    this.labels = { model: model.name, version: model.version };
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    // Counts are kept in plain numbers per request and handed to prom-client when a scrape collects
    // them (prom-client hashes and validates the label set on every inc): a scrape sees every request.
    const counts = this.requestCounts;
    this.requests = new Counter({
      name: 'mlops_requests_total',
      help: 'HTTP requests answered, by endpoint and status code.',
      labelNames: ['model', 'version', 'endpoint', 'code'],
      registers,
      collect() {
        for (const entry of counts.values()) {
          if (entry.count === 0) continue;
          this.inc(entry.labels, entry.count);
          entry.count = 0;
        }
      },
    });
    this.duration = new LatencyHistogram(
      'mlops_request_duration_seconds',
      'Time from request to response of inference requests (/v2/…/infer, /invocations), in seconds.',
      LATENCY_BUCKETS,
      this.labels,
    );
    this.registry.registerMetric(this.duration as unknown as Parameters<Registry['registerMetric']>[0]);
    const labels = this.labels;
    const takeRows = (): number | undefined => {
      const rows = this.pendingRows;
      this.pendingRows = undefined;
      return rows;
    };
    this.rows = new Counter({
      name: 'mlops_predictions_total',
      help: 'Rows (examples) predicted.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        const rows = takeRows();
        if (rows !== undefined) this.inc(labels, rows);
      },
    });
    let runsCounted = 0;
    new Counter({
      name: 'mlops_model_runs_total',
      help: 'Times the model ran; fewer than the inference requests when concurrent requests ran as one batch.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        const runs = modelRuns();
        if (runs > runsCounted) this.inc(labels, runs - runsCounted);
        runsCounted = runs;
      },
    });
    // Gauges filled at scrape time from the live profile, so a scrape always sees the current window.
    const score = new Gauge({
      name: 'mlops_feature_drift',
      help: "Drift of a feature's live values against the registered data profile: a distance (KS D or PSI for numbers, Jensen–Shannon for categories, also where chi-squared decides; `method` names what decided).",
      labelNames: ['model', 'version', 'feature', 'method'],
      registers,
      collect() {
        score.reset();
        for (const d of drift()) if (d.method && d.score !== null) score.set({ ...labels, feature: d.column, method: d.method }, d.score);
      },
    });
    const pValue = new Gauge({
      name: 'mlops_feature_drift_p_value',
      help: 'p-value of the two-sample test (ks, chi-squared) that decided drift; absent when a distance (psi, js) decided.',
      labelNames: ['model', 'version', 'feature', 'method'],
      registers,
      collect() {
        pValue.reset();
        for (const d of drift())
          if (d.method && d.pValue !== null) pValue.set({ ...labels, feature: d.column, method: d.method }, d.pValue);
      },
    });
    const drifted = new Gauge({
      name: 'mlops_feature_drifted',
      help: 'Whether a feature drifted (1) or not (0) under the thresholds validate-data uses; absent when not judged (too few values).',
      labelNames: ['model', 'version', 'feature'],
      registers,
      collect() {
        drifted.reset();
        for (const d of drift())
          if (d.status !== 'insufficient data') drifted.set({ ...labels, feature: d.column }, d.status === 'drift' ? 1 : 0);
      },
    });
    // The model's answers against its held-out predictions (register's `predictions`), by the same methods.
    const predictionScore = new Gauge({
      name: 'mlops_prediction_drift',
      help: "Drift of the model's live predictions (an output's class or value per row) against its registered held-out predictions: a distance (Jensen–Shannon for classes, also where chi-squared decides; KS D or PSI for values; `method` names what decided); absent without held-out predictions.",
      labelNames: ['model', 'version', 'output', 'method'],
      registers,
      collect() {
        predictionScore.reset();
        for (const d of predictionDrift())
          if (d.method && d.score !== null) predictionScore.set({ ...labels, output: d.column, method: d.method }, d.score);
      },
    });
    const predictionPValue = new Gauge({
      name: 'mlops_prediction_drift_p_value',
      help: 'p-value of the two-sample test (ks, chi-squared) that decided prediction drift; absent when a distance (psi, js) decided.',
      labelNames: ['model', 'version', 'output', 'method'],
      registers,
      collect() {
        predictionPValue.reset();
        for (const d of predictionDrift())
          if (d.method && d.pValue !== null) predictionPValue.set({ ...labels, output: d.column, method: d.method }, d.pValue);
      },
    });
    const predictionDrifted = new Gauge({
      name: 'mlops_prediction_drifted',
      help: "Whether the model's live predictions drifted (1) or not (0) under validate-data's thresholds; absent when not judged.",
      labelNames: ['model', 'version', 'output'],
      registers,
      collect() {
        predictionDrifted.reset();
        for (const d of predictionDrift())
          if (d.status !== 'insufficient data') predictionDrifted.set({ ...labels, output: d.column }, d.status === 'drift' ? 1 : 0);
      },
    });
    const live = new Gauge({
      name: 'mlops_live_profile_rows',
      help: 'Rows in the live profile (the time windows kept) that drift is measured on.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        live.set(labels, liveRows());
      },
    });
  }

  /** Counts an answered request; inference endpoints also get their latency observed. */
  observe(endpoint: string, code: number, seconds: number, inference: boolean): void {
    const key = `${endpoint} ${code}`;
    const counted = this.requestCounts.get(key);
    if (counted) counted.count++;
    else this.requestCounts.set(key, { labels: { ...this.labels, endpoint, code: String(code) }, count: 1 });
    if (inference) this.duration.observe(endpoint, seconds);
  }

  countRows(rows: number): void {
    this.pendingRows = (this.pendingRows ?? 0) + rows;
  }

  /** The text exposition format Prometheus scrapes. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
