// The process target's proxy splits new connections by weight, deterministically.
import { describe, expect, it } from '@jest/globals';
import { routesProblem, WeightedChooser } from '../../../shared/deploy/traffic-proxy.js';

describe('WeightedChooser', () => {
  it('gives a 20 % canary exactly every fifth connection', () => {
    const chooser = new WeightedChooser([
      { id: 'stable', port: 1, weight: 80 },
      { id: 'canary', port: 2, weight: 20 },
    ]);
    const picks = Array.from({ length: 100 }, () => chooser.next()[0]!.id);
    expect(picks.filter((p) => p === 'canary')).toHaveLength(20);
    // Spread out, not in a run: every window of five has exactly one.
    for (let i = 0; i < 100; i += 5) expect(picks.slice(i, i + 5).filter((p) => p === 'canary')).toHaveLength(1);
  });

  it('offers the others as fallbacks, skips weight 0, and has nothing without routes', () => {
    const chooser = new WeightedChooser([
      { id: 'a', port: 1, weight: 100 },
      { id: 'b', port: 2, weight: 0 },
    ]);
    expect(chooser.next().map((b) => b.id)).toEqual(['a']);
    expect(new WeightedChooser([]).next()).toEqual([]);
    const two = new WeightedChooser([
      { id: 'a', port: 1, weight: 50 },
      { id: 'b', port: 2, weight: 50 },
    ]);
    expect(two.next().map((b) => b.id)).toEqual(['a', 'b']);
    expect(two.next().map((b) => b.id)).toEqual(['b', 'a']);
  });

  it('checks routes sent to the control endpoint', () => {
    expect(routesProblem({ backends: [{ id: '1', port: 8081, weight: 100 }] })).toBeUndefined();
    expect(routesProblem({ backends: [] })).toBeUndefined();
    expect(routesProblem({})).toMatch(/expected/);
    expect(routesProblem({ backends: [{ id: '1', port: 70000, weight: 1 }] })).toMatch(/bad backend/);
    expect(routesProblem({ backends: [{ id: '1', port: 80, weight: 101 }] })).toMatch(/bad weight/);
  });
});
