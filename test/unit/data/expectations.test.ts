import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkExpectations, loadExpectations } from '../../../shared/data/expectations.js';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { ViolationLog } from '../../../shared/data/violations.js';
import { InputError } from '../../../shared/errors.js';
import { profileOf, workspaceWith } from './profile-run.js';
import { penguinsCsv } from './real-data.js';

async function loadError(text: string): Promise<InputError> {
  const dir = workspaceWith({ 'expectations.yaml': text });
  const error = await loadExpectations('expectations.yaml', dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadExpectations', () => {
  it('names the file, the JSON pointer and the line of an unknown key', async () => {
    const error = await loadError('rows: {min: 300}\ncolumns:\n  body_mass_g:\n    mean: {min: 3500}\n    median: {min: 3}\n');
    expect(error.message).toBe(
      'expectations.yaml: /columns/body_mass_g: unknown key "median" (see the expectations format in the README).',
    );
    expect(error.at).toEqual({ file: 'expectations.yaml', line: 5 });
  });

  it('names the pointer and line of a value of the wrong type', async () => {
    const error = await loadError('rows:\n  min: 300\n  max: lots\n');
    expect(error.message).toMatch(/^expectations\.yaml: \/rows\/max: must be number/);
    expect(error.at).toEqual({ file: 'expectations.yaml', line: 3 });
  });

  it('refuses a quantile that is not one of the profile quantiles', async () => {
    const error = await loadError('columns:\n  body_mass_g:\n    quantiles: {p42: {max: 1}}\n');
    expect(error.message).toMatch(/^expectations\.yaml: \/columns\/body_mass_g\/quantiles/);
    expect(error.at.file).toBe('expectations.yaml');
  });

  it('reports YAML syntax errors with the file and line', async () => {
    const error = await loadError('rows: {min: 300\ncolumns: [\n');
    expect(error.message).toMatch(/^expectations\.yaml is not valid YAML: /);
    expect(error.at.file).toBe('expectations.yaml');
    expect(error.at.line).toBeGreaterThanOrEqual(1);
  });

  it('reads inline YAML when no such file exists, and says so in messages', async () => {
    const inline = await loadExpectations('rows: {min: 300}\ncolumns: {sex: {max-null-fraction: 0.05}}', workspaceWith({}));
    expect(inline.rows).toEqual({ min: 300 });
    expect(inline.file).toBe("input 'expectations'");
    await expect(loadExpectations('expectations.yml', workspaceWith({}))).rejects.toThrow(
      /Input 'expectations': expectations\.yml is neither a file/,
    );
  });
});

describe('checkExpectations on the penguins profile', () => {
  let profile: ProfileJSON;
  beforeAll(async () => {
    profile = await profileOf(readFileSync(penguinsCsv));
  });

  it('passes rules the data meets', async () => {
    const dir = workspaceWith({
      'ok.yaml':
        'rows: {min: 300, max: 100000}\ncolumns:\n  body_mass_g:\n    max-null-fraction: 0.01\n    mean: {min: 3500, max: 5000}\n    quantiles: {p50: {min: 3800, max: 4400}, p99: {max: 6500}}\n    distinct: {min: 50}\n',
    });
    const log = new ViolationLog(50);
    checkExpectations(await loadExpectations('ok.yaml', dir), profile, log);
    expect(log.reported).toEqual([]);
  });

  it('reports each broken rule at the line of the rule', async () => {
    const text = [
      'rows: {min: 400}', // line 1
      'columns:',
      '  sex:',
      '    max-null-fraction: 0.01', // line 4: sex has 11 of 344 empty
      '  body_mass_g:',
      '    mean: {min: 4500}', // line 6: the mean is 4201.75
      '    quantiles:',
      '      p99: {max: 5000}', // line 8
      '    distinct: {max: 10}', // line 9
      '  beak_colour:', // line 10
      '    max-null-fraction: 0',
    ].join('\n');
    const dir = workspaceWith({ 'strict.yaml': text });
    const log = new ViolationLog(50);
    checkExpectations(await loadExpectations('strict.yaml', dir), profile, log);
    expect(log.count).toBe(6);
    expect(log.reported.map((v) => [v.file, v.line, v.rule])).toEqual([
      ['strict.yaml', 1, 'expectation'],
      ['strict.yaml', 4, 'expectation'],
      ['strict.yaml', 6, 'expectation'],
      ['strict.yaml', 8, 'expectation'],
      ['strict.yaml', 9, 'expectation'],
      ['strict.yaml', 10, 'expectation'],
    ]);
    expect(log.reported[0]!.message).toBe('row count 344 is not >= 400');
    expect(log.reported[1]!.message).toBe('column sex: null fraction 0.0320 is above 0.01');
    expect(log.reported[2]!.message).toMatch(/^column body_mass_g: mean 4201\.75\d* is not >= 4500$/);
    expect(log.reported[5]!.message).toMatch(/^column beak_colour is not in the data/);
  });
});
