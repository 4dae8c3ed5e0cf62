// Decides gate rules on bootstrap intervals rather than point values: a gate passes only when the
// whole interval satisfies the rule, fails only when none of it does, and is inconclusive when the
// interval straddles the threshold (the data cannot tell). Rules against the baseline use the paired
// interval of candidate − baseline when there is one, since resampling both models on the same rows
// cancels the noise they share.

import { InputError } from '../errors.js';
import { metricKey, type GateOperator, type GateRule } from './grammar.js';

export type GateVerdict = 'pass' | 'fail' | 'inconclusive';

/** A metric value with its interval; a bare number is a point value (an interval of width 0). */
export type GateMetric = number | { value: number; low?: number; high?: number };

export interface GateMetrics {
  /** The candidate model's metrics (name → value and interval). */
  candidate: Record<string, GateMetric>;
  /** The baseline model's metrics; its point values anchor `baseline` thresholds. */
  baseline?: Record<string, GateMetric>;
  /** Paired intervals of candidate − baseline (from pairedBootstrapIntervals). */
  delta?: Record<string, GateMetric>;
  /** Coverage of the intervals, for explanations; default 0.95. */
  confidence?: number;
}

export interface GateDecision {
  rule: GateRule;
  verdict: GateVerdict;
  /** One sentence a reviewer can check, e.g. `f1_macro 0.871 is below baseline 0.884 − 0.005 (delta −0.013, 95 % CI −0.021 … −0.006)`. */
  explanation: string;
}

export interface GateReport {
  gates: GateDecision[];
  /** fail if any gate fails, else inconclusive if any is, else pass (also for no gates). */
  verdict: GateVerdict;
}

const PHRASES: Record<GateOperator, Record<GateVerdict, string>> = {
  '>=': { pass: 'is at least', fail: 'is below', inconclusive: 'may or may not be at least' },
  '>': { pass: 'is above', fail: 'is not above', inconclusive: 'may or may not be above' },
  '<=': { pass: 'is at most', fail: 'is above', inconclusive: 'may or may not be at most' },
  '<': { pass: 'is below', fail: 'is not below', inconclusive: 'may or may not be below' },
  '==': { pass: 'equals', fail: 'differs from', inconclusive: 'may or may not equal' },
};

/**
 * Decides each rule on the given metrics and returns the decisions and the overall verdict.
 * Throws InputError when a rule names a metric the candidate does not have (listing those it has).
 */
export function evaluateGates(rules: readonly GateRule[], metrics: GateMetrics): GateReport {
  const confidence = `${formatPercent(metrics.confidence ?? 0.95)} CI`;
  const gates = rules.map((rule): GateDecision => {
    const key = metricKey(rule);
    const measured = metrics.candidate[key];
    if (measured === undefined) {
      const available = Object.keys(metrics.candidate).join(', ');
      throw new InputError(`gate ${rule.index} "${rule.text}": no metric "${key}" was measured; available: ${available}`, {
        line: rule.line,
      });
    }
    const candidate = asInterval(measured);
    const phrase = (verdict: GateVerdict): string => PHRASES[rule.operator][verdict];

    if (!isDefined(candidate)) {
      return {
        rule,
        verdict: 'inconclusive',
        explanation: `${key} is undefined on these rows (for example, a class never occurs), so the gate cannot be decided`,
      };
    }

    if (rule.threshold.kind === 'number') {
      const threshold = rule.threshold.value;
      const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
      return {
        rule,
        verdict,
        explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${formatNumber(threshold)} (${confidence} ${formatNumber(candidate.low)} … ${formatNumber(candidate.high)})`,
      };
    }

    const baselineMetric = metrics.baseline?.[key];
    if (baselineMetric === undefined || !Number.isFinite(asInterval(baselineMetric).value)) {
      const why = metrics.baseline === undefined ? 'there is no baseline model' : `the baseline has no value of ${key}`;
      return {
        rule,
        verdict: 'inconclusive',
        explanation: `${key} ${formatNumber(candidate.value)} cannot be compared with the baseline: ${why}`,
      };
    }
    const base = asInterval(baselineMetric).value;
    const adjustment = rule.threshold.adjustment;
    let threshold = base;
    // The margin over the baseline, computed directly so that "baseline - 0.005" compares with exactly −0.005.
    let margin = 0;
    let thresholdText = `baseline ${formatNumber(base)}`;
    if (adjustment !== undefined) {
      margin =
        adjustment.operator === '+' ? adjustment.value : adjustment.operator === '-' ? -adjustment.value : base * (adjustment.value - 1);
      threshold = adjustment.operator === '*' ? base * adjustment.value : base + margin;
      thresholdText += ` ${{ '+': '+', '-': '−', '*': '×' }[adjustment.operator]} ${formatNumber(adjustment.value)}`;
    }

    const deltaMetric = metrics.delta?.[key];
    if (deltaMetric !== undefined && isDefined(asInterval(deltaMetric))) {
      // candidate op threshold  ⇔  (candidate − baseline) op (threshold − baseline)
      const delta = asInterval(deltaMetric);
      const verdict = decide(delta.low, delta.high, rule.operator, margin);
      return {
        rule,
        verdict,
        explanation:
          `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText} ` +
          `(delta ${formatSigned(delta.value)}, ${confidence} ${formatSigned(delta.low)} … ${formatSigned(delta.high)})`,
      };
    }
    const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
    return {
      rule,
      verdict,
      explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText} (${confidence} ${formatNumber(candidate.low)} … ${formatNumber(candidate.high)})`,
    };
  });
  const verdict: GateVerdict = gates.some((g) => g.verdict === 'fail')
    ? 'fail'
    : gates.some((g) => g.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return { gates, verdict };
}

interface Interval {
  value: number;
  low: number;
  high: number;
}

function asInterval(metric: GateMetric): Interval {
  if (typeof metric === 'number') return { value: metric, low: metric, high: metric };
  return { value: metric.value, low: metric.low ?? metric.value, high: metric.high ?? metric.value };
}

function isDefined(interval: Interval): boolean {
  return Number.isFinite(interval.value) && Number.isFinite(interval.low) && Number.isFinite(interval.high);
}

/** pass when every value in [low, high] satisfies `value op threshold`, fail when none does. */
function decide(low: number, high: number, operator: GateOperator, threshold: number): GateVerdict {
  const verdict = (all: boolean, none: boolean): GateVerdict => (all ? 'pass' : none ? 'fail' : 'inconclusive');
  switch (operator) {
    case '>=':
      return verdict(low >= threshold, high < threshold);
    case '>':
      return verdict(low > threshold, high <= threshold);
    case '<=':
      return verdict(high <= threshold, low > threshold);
    case '<':
      return verdict(high < threshold, low >= threshold);
    case '==':
      return verdict(low === threshold && high === threshold, threshold < low || threshold > high);
  }
}

/** Three decimals (metrics live mostly in [0, 1]); tiny magnitudes keep two significant digits. Minus sign is U+2212. */
export function formatNumber(value: number): string {
  const text = value !== 0 && Math.abs(value) < 0.001 ? value.toPrecision(2) : value.toFixed(3);
  return text.replace('-', '−');
}

function formatSigned(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

function formatPercent(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))} %`;
}
