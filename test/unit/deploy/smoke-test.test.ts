// Smoke-test files: parsing (line numbers in errors), comparison within a tolerance, and running cases.
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { firstMismatch, parseSmokeTest, runSmokeTest } from '../../../shared/deploy/smoke-test.js';

describe('parseSmokeTest', () => {
  it('reads one case per line, skipping blank lines and comments, with defaults', () => {
    const cases = parseSmokeTest(
      [
        '# digits',
        '{"request": {"inputs": [[1, 2]]}, "expected": {"predictions": [[3]]}, "tolerance": 0.01}',
        '',
        '{"request": {}, "path": "/v2/models/{name}/infer"}',
      ].join('\n'),
      'smoke.jsonl',
    );
    expect(cases).toEqual([
      { line: 2, path: '/invocations', request: { inputs: [[1, 2]] }, expected: { predictions: [[3]] }, tolerance: 0.01 },
      { line: 4, path: '/v2/models/{name}/infer', request: {}, tolerance: 0 },
    ]);
  });

  it.each([
    ['{"request": 1', /line 1: not valid JSON/],
    ['[1, 2]', /line 1: expected an object/],
    ['{"expected": {}}', /line 1: no "request"/],
    ['{"request": {}, "tolerance": -1}', /line 1: "tolerance" is -1; expected a number ≥ 0/],
    ['{"request": {}, "tolerence": 0.1}', /line 1: unknown key tolerence/],
    ['{"request": {}, "path": "http://elsewhere/x"}', /line 1: "path" is "http:\/\/elsewhere\/x"/],
    ['\n# nothing\n', /has no cases/],
  ])('refuses %s naming the file and line', (text, message) => {
    expect(() => parseSmokeTest(text, 'smoke.jsonl')).toThrow(InputError);
    expect(() => parseSmokeTest(text, 'smoke.jsonl')).toThrow(message);
  });

  it('locates the bad line for annotations', () => {
    try {
      parseSmokeTest('{"request": {}}\n{"request": {}, "tolerance": "a"}', 'd/smoke.jsonl');
      throw new Error('expected an InputError');
    } catch (error) {
      expect((error as InputError).at).toEqual({ file: 'd/smoke.jsonl', line: 2 });
    }
  });
});

describe('firstMismatch', () => {
  it('compares numbers within the absolute tolerance, exactly at 0', () => {
    expect(firstMismatch(1.0, 1.0005, 0.001)).toBeUndefined();
    expect(firstMismatch(1.0, 1.0015, 0.001)).toMatch(/^\$: expected 1, got 1\.0015 \(off by 0\.00150, tolerance 0\.001\)$/);
    expect(firstMismatch(3, 3, 0)).toBeUndefined();
    expect(firstMismatch(3, 3.0000001, 0)).toMatch(/expected 3, got 3\.0000001/);
  });

  it('walks arrays and objects and names the path of the first difference', () => {
    const expected = {
      predictions: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
    };
    expect(
      firstMismatch(
        expected,
        {
          predictions: [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
          extra: 1,
        },
        0,
      ),
    ).toBeUndefined();
    expect(
      firstMismatch(
        expected,
        {
          predictions: [
            [0.1, 0.2],
            [0.3, 0.5],
          ],
        },
        0.05,
      ),
    ).toMatch(/^\$\.predictions\[1\]\[1\]: expected 0\.4, got 0\.5/);
    expect(firstMismatch(expected, { predictions: [[0.1, 0.2]] }, 0)).toBe('$.predictions: expected 2 items, got 1');
    expect(firstMismatch(expected, {}, 0)).toBe('$.predictions: missing');
    expect(firstMismatch({ label: 'cat' }, { label: 'dog' }, 1)).toBe('$.label: expected "cat", got "dog"');
    expect(firstMismatch([1], { 0: 1 }, 0)).toMatch(/expected an array of 1/);
  });
});

describe('runSmokeTest', () => {
  const cases = parseSmokeTest(
    [
      '{"request": {"a": 1}, "expected": {"y": [1.0]}, "tolerance": 0.1}',
      '{"request": {"a": 2}, "expected": {"y": [2.0]}, "path": "/v2/models/{name}/infer"}',
    ].join('\n'),
    'smoke.jsonl',
  );

  it('passes when every answer matches, filling {name}', async () => {
    const paths: string[] = [];
    const outcome = await runSmokeTest(
      cases,
      async (path, body) => {
        paths.push(path);
        return { status: 200, json: { y: [(body as { a: number }).a + 0.05] }, text: '' };
      },
      'digits',
    );
    expect(outcome).toEqual({ passed: 1, failure: { line: 2, reason: '$.y[0]: expected 2, got 2.05 (off by 0.0500, tolerance 0)' } });
    expect(paths).toEqual(['/invocations', '/v2/models/digits/infer']);
  });

  it('fails on a status other than 200 and on a request that cannot be sent', async () => {
    expect(await runSmokeTest(cases, async () => ({ status: 400, json: undefined, text: 'bad input' }), 'm')).toEqual({
      passed: 0,
      failure: { line: 1, reason: 'POST /invocations answered 400: bad input' },
    });
    expect(
      await runSmokeTest(
        cases,
        async () => {
          throw new Error('connection refused');
        },
        'm',
      ),
    ).toEqual({ passed: 0, failure: { line: 1, reason: 'POST /invocations failed: connection refused' } });
  });
});
