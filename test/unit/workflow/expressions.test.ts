// Expressions through GitHub's evaluator with the functions the runner adds: the status functions under
// each status, hashFiles against files hashed here, template strings, and errors that name the expression.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../shared/errors.js';
import { evaluateExpression, interpolate, truthy, type ExpressionScope, type RunStatus } from '../../../shared/workflow/expressions.js';
import { globToRegExp, hashFiles } from '../../../shared/workflow/hash-files.js';
import { tempDir } from '../../temp-dirs.js';

const scope = (status: RunStatus = 'success', contexts: Record<string, unknown> = {}): ExpressionScope => ({
  status,
  contexts: {
    github: { event_name: 'push', ref: 'refs/heads/main', event: { commits: [{ id: 'a1' }, { id: 'b2' }] } },
    matrix: { seed: 3, os: 'linux' },
    needs: { train: { result: 'success', outputs: { accuracy: '0.97', metrics: '{"f1":0.9}' } } },
    steps: { v: { outputs: { rows: '344' }, outcome: 'success', conclusion: 'success' } },
    ...contexts,
  },
});

describe('evaluateExpression', () => {
  it('reads contexts, keeps types, and runs the built-in functions', () => {
    expect(evaluateExpression('matrix.seed', scope())).toBe(3);
    expect(evaluateExpression("github.ref == 'refs/heads/main'", scope())).toBe(true);
    expect(evaluateExpression('needs.train.outputs.accuracy >= 0.95', scope())).toBe(true);
    expect(evaluateExpression('fromJSON(needs.train.outputs.metrics).f1', scope())).toBe(0.9);
    expect(evaluateExpression("format('{0}-{1}', matrix.os, matrix.seed)", scope())).toBe('linux-3');
    expect(evaluateExpression('github.event.commits.*.id', scope())).toEqual(['a1', 'b2']);
    expect(evaluateExpression("contains(github.event.commits.*.id, 'b2')", scope())).toBe(true);
    // A missing property is null, as on GitHub, and `||` gives the fallback.
    expect(evaluateExpression("inputs.epochs || '120'", scope())).toBe('120');
    expect(evaluateExpression('steps.nothing.outputs.x', scope())).toBeNull();
  });

  it.each([
    ['success', { 'success()': true, 'failure()': false, 'cancelled()': false, 'always()': true }],
    ['failure', { 'success()': false, 'failure()': true, 'cancelled()': false, 'always()': true }],
    ['cancelled', { 'success()': false, 'failure()': false, 'cancelled()': true, 'always()': true }],
    ['skipped', { 'success()': false, 'failure()': false, 'cancelled()': false, 'always()': true }],
  ] as const)('status functions when the run so far is %s', (status, expected) => {
    for (const [call, value] of Object.entries(expected))
      expect({ call, value: evaluateExpression(call, scope(status)) }).toEqual({ call, value });
    // Combined with other conditions, as `if:` holds them.
    expect(evaluateExpression('success() && matrix.seed == 3', scope(status))).toBe(status === 'success');
    expect(evaluateExpression("failure() || github.event_name == 'push'", scope(status))).toBe(true);
  });

  it('says which expression failed to parse or to run', () => {
    expect(() => evaluateExpression('matrix.seed ==', scope())).toThrow(InputError);
    expect(() => evaluateExpression('matrix.seed ==', scope())).toThrow(/\$\{\{ matrix\.seed == \}\} does not parse/);
    expect(() => evaluateExpression('nosuchfunction(1)', scope())).toThrow(/does not parse/);
    expect(() => evaluateExpression("hashFiles('*.csv')", scope())).toThrow(/hashFiles\(\) is not available/);
  });

  it('truthy follows the runner: empty string, 0, null and false are false; objects true', () => {
    expect([null, false, '', 0, Number.NaN].map(truthy)).toEqual([false, false, false, false, false]);
    expect(['false', '0', 1, {}, []].map(truthy)).toEqual([true, true, true, true, true]);
  });
});

describe('interpolate', () => {
  it('evaluates each ${{ }} of a string, objects as JSON, null as empty, and a }} inside a string literal', () => {
    expect(interpolate('seed ${{ matrix.seed }} on ${{ matrix.os }}', scope())).toBe('seed 3 on linux');
    expect(interpolate('${{ steps.none.outputs.x }}!', scope())).toBe('!');
    expect(interpolate("${{ format('{0}}}', 'a') }}", scope())).toBe('a}');
    expect(interpolate('${{ needs.train.outputs }}', scope())).toBe(JSON.stringify({ accuracy: '0.97', metrics: '{"f1":0.9}' }, null, 2));
    expect(() => interpolate('${{ matrix.seed', scope())).toThrow(/opens \$\{\{ without closing it/);
  });
});

describe('hashFiles', () => {
  const workspace = tempDir('hash-files-');
  mkdirSync(join(workspace, 'data', 'raw'), { recursive: true });
  mkdirSync(join(workspace, '.git'), { recursive: true });
  writeFileSync(join(workspace, 'data', 'a.csv'), 'a\n1\n');
  writeFileSync(join(workspace, 'data', 'raw', 'b.csv'), 'b\n2\n');
  writeFileSync(join(workspace, 'params.yaml'), 'seed: 0\n');
  writeFileSync(join(workspace, '.git', 'x.csv'), 'never\n');
  const sha = (text: string): Buffer => createHash('sha256').update(text).digest();
  const expected = (...texts: string[]): string =>
    createHash('sha256')
      .update(Buffer.concat(texts.map(sha)))
      .digest('hex');

  it('hashes the sha256 of each matching file, in path order, as the runner does', () => {
    expect(hashFiles(workspace, ['data/**/*.csv'])).toBe(expected('a\n1\n', 'b\n2\n'));
    expect(hashFiles(workspace, ['**/*.csv', '!data/raw/**'])).toBe(expected('a\n1\n'));
    expect(hashFiles(workspace, ['params.yaml', 'data/a.csv'])).toBe(expected('a\n1\n', 'seed: 0\n'));
    expect(hashFiles(workspace, ['*.parquet'])).toBe('');
  });

  it('is what hashFiles() gives in an expression', () => {
    const withFiles: ExpressionScope = { ...scope(), hashFiles: (p) => hashFiles(workspace, p) };
    expect(evaluateExpression("hashFiles('data/**/*.csv', 'params.yaml')", withFiles)).toBe(expected('a\n1\n', 'b\n2\n', 'seed: 0\n'));
    expect(interpolate("train-${{ hashFiles('params.yaml') }}", withFiles)).toBe(`train-${expected('seed: 0\n')}`);
  });

  it('globs: ** spans folders, * and ? stay within a name, a folder matches what it holds', () => {
    expect(globToRegExp('**/*.csv').test('a/b/c.csv')).toBe(true);
    expect(globToRegExp('**/*.csv').test('c.csv')).toBe(true);
    expect(globToRegExp('*.csv').test('a/c.csv')).toBe(false);
    expect(globToRegExp('data?.csv').test('data1.csv')).toBe(true);
    expect(globToRegExp('model').test('model/model.onnx')).toBe(true);
    expect(globToRegExp('a.b').test('aXb')).toBe(false);
  });
});
