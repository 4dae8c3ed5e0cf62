import { formatNumber, type GateReport, type GateVerdict, type InconclusivePolicy, type SettledGate } from '../gates/evaluate-gates.js';
import { metricKey } from '../gates/grammar.js';
import { escapeHtml, escapeMarkdownText as md } from '../markdown/escape.js';
import { comparisonChart } from '../markdown/mermaid.js';
import type { ConfusionMatrix } from '../metrics/classification.js';
import type { ComparedMetrics, MetricEstimate } from './model-metrics.js';

export interface EvaluateReportInput {
  /** The task the predictions were read as; undefined when the candidate came as a metrics file. */
  task?: 'classification' | 'regression';
  /** Why the task was inferred so, when the `task` input was not given. */
  taskInferred?: string;
  /** Rows evaluated, when the candidate came as predictions. */
  rowCount?: number;
  candidateName: string;
  baselineName?: string;
  /** How the baseline was compared: rows paired by id or by order, resampled separately, or fixed values from a file. */
  baselineKind?: 'paired by id' | 'paired by row order' | 'unpaired' | 'metrics file';
  metrics: ComparedMetrics;
  gates: GateReport;
  /** Each gate as it counts for the step (same order as `gates.gates`). */
  settled: SettledGate[];
  onInconclusive: InconclusivePolicy;
  passed: boolean;
  confidence: number;
  samples: number;
  seed: number;
  classes?: string[];
  positiveClass?: string;
  confusion?: ConfusionMatrix;
  slices: { column: string; value: string; rows: number }[];
}

const ICONS: Record<GateVerdict, string> = { pass: '✅', fail: '❌', inconclusive: '⚠️' };

function value(estimate: MetricEstimate | undefined): string {
  if (estimate === undefined || !Number.isFinite(estimate.value)) return '–';
  return formatNumber(estimate.value);
}

function signed(x: number): string {
  return x > 0 ? `+${formatNumber(x)}` : formatNumber(x);
}

function withInterval(estimate: MetricEstimate | undefined, format: (x: number) => string): string {
  if (estimate === undefined || !Number.isFinite(estimate.value)) return '–';
  const { low, high } = estimate;
  const interval =
    low !== undefined && high !== undefined && Number.isFinite(low) && Number.isFinite(high) ? ` [${format(low)}, ${format(high)}]` : '';
  return `${format(estimate.value)}${interval}`;
}

function percent(confidence: number): string {
  return `${Number((confidence * 100).toFixed(1))} %`;
}

/** The headline metric of a task, for slice charts. */
function headline(task: EvaluateReportInput['task']): string {
  // A metrics file has no task: it has no slices either, so the choice never shows.
  return task === 'regression' ? 'rmse' : 'accuracy';
}

function metricTable(
  names: string[],
  input: EvaluateReportInput,
  byMetric: Map<string, SettledGate[]>,
  label: (name: string) => string,
): string[] {
  const { candidate, baseline, delta } = input.metrics;
  const ci = input.samples > 0 ? ` [${percent(input.confidence)} CI]` : '';
  const lines = [
    `| metric | candidate${ci} | baseline | delta${delta && input.samples > 0 ? ci : ''} | gate | verdict |`,
    '|---|---|---|---|---|---|',
  ];
  for (const name of names) {
    const decisions = byMetric.get(name) ?? [];
    const gate = decisions.map((d) => md(d.rule.text)).join('<br>');
    const verdict = decisions
      .map((d) => `${ICONS[d.verdict]} ${d.verdict}${d.verdict === 'inconclusive' ? ` (${d.passes ? 'passes' : 'fails'})` : ''}`)
      .join('<br>');
    lines.push(
      `| ${label(name)} | ${withInterval(candidate[name], formatNumber)} | ${value(baseline?.[name])} | ${withInterval(delta?.[name], signed)} | ${gate} | ${verdict} |`,
    );
  }
  return lines;
}

/** The Markdown report (and job summary, and pull-request comment) of evaluate: the verdict and why first, then the numbers. */
export function renderEvaluateReport(input: EvaluateReportInput): string {
  const { gates, metrics } = input;
  const lines: string[] = [];
  const verdictText =
    gates.verdict === 'inconclusive'
      ? `inconclusive: ${input.passed ? 'passes' : 'fails'} (on-inconclusive: ${input.onInconclusive})`
      : gates.verdict;
  lines.push(`## evaluate: ${ICONS[gates.verdict]} ${verdictText}`, '');

  const counts = (['fail', 'inconclusive', 'pass'] as const).map((v) => [v, gates.gates.filter((g) => g.verdict === v).length] as const);
  const gateSummary =
    gates.gates.length === 0
      ? 'no gates'
      : counts
          .filter(([, n]) => n > 0)
          .map(([v, n]) => `${n} ${v === 'pass' ? 'passed' : v === 'fail' ? 'failed' : 'inconclusive'}`)
          .join(', ');
  const facts = [
    `**${gates.gates.length} gate${gates.gates.length === 1 ? '' : 's'}**: ${gateSummary}`,
    `${md(input.candidateName)}${input.rowCount !== undefined ? ` (${input.rowCount.toLocaleString('en-US')} rows)` : ''}`,
    input.baselineName ? `baseline ${md(input.baselineName)} (${input.baselineKind})` : 'no baseline',
    input.samples > 0
      ? `${percent(input.confidence)} intervals from ${input.samples.toLocaleString('en-US')} bootstrap resamples (seed ${input.seed})`
      : 'no intervals (bootstrap-samples: 0): gates decided on point values',
    ...(input.task && input.taskInferred ? [`task ${input.task} (inferred: ${md(input.taskInferred)})`] : []),
  ];
  lines.push(facts.join(' · '), '');

  const explain = (d: SettledGate): string => {
    let settledText = '';
    if (d.verdict === 'inconclusive') {
      settledText =
        d.settledBy === 'point estimate'
          ? ` **${d.passes ? 'Passes' : 'Fails'} on the point estimate**; the difference is not statistically significant at ${percent(input.confidence)}.`
          : ` **${d.passes ? 'Passes' : 'Fails'}** (on-inconclusive: ${input.onInconclusive}${input.onInconclusive === 'point' ? ', no point estimate to decide on' : ''}).`;
    }
    return `- ${ICONS[d.verdict]} **${d.verdict}** — ${md(d.rule.text)}: ${md(d.explanation)}${settledText ? `.${settledText}` : ''}`;
  };
  const notPassing = input.settled.filter((g) => g.verdict !== 'pass');
  const passing = input.settled.filter((g) => g.verdict === 'pass');
  if (gates.gates.length === 0) {
    lines.push('No gate rules were given, so nothing can fail: add `gates` to decide.', '');
  } else {
    if (notPassing.length) lines.push(...notPassing.map(explain), '');
    if (passing.length) {
      if (notPassing.length) lines.push(`<details><summary>${passing.length} passing gate${passing.length === 1 ? '' : 's'}</summary>`, '');
      lines.push(...passing.map(explain), '');
      if (notPassing.length) lines.push('</details>', '');
    }
  }

  const byMetric = new Map<string, SettledGate[]>();
  for (const decision of input.settled) {
    const key = metricKey(decision.rule);
    byMetric.set(key, [...(byMetric.get(key) ?? []), decision]);
  }
  const names = Object.keys(metrics.candidate);
  const classNames = names.filter((n) => /^[a-z0-9_]+\[class=/.test(n) && input.classes !== undefined);
  const sliceNames = new Set(
    input.slices.flatMap((s) => names.filter((n) => n.endsWith(`[${s.column}=${s.value}]`) && !n.startsWith('['))),
  );
  const overall = names.filter((n) => !n.includes('['));

  lines.push('### Metrics', '', ...metricTable(overall, input, byMetric, (n) => md(n)), '');

  if (input.classes && classNames.length) {
    lines.push('### Per class', '');
    const ordered = input.classes
      .flatMap((c) => ['precision', 'recall', 'f1'].map((m) => `${m}[class=${c}]`))
      .filter((n) => n in metrics.candidate);
    lines.push(...metricTable(ordered, input, byMetric, (n) => md(n)), '');
  }

  if (input.confusion) {
    const { classes, counts } = input.confusion;
    const table = [
      `| true \\ predicted | ${classes.map((c) => md(c)).join(' | ')} |`,
      `|---|${classes.map(() => '---:').join('|')}|`,
      ...counts.map(
        (row, t) => `| **${md(classes[t])}** | ${row.map((count, p) => (t === p ? `**${count}**` : String(count))).join(' | ')} |`,
      ),
    ];
    lines.push('### Confusion matrix', '');
    if (classes.length > 12)
      lines.push(`<details><summary>${classes.length} × ${classes.length}</summary>`, '', ...table, '', '</details>', '');
    else lines.push(...table, '');
  }

  if (input.slices.length) {
    lines.push('### Slices', '');
    for (const slice of input.slices) {
      const suffix = `[${slice.column}=${slice.value}]`;
      const sliceMetrics = overall.map((n) => `${n}${suffix}`).filter((n) => sliceNames.has(n));
      lines.push(
        `#### ${md(slice.column)} = ${md(slice.value === '' ? '(empty)' : slice.value)} (${slice.rows.toLocaleString('en-US')} rows)`,
        '',
      );
      lines.push(...metricTable(sliceMetrics, input, byMetric, (n) => md(n.slice(0, -suffix.length))), '');
    }
  }

  const charts = renderCharts(input);
  if (charts.length) lines.push('### Charts', '', ...charts);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function renderCharts(input: EvaluateReportInput): string[] {
  const { candidate, baseline } = input.metrics;
  const charts: string[] = [];
  const finite = (x: number | undefined): number => (x !== undefined && Number.isFinite(x) ? x : 0);
  if (input.classes && input.classes.length >= 2 && input.classes.length <= 30 && `recall[class=${input.classes[0]}]` in candidate) {
    const recall = (metrics: Record<string, MetricEstimate>) => input.classes!.map((c) => finite(metrics[`recall[class=${c}]`]?.value));
    const precision = input.classes.map((c) => finite(candidate[`precision[class=${c}]`]?.value));
    const againstBaseline = baseline !== undefined && input.classes.some((c) => `recall[class=${c}]` in baseline);
    charts.push(
      comparisonChart({
        title: againstBaseline ? 'Recall per class: candidate vs baseline' : 'Recall and precision per class',
        labels: input.classes,
        first: recall(candidate),
        second: againstBaseline ? recall(baseline!) : precision,
        yLabel: againstBaseline ? 'recall' : 'recall, precision',
        legend: escapeHtml(againstBaseline ? 'Bars: candidate recall; line: baseline recall.' : 'Bars: recall; line: precision.'),
      }),
      '',
    );
  }
  const metric = headline(input.task);
  const column = input.slices[0]?.column;
  if (column !== undefined) {
    const slices = input.slices.filter((s) => s.column === column).slice(0, 30);
    const name = (s: { column: string; value: string }) => `${metric}[${s.column}=${s.value}]`;
    if (slices.some((s) => name(s) in candidate)) {
      const againstBaseline = baseline !== undefined && slices.some((s) => name(s) in baseline);
      charts.push(
        comparisonChart({
          title: `${metric} by ${column}`,
          labels: slices.map((s) => s.value || '(empty)'),
          first: slices.map((s) => finite(candidate[name(s)]?.value)),
          second: againstBaseline
            ? slices.map((s) => finite(baseline![name(s)]?.value))
            : slices.map(() => finite(candidate[metric]?.value)),
          yLabel: metric,
          legend: escapeHtml(`Bars: candidate ${metric} per ${column}; line: ${againstBaseline ? 'baseline' : 'all rows'}.`),
        }),
        '',
      );
    }
  }
  return charts;
}
