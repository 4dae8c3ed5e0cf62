import { codeBlock } from '../markdown/code-block.js';
import { escapeMarkdownText } from '../markdown/escape.js';
import { lineChart } from '../markdown/mermaid.js';
import type { FlatMetrics, LearningCurve } from './metrics.js';
import { formatBytes } from '../byte-size.js';

/** What the job summary of a train step shows. */
export interface TrainSummaryFacts {
  runName?: string;
  outcome: 'trained' | 'restored' | 'failed';
  failure?: string;
  fingerprint: string;
  cacheKey: string;
  cacheEnabled: boolean;
  durationSeconds: number;
  modelPath: string;
  modelFiles: number;
  modelBytes: number;
  metrics: FlatMetrics;
  curve: LearningCurve;
  /** The log's last lines, shown on failure. */
  logTail: string[];
  manifestPath?: string;
}

const MAX_CHART_POINTS = 100;
/** Most metrics the summary lists (100,000 rows made 1.9 MiB, over GitHub's 1 MiB per step); the manifest has them all. */
export const MAX_SUMMARY_METRICS = 200;
const MAX_CHARTS = 4;

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : value.toExponential(3);
}

/** Train and validation series of one metric share a chart: `loss` with `val_loss`, `accuracy` with `validation.accuracy`. */
function chartGroup(name: string): string {
  return name.replace(/^(val|valid|validation|train|training|test|eval)[_.]/, '');
}

/** Evenly spaced indices (first and last included), so a long curve stays a readable chart. */
function sampleIndices(count: number, max: number): number[] {
  if (count <= max) return [...Array(count).keys()];
  return [...new Set([...Array(max).keys()].map((i) => Math.round((i * (count - 1)) / (max - 1))))];
}

/** Mermaid line charts of the learning curve, one per group of related metrics (at most four). */
export function learningCurveCharts(curve: LearningCurve): string[] {
  const groups = new Map<string, string[]>();
  for (const name of curve.names()) {
    const key = chartGroup(name);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  const charts: string[] = [];
  for (const [group, names] of [...groups].slice(0, MAX_CHARTS)) {
    // Carry the last value forward so series printed on different lines still line up by step.
    const last: Record<string, number> = {};
    const points: { step: number; values: number[] }[] = [];
    for (const s of curve.steps) {
      Object.assign(last, s.values);
      if (!names.some((n) => n in s.values) || !names.every((n) => n in last)) continue;
      points.push({ step: s.step ?? points.length, values: names.map((n) => last[n]!) });
    }
    if (points.length < 2) continue;
    const picked = sampleIndices(points.length, MAX_CHART_POINTS).map((i) => points[i]!);
    const chart = lineChart({
      title: group,
      steps: picked.map((p) => p.step),
      series: names.map((_, i) => picked.map((p) => p.values[i]!)),
      yLabel: group,
    });
    charts.push(`${chart}\n<sub>${names.map((n, i) => `line ${i + 1}: ${escapeMarkdownText(n)}`).join(' · ')}; x: step</sub>`);
  }
  return charts;
}

/** The job summary of a train step, in Markdown (everything that came from the user escaped). */
export function renderTrainSummary(facts: TrainSummaryFacts): string {
  const status = facts.outcome === 'failed' ? '❌ failed' : facts.outcome === 'restored' ? '♻️ restored from cache' : '✅ trained';
  const name = facts.runName ? ` (${escapeMarkdownText(facts.runName)})` : '';
  const lines = [`## train${name}: ${status}`, ''];
  if (facts.failure) lines.push(escapeMarkdownText(facts.failure), '');
  const cache = !facts.cacheEnabled ? 'disabled' : facts.outcome === 'restored' ? 'hit: the command did not run' : 'miss';
  lines.push(
    '| | |',
    '|---|---|',
    `| duration | ${facts.durationSeconds.toFixed(1)} s${facts.outcome === 'restored' ? ' (restore)' : ''} |`,
    `| cache | ${cache} |`,
    `| fingerprint | \`${facts.fingerprint}\` |`,
    `| model | ${escapeMarkdownText(facts.modelPath)}${facts.modelFiles ? ` (${facts.modelFiles} file${facts.modelFiles === 1 ? '' : 's'}, ${formatBytes(facts.modelBytes)})` : ''} |`,
  );
  if (facts.manifestPath) lines.push(`| manifest | ${escapeMarkdownText(facts.manifestPath)} |`);
  lines.push('');
  const metricNames = Object.keys(facts.metrics);
  if (metricNames.length) {
    lines.push('### Metrics', '', '| metric | value |', '|---|---:|');
    for (const metric of metricNames.slice(0, MAX_SUMMARY_METRICS))
      lines.push(`| ${escapeMarkdownText(metric)} | ${formatNumber(facts.metrics[metric]!)} |`);
    lines.push('');
    if (metricNames.length > MAX_SUMMARY_METRICS) {
      const where = facts.manifestPath
        ? `the manifest (${escapeMarkdownText(facts.manifestPath)}) and the \`metrics\` output`
        : 'the `metrics` output';
      lines.push(`The first ${MAX_SUMMARY_METRICS} of ${metricNames.length.toLocaleString('en-US')} metrics; all are in ${where}.`, '');
    }
  }
  const charts = learningCurveCharts(facts.curve);
  if (charts.length) {
    lines.push(`### Learning curve (${facts.curve.steps.length} steps)`, '');
    for (const chart of charts) lines.push(chart, '');
  }
  if (facts.outcome === 'failed' && facts.logTail.length) {
    lines.push(`### Log (last ${facts.logTail.length} lines)`, '', codeBlock(facts.logTail.join('\n')), '');
  }
  return lines.join('\n');
}
