// Hostile input: a schema pattern that backtracks catastrophically is refused, naming the field and pattern.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catastrophicBacktracking } from '../../../../shared/data/table-schema/pattern-risk.js';
import { runValidateData, workspaceWith } from '../profile-run.js';

describe('catastrophicBacktracking', () => {
  it.each(['(a+)+b', '(a*)*', '(\\w+\\s?)+$', '((ab)*c)+', '(a|aa)+', '(a|a)*b', '(.*,)+x', '(-.+)+', '(a+){2,}', '(\\d)\\1'])(
    'refuses %s',
    (pattern) => expect(catastrophicBacktracking(pattern)).toBeDefined(),
  );
  it.each(['[A-Z]{2}-\\d+', '(ab)+', '(\\d|x)+', '[a-z]+(-[a-z]+)*', '\\d{1,3}(,\\d{3})*', '(a+)?b', '[(a+)+]', '\\(a+\\)+', '(?:ab|cd)+'])(
    'accepts %s',
    (pattern) => expect(catastrophicBacktracking(pattern)).toBeUndefined(),
  );
});

describe('validate-data with a catastrophic pattern', () => {
  it('refuses the schema quickly, naming the file, field and pattern', async () => {
    const dir = workspaceWith({ 'data.csv': `x\n${'a'.repeat(29)}\n` });
    writeFileSync(join(dir, 'schema.yaml'), 'fields:\n  - name: x\n    constraints:\n      pattern: "(a+)+b"\n');
    const started = Date.now();
    const run = await runValidateData(dir, { data: 'data.csv', schema: 'schema.yaml' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(run.ok).toBe(false);
    const text = run.log.join('\n');
    expect(text).toMatch(/schema\.yaml/);
    expect(text).toMatch(/fields\/0\/constraints\/pattern/);
    expect(text).toContain('(a+)+b');
    expect(text).not.toMatch(/bug in mlops-actions/);
  });
});
