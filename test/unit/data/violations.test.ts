import { describe, expect, it } from '@jest/globals';
import { ViolationLog } from '../../../shared/data/violations.js';

describe('ViolationLog', () => {
  it('counts every violation and keeps only the first `limit`, building messages only for those', () => {
    const log = new ViolationLog(2);
    let built = 0;
    for (let line = 2; line < 7; line++) log.add('penguins.csv', line, 'maximum', () => `message ${++built}`, 'body_mass_g', '6300');
    expect(log.count).toBe(5);
    expect(built).toBe(2);
    expect(log.reported).toEqual([
      { file: 'penguins.csv', line: 2, column: 'body_mass_g', value: '6300', rule: 'maximum', message: 'message 1' },
      { file: 'penguins.csv', line: 3, column: 'body_mass_g', value: '6300', rule: 'maximum', message: 'message 2' },
    ]);
  });

  it('shortens long values to 80 characters', () => {
    const log = new ViolationLog(1);
    log.add('f.csv', 1, 'pattern', () => 'm', 'c', 'x'.repeat(200));
    expect(log.reported[0]!.value).toBe(`${'x'.repeat(80)}…`);
  });

  it('with a limit of 0 still counts', () => {
    const log = new ViolationLog(0);
    log.add('f.csv', 1, 'type', () => 'm');
    expect([log.count, log.reported.length]).toEqual([1, 0]);
  });

  it('absorbs violations from another thread, shifting lines and respecting the limit', () => {
    const log = new ViolationLog(3);
    log.add('f.csv', 5, 'type', () => 'first');
    log.absorb(
      10,
      [
        { file: 'f.csv', line: 1, rule: 'type', message: 'a' },
        { file: 'f.csv', rule: 'encoding', message: 'b' },
        { file: 'f.csv', line: 3, rule: 'type', message: 'c' },
      ],
      100,
    );
    expect(log.count).toBe(11);
    expect(log.reported.map((v) => [v.line, v.message])).toEqual([
      [5, 'first'],
      [101, 'a'],
      [undefined, 'b'],
    ]);
  });
});
