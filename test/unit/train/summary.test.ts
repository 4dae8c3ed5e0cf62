import { describe, expect, it, jest } from '@jest/globals';
import { codeBlock } from '../../../shared/markdown/code-block.js';
import { LearningCurve } from '../../../shared/train/metrics.js';
import { learningCurveCharts, renderTrainSummary, type TrainSummaryFacts } from '../../../shared/train/summary.js';

// mermaid sanitises labels with DOMPurify, which needs a browser DOM; parsing needs none of it.
jest.unstable_mockModule('dompurify', () => ({
  default: {
    addHook: () => undefined,
    removeHook: () => undefined,
    removeHooks: () => undefined,
    sanitize: (text: string) => text,
    isSupported: false,
  },
}));
const { default: mermaid } = await import('mermaid');

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

function curveOf(steps: number): LearningCurve {
  const curve = new LearningCurve();
  for (let step = 1; step <= steps; step++) {
    curve.addLine(
      `mlops-metric step=${step} loss=${1 / step} accuracy=${1 - 1 / (step + 1)} val_loss=${1.1 / step} val_accuracy=${1 - 1.2 / (step + 1)}`,
    );
  }
  return curve;
}

const facts: TrainSummaryFacts = {
  outcome: 'trained',
  fingerprint: 'sha256:abc',
  cacheKey: 'mlops-train-abc',
  cacheEnabled: true,
  durationSeconds: 3.21,
  modelPath: 'model',
  modelFiles: 2,
  modelBytes: 43_000,
  metrics: { 'validation.accuracy': 0.9733333, 'train.log_loss': 0.0434 },
  curve: curveOf(30),
  logTail: [],
};

describe('renderTrainSummary', () => {
  it('shows outcome, duration, cache, metrics table and learning curves that parse as Mermaid', async () => {
    const markdown = renderTrainSummary(facts);
    expect(markdown).toContain('## train: ✅ trained');
    expect(markdown).toContain('| duration | 3.2 s |');
    expect(markdown).toContain('| cache | miss |');
    expect(markdown).toContain('| model | model (2 files, 42.0 KiB) |');
    expect(markdown).toContain('| validation.accuracy | 0.9733 |');
    expect(markdown).toContain('| train.log\\_loss | 0.0434 |');
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) await expect(mermaid.parse(block)).resolves.toBeTruthy();
    expect(markdown).toContain('line 1: loss · line 2: val\\_loss');
  });

  it('says a cache hit restored the outputs', () => {
    const markdown = renderTrainSummary({ ...facts, outcome: 'restored', durationSeconds: 0.04 });
    expect(markdown).toContain('## train: ♻️ restored from cache');
    expect(markdown).toContain('| cache | hit: the command did not run |');
  });

  it('shows the failure and the log tail in a code block the log cannot close', () => {
    const tail = ['Traceback (most recent call last):', '```', '@octocat <img src=x>', 'ValueError: bad'];
    const markdown = renderTrainSummary({
      ...facts,
      outcome: 'failed',
      failure: 'The command exited with code 1',
      logTail: tail,
      runName: 'lr-0.1 | @team',
      metrics: {},
      curve: new LearningCurve(),
    });
    expect(markdown).toContain('## train (lr-0.1 \\| @\u200Dteam): ❌ failed');
    expect(markdown).toContain('### Log (last 4 lines)');
    expect(markdown).toContain(`\`\`\`\`text\n${tail.join('\n')}\n\`\`\`\``);
    expect(markdown).not.toContain('### Metrics');
  });

  it('keeps a long curve to at most 100 points, first and last included', async () => {
    const [chart] = learningCurveCharts(curveOf(1000));
    const xAxis = /x-axis \[(.*)\]/.exec(chart!)![1]!.split(', ');
    expect(xAxis.length).toBeLessThanOrEqual(100);
    expect(xAxis[0]).toBe('1');
    expect(xAxis.at(-1)).toBe('1000');
    await expect(mermaid.parse(mermaidBlocks(chart!)[0]!)).resolves.toBeTruthy();
  });

  it('draws no chart without at least two steps', () => {
    expect(learningCurveCharts(curveOf(1))).toEqual([]);
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run in the text', () => {
    expect(codeBlock('a ````` b')).toBe('``````text\na ````` b\n``````');
    expect(codeBlock('plain')).toBe('```text\nplain\n```');
  });
});
