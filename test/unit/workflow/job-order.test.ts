import { describe, expect, it } from '@jest/globals';
import { allNeeds, orderByNeeds } from '../../../shared/workflow/job-order.js';

describe('orderByNeeds', () => {
  it('puts each job after every job it needs, ties in the order of the file', () => {
    const jobs = [
      { id: 'report', needs: ['evaluate', 'validate'] },
      { id: 'evaluate', needs: ['train'] },
      { id: 'validate', needs: [] },
      { id: 'train', needs: ['validate'] },
      { id: 'lint', needs: [] },
    ];
    expect(orderByNeeds(jobs)).toEqual(['validate', 'train', 'evaluate', 'report', 'lint']);
    expect([...allNeeds('report', jobs)].sort()).toEqual(['evaluate', 'train', 'validate']);
    expect([...allNeeds('lint', jobs)]).toEqual([]);
  });

  it('names an unknown job and a loop', () => {
    expect(() => orderByNeeds([{ id: 'a', needs: ['b'] }])).toThrow('job a needs b, which is not a job of this workflow');
    expect(() =>
      orderByNeeds([
        { id: 'a', needs: ['c'] },
        { id: 'b', needs: ['a'] },
        { id: 'c', needs: ['b'] },
        { id: 'd', needs: [] },
      ]),
    ).toThrow('the jobs a, b, c need each other in a loop');
  });
});
