import { escapeMarkdownText as md } from '../markdown/escape.js';
import { comparisonChart } from '../markdown/mermaid.js';
import { type ColumnDrift, type DatasetDrift, describeDrift, describeThreshold } from './drift.js';
import { columnLabel, type ColumnProfileJSON, type ProfileJSON } from './profile.js';
import { histogram } from './sketch/drift.js';
import { QuantileSketch } from './sketch/quantiles.js';
import type { Violation } from './violations.js';

export interface ValidateDataReportInput {
  profile: ProfileJSON;
  violationCount: number;
  violations: Violation[];
  drift: ColumnDrift[] | null;
  datasetDrift?: DatasetDrift | null;
  reference: ProfileJSON | null;
  referenceName?: string;
  valid: boolean;
  /** A Data Package: one entry per resource, in the descriptor's order (the profile has the tables read). */
  resources?: ResourceSummary[];
}

/** What the summary says about one resource of a package. */
export interface ResourceSummary {
  name: string;
  files: string[];
  tabular: boolean;
  /** Why it was not read. */
  refused?: string;
  violations?: number;
  drift: ColumnDrift[] | null;
}

function formatValue(column: ColumnProfileJSON, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (column.kind === 'temporal' && column.type !== 'time') {
    const iso = new Date(value).toISOString();
    return column.type === 'date' ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3 ? value.toPrecision(4) : String(Number(value.toPrecision(5)));
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(part === 0 ? 0 : 1)} %`;
}

function driftCell(drift: ColumnDrift | undefined): string {
  if (!drift) return '–';
  if (drift.status === 'insufficient data') return `insufficient data (${md(drift.note ?? '')})`;
  const ks = drift.ks !== null && drift.method !== 'ks' ? `, KS ${drift.ks.toFixed(3)}` : '';
  const note = drift.note ? `; ${md(drift.note)}` : '';
  return `${drift.status === 'drift' ? '**drift**' : 'stable'}: ${describeDrift(drift)} (${describeThreshold(drift)}${ks}${note})`;
}

/** How far past its threshold a column is, comparable across methods (> 1 means drift). */
function driftStrength(d: ColumnDrift): number {
  if (d.pValue !== null) return d.threshold / Math.max(d.pValue, Number.MIN_VALUE);
  return d.score! / d.threshold;
}

/** The chart of the most drifted column: reference share of rows as bars, current as a line. */
export function driftChart(reference: ColumnProfileJSON, current: ColumnProfileJSON, drift: ColumnDrift): string {
  let labels: string[];
  let before: number[];
  let after: number[];
  if (current.kind === 'categorical') {
    const top = (reference.sketches.top?.entries ?? []).slice(0, 12).map(([value]) => value);
    const share = (c: ColumnProfileJSON, v: string) => {
      const entry = c.sketches.top?.entries.find(([value]) => value === v);
      return c.count === 0 ? 0 : (100 * (entry?.[1] ?? 0)) / c.count;
    };
    labels = top;
    before = top.map((v) => share(reference, v));
    after = top.map((v) => share(current, v));
  } else {
    const edges = reference.histogram?.edges ?? [];
    const ref = QuantileSketch.fromJSON(reference.sketches.quantiles!);
    const cur = QuantileSketch.fromJSON(current.sketches.quantiles!);
    labels = edges.slice(0, -1).map((e) => formatValue(current, e));
    before = histogram(ref, edges).map((c) => (100 * c) / Math.max(1, ref.count));
    after = histogram(cur, edges).map((c) => (100 * c) / Math.max(1, cur.count));
  }
  return comparisonChart({
    title: `${current.name}: reference vs current`,
    labels,
    first: before,
    second: after,
    yLabel: '% of rows',
    legend: `Bars: reference; line: current data. ${describeDrift(drift)}.`,
  });
}

/** The Markdown report (and job summary) of validate-data: verdict first, then the details. */
export function renderValidateDataReport(input: ValidateDataReportInput): string {
  const { profile, drift } = input;
  const drifted = (drift ?? []).filter((d) => d.status === 'drift');
  const lines: string[] = [];
  const verdict = input.valid
    ? drifted.length
      ? '⚠️ valid, with drift'
      : '✅ valid'
    : `❌ ${input.violationCount} violation${input.violationCount === 1 ? '' : 's'}`;
  lines.push(`## validate-data: ${verdict}`, '');
  const files = profile.sources.length;
  const where = input.resources
    ? `${input.resources.length} resource${input.resources.length === 1 ? '' : 's'} (${files} file${files === 1 ? '' : 's'})`
    : `${files} file${files === 1 ? '' : 's'}`;
  lines.push(
    `**${profile.rows.toLocaleString('en-US')} rows** in ${where} · ${input.violationCount} violation${input.violationCount === 1 ? '' : 's'} · fingerprint \`${profile.fingerprint.slice(0, 19)}…\``,
  );
  if (drift) {
    const insufficient = drift.filter((d) => d.status === 'insufficient data').length;
    lines.push(
      '',
      `Drift against ${md(input.referenceName ?? 'the reference')}: ${drifted.length ? `**${drifted.map((d) => `${md(d.column)} (${describeDrift(d)})`).join(', ')}** drifted` : 'no column drifted'}${insufficient ? ` (${insufficient} column${insufficient === 1 ? '' : 's'} with too few values to judge)` : ''}.`,
    );
    const dataset = input.datasetDrift;
    if (dataset) {
      const share = `${dataset.drifted.length} of ${dataset.judged} judged column${dataset.judged === 1 ? '' : 's'} drifted (${Math.round(100 * dataset.share)} %, drift-share ${dataset.threshold})`;
      lines.push('', dataset.detected ? `**Dataset drift**: ${share}.` : `No dataset drift: ${share}.`);
    }
  }
  if (input.violations.length) {
    const shown = input.violations.length < input.violationCount ? ` (first ${input.violations.length} of ${input.violationCount})` : '';
    lines.push('', `### Violations${shown}`, '', '| file | line | column | value | rule | problem |', '|---|---:|---|---|---|---|');
    for (const v of input.violations) {
      lines.push(
        `| ${md(v.file)} | ${v.line ?? ''} | ${md(v.column ?? '')} | ${v.value === undefined ? '' : `\`${md(v.value).replace(/`/g, "'")}\``} | ${v.rule} | ${md(v.message)} |`,
      );
    }
  }
  if (input.resources) {
    lines.push('', '### Resources', '', '| resource | files | rows | violations | status |', '|---|---|---:|---:|---|');
    for (const r of input.resources) {
      const table = profile.resources?.find((p) => p.name === r.name);
      const status = r.refused
        ? `❌ not read: ${md(r.refused)}`
        : !r.tabular
          ? 'not a table (bytes and hash checked)'
          : r.violations
            ? '❌'
            : '✅';
      lines.push(
        `| ${md(r.name)} | ${r.files.map((f) => md(f)).join(', ')} | ${table ? table.rows.toLocaleString('en-US') : '–'} | ${r.violations ?? '–'} | ${status} |`,
      );
    }
    for (const r of input.resources) {
      const table = profile.resources?.find((p) => p.name === r.name);
      if (!table) continue;
      lines.push('', `### Columns of ${md(r.name)}`, '');
      columnsTable(lines, table.columns, r.drift);
    }
    return `${lines.join('\n')}\n`;
  }
  lines.push('', '### Columns', '');
  columnsTable(lines, profile.columns, drift);
  const judged = (drift ?? []).filter((d) => d.score !== null);
  if (input.reference && judged.length) {
    const worst = judged.reduce((a, b) => (driftStrength(b) > driftStrength(a) ? b : a));
    const ref = input.reference.columns.find((c) => columnLabel(c) === worst.column)!;
    const cur = profile.columns.find((c) => columnLabel(c) === worst.column)!;
    lines.push('', `### Most drifted column: ${md(worst.column)}`, '', driftChart(ref, cur, worst));
  }
  return `${lines.join('\n')}\n`;
}

/** The columns table: type, nulls, spread, distinct values and drift of each column. */
function columnsTable(lines: string[], columns: ColumnProfileJSON[], drift: ColumnDrift[] | null): void {
  const repeated = [...new Set(columns.filter((c) => c.occurrence !== undefined).map((c) => c.name))];
  for (const name of repeated) {
    const labels = columns.filter((c) => c.name === name).map((c) => md(columnLabel(c)));
    lines.push(
      `The header repeats the column name ${md(JSON.stringify(name))}: each of its columns is profiled on its own, as ${labels.join(', ')} in header order, and drift matches them with the reference's columns of the same name and order.`,
      '',
    );
  }
  lines.push('| column | type | nulls | min / median / max | distinct | drift |', '|---|---|---:|---|---:|---|');
  const byColumn = new Map((drift ?? []).map((d) => [d.column, d]));
  for (const c of columns) {
    const total = c.count + c.nulls + c.typeErrors;
    const spread =
      c.kind === 'categorical'
        ? c.top.length
          ? `top: ${c.top
              .slice(0, 3)
              .map((t) => `${md(t.value)} (${t.count})`)
              .join(', ')}`
          : '–'
        : `${formatValue(c, c.min)} / ${formatValue(c, c.quantiles?.p50)} / ${formatValue(c, c.max)}`;
    const typeErrors = c.typeErrors ? ` (${c.typeErrors} not ${c.type})` : '';
    lines.push(
      `| ${md(columnLabel(c))} | ${c.type}${typeErrors} | ${c.nulls} (${percent(c.nulls, total)}) | ${spread} | ${c.distinct} | ${driftCell(byColumn.get(columnLabel(c)))} |`,
    );
  }
}
