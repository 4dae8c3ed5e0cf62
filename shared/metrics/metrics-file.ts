// The one metrics-file format, read the same way by train (the file the training command writes) and
// evaluate (a baseline or candidate given as metrics). A JSON object whose values are, per metric:
//   a number                          {"rmse": 53.4}
//   null                              an undefined metric (NaN in Python): evaluate keeps it undefined
//   {"value": v, "low": l, "high": h} a value with its interval (low and high optional)
// or one level of nesting by split, each split holding the same: {"validation": {"rmse": 53.4}} is read
// as `validation.rmse`. Also accepted: the same object under a `metrics` key (beside keys that hold no
// numbers or objects, such as a model name), and evaluate's own
// `report-json` (the candidate's metrics).

import { InputError } from '../errors.js';

/** A metric's value, with its interval when one was computed. NaN: undefined on the data. */
export interface MetricEstimate {
  value: number;
  low?: number;
  high?: number;
}

export type MetricEstimates = Record<string, MetricEstimate>;

/** What a metrics file holds: every metric by flat name (`rmse`, `validation.rmse`), and the splits it was nested by. */
export interface MetricsFileContents {
  metrics: MetricEstimates;
  /** Split names in file order (`train`, `validation`), empty for a flat file. */
  splits: string[];
}

/** Splits holding held-out metrics, in order of preference: the one a baseline's bare names come from. */
export const HELD_OUT_SPLITS = ['test', 'validation', 'val', 'valid', 'eval', 'evaluation', 'holdout', 'dev'];

const FORMAT = 'expected {"name": number}, {"split": {"name": number}} or {"name": {"value": …, "low": …, "high": …}}';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}

/** A value that could be a metric or a split of them: a wrapper `{"metrics": …}` may sit only beside other things (a model name, tags). */
function isMetricLike(value: unknown): boolean {
  return typeof value === 'number' || value === null || isObject(value);
}

const ESTIMATE_KEYS = new Set(['value', 'low', 'high']);

function isEstimate(value: JsonObject): boolean {
  return 'value' in value && Object.keys(value).every((key) => ESTIMATE_KEYS.has(key));
}

/**
 * Parses the text of a metrics file (see the format above); `where` starts every message (say,
 * "Input 'baseline': metrics.json" or "Metrics file metrics.json"). A null value is an undefined
 * metric (NaN) unless `allowNull` is false. Throws InputError naming the file, the metric and what
 * was expected; invalid JSON that holds Python's NaN or Infinity gets a hint on how to write it.
 */
export function parseMetricsText(text: string, file: string, options: { where: string; allowNull?: boolean }): MetricsFileContents {
  const { where } = options;
  const allowNull = options.allowNull ?? true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const python = pythonNonFinite(text);
    if (python !== undefined) {
      throw new InputError(
        `${where}: line ${python.line} holds ${python.token}, which Python's json.dump writes for float('${python.token === 'NaN' ? 'nan' : 'inf'}') but JSON does not allow. ` +
          `Write null for a metric that is undefined${allowNull ? '' : ' (or leave it out)'}; json.dump(..., allow_nan=False) makes Python refuse to write ${python.token} instead.`,
        { file, line: python.line },
      );
    }
    throw new InputError(`${where} is not valid JSON (${(error as Error).message}); ${FORMAT}.`, { file });
  }
  if (!isObject(parsed))
    throw new InputError(`${where} holds ${describe(parsed)}; expected a JSON object such as {"accuracy": 0.93}.`, { file });
  let root: unknown = parsed;
  if (parsed.kind === 'mlops-evaluation' && isObject(parsed.metrics)) root = parsed.metrics.candidate;
  else if (
    isObject(parsed.metrics) &&
    !isEstimate(parsed.metrics) &&
    Object.entries(parsed).every(([k, v]) => k === 'metrics' || !isMetricLike(v))
  )
    root = parsed.metrics;
  if (!isObject(root)) throw new InputError(`${where}: expected its metrics as a JSON object; ${FORMAT}.`, { file });

  const metrics: MetricEstimates = {};
  const splits: string[] = [];
  const estimate = (name: string, value: unknown, nested: boolean): MetricEstimate => {
    if (typeof value === 'number') return { value };
    if (value === null) {
      if (!allowNull)
        throw new InputError(`${where}: metric "${name}" is null; expected a number (leave a metric that is undefined out of the file).`, {
          file,
        });
      return { value: NaN };
    }
    if (isObject(value) && isEstimate(value)) {
      const bound = (key: string): number | undefined => {
        const v = value[key];
        if (v === undefined) return undefined;
        if (v === null) return NaN;
        if (typeof v !== 'number')
          throw new InputError(`${where}: metric "${name}" has ${key} ${describe(v)}; expected a number.`, { file });
        return v;
      };
      const result: MetricEstimate = { value: bound('value')! };
      const low = bound('low');
      const high = bound('high');
      if (low !== undefined) result.low = low;
      if (high !== undefined) result.high = high;
      // An interval must contain its value: {"value": 0.5, "low": 0.95, "high": 0.96} would otherwise pass `>= 0.9` (issue 9, item 5).
      const bounds = [result.low ?? result.value, result.value, result.high ?? result.value];
      if (bounds.some(Number.isNaN) ? !bounds.every(Number.isNaN) : !(bounds[0] <= bounds[1] && bounds[1] <= bounds[2]))
        throw new InputError(
          `${where}: metric "${name}" has value ${String(value.value)} outside its interval [${String(value.low === undefined ? value.value : value.low)}, ${String(value.high === undefined ? value.value : value.high)}]; ` +
            'expected low ≤ value ≤ high (all numbers, or all null for an undefined metric).',
          { file },
        );
      if (!allowNull && Number.isNaN(result.value))
        throw new InputError(
          `${where}: metric "${name}" has value null; expected a number (leave a metric that is undefined out of the file).`,
          {
            file,
          },
        );
      return result;
    }
    throw new InputError(
      `${where}: metric "${name}" is ${describe(value)}; expected a number or {"value": …, "low": …, "high": …}${nested ? ' (metrics nest one level, by split)' : ', or an object of them by split'}.`,
      { file },
    );
  };
  for (const [key, value] of Object.entries(root)) {
    if (isObject(value) && !isEstimate(value)) {
      splits.push(key);
      for (const [name, inner] of Object.entries(value)) metrics[`${key}.${name}`] = estimate(`${key}.${name}`, inner, true);
    } else {
      metrics[key] = estimate(key, value, false);
    }
  }
  if (Object.keys(metrics).length === 0) throw new InputError(`${where} holds no metrics; ${FORMAT}.`, { file });
  return { metrics, splits };
}

/**
 * The held-out split whose metrics a nested file's bare names stand for (the first of HELD_OUT_SPLITS
 * present), or undefined when there is none or the file is flat.
 */
export function heldOutSplit(contents: MetricsFileContents): string | undefined {
  return HELD_OUT_SPLITS.find((split) => contents.splits.includes(split));
}

/** The first NaN or Infinity outside a string: what Python's json.dump writes for non-finite floats. */
function pythonNonFinite(text: string): { token: string; line: number } | undefined {
  let quoted = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (text.startsWith('NaN', i)) return { token: 'NaN', line };
    else if (text.startsWith('Infinity', i)) return { token: text[i - 1] === '-' ? '-Infinity' : 'Infinity', line };
  }
  return undefined;
}
