/**
 * The few lines the CLI prints when a stage ends, for a person: the verdict, the key figures and
 * the report to open. Built from the stage's outputs only, so it reads the same whatever the stage logged.
 */

const MAX_METRICS = 4;

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : value.toExponential(3);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Held-out figures first (validation, test), then the rest, slices (`name[column=value]`) left out. */
function keyMetrics(metrics: unknown): string[] {
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) return [];
  const rank = (name: string): number =>
    /^(val|valid|validation|test|eval)[_.]/.test(name) ? 0 : /^(train|training)[_.]/.test(name) ? 2 : 1;
  const shown: string[] = [];
  for (const [name, raw] of Object.entries(metrics as Record<string, unknown>)
    .filter(([name]) => !name.includes('['))
    .sort(([a], [b]) => rank(a) - rank(b))) {
    const estimate = typeof raw === 'object' && raw !== null ? (raw as { value?: unknown; low?: unknown; high?: unknown }) : { value: raw };
    if (typeof estimate.value !== 'number') continue;
    const interval =
      typeof estimate.low === 'number' &&
      typeof estimate.high === 'number' &&
      (estimate.low !== estimate.value || estimate.high !== estimate.value)
        ? ` [${formatNumber(estimate.low)}, ${formatNumber(estimate.high)}]`
        : '';
    shown.push(`${name} ${formatNumber(estimate.value)}${interval}`);
    if (shown.length === MAX_METRICS) break;
  }
  return shown;
}

function validateDataSummary(outputs: Record<string, string>, ok: boolean): string[] {
  const rows = Number(outputs.rows ?? 0).toLocaleString('en-US');
  const errors = Number(outputs['error-count'] ?? 0);
  const drifted = (parseJson(outputs['drifted-columns']) as string[] | undefined) ?? [];
  const verdict = outputs.valid === 'true' ? 'valid' : 'invalid';
  const drift = drifted.length ? `, drift in ${drifted.join(', ')}` : '';
  return [`${ok ? '✔' : '✘'} validate-data: ${verdict}: ${rows} rows, ${plural(errors, 'violation')}${drift}`];
}

function trainSummary(outputs: Record<string, string>, ok: boolean): string[] {
  const seconds = Number(outputs['duration-seconds'] ?? 0).toFixed(1);
  const how = !ok
    ? 'failed'
    : outputs['cache-hit'] === 'true'
      ? `restored from the cache in ${seconds} s (the command did not run)`
      : `trained in ${seconds} s`;
  const lines = [`${ok ? '✔' : '✘'} train: ${how}`];
  const metrics = ok ? keyMetrics(parseJson(outputs.metrics)) : [];
  if (metrics.length) lines.push(`  ${metrics.join(', ')}`);
  if (ok && outputs['model-path']) lines.push(`  model: ${outputs['model-path']}`);
  return lines;
}

function evaluateSummary(outputs: Record<string, string>, ok: boolean): string[] {
  const verdict = outputs.verdict ?? (ok ? 'pass' : 'fail');
  const lines = [
    `${ok ? '✔' : '✘'} evaluate: ${verdict}${verdict === 'inconclusive' && ok ? ' (passes: fail-on-inconclusive is false)' : ''}`,
  ];
  const metrics = keyMetrics(parseJson(outputs.metrics));
  if (metrics.length) lines.push(`  ${metrics.join(', ')}`);
  return lines;
}

function monitorGateSummary(outputs: Record<string, string>, ok: boolean): string[] {
  const drifted = (parseJson(outputs['drifted-columns']) as string[] | undefined) ?? [];
  const drift = drifted.length ? `, drift in ${drifted.join(', ')}` : '';
  return [`${ok ? '✔' : '✘'} monitor-gate: ${outputs.decision ?? 'no decision'} (${outputs.verdict ?? 'no verdict'})${drift}`];
}

/** The closing lines of a stage run in the CLI: verdict, key figures, and where the report or manifest is. */
export function stageSummary(stage: string, outputs: Record<string, string>, ok: boolean): string[] {
  if (Object.keys(outputs).length === 0) return [`✘ ${stage}: failed before it produced any output (see the error above)`];
  const lines =
    stage === 'validate-data'
      ? validateDataSummary(outputs, ok)
      : stage === 'train'
        ? trainSummary(outputs, ok)
        : stage === 'evaluate'
          ? evaluateSummary(outputs, ok)
          : stage === 'monitor-gate'
            ? monitorGateSummary(outputs, ok)
            : [`${ok ? '✔' : '✘'} ${stage}: ${ok ? 'done' : 'failed'}`];
  const report = outputs.report || outputs.manifest;
  if (report) lines.push(`  ${outputs.report ? 'report' : 'manifest'}: ${report}`);
  return lines;
}
