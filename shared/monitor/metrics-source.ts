// Where measurements come from: Prometheus (PromQL over the window, every instance it scrapes) or the
// serving runtime's own /metrics (the difference between two scrapes). Both read the series the
// serving runtime exports (shared/serve/server-metrics.ts): mlops_requests_total,
// mlops_request_duration_seconds, mlops_feature_drift, mlops_feature_drifted, mlops_live_profile_rows,
// mlops_prediction_drift, mlops_prediction_drifted.
import { InputError, ServiceError } from '../errors.js';
import { promqlRange } from './duration.js';
import { parseExposition, type Sample } from './exposition.js';

/** A served model version: its `model` and `version` labels. */
export interface VersionSelector {
  model: string;
  version: string;
}

/** Inference requests a version answered over the window, and their latency histogram. */
export interface Traffic {
  requests: number;
  /** Answers with a status of 400 or more. */
  errors: number;
  /** Cumulative counts by upper bound in seconds (+Inf last). */
  buckets: { le: number; count: number }[];
  /** The span the counts cover. */
  windowMs: number;
}

export interface ColumnDriftReading {
  column: string;
  /** A distance on one scale (KS D, PSI, or JS for categories, also where chi-squared decided). */
  score: number;
  method: string;
  /** Whether the serving runtime judged it drifted; null when not judged. */
  drifted: boolean | null;
}

export interface DriftReading {
  columns: ColumnDriftReading[];
  /** Rows in the live profile drift was measured on. */
  liveRows: number;
}

/** What one measurement reads, per version. */
export interface Readings {
  traffic: Map<string, Traffic | undefined>;
  drift: Map<string, DriftReading | undefined>;
  /** Drift of the model's predictions against its held-out predictions, by output (columns named after outputs). */
  predictionDrift?: Map<string, DriftReading | undefined>;
  /** Results of promql("…") rules: NaN for an empty result; `series` when the query gave more than one. */
  queries: Map<string, { value: number; series: number }>;
}

export interface MetricsSource {
  readonly label: string;
  /** Called once, when the analysis starts (the endpoint's first scrape). */
  start(versions: VersionSelector[]): Promise<void>;
  read(versions: VersionSelector[], queries: string[]): Promise<Readings>;
}

const INFERENCE = 'infer|invocations';

/** A label value inside a PromQL string literal. */
function promqlString(value: string): string {
  return JSON.stringify(value);
}

function selector(v: VersionSelector, extra = ''): string {
  return `{model=${promqlString(v.model)},version=${promqlString(v.version)}${extra}}`;
}

interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Prometheus's HTTP API: instant queries, each bounded by `timeoutMs`. */
export class PrometheusSource implements MetricsSource {
  readonly label: string;
  constructor(
    private readonly url: string,
    private readonly windowMs: number,
    private readonly timeoutMs: number,
  ) {
    this.label = `Prometheus at ${url}`;
  }

  async start(): Promise<void> {
    // Nothing to remember: every measurement is a query over the window.
  }

  /** Runs an instant query; ServiceError when Prometheus cannot be reached or fails, InputError for a query it refuses. */
  async query(promql: string): Promise<VectorSample[]> {
    const endpoint = `${this.url.replace(/\/+$/, '')}/api/v1/query`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: promql, timeout: `${Math.max(1, Math.floor(this.timeoutMs / 1000))}s` }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceError('Prometheus', `${endpoint} did not answer: ${(error as Error).message}`);
    }
    const text = await response.text().catch((error: unknown) => {
      throw new ServiceError('Prometheus', `${endpoint}: the answer was cut off: ${(error as Error).message}`);
    });
    let body: { status?: string; errorType?: string; error?: string; data?: { resultType: string; result: unknown } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new ServiceError('Prometheus', `${endpoint} answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
    }
    if (body.status !== 'success') {
      if (response.status === 400 && body.errorType === 'bad_data')
        throw new InputError(`Prometheus refused the query ${promql}: ${body.error ?? 'bad_data'}`);
      throw new ServiceError(
        'Prometheus',
        `query ${promql} failed (${response.status}): ${body.errorType ?? ''} ${body.error ?? ''}`.trim(),
      );
    }
    const data = body.data!;
    if (data.resultType === 'scalar') {
      const [time, value] = data.result as [number, string];
      return [{ metric: {}, value: [time, value] }];
    }
    if (data.resultType !== 'vector')
      throw new InputError(`the query ${promql} returns a ${data.resultType}; a rule needs an instant vector or a scalar`);
    return data.result as VectorSample[];
  }

  async read(versions: VersionSelector[], queries: string[]): Promise<Readings> {
    const range = promqlRange(this.windowMs);
    const readings: Readings = { traffic: new Map(), drift: new Map(), predictionDrift: new Map(), queries: new Map() };
    for (const v of versions) {
      const inference = `,endpoint=~"${INFERENCE}"`;
      const [codes, buckets, scores, drifted, rows, predictionScores, predictionsDrifted] = await Promise.all([
        this.query(`sum by (code) (increase(mlops_requests_total${selector(v, inference)}[${range}]))`),
        this.query(`sum by (le) (increase(mlops_request_duration_seconds_bucket${selector(v, inference)}[${range}]))`),
        this.query(`max by (feature, method) (mlops_feature_drift${selector(v)})`),
        this.query(`max by (feature) (mlops_feature_drifted${selector(v)})`),
        this.query(`max(mlops_live_profile_rows${selector(v)})`),
        this.query(`max by (output, method) (mlops_prediction_drift${selector(v)})`),
        this.query(`max by (output) (mlops_prediction_drifted${selector(v)})`),
      ]);
      readings.traffic.set(
        v.version,
        codes.length === 0 && buckets.length === 0
          ? undefined
          : {
              requests: codes.reduce((sum, s) => sum + Number(s.value[1]), 0),
              errors: codes.filter((s) => Number(s.metric.code) >= 400).reduce((sum, s) => sum + Number(s.value[1]), 0),
              buckets: buckets.map((s) => ({ le: Number(s.metric.le === '+Inf' ? Infinity : s.metric.le), count: Number(s.value[1]) })),
              windowMs: this.windowMs,
            },
      );
      readings.drift.set(v.version, driftReading(scores, drifted, rows));
      readings.predictionDrift!.set(v.version, predictionDriftReading(predictionScores, predictionsDrifted, rows));
    }
    for (const promql of queries) {
      const result = await this.query(promql);
      readings.queries.set(promql, { value: result.length === 1 ? Number(result[0]!.value[1]) : NaN, series: result.length });
    }
    return readings;
  }
}

function driftReading(scores: VectorSample[], drifted: VectorSample[], rows: VectorSample[], key = 'feature'): DriftReading | undefined {
  if (scores.length === 0 && rows.length === 0) return undefined;
  const flags = new Map(drifted.map((s) => [s.metric[key] ?? '', Number(s.value[1]) === 1]));
  return {
    columns: scores.map((s) => ({
      column: s.metric[key] ?? '',
      method: s.metric.method ?? '',
      score: Number(s.value[1]),
      drifted: flags.get(s.metric[key] ?? '') ?? null,
    })),
    liveRows: rows.length ? Number(rows[0]!.value[1]) : 0,
  };
}

/** Prediction drift by output; undefined when the version exports none (no held-out predictions registered). */
function predictionDriftReading(scores: VectorSample[], drifted: VectorSample[], rows: VectorSample[]): DriftReading | undefined {
  return scores.length === 0 ? undefined : driftReading(scores, drifted, rows, 'output');
}

/** One scrape's counters of a version. */
interface Scrape {
  at: number;
  samples: Sample[];
}

/** How many scrapes one measurement may take to reach every version behind a canary's proxy. */
const SCRAPES_PER_MEASUREMENT = 24;

/**
 * The serving runtime's /metrics: counts are the difference from the previous scrape that saw the same
 * version; a counter that went down means the process restarted, and then counts from zero, as
 * Prometheus does. Behind a canary's proxy each new connection reaches one version, so a measurement
 * scrapes again (at most SCRAPES_PER_MEASUREMENT times) until every version it compares has answered:
 * at 20 % a canary is missed by all 24 with a chance of 0.5 %, and then that measurement is inconclusive.
 */
export class EndpointSource implements MetricsSource {
  readonly label: string;
  private readonly previous = new Map<string, Scrape>();

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    this.label = `${url}/metrics`;
  }

  private async scrape(): Promise<Scrape> {
    const endpoint = `${this.url.replace(/\/+$/, '')}/metrics`;
    try {
      // A new connection each time: behind the process target's proxy, connections are what is routed.
      const response = await fetch(endpoint, { headers: { connection: 'close' }, signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await response.text();
      if (!response.ok) throw new ServiceError('serving endpoint', `${endpoint} answered ${response.status}: ${text.slice(0, 200)}`);
      return { at: Date.now(), samples: parseExposition(text) };
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      throw new ServiceError('serving endpoint', `${endpoint} did not answer: ${(error as Error).message}`);
    }
  }

  /** The latest scrape that reached each of `versions` (a version no scrape reached is absent). */
  private async scrapeEach(versions: VersionSelector[]): Promise<Map<string, Scrape>> {
    const reached = new Map<string, Scrape>();
    for (let i = 0; i < SCRAPES_PER_MEASUREMENT && reached.size < versions.length; i++) {
      const scrape = await this.scrape();
      for (const v of versions)
        if (!reached.has(v.version) && scrape.samples.some((s) => s.labels.model === v.model && s.labels.version === v.version))
          reached.set(v.version, scrape);
    }
    return reached;
  }

  async start(versions: VersionSelector[]): Promise<void> {
    for (const [version, scrape] of await this.scrapeEach(versions)) this.previous.set(version, scrape);
  }

  async read(versions: VersionSelector[], queries: string[]): Promise<Readings> {
    if (queries.length) throw new InputError('promql("…") rules need prometheus-url: the endpoint has no PromQL');
    const scrapes = await this.scrapeEach(versions);
    const readings: Readings = { traffic: new Map(), drift: new Map(), predictionDrift: new Map(), queries: new Map() };
    for (const v of versions) {
      const scrape = scrapes.get(v.version);
      if (!scrape) {
        readings.traffic.set(v.version, undefined);
        readings.drift.set(v.version, undefined);
        continue;
      }
      const mine = (samples: Sample[], name: string) =>
        samples.filter((s) => s.name === name && s.labels.model === v.model && s.labels.version === v.version);
      const before = this.previous.get(v.version);
      const counter = (name: string, match: (s: Sample) => boolean, key: (s: Sample) => string): Map<string, number> => {
        const prior = new Map((before ? mine(before.samples, name) : []).filter(match).map((s) => [key(s), s.value]));
        const out = new Map<string, number>();
        for (const s of mine(scrape.samples, name).filter(match)) {
          const old = prior.get(key(s)) ?? 0;
          out.set(key(s), (out.get(key(s)) ?? 0) + (s.value >= old ? s.value - old : s.value));
        }
        return out;
      };
      const inference = (s: Sample) => s.labels.endpoint === 'infer' || s.labels.endpoint === 'invocations';
      const codes = counter('mlops_requests_total', inference, (s) => `${s.labels.endpoint} ${s.labels.code}`);
      const buckets = counter('mlops_request_duration_seconds_bucket', inference, (s) => `${s.labels.endpoint} ${s.labels.le}`);
      const byLe = new Map<number, number>();
      for (const [key, count] of buckets) {
        const le = key.split(' ')[1]!;
        const bound = le === '+Inf' ? Infinity : Number(le);
        byLe.set(bound, (byLe.get(bound) ?? 0) + count);
      }
      let requests = 0;
      let errors = 0;
      for (const [key, count] of codes) {
        requests += count;
        if (Number(key.split(' ')[1]) >= 400) errors += count;
      }
      // A version first seen in this scrape has nothing to count from yet: its counts start with the next one.
      readings.traffic.set(
        v.version,
        before === undefined
          ? undefined
          : {
              requests,
              errors,
              buckets: [...byLe].map(([le, count]) => ({ le, count })),
              windowMs: scrape.at - before.at,
            },
      );
      const asVector = (name: string): VectorSample[] =>
        mine(scrape.samples, name).map((s) => ({ metric: s.labels, value: [scrape.at / 1000, String(s.value)] }));
      readings.drift.set(
        v.version,
        driftReading(asVector('mlops_feature_drift'), asVector('mlops_feature_drifted'), asVector('mlops_live_profile_rows')),
      );
      readings.predictionDrift!.set(
        v.version,
        predictionDriftReading(
          asVector('mlops_prediction_drift'),
          asVector('mlops_prediction_drifted'),
          asVector('mlops_live_profile_rows'),
        ),
      );
    }
    for (const [version, scrape] of scrapes) this.previous.set(version, scrape);
    return readings;
  }
}
