// One measurement: the readings of the window turned into the metrics the rules name, each rule decided
// by evaluate's gate logic on an interval (Wilson for rates, the bucket for a latency quantile, Newcombe
// for a canary's rate against the stable version's). What cannot be measured (no series, NaN, fewer
// requests than min-samples) makes the rule inconclusive: it never passes.
import { InputError } from '../errors.js';
import { evaluateGates, nearestNames, type GateMetric } from '../gates/evaluate-gates.js';
import { metricKey, type GateRule } from '../gates/grammar.js';
import type { MeasurementVerdict } from './analysis.js';
import type { ColumnDriftReading, DriftReading, Readings, Traffic, VersionSelector } from './metrics-source.js';
import { differenceInterval, histogramQuantile, wilsonInterval, type Interval } from './proportions.js';
import { LIVE_QUALITY_METRICS, type LiveQuality } from './live-labels.js';

/** The metrics rules may name (`drift` with a `[column=…]` selector, `promql` with its query). */
export const MONITOR_METRICS = [
  'error_rate',
  'latency_p95_ms',
  'requests_per_minute',
  'drift.max',
  'drift.share',
  'drift',
  'prediction_drift',
  ...LIVE_QUALITY_METRICS,
  'promql',
] as const;

const QUALITY = new Set<string>(LIVE_QUALITY_METRICS);

export interface RuleOutcome {
  /** The rule as written, and its line in the rules. */
  text: string;
  line: number;
  key: string;
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** What was observed (the canary's, in a canary), with its interval when it has one. */
  observed?: Interval;
  /** The stable version's value, for `stable` thresholds. */
  stable?: Interval;
  explanation: string;
}

export interface VersionTraffic {
  version: string;
  requests: number;
  errors: number;
  windowMs: number;
}

export interface Measurement {
  index: number;
  at: string;
  verdict: MeasurementVerdict;
  rules: RuleOutcome[];
  traffic: VersionTraffic[];
  /** The model's input drift, per column, as the serving runtime judged it. */
  drift: ColumnDriftReading[];
  /** Drift of the model's predictions against its held-out predictions, per output; empty when not exported. */
  predictionDrift?: ColumnDriftReading[];
  liveRows: number;
  /** The labels joined with the request log, when quality rules were measured. */
  labels?: LiveQuality['join'];
}

/** What the rules can be measured with. */
export interface MeasurementContext {
  candidate: VersionSelector;
  stable?: VersionSelector;
  minSamples: number;
  prometheus: boolean;
  /** Live quality from labels joined with the request log, when `labels` was given. */
  quality?: () => Promise<LiveQuality>;
}

/**
 * Checks before the analysis starts that every rule can be measured: a known metric, a column for
 * `drift[…]`, a stable version for `stable` thresholds, Prometheus for `promql`, labels for `accuracy` and the other
 * classification metrics.
 */
export function checkRules(rules: GateRule[], context: Omit<MeasurementContext, 'candidate' | 'minSamples'>, file?: string): void {
  for (const rule of rules) {
    const at = { ...(file ? { file } : {}), line: rule.line };
    const name = rule.metric;
    if (!(MONITOR_METRICS as readonly string[]).includes(name))
      throw new InputError(
        `rule ${rule.index} "${rule.text}": no metric "${name}"; the metrics are ${nearestNames(name, [...MONITOR_METRICS], MONITOR_METRICS.length).join(', ')}`,
        at,
      );
    if (name === 'drift' && (rule.selector === undefined || !['column', 'feature'].includes(rule.selector.key)))
      throw new InputError(
        `rule ${rule.index} "${rule.text}": drift of one column is drift[column=<name>]; else drift.max or drift.share`,
        at,
      );
    if (name !== 'drift' && rule.selector !== undefined)
      throw new InputError(`rule ${rule.index} "${rule.text}": ${name} takes no [${rule.selector.key}=…]; only drift[column=…] does`, at);
    if (rule.threshold.kind === 'stable' && !context.stable)
      throw new InputError(
        `rule ${rule.index} "${rule.text}" compares with the stable version: give the input 'stable', or remove the rule`,
        at,
      );
    if (rule.threshold.kind === 'stable' && (name.includes('drift') || name === 'promql' || QUALITY.has(name)))
      throw new InputError(`rule ${rule.index} "${rule.text}": ${name} is not compared with the stable version; give a number`, at);
    if (name === 'promql' && !context.prometheus)
      throw new InputError(`rule ${rule.index} "${rule.text}": promql("…") rules need the input 'prometheus-url'`, at);
    if (QUALITY.has(name) && !context.quality)
      throw new InputError(`rule ${rule.index} "${rule.text}": ${name} needs the inputs 'labels' and 'request-log'`, at);
  }
}

type Measured = { metric: Interval } | { missing: string };

function trafficMetric(name: string, traffic: Traffic | undefined, version: string, minSamples: number): Measured {
  if (!traffic) return { missing: `no inference requests of version ${version} were recorded in the window` };
  if (name === 'requests_per_minute') {
    if (!(traffic.windowMs > 0)) return { missing: 'the window is empty' };
    const value = traffic.requests / (traffic.windowMs / 60_000);
    return { metric: { value, low: value, high: value } };
  }
  if (traffic.requests < minSamples)
    return { missing: `${formatCount(traffic.requests)} requests of version ${version}, fewer than min-samples ${minSamples}` };
  if (name === 'error_rate') return { metric: wilsonInterval(traffic.errors, traffic.requests) };
  const p95 = histogramQuantile(0.95, traffic.buckets);
  if (!Number.isFinite(p95.value) || !Number.isFinite(p95.high))
    return { missing: `the p95 latency of version ${version} is past the histogram's largest bucket` };
  return { metric: { value: p95.value * 1000, low: p95.low * 1000, high: p95.high * 1000 } };
}

function driftMetric(rule: GateRule, drift: DriftReading | undefined, version: string, minSamples: number): Measured {
  if (!drift || drift.columns.length === 0)
    return { missing: `version ${version} exports no drift (it has no registered data profile, or no live rows yet)` };
  if (drift.liveRows < minSamples) return { missing: `${drift.liveRows} live rows, fewer than min-samples ${minSamples}` };
  const point = (value: number): Measured => (Number.isFinite(value) ? { metric: { value, low: value, high: value } } : { missing: 'NaN' });
  if (rule.metric === 'drift.max') return point(Math.max(...drift.columns.map((c) => c.score).filter(Number.isFinite)));
  if (rule.metric === 'drift.share') {
    const judged = drift.columns.filter((c) => c.drifted !== null);
    if (judged.length === 0) return { missing: 'no column had enough live values to be judged' };
    return point(judged.filter((c) => c.drifted).length / judged.length);
  }
  const column = drift.columns.find((c) => c.column === rule.selector!.value);
  if (!column)
    return { missing: `no drift of column ${rule.selector!.value} (columns: ${drift.columns.map((c) => c.column).join(', ') || 'none'})` };
  return point(column.score);
}

/** The largest prediction drift statistic over the outputs (a classifier has one: its class). */
function predictionDriftMetric(drift: DriftReading | undefined, version: string, minSamples: number): Measured {
  if (!drift || drift.columns.length === 0)
    return {
      missing: `version ${version} exports no prediction drift (no held-out predictions registered with it, or they do not fit its output)`,
    };
  if (drift.liveRows < minSamples) return { missing: `${drift.liveRows} live rows, fewer than min-samples ${minSamples}` };
  const value = Math.max(...drift.columns.map((c) => c.score));
  return Number.isFinite(value) ? { metric: { value, low: value, high: value } } : { missing: 'NaN' };
}

function qualityMetric(name: string, quality: LiveQuality | undefined, minSamples: number): Measured {
  const matched = quality?.join.matchedRows ?? 0;
  if (!quality || matched < minSamples)
    return { missing: `${matched} labelled rows joined with the request log, fewer than min-samples ${minSamples}` };
  const metric = quality.metrics[name];
  if (!metric)
    return {
      missing: `${name} is not measured on these labels (${quality.classes.length} classes: ${quality.classes.slice(0, 5).join(', ')})`,
    };
  if (!Number.isFinite(metric.value)) return { missing: `${name} is undefined on the ${matched} labelled rows` };
  return { metric };
}

/** A point value as the gates take it (a bare number: no interval printed), else the interval. */
function asGateMetric(interval: Interval): GateMetric {
  return interval.low === interval.value && interval.high === interval.value ? interval.value : interval;
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Decides every rule on one window's readings. */
export async function decideMeasurement(
  index: number,
  at: Date,
  rules: GateRule[],
  readings: Readings,
  context: MeasurementContext,
): Promise<Measurement> {
  let quality: LiveQuality | undefined;
  if (rules.some((r) => QUALITY.has(r.metric))) quality = await context.quality!();
  const measure = (rule: GateRule, version: VersionSelector): Measured => {
    switch (rule.metric) {
      case 'error_rate':
      case 'latency_p95_ms':
      case 'requests_per_minute':
        return trafficMetric(rule.metric, readings.traffic.get(version.version), version.version, context.minSamples);
      case 'promql': {
        const result = readings.queries.get(rule.query!);
        if (!result || result.series === 0) return { missing: 'the query returned nothing (an empty vector)' };
        if (result.series > 1) return { missing: `the query returned ${result.series} series; aggregate it (sum, max, avg) to one` };
        return Number.isFinite(result.value)
          ? { metric: { value: result.value, low: result.value, high: result.value } }
          : { missing: `the query returned ${result.value}` };
      }
      case 'prediction_drift':
        return predictionDriftMetric(readings.predictionDrift?.get(version.version), version.version, context.minSamples);
      default:
        if (QUALITY.has(rule.metric)) return qualityMetric(rule.metric, quality, context.minSamples);
        return driftMetric(rule, readings.drift.get(version.version), version.version, context.minSamples);
    }
  };

  const outcomes = rules.map((rule): RuleOutcome => {
    const key = metricKey(rule);
    const base = { text: rule.text, line: rule.line, key };
    const candidate = measure(rule, context.candidate);
    if ('missing' in candidate) return { ...base, verdict: 'inconclusive', explanation: `${key}: ${candidate.missing}` };
    const metrics: { candidate: Record<string, GateMetric>; baseline?: Record<string, GateMetric>; delta?: Record<string, GateMetric> } = {
      candidate: { [key]: asGateMetric(candidate.metric) },
    };
    let stable: Interval | undefined;
    if (rule.threshold.kind === 'stable') {
      const measured = measure(rule, context.stable!);
      if ('missing' in measured)
        return {
          ...base,
          verdict: 'inconclusive',
          observed: candidate.metric,
          explanation: `${key} of the stable version: ${measured.missing}`,
        };
      stable = measured.metric;
      metrics.baseline = { [key]: asGateMetric(stable) };
      if (rule.metric === 'error_rate') {
        const a = readings.traffic.get(context.candidate.version)!;
        const b = readings.traffic.get(context.stable!.version)!;
        metrics.delta = { [key]: differenceInterval(a.errors, a.requests, b.errors, b.requests) };
      }
    }
    const [gate] = evaluateGates([rule], metrics).gates;
    return {
      ...base,
      verdict: gate!.verdict,
      observed: candidate.metric,
      ...(stable ? { stable } : {}),
      explanation: gate!.explanation,
    };
  });

  const verdict: MeasurementVerdict = outcomes.some((o) => o.verdict === 'fail')
    ? 'fail'
    : outcomes.some((o) => o.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const versions = [context.candidate, ...(context.stable ? [context.stable] : [])];
  const drift = readings.drift.get(context.candidate.version);
  return {
    index,
    at: at.toISOString(),
    verdict,
    rules: outcomes,
    traffic: versions.flatMap((v) => {
      const t = readings.traffic.get(v.version);
      return t ? [{ version: v.version, requests: t.requests, errors: t.errors, windowMs: t.windowMs }] : [];
    }),
    drift: drift?.columns ?? [],
    predictionDrift: readings.predictionDrift?.get(context.candidate.version)?.columns ?? [],
    liveRows: drift?.liveRows ?? 0,
    ...(quality ? { labels: quality.join } : {}),
  };
}
