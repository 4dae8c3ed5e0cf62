import { formatNumber, type GateReport, type GateVerdict, type InconclusivePolicy, type SettledGate } from '../gates/evaluate-gates.js';
import { metricKey } from '../gates/grammar.js';
import { escapeHtml, escapeMarkdownText as md } from '../markdown/escape.js';
import { comparisonChart } from '../markdown/mermaid.js';
import { type ConfusionCells, denseConfusion } from '../metrics/classification.js';
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
  confusion?: ConfusionCells;
  slices: { column: string; value: string; rows: number }[];
  /** Where what a long report leaves out can be read (Markdown), e.g. "`report.json` in artifact `evaluate-report`". */
  fullReportAt?: string;
}

/** Most classes listed one by one; with more, the report shows the lowest and highest by f1 and the largest. */
export const MAX_CLASSES_LISTED = 20;
/** Classes in each of those tables. */
export const CLASSES_PER_TABLE = 10;
/** Most classes whose confusion matrix is drawn in Markdown (30 × 30 is 900 cells); beyond, the most frequent confusions. */
export const MAX_CONFUSION_CLASSES = 30;

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

  const fullReport = input.fullReportAt ?? '`report.json`';
  if (input.classes && classNames.length) {
    lines.push('### Per class', '');
    if (input.classes.length <= MAX_CLASSES_LISTED) {
      const ordered = input.classes
        .flatMap((c) => ['precision', 'recall', 'f1'].map((m) => `${m}[class=${c}]`))
        .filter((n) => n in metrics.candidate);
      lines.push(...metricTable(ordered, input, byMetric, (n) => md(n)), '');
    } else {
      lines.push(...classSummaryTables(input, byMetric, fullReport));
    }
  }

  if (input.confusion) lines.push(...confusionSection(input.confusion, fullReport));

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

/** Rows of each class in the labels (row sums of the confusion matrix). */
function supportOf(confusion: ConfusionCells): Float64Array {
  const support = new Float64Array(confusion.classes.length);
  for (const [t, , count] of confusion.cells) support[t] += count;
  return support;
}

/**
 * For many classes: the lowest and highest by f1 and the largest by support, and every class a gate
 * names, each table a few rows; every class's metrics stay in the JSON report.
 */
function classSummaryTables(input: EvaluateReportInput, byMetric: Map<string, SettledGate[]>, fullReport: string): string[] {
  const classes = input.classes!;
  const { candidate } = input.metrics;
  const support = input.confusion ? supportOf(input.confusion) : undefined;
  const f1 = (c: number): number => candidate[`f1[class=${classes[c]}]`]?.value ?? NaN;
  const all = classes.map((_, c) => c).filter((c) => Number.isFinite(f1(c)));
  const bySupport = (a: number, b: number): number => (support ? support[b] - support[a] : 0) || a - b;
  const lowest = [...all].sort((a, b) => f1(a) - f1(b) || bySupport(a, b)).slice(0, CLASSES_PER_TABLE);
  const highest = [...all].sort((a, b) => f1(b) - f1(a) || bySupport(a, b)).slice(0, CLASSES_PER_TABLE);
  const largest = support ? [...all].sort(bySupport).slice(0, CLASSES_PER_TABLE) : [];
  const gated = classes
    .map((_, c) => c)
    .filter((c) => ['precision', 'recall', 'f1'].some((m) => byMetric.has(`${m}[class=${classes[c]}]`)));
  const ci = input.samples > 0 ? ` [${percent(input.confidence)} CI]` : '';
  const table = (title: string, picked: number[]): string[] =>
    picked.length === 0
      ? []
      : [
          `#### ${title}`,
          '',
          `| class |${support ? ' support |' : ''} precision | recall | f1${ci} |`,
          `|---|${support ? '---:|' : ''}---:|---:|---:|`,
          ...picked.map((c) => {
            const name = classes[c];
            const rows = support ? ` ${support[c].toLocaleString('en-US')} |` : '';
            return `| ${md(name)} |${rows} ${value(candidate[`precision[class=${name}]`])} | ${value(candidate[`recall[class=${name}]`])} | ${withInterval(candidate[`f1[class=${name}]`], formatNumber)} |`;
          }),
          '',
        ];
  return [
    `${classes.length.toLocaleString('en-US')} classes: too many to list here. Below, the ${CLASSES_PER_TABLE} with the lowest f1, ` +
      `the ${CLASSES_PER_TABLE} with the highest${support ? ' and the largest' : ''}; every class's precision, recall and f1 (with intervals) are in ${fullReport}.`,
    '',
    ...table('Named by a gate', gated.slice(0, CLASSES_PER_TABLE)),
    ...table(`Lowest f1`, lowest),
    ...table(`Highest f1`, highest),
    ...table(`Largest (by support)`, largest),
  ];
}

/** The confusion matrix for few classes; for many, the most frequent confusions (its largest cells off the diagonal). */
function confusionSection(confusion: ConfusionCells, fullReport: string): string[] {
  const { classes } = confusion;
  const lines = ['### Confusion matrix', ''];
  if (classes.length <= MAX_CONFUSION_CLASSES) {
    const { counts } = denseConfusion(confusion);
    const table = [
      `| true \\ predicted | ${classes.map((c) => md(c)).join(' | ')} |`,
      `|---|${classes.map(() => '---:').join('|')}|`,
      ...counts.map(
        (row, t) => `| **${md(classes[t])}** | ${row.map((count, p) => (t === p ? `**${count}**` : String(count))).join(' | ')} |`,
      ),
    ];
    if (classes.length > 12)
      lines.push(`<details><summary>${classes.length} × ${classes.length}</summary>`, '', ...table, '', '</details>', '');
    else lines.push(...table, '');
    return lines;
  }
  const confusions = confusion.cells
    .filter(([t, p]) => t !== p)
    .sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1])
    .slice(0, CLASSES_PER_TABLE);
  lines.push(
    `${classes.length.toLocaleString('en-US')} × ${classes.length.toLocaleString('en-US')}: too large to draw here (over ${MAX_CONFUSION_CLASSES} classes); ` +
      `its non-zero cells are in ${fullReport}.`,
    '',
  );
  if (confusions.length) {
    lines.push(
      `#### Most frequent confusions`,
      '',
      '| true | predicted | rows |',
      '|---|---|---:|',
      ...confusions.map(([t, p, count]) => `| ${md(classes[t])} | ${md(classes[p])} | ${count.toLocaleString('en-US')} |`),
      '',
    );
  }
  return lines;
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
