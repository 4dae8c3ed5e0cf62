import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { MetricEstimate, MetricEstimates } from './model-metrics.js';

/**
 * Reads metrics computed elsewhere: a JSON object of metric name → number or {value, low?, high?};
 * the same under a `metrics` key; or an earlier run's `report-json` (its candidate's metrics).
 * Throws InputError naming `input`, the file and the offending metric.
 */
export async function readMetricsFile(path: string, cwd: string, input: string): Promise<MetricEstimates> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch(() => {
    throw new InputError(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(
      `Input '${input}': ${path} is not valid JSON (${(error as Error).message}); expected an object of metric name → number.`,
      { file: path },
    );
  }
  return parseMetrics(parsed, `Input '${input}': ${path}`, path);
}

/** Parses the metrics object (see readMetricsFile); `where` prefixes messages. */
export function parseMetrics(parsed: unknown, where: string, file?: string): MetricEstimates {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(parsed))
    throw new InputError(`${where} holds ${JSON.stringify(parsed)?.slice(0, 40)}; expected a JSON object of metric name → number.`, {
      file,
    });
  let metrics: unknown = parsed;
  if (parsed.kind === 'mlops-evaluation' && isObject(parsed.metrics)) metrics = parsed.metrics.candidate;
  else if (isObject(parsed.metrics)) metrics = parsed.metrics;
  if (!isObject(metrics)) throw new InputError(`${where}: expected its metrics as a JSON object of metric name → number.`, { file });
  const result: MetricEstimates = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === 'number') {
      result[name] = { value };
      continue;
    }
    if (value === null) {
      result[name] = { value: NaN };
      continue;
    }
    const number = (key: string): number | undefined => {
      const v = isObject(value) ? value[key] : undefined;
      if (v === undefined) return undefined;
      if (v === null) return NaN;
      if (typeof v !== 'number')
        throw new InputError(`${where}: metric ${JSON.stringify(name)} has ${key} ${JSON.stringify(v)}; expected a number.`, { file });
      return v;
    };
    const estimate: MetricEstimate | undefined = isObject(value) && 'value' in value ? { value: number('value')! } : undefined;
    if (estimate === undefined) {
      throw new InputError(
        `${where}: metric ${JSON.stringify(name)} is ${JSON.stringify(value)?.slice(0, 60)}; expected a number or {"value": …, "low": …, "high": …}.`,
        { file },
      );
    }
    const low = number('low');
    const high = number('high');
    if (low !== undefined) estimate.low = low;
    if (high !== undefined) estimate.high = high;
    result[name] = estimate;
  }
  if (Object.keys(result).length === 0) throw new InputError(`${where} holds no metrics.`, { file });
  return result;
}
