// Reads a predictions file (CSV, TSV, JSON lines, Parquet) into columns of text. Prediction files hold
// one row per evaluated example, small next to training data, so they are read whole, up to a bound:
// MAX_PREDICTION_BYTES of text (after gunzip, counted while streaming, so a gzip bomb stops there) or
// MAX_PREDICTION_ROWS rows of Parquet.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { CsvScanner, type FieldRanges, fieldText } from '../data/csv-scanner.js';
import { jsonValueText } from '../data/table-schema/json-value-text.js';
import { openParquet } from '../data/parquet.js';
import { formatOf, isTableFile } from '../data/sources.js';

/** A table of predictions: column name → one text cell per row (null when missing). */
export interface PredictionTable {
  /** The path as the user gave it. */
  path: string;
  columns: string[];
  cells: Map<string, (string | null)[]>;
  rowCount: number;
  /** Line (CSV, JSONL) or 1-based row (Parquet) of each row, for error messages. */
  lines: number[];
}

/**
 * Most bytes of predictions text read (after decompression): every row of it is kept in memory and
 * resampled a thousand times, and V8 cannot hold text much larger as one string (512 MiB).
 */
export const MAX_PREDICTION_BYTES = 256 * 1024 * 1024;
/** Most rows read from a Parquet predictions file: about what MAX_PREDICTION_BYTES of CSV holds. */
export const MAX_PREDICTION_ROWS = 10_000_000;

/** True when `path` names a file this module reads (by extension), false for anything else (e.g. a .json metrics file). */
export const isPredictionFile = isTableFile;

/**
 * Reads the predictions file `path` (relative to `cwd`). `input` names the action input in messages.
 * Throws InputError when the file is missing, of an unknown format, empty, or malformed.
 */
export async function readPredictionTable(path: string, cwd: string, input: string): Promise<PredictionTable> {
  const { format, gzip } = formatOf(path, input);
  const absolute = resolve(cwd, path);
  if (format === 'parquet') return readParquet(absolute, path, input, cwd);
  let bytes = await readBounded(absolute, path, input, cwd, gzip);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (bytes.toString('utf8').trim() === '')
    throw new InputError(`Input '${input}': ${path} is empty: expected a header and one row per prediction.`, { file: path, line: 1 });
  return format === 'jsonl' ? readJsonLines(bytes, path) : readDelimited(bytes, path, format === 'tsv' ? 0x09 : 0x2c);
}

function tooLarge(path: string, input: string, what: string): InputError {
  return new InputError(
    `Input '${input}': ${path} holds more than ${what}, the most evaluate reads: evaluate a sample of the rows ` +
      '(a few hundred thousand rows give intervals narrower than most gates need).',
    { file: path },
  );
}

/** The file's bytes, gunzipped when `gzip`, streamed and stopped at MAX_PREDICTION_BYTES. */
async function readBounded(absolute: string, path: string, input: string, cwd: string, gzip: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const file = createReadStream(absolute);
  const stream = gzip ? file.pipe(createGunzip()) : file;
  let failure: 'missing' | 'gzip' | undefined;
  file.on('error', () => (failure = 'missing'));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_PREDICTION_BYTES)
        throw tooLarge(path, input, `${MAX_PREDICTION_BYTES / 1024 / 1024} MiB${gzip ? ' once decompressed' : ''}`);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (failure === 'missing' || (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR')
      throw new InputError(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
    throw new InputError(`Input '${input}': ${path} is not valid gzip: ${(error as Error).message}`, { file: path });
  } finally {
    file.destroy();
  }
  return Buffer.concat(chunks, size);
}

function readDelimited(bytes: Buffer, path: string, delimiter: number): PredictionTable {
  const rows: { cells: string[]; line: number }[] = [];
  let unterminatedAt = 0;
  new CsvScanner(delimiter).scan(bytes, 0, bytes.length, true, {
    record(buf: Uint8Array, fields: FieldRanges, count: number, line: number) {
      const cells: string[] = [];
      for (let i = 0; i < count; i++) cells.push(fieldText(buf, fields, i));
      rows.push({ cells, line });
    },
    unterminatedQuote(line: number) {
      unterminatedAt = line;
    },
  });
  if (unterminatedAt)
    throw new InputError(`${path}:${unterminatedAt}: a quoted field starts on this line and is never closed.`, {
      file: path,
      line: unterminatedAt,
    });
  const header = rows.shift()!;
  const columns = header.cells.map((c) => c.trim());
  checkColumns(columns, path);
  const cells = new Map(columns.map((name) => [name, [] as (string | null)[]]));
  const lists = columns.map((name) => cells.get(name)!);
  const lines: number[] = [];
  for (const row of rows) {
    if (row.cells.length !== columns.length) {
      throw new InputError(`${path}:${row.line}: ${row.cells.length} fields, expected ${columns.length} (${columns.join(', ')}).`, {
        file: path,
        line: row.line,
      });
    }
    for (let c = 0; c < columns.length; c++) lists[c].push(row.cells[c] === '' ? null : row.cells[c]);
    lines.push(row.line);
  }
  return { path, columns, cells, rowCount: rows.length, lines };
}

function readJsonLines(bytes: Buffer, path: string): PredictionTable {
  const records: { record: Record<string, unknown>; line: number }[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new InputError(`${path}:${i + 1}: not valid JSON: ${(error as Error).message}`, { file: path, line: i + 1 });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InputError(`${path}:${i + 1}: expected a JSON object on each line.`, { file: path, line: i + 1 });
      }
      for (const key of Object.keys(value)) {
        if (!seen.has(key)) {
          seen.add(key);
          columns.push(key);
        }
      }
      records.push({ record: value as Record<string, unknown>, line: i + 1 });
    });
  return fromRecords(records, columns, path);
}

async function readParquet(absolute: string, path: string, input: string, cwd: string): Promise<PredictionTable> {
  if (
    !(await stat(absolute).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new InputError(`Input '${input}': ${path} does not exist (looked in ${cwd}).`, { file: path });
  try {
    const table = await openParquet(absolute);
    if (table.rowCount > MAX_PREDICTION_ROWS) throw tooLarge(path, input, `${MAX_PREDICTION_ROWS.toLocaleString('en-US')} rows`);
    const rows = await table.rows(0, table.rowCount);
    return fromRecords(
      rows.map((record, i) => ({ record, line: i + 1 })),
      table.columns,
      path,
    );
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path} is not a readable Parquet file: ${(error as Error).message}`, { file: path });
  }
}

function fromRecords(records: { record: Record<string, unknown>; line: number }[], columns: string[], path: string): PredictionTable {
  const cells = new Map(columns.map((name) => [name, [] as (string | null)[]]));
  for (const { record } of records) {
    for (const name of columns) cells.get(name)!.push(cellText(record[name]));
  }
  return { path, columns, cells, rowCount: records.length, lines: records.map((r) => r.line) };
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return jsonValueText(value);
}

function checkColumns(columns: string[], path: string): void {
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === '') throw new InputError(`${path}: column ${i + 1} of the header has no name.`, { file: path, line: 1 });
    if (seen.has(name)) throw new InputError(`${path}: the header names column ${JSON.stringify(name)} twice.`, { file: path, line: 1 });
    seen.add(name);
  });
}
