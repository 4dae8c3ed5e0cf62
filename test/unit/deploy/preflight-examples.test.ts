// Preflight's example request when there is no smoke test: built from the model's metadata, each input
// filled with the registered profile's typical value of the column of the same name, else zeros.
import { describe, expect, it } from '@jest/globals';
import type { ProfileJSON } from '../../../shared/data/profile.js';
import { exampleFromMetadata } from '../../../shared/deploy/preflight.js';

const column = (name: string, fields: Record<string, unknown>) => ({ name, quantiles: null, mean: null, top: [], ...fields });

describe('exampleFromMetadata', () => {
  it('a batch of one of the right shape, zeros without a profile', () => {
    expect(exampleFromMetadata({ inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }] })).toEqual({
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [0, 0, 0, 0] }],
    });
  });

  it('fills named inputs from the profile: the median, else the mean, else the most frequent value', () => {
    const profile = {
      columns: [
        column('bill_length', { quantiles: { p50: 44.5 }, mean: 43.9 }),
        column('year', { mean: 2008.2 }),
        column('island', { top: [{ value: 'Biscoe', count: 9 }] }),
      ],
    } as unknown as ProfileJSON;
    const example = exampleFromMetadata(
      {
        inputs: [
          { name: 'bill_length', datatype: 'FP32', shape: [-1, 1] },
          { name: 'year', datatype: 'INT64', shape: [-1, 1] },
          { name: 'island', datatype: 'BYTES', shape: [-1, 1] },
          { name: 'flag', datatype: 'BOOL', shape: [-1, 1] },
          { name: 'other', datatype: 'FP64', shape: [-1] },
        ],
      },
      profile,
    ) as { inputs: { name: string; shape: number[]; data: unknown[] }[] };
    expect(example.inputs.map((i) => [i.name, i.shape, i.data])).toEqual([
      ['bill_length', [1, 1], [44.5]],
      ['year', [1, 1], [2008]],
      ['island', [1, 1], ['Biscoe']],
      ['flag', [1, 1], [false]],
      ['other', [1], [0]],
    ]);
  });
});
