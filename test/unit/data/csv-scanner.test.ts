import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CsvScanner, type FieldRanges, fieldText, FieldQuoting } from '../../../shared/data/csv-scanner.js';
import { penguinsCsv, seattleCsv } from './real-data.js';

interface Scanned {
  records: { line: number; cells: string[]; malformed: boolean[] }[];
  unterminated: number[];
}

function sink(into: Scanned) {
  return {
    record(buf: Uint8Array, fields: FieldRanges, count: number, line: number) {
      const cells: string[] = [];
      const malformed: boolean[] = [];
      for (let i = 0; i < count; i++) {
        cells.push(fieldText(buf, fields, i));
        malformed.push(fields.quoting[i] === FieldQuoting.Malformed);
      }
      into.records.push({ line, cells, malformed });
    },
    unterminatedQuote(line: number) {
      into.unterminated.push(line);
    },
  };
}

/** Scans the whole text in one buffer. */
function scanAll(text: string | Buffer, delimiter = 0x2c): Scanned & { scanner: CsvScanner } {
  const buf = typeof text === 'string' ? Buffer.from(text) : text;
  const out: Scanned = { records: [], unterminated: [] };
  const scanner = new CsvScanner(delimiter);
  const end = scanner.scan(buf, 0, buf.length, true, sink(out));
  expect(end).toBe(buf.length);
  return { ...out, scanner };
}

/** Scans `bytes` fed in two pieces split at `cut`, carrying the unconsumed tail over as a reader does. */
function scanSplit(bytes: Buffer, cut: number): Scanned {
  const out: Scanned = { records: [], unterminated: [] };
  const scanner = new CsvScanner(0x2c);
  const first = bytes.subarray(0, cut);
  const consumed = scanner.scan(first, 0, first.length, false, sink(out));
  const rest = Buffer.concat([first.subarray(consumed), bytes.subarray(cut)]);
  scanner.scan(rest, 0, rest.length, true, sink(out));
  return out;
}

// The first rows of the Palmer penguins, with a few fields quoted the ways RFC 4180 allows.
const penguinRows = readFileSync(penguinsCsv, 'utf8').split('\n').slice(0, 6);

describe('CsvScanner', () => {
  it('reads plain records with their line numbers', () => {
    const { records } = scanAll(`${penguinRows.join('\n')}\n`);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records[1]!.cells).toEqual(['Adelie', 'Torgersen', '39.1', '18.7', '181', '3750', 'MALE']);
    expect(records[4]!.cells).toEqual(['Adelie', 'Torgersen', '', '', '', '', '']);
  });

  it('unquotes quoted fields and undoubles doubled quotes', () => {
    const { records } = scanAll('species,note\n"Adelie","said ""hi"", twice"\n"",x\n');
    expect(records[1]!.cells).toEqual(['Adelie', 'said "hi", twice']);
    expect(records[2]!.cells).toEqual(['', 'x']);
  });

  it('treats CRLF like LF, and a lone CR as a line end', () => {
    const crlf = scanAll(`${penguinRows.join('\r\n')}\r\n`);
    const lf = scanAll(`${penguinRows.join('\n')}\n`);
    expect(crlf.records).toEqual(lf.records);
    expect(crlf.records[1]!.cells[6]).toBe('MALE');
    const cr = scanAll(`${penguinRows.slice(0, 3).join('\r')}\r`);
    expect(cr.records.map((r) => [r.line, r.cells.length])).toEqual([
      [1, 7],
      [2, 7],
      [3, 7],
    ]);
  });

  it('keeps newlines inside quotes and numbers the following lines correctly', () => {
    const text = 'island,note\nTorgersen,"line one\nline two\r\nline three"\nBiscoe,plain\n"Dream","x"\n';
    const { records, scanner } = scanAll(text);
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6]);
    expect(records[1]!.cells[1]).toBe('line one\nline two\r\nline three');
    expect(records[2]!.cells).toEqual(['Biscoe', 'plain']);
    expect(scanner.line).toBe(7);
  });

  it('gives an empty last field for a trailing delimiter', () => {
    const { records } = scanAll('a,b,\n1,2,\n');
    expect(records[1]!.cells).toEqual(['1', '2', '']);
  });

  it('skips blank lines but counts them in line numbers', () => {
    const { records, scanner } = scanAll(`${penguinRows[0]}\n\n${penguinRows[1]}\r\n\r\n\n${penguinRows[2]}\n`);
    expect(records.map((r) => r.line)).toEqual([1, 3, 6]);
    expect(scanner.blankLines).toBe(3);
  });

  it('reads a last record without a final newline', () => {
    const { records } = scanAll(penguinRows.slice(0, 3).join('\n'));
    expect(records).toHaveLength(3);
    expect(records[2]!.cells[6]).toBe('FEMALE');
  });

  it('flags text after a closing quote as malformed', () => {
    const { records } = scanAll('a,b\n"Adelie"x,1\n');
    expect(records[1]!.malformed).toEqual([true, false]);
    expect(records[1]!.cells[1]).toBe('1');
  });

  it('reports an unterminated quote with the line it starts on', () => {
    const { records, unterminated } = scanAll(`${penguinRows.slice(0, 3).join('\n')}\nAdelie,"Torgersen,39.1\n${penguinRows[4]}\n`);
    expect(records).toHaveLength(3);
    expect(unterminated).toEqual([4]);
  });

  it('reads TSV with a tab delimiter', () => {
    const { records } = scanAll('a\tb,c\n1\t"x\ty"\n', 0x09);
    expect(records[0]!.cells).toEqual(['a', 'b,c']);
    expect(records[1]!.cells).toEqual(['1', 'x\ty']);
  });

  it('stops at the first record starting at or after stopAt', () => {
    const text = Buffer.from(`${penguinRows.join('\n')}\n`);
    const out: Scanned = { records: [], unterminated: [] };
    const scanner = new CsvScanner(0x2c);
    const end = scanner.scan(text, 0, text.length, true, sink(out), 1);
    expect(out.records).toHaveLength(1);
    expect(end).toBe(penguinRows[0]!.length + 1);
    expect(scanner.line).toBe(2);
  });

  it('gives the same records whatever byte a buffer boundary falls on', () => {
    // A small real CSV, with quoted fields, a quoted newline, doubled quotes and CRLF mixed in.
    const rows = readFileSync(seattleCsv, 'utf8').split('\n').slice(0, 8);
    rows[2] = rows[2]!.replace(/,(\w+)$/, ',"$1"');
    rows[3] = rows[3]!.replace(/,(\w+)$/, ',"$1\nand ""more"""');
    const text = Buffer.from(`${rows.slice(0, 5).join('\r\n')}\r\n${rows.slice(5).join('\n')}\n`);
    const whole = scanAll(text);
    expect(whole.records).toHaveLength(8);
    expect(whole.records[3]!.cells[5]).toBe('rain\nand "more"');
    expect(whole.records.map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
    for (let cut = 0; cut <= text.length; cut++) {
      const split = scanSplit(text, cut);
      expect({ cut, records: split.records, unterminated: split.unterminated }).toEqual({ cut, records: whole.records, unterminated: [] });
    }
  });
});
