import { beforeAll, describe, expect, it } from '@jest/globals';
import { compareModels, prepareModelEvaluation, sliceGroups } from '../../../shared/evaluate/model-metrics.js';
import { pairBaseline } from '../../../shared/evaluate/pairing.js';
import { type PredictionSet, readPredictionSet } from '../../../shared/evaluate/prediction-set.js';
import { readPredictionTable } from '../../../shared/evaluate/prediction-table.js';
import { evaluateGates, type InconclusivePolicy, settleGates } from '../../../shared/gates/evaluate-gates.js';
import { parseGateRules } from '../../../shared/gates/grammar.js';
import { renderEvaluateReport, type EvaluateReportInput } from '../../../shared/evaluate/evaluate-report.js';

const fixtures = new URL('../../fixtures/evaluate/', import.meta.url).pathname;
const HOSTILE = '@octocat <img src=x onerror=alert(1)>|](https://evil.example)';

type Mermaid = { parse(text: string): Promise<unknown> };
let mermaid: Mermaid;

beforeAll(async () => {
  // Mermaid sanitises titles with DOMPurify, which has no hooks outside a browser; parsing needs none.
  const purify = (await import('dompurify')).default as unknown as Record<string, unknown>;
  purify.addHook ??= () => undefined;
  purify.removeHook ??= () => undefined;
  purify.removeHooks ??= () => undefined;
  purify.sanitize ??= (text: string) => text;
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

async function read(file: string, rename: (label: string) => string = (l) => l): Promise<PredictionSet> {
  const set = readPredictionSet(await readPredictionTable(file, fixtures, 'predictions'), {
    task: 'classification',
    label: 'label',
    prediction: 'prediction',
    id: 'id',
    slices: ['island'],
  });
  const renamed = (values: string[]) => values.map(rename);
  return {
    ...set,
    labels: renamed(set.labels),
    predictions: renamed(set.predictions),
    probabilityClasses: set.probabilityClasses && renamed(set.probabilityClasses),
  };
}

async function reportFor(
  gatesText: string,
  rename?: (label: string) => string,
  onInconclusive: InconclusivePolicy = 'pass',
): Promise<string> {
  const candidate = await read('penguins-predictions.csv', rename);
  const { baseline } = pairBaseline(candidate, await read('penguins-baseline-predictions.csv', rename));
  const groups = sliceGroups(candidate);
  const evaluation = prepareModelEvaluation(candidate, groups);
  const metrics = compareModels(
    evaluation,
    { paired: prepareModelEvaluation(baseline, groups) },
    { samples: 200, confidence: 0.95, seed: 0 },
  );
  const gates = evaluateGates(parseGateRules(gatesText), { ...metrics, confidence: 0.95 });
  const input: EvaluateReportInput = {
    task: 'classification',
    rowCount: candidate.rowCount,
    candidateName: 'predictions.csv',
    baselineName: 'baseline/predictions.csv',
    baselineKind: 'paired by id',
    metrics,
    gates,
    settled: settleGates(gates, onInconclusive).gates,
    onInconclusive,
    passed: settleGates(gates, onInconclusive).passed,
    confidence: 0.95,
    samples: 200,
    seed: 0,
    classes: evaluation.classes,
    confusion: evaluation.confusion,
    slices: groups.map((g) => ({ column: g.column, value: g.value, rows: g.rows.length })),
  };
  return renderEvaluateReport(input);
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('renderEvaluateReport', () => {
  it('puts the verdict first, then each failing or inconclusive gate explained, before any table', async () => {
    const report = await reportFor('log_loss <= 0.03\nlog_loss <= 0.01\nf1_macro >= baseline - 0.005\nrecall[class=Gentoo] >= 0.999');
    const lines = report.split('\n');
    expect(lines[0]).toBe('## evaluate: ❌ fail');
    expect(lines[2]).toMatch(
      /^\*\*4 gates\*\*: 1 failed, 1 inconclusive, 2 passed · predictions\.csv \(86 rows\) · baseline baseline\/predictions\.csv \(paired by id\) · 95 % intervals from 200 bootstrap resamples \(seed 0\)$/,
    );
    const firstTable = report.indexOf('| metric |');
    const failing = report.indexOf('- ❌ **fail** — log\\_loss \\<= 0.01: log\\_loss 0.029 is above 0.010');
    const inconclusive = report.indexOf('- ⚠️ **inconclusive** — log\\_loss \\<= 0.03: log\\_loss 0.029 may or may not be at most 0.030');
    expect(failing).toBeGreaterThan(0);
    expect(inconclusive).toBeGreaterThan(0);
    expect(Math.max(failing, inconclusive)).toBeLessThan(firstTable);
    expect(report).toContain('<details><summary>2 passing gates</summary>');
    expect(report).toMatch(
      /\| f1\\_macro \| 1\.000 \[1\.000, 1\.000\] \| 0\.822 \| \+0\.178 \[\+0\.\d+, \+0\.\d+\] \| f1\\_macro \\>= baseline - 0\.005 \| ✅ pass \|/,
    );
    expect(report).toContain('#### island = Dream (27 rows)');
    expect(report).toContain('| **Chinstrap** | 0 | **17** | 0 |');
  });

  it('says when inconclusive fails the step', async () => {
    // Was "inconclusive (fails the step: fail-on-inconclusive)": the policy is now the on-inconclusive input (issue 8).
    const report = await reportFor('log_loss <= 0.03', undefined, 'fail');
    expect(report.split('\n')[0]).toBe('## evaluate: ⚠️ inconclusive: fails (on-inconclusive: fail)');
  });

  it('decides an inconclusive gate on its point estimate by default, and says the difference is not significant', async () => {
    const passes = await reportFor('log_loss <= 0.03', undefined, 'point');
    expect(passes.split('\n')[0]).toBe('## evaluate: ⚠️ inconclusive: passes (on-inconclusive: point)');
    expect(passes).toMatch(
      /- ⚠️ \*\*inconclusive\*\* — log\\_loss \\<= 0\.03: log\\_loss 0\.029 may or may not be at most 0\.030 \\\(95 % CI [^)]+\\\)\. \*\*Passes on the point estimate\*\*; the difference is not statistically significant at 95 %\./,
    );
    expect(passes).toMatch(/\| log\\_loss \\<= 0\.03 \| ⚠️ inconclusive \(passes\) \|/);
    const fails = await reportFor('log_loss <= 0.0289', undefined, 'point');
    expect(fails.split('\n')[0]).toBe('## evaluate: ⚠️ inconclusive: fails (on-inconclusive: point)');
    expect(fails).toContain('**Fails on the point estimate**; the difference is not statistically significant at 95 %.');
  });

  it('escapes class labels that come from data: no HTML, no links, no @mentions, tables intact', async () => {
    const report = await reportFor('accuracy >= 0.9', (label) => (label === 'Gentoo' ? HOSTILE : label));
    // Code blocks (the Mermaid charts) render no HTML, links or mentions; everything else must be escaped.
    const prose = report.replace(/```mermaid\n[\s\S]*?```/g, '');
    expect(prose).toContain('@\u200Doctocat \\<img src=x onerror=alert\\(1\\)\\>\\|\\]\\(https\\://evil.example\\)');
    expect(prose).not.toMatch(/(^|[^\\])<img/m);
    expect(prose).not.toContain('@octocat');
    expect(prose).not.toMatch(/(^|[^\\])\]\(https/m);
    // Every table row keeps its column count: a label's `|` is escaped.
    const lines = report.split('\n');
    const rows = {
      precision: lines.filter((l) => l.startsWith('| precision\\[')),
      recall: lines.filter((l) => l.startsWith('| recall\\[')),
      confusion: lines.filter((l) => l.startsWith('| **')),
    };
    // One row per class in each table (so the loop below checks something), the hostile label's included.
    for (const [table, found] of Object.entries(rows))
      expect({ table, count: found.length, hostile: found.some((l) => l.includes('octocat')) }).toEqual({ table, count: 3, hostile: true });
    for (const line of [...rows.precision, ...rows.recall, ...rows.confusion]) {
      expect(line.replace(/\\\|/g, '').split('|').length).toBe(line.startsWith('| **') ? 6 : 8);
    }
    for (const block of mermaidBlocks(report)) expect(block).not.toMatch(/[<>"]octocat|onerror=alert\(1\)>/);
  });

  it('emits Mermaid charts that parse: per-class recall vs baseline, accuracy by island', async () => {
    const plain = mermaidBlocks(await reportFor('accuracy >= 0.9'));
    expect(plain).toHaveLength(2);
    expect(plain[0]).toContain('title "Recall per class: candidate vs baseline"');
    expect(plain[0]).toContain('x-axis ["Adelie", "Chinstrap", "Gentoo"]');
    expect(plain[0]).toContain('line [1, 0.412, 1]');
    expect(plain[1]).toContain('x-axis ["Torgersen", "Biscoe", "Dream"]');
    const hostile = mermaidBlocks(await reportFor('accuracy >= 0.9', (label) => (label === 'Gentoo' ? HOSTILE : label)));
    for (const block of [...plain, ...hostile]) await expect(mermaid.parse(block)).resolves.toBeTruthy();
    expect(hostile[0]!.split('\n').find((line) => line.includes('x-axis'))).not.toMatch(/[<>]/);
  });
});
