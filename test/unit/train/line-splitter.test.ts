import { describe, expect, it } from '@jest/globals';
import { LineSplitter } from '../../../shared/train/process-runner.js';

function split(chunks: string[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk, 'stdout');
  splitter.flush();
  return lines;
}

describe('LineSplitter', () => {
  it('ends a line at \\n, \\r\\n (even split between chunks) and a lone \\r, dropping the empty lines a \\r ends', () => {
    expect(split(['a\nb\r', '\nc\r\n', '\rprogress 1%\rprogress 2%\r', 'tail'])).toEqual([
      'a',
      'b',
      'c',
      'progress 1%',
      'progress 2%',
      'tail',
    ]);
    expect(split(['x\n\n', 'y'])).toEqual(['x', '', 'y']);
  });

  it('hands over an unfinished line once it reaches 1 MiB', () => {
    const lines = split(Array.from({ length: 40 }, () => 'x'.repeat(65_536)));
    expect(lines.length).toBe(3);
    expect(lines.join('').length).toBe(40 * 65_536);
  });

  it('splits a 20 MB \\r progress stream pushed in 64 KiB chunks into exactly its lines, \\r\\n across a chunk border counted once', () => {
    // Linear by construction (each chunk is scanned once; the unfinished line is kept in parts, never re-joined per
    // chunk); how fast it is against plain lines belongs in a benchmark, not here.
    const bar = 'epoch 3 [=====>    ] 42% loss 0.1234';
    const count = Math.ceil(20e6 / (bar.length + 1));
    const text = `${bar}\r`.repeat(count - 1) + `${bar}\r\n`;
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => seen.push(line));
    for (let i = 0; i < text.length; i += 65_536) splitter.push(text.slice(i, i + 65_536), 'stdout');
    splitter.flush();
    expect(seen.length).toBe(count);
    expect(seen.every((line) => line === bar)).toBe(true);
  });
});
