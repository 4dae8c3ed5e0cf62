import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseIsoDate, parseIsoDatetime, parsePlainDecimal } from '../../../shared/data/byte-values.js';
import { compileField } from '../../../shared/data/table-schema/index.js';
import { penguinsCsv, seattleCsv } from './real-data.js';

function cellsOf(path: string): string[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .flatMap((line) => line.split(','));
}

function bytes(text: string): [Buffer, number, number] {
  // Padding on both sides checks that the parsers stay inside [start, end).
  const buf = Buffer.from(`9${text}9`);
  return [buf, 1, buf.length - 1];
}

const decimal = (text: string, integerOnly = false) => parsePlainDecimal(...bytes(text), integerOnly);

describe('parsePlainDecimal', () => {
  it('agrees with Number() on every cell of seattle-weather.csv and penguins.csv it accepts', () => {
    let accepted = 0;
    for (const cell of [...cellsOf(seattleCsv), ...cellsOf(penguinsCsv)]) {
      const fast = decimal(cell);
      if (Number.isNaN(fast)) {
        // Refusing is allowed only for text that is not a plain decimal.
        expect(/^[+-]?\d+(\.\d+)?$/.test(cell) && cell.replace(/\D/g, '').length <= 15).toBe(false);
        continue;
      }
      accepted++;
      expect(fast).toBe(Number(cell));
    }
    expect(accepted).toBeGreaterThan(1461 * 4);
  });

  it('is exact where Number() is, for 15 significant digits and signs', () => {
    for (const text of [
      '0.1',
      '-0.0',
      '+0.5',
      '123456789012345',
      '1.23456789012345',
      '-999999999999999',
      '0.00000000000001',
      '3.',
      '007',
    ]) {
      expect(Object.is(decimal(text), Number(text))).toBe(true);
    }
  });

  it('agrees with the number and integer codecs of Table Schema wherever it answers', () => {
    const number = compileField({ name: 'x', type: 'number' });
    const integer = compileField({ name: 'x', type: 'integer' });
    for (const cell of [...cellsOf(seattleCsv), ...cellsOf(penguinsCsv), '3.', '.5', '+0.5', '007', '+7', '00.10']) {
      const fast = decimal(cell);
      if (!Number.isNaN(fast)) expect({ cell, value: number.castAndCheck(cell) === fast }).toEqual({ cell, value: true });
      const fastInteger = decimal(cell, true);
      if (!Number.isNaN(fastInteger)) expect({ cell, value: integer.castAndCheck(cell) === fastInteger }).toEqual({ cell, value: true });
    }
  });

  it('refuses what it cannot read exactly or is not plain', () => {
    for (const text of ['', '-', '.', '1e5', '1,5', ' 1', '1 ', 'NaN', '0x10', '1234567890123456', '.5.', '1.2.3']) {
      expect(decimal(text)).toBeNaN();
    }
    expect(decimal('3.5', true)).toBeNaN();
    expect(decimal('-35', true)).toBe(-35);
  });
});

describe('parseIsoDate and parseIsoDatetime', () => {
  it('agree with Date.parse on every date of seattle-weather.csv', () => {
    const dates = cellsOf(seattleCsv).filter((c) => /^\d{4}-/.test(c));
    expect(dates).toHaveLength(1461);
    for (const date of dates) {
      expect(parseIsoDate(...bytes(date))).toBe(Date.parse(date));
      const datetime = `${date}T${date.slice(8, 10) === '29' ? '23:59:59' : '06:30:05'}`;
      expect(parseIsoDatetime(...bytes(datetime))).toBe(Date.parse(`${datetime}Z`));
      expect(parseIsoDatetime(...bytes(`${datetime}Z`))).toBe(Date.parse(`${datetime}Z`));
    }
  });

  it('refuses impossible dates and other forms', () => {
    for (const text of ['2015-02-29', '2012-13-01', '2012-00-10', '2012-04-31', '2012-1-01', '20120101', '2012-01-01T', 'weather']) {
      expect(parseIsoDate(...bytes(text))).toBeNaN();
    }
    expect(parseIsoDate(...bytes('2012-02-29'))).toBe(Date.parse('2012-02-29'));
    expect(parseIsoDate(...bytes('2000-02-29'))).toBe(Date.parse('2000-02-29'));
    expect(parseIsoDate(...bytes('1900-02-29'))).toBeNaN();
    for (const text of [
      '2012-01-01T24:00:00',
      '2012-01-01T10:60:00',
      '2012-01-01 10:00:00',
      '2012-01-01T10:00:00+01:00',
      '2012-01-01T10:00:00.5Z',
    ]) {
      expect(parseIsoDatetime(...bytes(text))).toBeNaN();
    }
  });
});
