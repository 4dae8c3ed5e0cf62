// monitor-gate's report (the job summary and report.md): the decision and its reasons first, then each
// rule with what was observed and its interval, each measurement of the analysis, the drift of every
// column, and charts of the drifted columns (reference vs live). Everything from outside is escaped.
import type { ColumnDrift } from '../data/drift.js';
import type { ProfileJSON } from '../data/profile.js';
import { driftChart } from '../data/validate-data-report.js';
import { escapeMarkdownText as md } from '../markdown/escape.js';
import type { AnalysisResult, MeasurementError } from './analysis.js';
import { describeDuration } from './duration.js';
import type { LoadTestStats } from './load-test.js';
import type { Measurement, RuleOutcome } from './measurement.js';

export type Decision = 'promote' | 'hold' | 'rollback' | 'retrain';

export interface MonitorReport {
  decision: Decision;
  verdict: AnalysisResult<Measurement>['verdict'];
  passed: boolean;
  reasons: string[];
  model: { reference: string; version: string };
  stable?: { reference: string; version: string };
  source: string;
  analysis: AnalysisResult<Measurement>;
  actions: string[];
  driftedColumns: string[];
  loadTest?: LoadTestStats;
  /** The live profile and drift the endpoint reported at the end, for the charts. */
  live?: { inputs: ProfileJSON; drift: ColumnDrift[] };
  reference?: ProfileJSON;
  settings: { intervalMs: number; windowMs: number; count: number };
  /** deploy's summaries of the promote or rollback, placed last. */
  deploySummaries?: string[];
}

const ICON = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' } as const;

function number(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const text = value !== 0 && Math.abs(value) < 0.001 ? value.toPrecision(2) : Number(value.toFixed(3)).toString();
  return text.replace('-', '−');
}

function interval(outcome: RuleOutcome['observed']): string {
  if (!outcome) return '–';
  return outcome.low === outcome.high
    ? number(outcome.value)
    : `${number(outcome.value)} (${number(outcome.low)} … ${number(outcome.high)})`;
}

/** The measurement the rules table shows: the one that decided (the last one taken, not an error). */
export function decidingMeasurement(analysis: AnalysisResult<Measurement>): Measurement | undefined {
  return [...analysis.measurements].reverse().find((m): m is Measurement => m.verdict !== 'error');
}

export function renderMonitorReport(report: MonitorReport): string {
  const lines: string[] = [];
  const { analysis } = report;
  lines.push(
    `## monitor-gate: ${report.decision} ${ICON[report.verdict]} ${report.verdict} — ${md(report.model.version)}${report.stable ? ` vs stable ${md(report.stable.version)}` : ''}`,
    '',
  );
  for (const reason of report.reasons) lines.push(`- ${md(reason)}`);
  if (report.actions.length) {
    lines.push('', '**Done:**');
    for (const action of report.actions) lines.push(`- ${md(action)}`);
  }
  lines.push(
    '',
    `Measured from ${md(report.source)}: ${analysis.measurements.length} measurement${analysis.measurements.length === 1 ? '' : 's'} of at most ${report.settings.count}, every ${describeDuration(report.settings.intervalMs)}, each over ${describeDuration(report.settings.windowMs)}. Model \`${md(report.model.reference)}\`.`,
  );
  if (report.loadTest) {
    const statuses = Object.entries(report.loadTest.statuses)
      .map(([status, n]) => `${n} × ${status}`)
      .join(', ');
    lines.push('', `Load test: ${report.loadTest.sent} requests sent (${statuses || 'none answered'}).`);
  }

  const deciding = decidingMeasurement(analysis);
  if (deciding) {
    lines.push(
      '',
      `### Rules (measurement ${deciding.index})`,
      '',
      '| rule | verdict | observed (95 % interval) | stable | why |',
      '|---|---|---|---|---|',
    );
    for (const rule of deciding.rules)
      lines.push(
        `| \`${md(rule.text).replace(/`/g, "'")}\` | ${ICON[rule.verdict]} ${rule.verdict} | ${interval(rule.observed)} | ${interval(rule.stable)} | ${md(rule.explanation)} |`,
      );
  }

  lines.push('', '### Measurements', '', '| # | time | verdict | traffic | notes |', '|---|---|---|---|---|');
  for (const m of analysis.measurements) {
    if (m.verdict === 'error') {
      const e = m as MeasurementError;
      lines.push(`| ${e.index} | ${e.at} | ${ICON.error} error | – | ${md(e.error)} |`);
      continue;
    }
    const measurement = m as Measurement;
    const traffic = measurement.traffic.map((t) => `${md(t.version)}: ${number(t.requests)} req, ${number(t.errors)} err`).join('; ');
    const notes = measurement.rules
      .filter((r) => r.verdict !== 'pass')
      .map((r) => md(r.explanation))
      .join('; ');
    lines.push(
      `| ${measurement.index} | ${measurement.at} | ${ICON[measurement.verdict]} ${measurement.verdict} | ${traffic || '–'} | ${notes || '–'} |`,
    );
  }

  const drift = deciding?.drift ?? [];
  if (drift.length) {
    lines.push(
      '',
      `### Input drift (${deciding!.liveRows} live rows against the registered data profile)`,
      '',
      '| column | method | statistic | drifted |',
      '|---|---|---|---|',
    );
    for (const column of drift)
      lines.push(
        `| ${md(column.column)} | ${md(column.method)} | ${number(column.score)} | ${column.drifted === null ? 'not judged' : column.drifted ? '**yes**' : 'no'} |`,
      );
  }
  const predictionDrift = deciding?.predictionDrift ?? [];
  if (predictionDrift.length) {
    lines.push(
      '',
      '### Prediction drift (live predictions against the registered held-out predictions)',
      '',
      '| output | method | statistic | drifted |',
      '|---|---|---|---|',
    );
    for (const output of predictionDrift)
      lines.push(
        `| ${md(output.column)} | ${md(output.method)} | ${number(output.score)} | ${output.drifted === null ? 'not judged' : output.drifted ? '**yes**' : 'no'} |`,
      );
  }
  const join = deciding?.labels;
  if (join) {
    lines.push(
      '',
      '### Labels joined with the request log',
      '',
      `${join.matchedRows} labelled row${join.matchedRows === 1 ? '' : 's'} matched a logged prediction, of ${join.labelRows} label row${join.labelRows === 1 ? '' : 's'}; ${join.unmatchedLabels} label${join.unmatchedLabels === 1 ? '' : 's'} matched no logged request (requests the log did not sample, or not written yet); ${join.ambiguous} ambiguous (no row given for a request of several rows, or a row it does not have); ${join.withoutPrediction} without a logged prediction. Log: ${join.logEntries} entr${join.logEntries === 1 ? 'y' : 'ies'} of this version, ${join.otherModel} of others, ${join.malformedLines} malformed line${join.malformedLines === 1 ? '' : 's'}.`,
    );
  }
  if (report.live && report.reference && report.driftedColumns.length) {
    const referenceColumns = new Map(report.reference.columns.map((c) => [c.name, c]));
    const liveColumns = new Map(report.live.inputs.columns.map((c) => [c.name, c]));
    const charts = report.driftedColumns.slice(0, 6).flatMap((name) => {
      const reference = referenceColumns.get(name);
      const live = liveColumns.get(name);
      const judged = report.live!.drift.find((d) => d.column === name);
      if (!reference || !live || !judged || live.count === 0) return [];
      if (live.kind !== 'categorical' && (!reference.sketches.quantiles || !live.sketches.quantiles || !reference.histogram)) return [];
      return [driftChart(reference, live, judged).replace(': reference vs current', ': reference vs live')];
    });
    if (charts.length) lines.push('', '### Drifted columns: reference (bars) vs live (line)', '', ...charts.flatMap((c) => [c, '']));
  }
  for (const summary of report.deploySummaries ?? []) lines.push('', summary.replace(/^## /, '### ').trimEnd());
  return `${lines.join('\n').trimEnd()}\n`;
}
