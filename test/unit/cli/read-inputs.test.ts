import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { parse as parseYaml } from 'yaml';
import { numbersFlowMap, readInputs } from '../../../shared/schemas/inputs.js';
import { validateDataSpec, type ValidateDataInputs } from '../../../shared/schemas/validate-data.js';

function read(inputs: Record<string, string>): Promise<ValidateDataInputs> {
  return readInputs<ValidateDataInputs>(validateDataSpec, (name) => inputs[name]);
}
async function message(inputs: Record<string, string>): Promise<string> {
  try {
    await read(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readInputs with the validate-data schema', () => {
  it('applies defaults and parses lines, YAML and integers', async () => {
    const inputs = await read({ data: 'data/a.csv\n\n# a comment\n  data/b-*.csv  \n', 'max-reported-errors': '7' });
    expect(inputs.data).toEqual(['data/a.csv', 'data/b-*.csv']);
    expect(inputs['drift-threshold']).toEqual({ psi: 0.2, js: 0.1, 'p-value': 0.05 });
    expect(inputs['drift-share']).toBe(0.5);
    expect(inputs['fail-on']).toBe('errors');
    expect(inputs['max-reported-errors']).toBe(7);
    expect(inputs['working-directory']).toBe('.');
    expect(inputs.schema).toBeUndefined();
  });

  it('names the input, the value and what was expected', async () => {
    expect(await message({})).toBe(`Input 'data' is required: ${validateDataSpec.inputs.data!.description}`);
    expect(await message({ data: 'a.csv', 'fail-on': 'sometimes' })).toBe(
      `Input 'fail-on' is "sometimes": expected one of "errors", "drift", "never".`,
    );
    expect(await message({ data: 'a.csv', 'max-reported-errors': 'lots' })).toBe(
      `Input 'max-reported-errors' is "lots": expected an integer.`,
    );
    expect(await message({ data: 'a.csv', 'max-reported-errors': '-1' })).toBe(
      `Input 'max-reported-errors' is "-1": expected a number >= 0.`,
    );
    expect(await message({ data: 'a.csv', 'drift-threshold': '{psi: -1, js: 0.1}' })).toBe(
      `Input 'drift-threshold' is "{psi: -1, js: 0.1}" (at psi): expected a number > 0.`,
    );
    expect(await message({ data: 'a.csv', 'drift-threshold': '{psi: 0.2, js: 2}' })).toBe(
      `Input 'drift-threshold' is "{psi: 0.2, js: 2}" (at js): expected a number <= 1.`,
    );
    expect(await message({ data: 'a.csv', 'drift-threshold': '{psi: 0.2, js: 0.1, ks: 1}' })).toBe(
      `Input 'drift-threshold' is "{psi: 0.2, js: 0.1, ks: 1}": expected no key "ks".`,
    );
    expect(await message({ data: 'a.csv', 'drift-threshold': '{psi: [' })).toMatch(/^Input 'drift-threshold' is not valid YAML: /);
    expect(await message({ data: 'a.csv', 'drift-threshold': '{p-value: 1}' })).toBe(
      `Input 'drift-threshold' is "{p-value: 1}" (at p-value): expected a number < 1.`,
    );
    expect(await message({ data: 'a.csv', 'drift-share': '1.5' })).toBe(`Input 'drift-share' is "1.5": expected a number <= 1.`);
  });

  it('names the bad threshold even when the other one is left to its default', async () => {
    // Giving one threshold keeps the other's default, as the README's default `{psi: 0.2, js: 0.1}` suggests.
    expect((await read({ data: 'a.csv', 'drift-threshold': '{psi: 0.3}' }))['drift-threshold']).toEqual({
      psi: 0.3,
      js: 0.1,
      'p-value': 0.05,
    });
    expect((await read({ data: 'a.csv', 'drift-threshold': '{p-value: 0.01}' }))['drift-threshold']).toEqual({
      psi: 0.2,
      js: 0.1,
      'p-value': 0.01,
    });
    expect(await message({ data: 'a.csv', 'drift-threshold': '{psi: -1}' })).toBe(
      `Input 'drift-threshold' is "{psi: -1}" (at psi): expected a number > 0.`,
    );
  });
});

describe('numbersFlowMap (YAML inputs read without the YAML package)', () => {
  it('reads the drift-threshold default and simple flow maps of numbers as the YAML package does', () => {
    for (const text of [
      '{psi: 0.2, js: 0.1, p-value: 0.05}',
      ' {psi: 0.3} ',
      '{a: 1, b_c: -2, d: +3, e: .5, f: 1., g: 1e3, h: 2.5E-2, i: 010, j: -0, k: 1e400}',
      '{constructor: 1, toString: 2}',
    ]) {
      expect(numbersFlowMap(text)).toEqual(parseYaml(text));
    }
  });

  it('leaves anything else to the YAML package', () => {
    for (const text of [
      '{}',
      '{psi: 0.2,}',
      '{psi: 0.2, psi: 0.3}',
      '{true: 1}',
      '{null: 1}',
      '{1: 2}',
      '{"psi": 0.2}',
      '{psi: .inf}',
      '{psi: 0x10}',
      '{psi: 1_000}',
      '{psi: 0.2 # comment}',
      '{psi:0.2}',
      '{psi: [0.2]}',
      '{psi: 0.2,\n js: 0.1}',
      'psi: 0.2',
      '[0.2]',
    ]) {
      expect(numbersFlowMap(text)).toBeUndefined();
    }
  });
});
