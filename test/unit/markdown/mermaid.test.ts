import { describe, expect, it } from '@jest/globals';
import { comparisonChart, lineChart, mermaidText } from '../../../shared/markdown/mermaid.js';
import { mermaidBlocks, parseMermaid } from './mermaid-parse.js';

describe('Mermaid charts parse with the mermaid package', () => {
  it('rejects a broken diagram (the check has teeth)', async () => {
    await expect(parseMermaid('xychart-beta\n    x-axis ["a", "b"\n    bar [1, 2]\n')).rejects.toThrow();
  });

  it('a comparison chart with hostile labels parses', async () => {
    const chart = comparisonChart({
      title: 'weather "of" <Seattle>; #1',
      labels: ['drizzle', 'rain`"', '<img src=x>', '', 'a'.repeat(100), 'sun; fog', '-1.5'],
      first: [10.5, 50, 0, 1e-12, 3, NaN, 7],
      second: [1, 2, 3, 4, 5, 6, Infinity],
      yLabel: '% of rows',
      legend: 'Bars: reference; line: current.',
    });
    const blocks = mermaidBlocks(chart);
    expect(blocks).toHaveLength(1);
    await parseMermaid(blocks[0]!);
  });

  it('a line chart parses, flat series included', async () => {
    for (const series of [
      [[0.5, 0.4, 0.3]],
      [
        [1, 1, 1],
        [2, 2, 2],
      ],
    ]) {
      const [block] = mermaidBlocks(lineChart({ title: 'loss', steps: [1, 2, 3], series, yLabel: 'loss "x"' }));
      await parseMermaid(block!);
    }
  });

  it('mermaidText keeps nothing that ends a string or the block', () => {
    expect(mermaidText('a "b" `c`\n<d>#;')).toBe('a  b   c   d');
    expect(mermaidText('  ')).toBe('-');
    expect(mermaidText('x'.repeat(100))).toHaveLength(60);
  });
});
