// A bug's stack through the source map beside each built file: frames of a file with a map point at the
// original file and line, every other line stays as it was.
import { describe, expect, it } from '@jest/globals';
import { transformSync } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sourceMappedStack } from '../../shared/source-mapped-stack.js';
import { tempDir } from '../temp-dirs.js';

/** A built file (dist/chunk.js) and its map, compiled from a three-line source in src/thrower.ts. */
function built(): { dir: string; chunk: string } {
  const dir = tempDir('source-mapped-stack-');
  mkdirSync(join(dir, 'dist'));
  const source = 'export function thrower(): void {\n  const note = 1;\n  throw new Error(`bug ${note}`);\n}\n';
  const out = transformSync(source, {
    loader: 'ts',
    format: 'esm',
    minifyWhitespace: true,
    sourcemap: 'external',
    sourcefile: '../src/thrower.ts',
  });
  const chunk = join(dir, 'dist', 'chunk.js');
  writeFileSync(chunk, out.code);
  writeFileSync(`${chunk}.map`, out.map);
  return { dir, chunk };
}

describe('sourceMappedStack', () => {
  it('maps the frames of a built file to the original file and line, by path or file URL', () => {
    const { dir, chunk } = built();
    const throwAt = 'export function thrower(){const note=1;throw new Error'.length - 'new Error'.length + 1;
    const error = new Error('bug 1');
    error.stack = [
      'Error: bug 1',
      `    at thrower (${chunk}:1:${throwAt})`,
      `    at ${pathToFileURL(chunk).href}:1:${throwAt}`,
      '    at async Promise.all (index 0)',
      '    at run (node:internal/main/run_main_module:36:49)',
      `    at other (${join(dir, 'dist', 'no-map.js')}:1:5)`,
    ].join('\n');
    const original = join(dir, 'src', 'thrower.ts');
    expect(sourceMappedStack(error).split('\n')).toEqual([
      'Error: bug 1',
      expect.stringMatching(new RegExp(`^    at thrower \\(${original}:3:\\d+\\)$`)),
      expect.stringMatching(new RegExp(`^    at ${original}:3:\\d+$`)),
      '    at async Promise.all (index 0)',
      '    at run (node:internal/main/run_main_module:36:49)',
      `    at other (${join(dir, 'dist', 'no-map.js')}:1:5)`,
    ]);
  });

  it('gives the message of an error without a stack, and a thrown value as text', () => {
    const error = new Error('no stack');
    error.stack = undefined;
    expect(sourceMappedStack(error)).toBe('no stack');
    expect(sourceMappedStack('a string')).toBe('a string');
  });
});
