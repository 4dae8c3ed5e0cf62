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
  /** The baseline model's metrics (monitor-gate: the stable version's); its point values anchor `baseline` (`stable`) thresholds. */
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
  /** An inconclusive gate decided on the point estimate alone (always present for an inconclusive gate: undefined metrics and missing baselines are errors). */
  point?: 'pass' | 'fail';
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
 * Throws InputError when a rule cannot be evaluated: it names a metric the candidate does not have
 * (listing those it has), the metric is undefined, or it compares with a baseline that was not given
 * or lacks the metric. A gate that cannot be decided never passes by default (fail closed).
 */
export function evaluateGates(rules: readonly GateRule[], metrics: GateMetrics): GateReport {
  const confidence = `${formatPercent(metrics.confidence ?? 0.95)} CI`;
  const gates = rules.map((rule): GateDecision => {
    const key = metricKey(rule);
    const measured = metrics.candidate[key];
    if (measured === undefined) {
      const names = Object.keys(metrics.candidate);
      const nearest = nearestNames(key, groupedNames(key, names), NEAREST_SHOWN);
      const more = names.length > nearest.length ? ` (the nearest of ${names.length} metrics; the report lists them all)` : '';
      throw new InputError(`gate ${rule.index} "${rule.text}": no metric "${key}" was measured; available: ${nearest.join(', ')}${more}`, {
        line: rule.line,
      });
    }
    const candidate = asInterval(measured);
    const phrase = (verdict: GateVerdict): string => PHRASES[rule.operator][verdict];

    if (!isDefined(candidate)) {
      // Fail closed: a gate that cannot be evaluated must not let the step pass (issue 9, item 5).
      throw new InputError(
        `gate ${rule.index} "${rule.text}" cannot be evaluated: ${key} is undefined (null or NaN; for example, a class never occurs in these rows). ` +
          'Evaluate on rows where it is defined, or remove the rule.',
        { line: rule.line },
      );
    }

    if (rule.threshold.kind === 'number') {
      const threshold = rule.threshold.value;
      const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
      return {
        rule,
        verdict,
        explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${formatNumber(threshold)}${intervalText(candidate, confidence, formatNumber)}`,
        ...pointOf(verdict, candidate.value, rule.operator, threshold),
      };
    }

    const word = rule.threshold.kind;
    const baselineMetric = metrics.baseline?.[key];
    if (baselineMetric === undefined || !Number.isFinite(asInterval(baselineMetric).value)) {
      const why =
        metrics.baseline === undefined
          ? word === 'baseline'
            ? "no baseline was given: give 'baseline' (a baseline model's predictions or metrics file), or remove the rule"
            : "no stable version was given: give 'stable' (the registry reference of the version the canary is compared with), or remove the rule"
          : `the ${word === 'baseline' ? 'baseline' : 'stable version'} has no value of ${key}${baselineMetric === undefined ? '' : ' (it is undefined: null or NaN)'}: give a ${word === 'baseline' ? 'baseline' : 'stable version'} that has it, or remove the rule`;
      throw new InputError(`gate ${rule.index} "${rule.text}" cannot be evaluated: ${why}.`, { line: rule.line });
    }
    const base = asInterval(baselineMetric).value;
    const adjustment = rule.threshold.adjustment;
    let threshold = base;
    // The margin over the baseline, computed directly so that "baseline - 0.005" compares with exactly −0.005.
    let margin = 0;
    let thresholdText = `${word} ${formatNumber(base)}`;
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
      const interval = delta.bounded ? `, ${confidence} ${formatSigned(delta.low)} … ${formatSigned(delta.high)}` : '';
      return {
        rule,
        verdict,
        explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText} (delta ${formatSigned(delta.value)}${interval})`,
        ...pointOf(verdict, delta.value, rule.operator, margin),
      };
    }
    const verdict = decide(candidate.low, candidate.high, rule.operator, threshold);
    return {
      rule,
      verdict,
      explanation: `${key} ${formatNumber(candidate.value)} ${phrase(verdict)} ${thresholdText}${intervalText(candidate, confidence, formatNumber)}`,
      ...pointOf(verdict, candidate.value, rule.operator, threshold),
    };
  });
  const verdict: GateVerdict = gates.some((g) => g.verdict === 'fail')
    ? 'fail'
    : gates.some((g) => g.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  return { gates, verdict };
}

/** How many metric names an unknown-metric error lists, so that it stays a few lines even with hundreds of metrics. */
const NEAREST_SHOWN = 8;

/**
 * The `count` names closest to `name`: first by the edit distance of the metric (the part before any
 * `[selector]`, so `accuracy[island=Atlantis]` finds `accuracy` before `recall[class=Adelie]`), then of
 * the whole name, case-insensitively; ties keep their order.
 */
export function nearestNames(name: string, names: readonly string[], count: number): string[] {
  const base = (key: string): string => key.split('[', 1)[0].toLowerCase();
  return names
    .map((candidate, index) => ({
      candidate,
      index,
      metric: editDistance(base(name), base(candidate)),
      whole: editDistance(name.toLowerCase(), candidate.toLowerCase()),
    }))
    .sort((a, b) => a.metric - b.metric || a.whole - b.whole || a.index - b.index)
    .slice(0, count)
    .map((entry) => entry.candidate);
}

/** Groups of more selector names than this are listed as one entry, `f1[class=…] (200 names)`. */
const GROUP_ABOVE = 3;

/**
 * Metric names to suggest for `key`: names without a selector as they are, and each family of names
 * sharing a metric and selector key (`f1[class=…]`) as one entry when it is large, unless `key` is of
 * that family (then its members compete one by one).
 */
function groupedNames(key: string, names: readonly string[]): string[] {
  const family = (name: string): string | undefined => /^([^[]+\[[^=\]]+=)/.exec(name)?.[1];
  const sizes = new Map<string, number>();
  for (const name of names) {
    const f = family(name);
    if (f !== undefined) sizes.set(f, (sizes.get(f) ?? 0) + 1);
  }
  const own = family(key);
  const entries: string[] = [];
  const listed = new Set<string>();
  for (const name of names) {
    const f = family(name);
    if (f === undefined || f === own || sizes.get(f)! <= GROUP_ABOVE) entries.push(name);
    else if (!listed.has(f)) {
      listed.add(f);
      entries.push(`${f}…] (${sizes.get(f)} names)`);
    }
  }
  return entries;
}

/** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** What an inconclusive gate counts as: its point estimate's decision (default), a pass, or a failure. */
export type InconclusivePolicy = 'point' | 'pass' | 'fail';

/** A gate's decision as it counts for the step. */
export interface SettledGate extends GateDecision {
  /** Whether the gate lets the step pass. */
  passes: boolean;
  /** How an inconclusive gate was settled: on its point estimate, or by the policy (also when it has no point estimate). */
  settledBy?: 'point estimate' | 'on-inconclusive';
}

/**
 * Settles every gate to pass or fail under `policy`: a conclusive gate counts as its verdict; an
 * inconclusive one as its point estimate's decision (`point`), as a pass or as a failure. Every gate
 * evaluateGates returns has a point estimate (a rule without one is an error there); a gate without one
 * counts as a failure under `point`: it fails closed.
 */
export function settleGates(report: GateReport, policy: InconclusivePolicy): { gates: SettledGate[]; passed: boolean } {
  const gates = report.gates.map((gate): SettledGate => {
    if (gate.verdict !== 'inconclusive') return { ...gate, passes: gate.verdict === 'pass' };
    if (policy === 'point' && gate.point !== undefined) return { ...gate, passes: gate.point === 'pass', settledBy: 'point estimate' };
    return { ...gate, passes: policy === 'pass', settledBy: 'on-inconclusive' };
  });
  return { gates, passed: gates.every((g) => g.passes) };
}

interface Interval {
  value: number;
  low: number;
  high: number;
  /** Whether low and high were measured; a point value is an interval of width 0 that is never printed as one. */
  bounded: boolean;
}

function asInterval(metric: GateMetric): Interval {
  if (typeof metric === 'number') return { value: metric, low: metric, high: metric, bounded: false };
  return {
    value: metric.value,
    low: metric.low ?? metric.value,
    high: metric.high ?? metric.value,
    bounded: metric.low !== undefined && metric.high !== undefined,
  };
}

function intervalText(interval: Interval, confidence: string, format: (x: number) => string): string {
  return interval.bounded ? ` (${confidence} ${format(interval.low)} … ${format(interval.high)})` : '';
}

/** For an inconclusive gate, its decision on the point estimate alone. */
function pointOf(verdict: GateVerdict, value: number, operator: GateOperator, threshold: number): { point?: 'pass' | 'fail' } {
  if (verdict !== 'inconclusive' || !Number.isFinite(value)) return {};
  return { point: decide(value, value, operator, threshold) === 'pass' ? 'pass' : 'fail' };
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
