// strategy.matrix as GitHub expands it, checked on the examples of GitHub's documentation
// ("Using a matrix for your jobs": expanding and adding configurations, excluding).
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../shared/errors.js';
import { expandMatrix, matrixJobName } from '../../../shared/workflow/matrix.js';

describe('expandMatrix', () => {
  it('is the product of the vectors, the first key outermost', () => {
    expect(expandMatrix({ os: ['ubuntu', 'windows'], node: [14, 16] }, 'j')).toEqual([
      { os: 'ubuntu', node: 14 },
      { os: 'ubuntu', node: 16 },
      { os: 'windows', node: 14 },
      { os: 'windows', node: 16 },
    ]);
  });

  it('adds include entries to the combinations whose original values they keep, and appends the others (the documented example)', () => {
    const combinations = expandMatrix(
      {
        fruit: ['apple', 'pear'],
        animal: ['cat', 'dog'],
        include: [
          { color: 'green' },
          { color: 'pink', animal: 'cat' },
          { fruit: 'apple', shape: 'circle' },
          { fruit: 'banana' },
          { fruit: 'banana', animal: 'cat' },
        ],
      },
      'j',
    );
    expect(combinations).toEqual([
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ]);
  });

  it('removes excluded combinations (partial matches too) before include', () => {
    const combinations = expandMatrix(
      {
        os: ['macos', 'windows'],
        version: [12, 14, 16],
        environment: ['staging', 'production'],
        exclude: [
          { os: 'macos', version: 12, environment: 'production' },
          { os: 'windows', version: 16 },
        ],
      },
      'j',
    );
    expect(combinations).toHaveLength(12 - 1 - 2);
    expect(combinations).not.toContainEqual({ os: 'macos', version: 12, environment: 'production' });
    expect(combinations.filter((c) => c.os === 'windows' && c.version === 16)).toEqual([]);
  });

  it('is only the include entries when there is no vector', () => {
    expect(expandMatrix({ include: [{ site: 'a' }, { site: 'b' }] }, 'j')).toEqual([{ site: 'a' }, { site: 'b' }]);
  });

  it('names a bad matrix, key and value', () => {
    expect(() => expandMatrix({ seed: [] }, 'train')).toThrow(InputError);
    expect(() => expandMatrix({ seed: [] }, 'train')).toThrow('jobs.train.strategy.matrix.seed is []; expected a non-empty list');
    expect(() => expandMatrix({ include: 'x' }, 'train')).toThrow('jobs.train.strategy.matrix.include is "x"; expected a list of mappings');
    expect(() => expandMatrix('x', 'train')).toThrow('jobs.train.strategy.matrix is "x"; expected a mapping');
  });
});

describe('matrixJobName', () => {
  it('is the job name with the values, as GitHub shows it', () => {
    expect(matrixJobName('train', { seed: 0, os: 'linux' })).toBe('train (0, linux)');
    expect(matrixJobName('train', {})).toBe('train');
  });
});
