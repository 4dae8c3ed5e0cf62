// Hostile input: a schema pattern that would backtrack catastrophically in RegExp runs in linear time
// on RE2JS and still validates; a pattern the engine cannot run is refused, naming the field and pattern.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCellPattern } from '../../../../shared/data/table-schema/cell-pattern.js';
import { compileField } from '../../../../shared/data/table-schema/field.js';
import { runValidateData, workspaceWith } from '../profile-run.js';

const test = (pattern: string, cell: string): boolean => {
  const compiled = compileCellPattern(pattern);
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled(cell);
};

describe('compileCellPattern', () => {
  it('matches the whole value, as XML Schema does', () => {
    expect(test('a|ab', 'ab')).toBe(true);
    expect(test('b', 'ab')).toBe(false);
    expect(test('[A-Z]{2}-\\d{4}', 'AB-1234')).toBe(true);
    expect(test('[A-Z]{2}-\\d{4}', 'AB-1234x')).toBe(false);
    expect(test('a', 'a\n')).toBe(false);
    expect(test('café', 'café')).toBe(true);
    expect(test('\\\\u0041', '\\u0041')).toBe(true);
  });

  it.each(['(a+)+b', '(a*)*c', '(\\w+\\s?)+', '(a|aa)+b', '(.*,)+x', '(a+){2,}b'])(
    'runs %s on 100,000 characters in linear time',
    (pattern) => {
      const started = Date.now();
      expect(test(pattern, `${'a'.repeat(100_000)}!`)).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
    },
  );

  it('still validates with the nested pattern', () => {
    const codec = compileField({ name: 'x', constraints: { pattern: '(a+)+b' } });
    expect(codec.castAndCheck('aaab')).toBe('aaab');
    expect(codec.castAndCheck('a'.repeat(50_000) + 'c')).toEqual({ rule: 'pattern', expected: 'to match (a+)+b' });
  });

  it.each(['(\\d)\\1', '(?=a)b', '(?!a)b', '('])('gives the reason it cannot run %s', (pattern) => {
    expect(typeof compileCellPattern(pattern)).toBe('string');
    expect(() => compileField({ name: 'x', constraints: { pattern } })).toThrow(
      /field "x": constraints\/pattern is .*; expected an XML Schema regular expression for field "x" .*not one with /,
    );
  });
});

describe('validate-data with a nested pattern', () => {
  it('validates a long almost-matching cell quickly and reports the cell', async () => {
    const dir = workspaceWith({ 'data.csv': `x\naab\n${'a'.repeat(5_000)}c\n` });
    writeFileSync(join(dir, 'schema.yaml'), 'fields:\n  - name: x\n    constraints:\n      pattern: "(a+)+b"\n');
    const started = Date.now();
    const run = await runValidateData(dir, { data: 'data.csv', schema: 'schema.yaml' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.ok).toBe(false);
    const text = run.log.join('\n');
    expect(text).toMatch(/data\.csv:3: column x: "a+c" breaks pattern: expected to match \(a\+\)\+b/);
    expect(text).not.toMatch(/data\.csv:2:/);
    expect(text).not.toMatch(/bug in mlops-actions/);
  });

  it('refuses a back-reference, naming the file, field and pattern', async () => {
    const dir = workspaceWith({ 'data.csv': 'x\naa\n' });
    writeFileSync(join(dir, 'schema.yaml'), 'fields:\n  - name: x\n    constraints:\n      pattern: "(a)\\\\1"\n');
    const run = await runValidateData(dir, { data: 'data.csv', schema: 'schema.yaml' });
    expect(run.ok).toBe(false);
    const text = run.log.join('\n');
    expect(text).toMatch(/schema\.yaml/);
    expect(text).toMatch(/fields\/0\/constraints\/pattern/);
    expect(text).toContain('(a)\\\\1');
    expect(text).not.toMatch(/bug in mlops-actions/);
  });
});
