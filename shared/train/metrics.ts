import { InputError } from '../errors.js';
import { parseMetricsText } from '../metrics/metrics-file.js';

/** Final metrics, flat: `accuracy`, or `validation.accuracy` for metrics nested by split. */
export type FlatMetrics = Record<string, number>;

/** The values printed on one `mlops-metric` line. */
export interface MetricStep {
  /** The step number, or undefined when the line had none. */
  step: number | undefined;
  values: FlatMetrics;
}

/**
 * Parses a metrics file in the one format train and evaluate share (shared/metrics/metrics-file.ts):
 * `{name: number}`, `{name: {value, low, high}}` (train keeps the value), or one level of nesting by
 * split (`{"validation": {"accuracy": 0.9}}` → `validation.accuracy`). Train records numbers only, so
 * a null (undefined) metric is rejected. Throws InputError naming the file and the bad key.
 */
export function parseMetricsFile(text: string, file: string): FlatMetrics {
  const { metrics } = parseMetricsText(text, file, { where: `Metrics file ${file}`, allowNull: false });
  const flat: FlatMetrics = {};
  for (const [name, estimate] of Object.entries(metrics)) {
    if (!Number.isFinite(estimate.value))
      throw new InputError(`Metrics file ${file}: "${name}" is ${estimate.value}; expected a finite number.`, { file });
    flat[name] = estimate.value;
  }
  return flat;
}

const METRIC_PREFIX = 'mlops-metric';
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

/**
 * Parses one line of the command's output in the format `mlops-metric [step=N] name=value ...`.
 * Returns undefined for any other line, and for a metric line that is malformed (`problem` says why).
 */
export function parseMetricLine(line: string): MetricStep | { problem: string } | undefined {
  const text = line.trim();
  if (!text.startsWith(`${METRIC_PREFIX} `) && text !== METRIC_PREFIX) return undefined;
  const values: FlatMetrics = {};
  let step: number | undefined;
  for (const pair of text.slice(METRIC_PREFIX.length).trim().split(/\s+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const value = Number(raw);
    if (eq <= 0 || !NAME.test(name) || raw === '' || !Number.isFinite(value)) return { problem: `"${pair}" is not name=number` };
    if (name === 'step') {
      if (!Number.isInteger(value) || value < 0) return { problem: `step=${raw} is not an integer >= 0` };
      step = value;
    } else {
      values[name] = value;
    }
  }
  if (Object.keys(values).length === 0) return { problem: 'no name=value pair' };
  return { step, values };
}

/** The metric lines of one run, collected as a learning curve. */
export class LearningCurve {
  readonly steps: MetricStep[] = [];

  /** Adds a line's values when it is a metric line; returns the problem of a malformed metric line. */
  addLine(line: string): string | undefined {
    const parsed = parseMetricLine(line);
    if (parsed === undefined) return undefined;
    if ('problem' in parsed) return parsed.problem;
    // A line without step= continues from the previous one, so plain `mlops-metric loss=…` lines still plot.
    const step = parsed.step ?? (this.steps.length ? (this.steps.at(-1)!.step ?? this.steps.length - 1) + 1 : 0);
    this.steps.push({ step, values: parsed.values });
    return undefined;
  }

  /** The names of every metric printed, in order of first appearance. */
  names(): string[] {
    const names = new Set<string>();
    for (const s of this.steps) for (const name of Object.keys(s.values)) names.add(name);
    return [...names];
  }

  /** The last value printed for each metric. */
  last(): FlatMetrics {
    const last: FlatMetrics = {};
    for (const s of this.steps) Object.assign(last, s.values);
    return last;
  }

  toJSON(): { step: number; values: FlatMetrics }[] {
    return this.steps.map((s) => ({ step: s.step ?? 0, values: s.values }));
  }

  static fromJSON(data: { step: number; values: FlatMetrics }[]): LearningCurve {
    const curve = new LearningCurve();
    for (const s of data) curve.steps.push({ step: s.step, values: { ...s.values } });
    return curve;
  }
}
